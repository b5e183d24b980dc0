// Resolving an incident resolves what it paged, through the same outbox sends, against real
// receivers on loopback: PagerDuty gets event_action resolve with the page's dedup_key, Opsgenie a
// close by alias, Grafana OnCall the same alert_uid with state ok; once per target however many
// passes run, and nothing for an incident that is only mitigated.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, openTestEngine, systemTexts } from '../support/engines';
import { httpReceiver } from '../support/receivers';

const http = httpReceiver();
let base = '';
beforeAll(async () => {
  base = `http://127.0.0.1:${await http.listen()}`;
});
afterAll(() => http.close());
beforeEach(() => {
  http.received.length = 0;
  http.routes.clear();
});

const json = (status: number, body: unknown) => (_req: unknown, res: import('node:http').ServerResponse) =>
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
const bodiesAt = (path: string) => http.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, unknown>);

describe('resolving an incident resolves its pages', () => {
  it('sends resolve to PagerDuty, closes the Opsgenie alert by alias and resolves the Grafana alert group, once each', async () => {
    http.routes.set('POST /pd/v2/enqueue', json(202, { status: 'success', message: 'Event processed' }));
    http.routes.set('POST /og/v2/alerts', json(202, { result: 'Request will be processed', requestId: 'r-1' }));
    http.routes.set('POST /grafana/hook', json(200, {}));
    const engine = openTestEngine({ outbox: { intervalMs: 3_600_000, retryDelaysMs: [100], timeoutMs: 1_000 } });
    const team = await call(engine, 'directory.saveTeam', { name: 'Payments', description: '', escalationPhone: '', pager: '' });
    const pd = await call(engine, 'integrations.saveTarget', { name: 'PD', config: { kind: 'pagerduty', routingKey: 'R0UT1NG', url: `${base}/pd/v2/enqueue` } });
    const og = await call(engine, 'integrations.saveTarget', { name: 'OG', config: { kind: 'opsgenie', apiKey: 'G3NIE', baseUrl: `${base}/og` } });
    const gf = await call(engine, 'integrations.saveTarget', { name: 'GF', config: { kind: 'grafana-oncall', url: `${base}/grafana/hook` } });
    await call(engine, 'integrations.setTeamTargets', { teamId: team.id, targetIds: [pd.id, og.id, gf.id] });
    const incident = await call(engine, 'incidents.create', { title: 'Checkout errors', severity: 'SEV1', summary: '' });
    await call(engine, 'integrations.page', { incidentId: incident.id, teamId: team.id });
    await engine.runOutboxPass();
    const dedupKey = `holdfast:${incident.id}:${team.id}`;
    expect(bodiesAt('/pd/v2/enqueue')).toHaveLength(1);

    // Mitigated is not resolved: nothing more goes out.
    await call(engine, 'incidents.setStatus', { id: incident.id, status: 'mitigated' });
    await engine.runOutboxPass();
    expect(http.received).toHaveLength(3);

    const closePath = `/og/v2/alerts/${encodeURIComponent(dedupKey)}/close?identifierType=alias`;
    http.routes.set(`POST ${closePath}`, json(202, { result: 'Request will be processed', requestId: 'r-2' }));
    await call(engine, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
    await engine.runOutboxPass();
    await engine.runOutboxPass();

    const pdBodies = bodiesAt('/pd/v2/enqueue');
    expect(pdBodies).toHaveLength(2);
    expect(pdBodies[1]).toEqual({ routing_key: 'R0UT1NG', event_action: 'resolve', dedup_key: dedupKey });
    const closes = http.received.filter((r) => r.path === closePath);
    expect(closes).toHaveLength(1);
    expect(closes[0].headers.authorization).toBe('GenieKey G3NIE');
    const grafana = bodiesAt('/grafana/hook');
    expect(grafana.map((b) => [b.alert_uid, b.state])).toEqual([
      [dedupKey, 'alerting'],
      [dedupKey, 'ok'],
    ]);
    const sends = await call(engine, 'integrations.sends', { incidentId: incident.id });
    expect(sends.filter((s) => s.title.startsWith('Resolved:')).map((s) => [s.targetName, s.state])).toEqual(
      expect.arrayContaining([
        ['PD', 'delivered'],
        ['OG', 'delivered'],
        ['GF', 'delivered'],
      ]),
    );
    expect((await systemTexts(engine, incident.id)).filter((t) => t.startsWith('The incident is resolved: resolving the page'))).toHaveLength(3);

    // Closing afterwards sends nothing more: each alert was resolved once.
    await call(engine, 'incidents.setStatus', { id: incident.id, status: 'closed' });
    await engine.runOutboxPass();
    expect(http.received).toHaveLength(6);
  });
});
