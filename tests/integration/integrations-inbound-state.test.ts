// An inbound acknowledgement or resolution updates the state of the sends of that page (shown in
// the war room's panel: acknowledged / resolved, by whom), not only the timeline; a later
// acknowledgement does not undo a resolution, and a page the vendor resolved is not resolved again
// when the incident is.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { call, openTestEngine } from '../support/engines';
import { httpReceiver } from '../support/receivers';
import { settle, startCentral, type Central } from '../support/sync';

const secret = 'inbound-state-secret';
const http = httpReceiver();
let base = '';
beforeAll(async () => {
  base = `http://127.0.0.1:${await http.listen()}`;
});
afterAll(() => http.close());
const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
  delete process.env.HOLDFAST_INBOUND_WEBHOOK_SECRET;
});

describe('inbound acknowledgement and resolution', () => {
  it('set the page’s send state with who did it', async () => {
    process.env.HOLDFAST_INBOUND_WEBHOOK_SECRET = secret;
    const central = await startCentral('sqlite');
    centrals.push(central);
    http.routes.set('POST /pd/v2/enqueue', (_req, res) =>
      res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', message: 'Event processed' })),
    );
    const engine = openTestEngine({ syncPollMs: 60_000, outbox: { intervalMs: 3_600_000, retryDelaysMs: [100], timeoutMs: 1_000 } });
    await call(engine, 'sync.connect', { url: central.url, token: await central.token('cora', 'commander') });
    const team = await call(engine, 'directory.saveTeam', { name: 'Payments', description: '', escalationPhone: '', pager: '' });
    const target = await call(engine, 'integrations.saveTarget', { name: 'PD', config: { kind: 'pagerduty', routingKey: 'R0UT1NG', url: `${base}/pd/v2/enqueue` } });
    await call(engine, 'integrations.setTeamTargets', { teamId: team.id, targetIds: [target.id] });
    const incident = await call(engine, 'incidents.create', { title: 'Checkout errors', severity: 'SEV1', summary: '' });
    await call(engine, 'integrations.page', { incidentId: incident.id, teamId: team.id });
    await settle([engine]);
    await engine.runOutboxPass();
    await settle([engine]);
    const pageSend = async () => (await call(engine, 'integrations.sends', { incidentId: incident.id })).find((s) => s.purpose === 'page')!;
    // The page goes out on a pass (the one the request nudged, or this one).
    for (let i = 0; i < 50 && (await pageSend()).state !== 'delivered'; i += 1) {
      await engine.runOutboxPass();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await pageSend()).state).toBe('delivered');
    await settle([engine]);

    const dedupKey = `holdfast:${incident.id}:${team.id}`;
    const post = (action: string) =>
      fetch(`${central.url}/v1/inbound/opsgenie`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-holdfast-token': secret },
        body: JSON.stringify({ action, alert: { alertId: `a-${action}`, alias: dedupKey, message: 'SEV1 Checkout errors', username: 'alice@example.com' } }),
      });
    expect((await post('Acknowledge')).status).toBe(200);
    await settle([engine]);
    expect(await pageSend()).toMatchObject({ state: 'acknowledged', detail: 'Acknowledged in Opsgenie by alice@example.com' });

    expect((await post('Close')).status).toBe(200);
    await settle([engine]);
    expect(await pageSend()).toMatchObject({ state: 'resolved', detail: 'Resolved in Opsgenie by alice@example.com' });
    const rowId = (await pageSend()).rowId;
    await expect((async () => call(engine, 'integrations.retry', { rowId }))()).rejects.toThrow('the page was resolved');

    // The vendor resolved it already: resolving the incident sends nothing more.
    const before = http.received.length;
    await call(engine, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
    await engine.runOutboxPass();
    expect(http.received.length).toBe(before);
    expect((await call(engine, 'integrations.sends', { incidentId: incident.id })).filter((s) => s.title.startsWith('Resolved:'))).toEqual([]);
  });
});
