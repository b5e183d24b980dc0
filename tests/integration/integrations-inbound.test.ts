// The inbound webhook of the central service: Opsgenie and Grafana OnCall with the shared token,
// the generic webhook with its HMAC signature, each vendor's payload read for the action and the
// dedup key Holdfast paged with; wrong tokens refused, other events ignored, unknown incidents 404,
// and a service without a secret keeps the routes off. Each accepted event lands on the timeline.
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { call, openTestEngine, systemTexts } from '../support/engines';
import { settle, startCentral, type Central } from '../support/sync';

const secret = 'inbound-test-secret';
const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
  delete process.env.HOLDFAST_INBOUND_WEBHOOK_SECRET;
});

async function setUp() {
  process.env.HOLDFAST_INBOUND_WEBHOOK_SECRET = secret;
  const central = await startCentral('sqlite');
  centrals.push(central);
  const engine = openTestEngine({ syncPollMs: 60_000 });
  await call(engine, 'sync.connect', { url: central.url, token: await central.token('cora', 'commander') });
  const team = await call(engine, 'directory.saveTeam', { name: 'Payments', description: '', escalationPhone: '', pager: '' });
  const incident = await call(engine, 'incidents.create', { title: 'Checkout errors', severity: 'SEV1', summary: '' });
  await settle([engine]);
  const dedupKey = `holdfast:${incident.id}:${team.id}`;
  const post = async (vendor: string, body: unknown, headers: Record<string, string>) => {
    const response = await fetch(`${central.url}/v1/inbound/${vendor}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> & { error?: { message: string } } };
  };
  const entries = async () => {
    await settle([engine]);
    return (await systemTexts(engine, incident.id)).filter((t) => /^(Opsgenie|Grafana OnCall|The paging webhook):/.test(t));
  };
  return { central, engine, incident, dedupKey, post, entries };
}

describe('inbound webhooks', () => {
  it('Opsgenie: Acknowledge and Close with the token land on the timeline; a wrong token changes nothing', async () => {
    const { dedupKey, post, entries } = await setUp();
    const ack = {
      action: 'Acknowledge',
      alert: { alertId: 'a1', alias: dedupKey, message: 'SEV1 Checkout errors', username: 'alice@example.com' },
      source: { name: 'web' },
    };
    expect((await post('opsgenie', ack, { 'x-holdfast-token': 'nope' })).status).toBe(401);
    expect((await post('opsgenie', ack, {})).body.error?.message).toContain('no token');
    expect((await post('opsgenie', ack, { 'x-holdfast-token': secret })).status).toBe(200);
    expect((await post('opsgenie', { ...ack, action: 'Close' }, { authorization: `Bearer ${secret}` })).status).toBe(200);
    const note = await post('opsgenie', { ...ack, action: 'AddNote' }, { 'x-holdfast-token': secret });
    expect(note).toMatchObject({ status: 202, body: { ignored: expect.stringContaining('AddNote') } });
    expect(await entries()).toEqual([
      'Opsgenie: the page of Payments was acknowledged by alice@example.com.',
      'Opsgenie: the page of Payments was resolved by alice@example.com.',
    ]);
  });

  it('Grafana OnCall: the outgoing webhook’s alert_payload.alert_uid names the incident', async () => {
    const { dedupKey, post, entries } = await setUp();
    const body = {
      event: { type: 'resolve', time: '2026-12-07T05:00:00Z' },
      user: { username: 'bob' },
      alert_group: { id: 'IXYZ' },
      alert_payload: { alert_uid: dedupKey, title: 'x' },
    };
    expect((await post('grafana-oncall', body, { authorization: `Bearer ${secret}` })).status).toBe(200);
    expect(await entries()).toEqual(['Grafana OnCall: the page of Payments was resolved by bob.']);
  });

  it('generic webhook: HMAC-SHA256 of the raw body; a bad signature or a stranger’s key is refused', async () => {
    const { central, dedupKey, post, entries } = await setUp();
    const body = { action: 'acknowledged', dedupKey, by: 'carol', eventId: 'evt-1' };
    const raw = JSON.stringify(body);
    const sign = (key: string) => `sha256=${createHmac('sha256', key).update(raw).digest('hex')}`;
    expect((await post('webhook', body, { 'x-holdfast-signature': sign('other') })).status).toBe(401);
    expect((await post('webhook', body, { 'x-holdfast-signature': sign(secret) })).status).toBe(200);
    const unknown = { action: 'acknowledged', dedupKey: 'holdfast:01936b2c-0000-7000-8000-000000000000:payments' };
    const unknownRaw = JSON.stringify(unknown);
    const missing = await fetch(`${central.url}/v1/inbound/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-holdfast-signature': `sha256=${createHmac('sha256', secret).update(unknownRaw).digest('hex')}` },
      body: unknownRaw,
    });
    expect(missing.status).toBe(404);
    expect(await entries()).toEqual(['The paging webhook: the page of Payments was acknowledged by carol.']);
  });

  it('a service started without a secret keeps the inbound routes off', async () => {
    const central = await startCentral('sqlite');
    centrals.push(central);
    const response = await fetch(`${central.url}/v1/inbound/pagerduty`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('HOLDFAST_INBOUND_WEBHOOK_SECRET');
  });
});
