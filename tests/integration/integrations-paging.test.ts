// Paging, the chat mirror and trackers through the outbox of a real engine, against real receivers
// on loopback: the team's paging targets, the dedup key shared by every page of one team in one
// incident, the state of each send per target, a receiver that is down (queued and retried with
// back-off until it is back), a wrong key (failed with its error, not retried), the role rule, the
// opt-in chat mirror with its link back, and action items filed once and updated only on change.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { call, certifyEngine, openTestEngine, refusal, systemTexts } from '../support/engines';
import { httpReceiver } from '../support/receivers';
import { testOrg } from '../support/trust';

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

const accepted = (_req: unknown, res: import('node:http').ServerResponse) =>
  res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'success', message: 'Event processed' }));
const bodies = (path: string) => http.received.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Record<string, unknown>);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** An engine whose outbox runs when the test says, retrying after 100 ms. */
const laptop = () => openTestEngine({ outbox: { intervalMs: 3_600_000, retryDelaysMs: [100, 100, 100], timeoutMs: 1_000 } });

async function pagedTeam(engine: Engine, path = '/pd/v2/enqueue') {
  const team = await call(engine, 'directory.saveTeam', { name: 'Payments', description: '', escalationPhone: '', pager: '' });
  const target = await call(engine, 'integrations.saveTarget', {
    name: 'Payments PagerDuty',
    config: { kind: 'pagerduty', routingKey: 'R0UT1NG', url: `${base}${path}` },
  });
  await call(engine, 'integrations.setTeamTargets', { teamId: team.id, targetIds: [target.id] });
  const incident = await call(engine, 'incidents.create', { title: 'Checkout errors', severity: 'SEV1', summary: '' });
  return { team, target, incident };
}

describe('paging a team from the war room', () => {
  it('pages through the team’s target, records the state per target, and a second page carries the same dedup key', async () => {
    http.routes.set('POST /pd/v2/enqueue', accepted);
    const engine = laptop();
    const { team, target, incident } = await pagedTeam(engine);
    expect(JSON.stringify(await call(engine, 'integrations.targets', {}))).not.toContain('R0UT1NG');

    const queued = await call(engine, 'integrations.page', { incidentId: incident.id, teamId: team.id, note: 'Card payments failing' });
    expect(queued).toEqual([expect.objectContaining({ targetId: target.id, state: 'queued', purpose: 'page', teamId: team.id })]);
    await engine.runOutboxPass();
    const [first] = bodies('/pd/v2/enqueue');
    expect(first).toMatchObject({ routing_key: 'R0UT1NG', event_action: 'trigger', dedup_key: `holdfast:${incident.id}:${team.id}` });
    expect((first.payload as { custom_details: { text: string } }).custom_details.text).toContain('Card payments failing');
    const [sent] = await call(engine, 'integrations.sends', { incidentId: incident.id });
    expect(sent).toMatchObject({ state: 'delivered', attempts: 1, detail: 'HTTP 202: Event processed', lastError: '' });

    await call(engine, 'integrations.page', { incidentId: incident.id, teamId: team.id });
    await engine.runOutboxPass();
    const pages = bodies('/pd/v2/enqueue');
    expect(pages).toHaveLength(2);
    expect(pages[1].dedup_key).toBe(pages[0].dedup_key);
    // A pass with nothing due sends nothing more: each send goes once.
    await engine.runOutboxPass();
    expect(bodies('/pd/v2/enqueue')).toHaveLength(2);
    const texts = await systemTexts(engine, incident.id);
    expect(texts.filter((t) => t.includes('paged Payments via Payments PagerDuty'))).toHaveLength(2);
    expect(texts.some((t) => t.startsWith('The page of Payments reached Payments PagerDuty'))).toBe(true);
  });

  it('pages the owner team of a service', async () => {
    http.routes.set('POST /pd/v2/enqueue', accepted);
    const engine = laptop();
    const { team, incident } = await pagedTeam(engine);
    engine.replica.commitLocal([{ entity: 'service', rowId: 'checkout', fields: { name: 'Checkout', ownerTeamId: team.id } }]);
    const sends = await call(engine, 'integrations.page', { incidentId: incident.id, serviceId: 'checkout' });
    expect(sends[0].teamId).toBe(team.id);
  });

  it('a team without paging targets, or a target of another kind, is refused with what to do', async () => {
    const engine = laptop();
    const team = await call(engine, 'directory.saveTeam', { name: 'Search', description: '', escalationPhone: '', pager: '' });
    const incident = await call(engine, 'incidents.create', { title: 'Slow search', severity: 'SEV3', summary: '' });
    const none = await refusal(() => call(engine, 'integrations.page', { incidentId: incident.id, teamId: team.id }));
    expect(none.message).toContain('Search carries no paging target');
    const chat = await call(engine, 'integrations.saveTarget', { name: 'War room Slack', config: { kind: 'slack', url: `${base}/slack` } });
    const wrong = await refusal(() => call(engine, 'integrations.setTeamTargets', { teamId: team.id, targetIds: [chat.id] }));
    expect(wrong.message).toContain('not a paging target');
  });

  it('queues while the vendor is down, retries with back-off, and sends once it is back', async () => {
    let down = true;
    http.routes.set('POST /pd/v2/enqueue', (req, res) => (down ? res.writeHead(503).end('maintenance') : accepted(req, res)));
    const engine = laptop();
    const { team, incident } = await pagedTeam(engine);
    await call(engine, 'integrations.page', { incidentId: incident.id, teamId: team.id });
    await engine.runOutboxPass();
    let [send] = await call(engine, 'integrations.sends', { incidentId: incident.id });
    expect(send).toMatchObject({ state: 'retrying', attempts: 1, lastError: expect.stringContaining('HTTP 503: "maintenance"; it will be tried again') });
    expect(send.nextAttemptAt).toBeGreaterThan(Date.now() - 1000);
    down = false;
    await sleep(150);
    await engine.runOutboxPass();
    [send] = await call(engine, 'integrations.sends', { incidentId: incident.id });
    expect(send).toMatchObject({ state: 'delivered', attempts: 2, lastError: '' });
  });

  it('a wrong key fails with its error on the timeline and is not retried until someone retries it', async () => {
    http.routes.set('POST /pd/v2/enqueue', (_req, res) =>
      res.writeHead(400, { 'content-type': 'application/json' }).end('{"status":"invalid event","errors":["Invalid routing key"]}'),
    );
    const engine = laptop();
    const { team, incident } = await pagedTeam(engine);
    await call(engine, 'integrations.page', { incidentId: incident.id, teamId: team.id });
    await engine.runOutboxPass();
    await sleep(150);
    await engine.runOutboxPass();
    expect(http.received).toHaveLength(1);
    const [send] = await call(engine, 'integrations.sends', { incidentId: incident.id });
    expect(send).toMatchObject({ state: 'failed', nextAttemptAt: null, lastError: expect.stringContaining('check the routing key') });
    expect((await systemTexts(engine, incident.id)).some((t) => t.includes('could not be sent to Payments PagerDuty') && t.includes('Invalid routing key'))).toBe(true);

    http.routes.set('POST /pd/v2/enqueue', accepted);
    await call(engine, 'integrations.retry', { rowId: send.rowId });
    await engine.runOutboxPass();
    expect((await call(engine, 'integrations.sends', { incidentId: incident.id }))[0]).toMatchObject({ state: 'delivered', attempts: 2 });
  });

  it('a responder may not page: the rule refuses it before anything is written', async () => {
    const engine = laptop();
    const { team, incident } = await pagedTeam(engine);
    const org = testOrg();
    certifyEngine(engine, org, 'rhea', 'responder');
    const refused = await refusal(() => call(engine, 'integrations.page', { incidentId: incident.id, teamId: team.id }));
    expect(refused.message).toMatch(/responders may not page teams/);
    expect(await call(engine, 'integrations.sends', { incidentId: incident.id })).toEqual([]);
  });
});

describe('the chat mirror', () => {
  it('posts the chosen kinds of an opted-in incident with a link back, and nothing else', async () => {
    http.routes.set('POST /slack', (_req, res) => res.writeHead(200).end('ok'));
    http.routes.set('POST /mm', (_req, res) => res.writeHead(200).end('ok'));
    const engine = laptop();
    const slack = await call(engine, 'integrations.saveTarget', { name: 'War room Slack', config: { kind: 'slack', url: `${base}/slack` } });
    await call(engine, 'integrations.saveTarget', { name: 'Mattermost', config: { kind: 'mattermost', url: `${base}/mm` } });
    const incident = await call(engine, 'incidents.create', { title: 'Checkout errors', severity: 'SEV2', summary: '' });
    const other = await call(engine, 'incidents.create', { title: 'Unrelated', severity: 'SEV4', summary: '' });
    await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'decision', text: 'Before the opt-in' });
    await engine.runOutboxPass();
    expect(http.received).toHaveLength(0);

    await call(engine, 'integrations.setMirror', { incidentId: incident.id, targetId: slack.id, kinds: ['decision'], internalUpdates: false, isEnabled: true });
    await sleep(5);
    await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'decision', text: 'Roll back the deploy' });
    await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'note', text: 'Just a note' });
    await call(engine, 'timeline.add', { incidentId: other.id, kind: 'decision', text: 'Other incident' });
    await engine.runOutboxPass();
    await engine.runOutboxPass();
    const posts = bodies('/slack') as { text: string; blocks: { elements?: { text: string }[] }[] }[];
    expect(posts).toHaveLength(1);
    expect(posts[0].text).toContain('Roll back the deploy');
    expect(posts[0].blocks[1].elements![0].text).toContain(`holdfast://incident/${incident.id}`);
    expect(bodies('/mm')).toHaveLength(0);
    const sends = await call(engine, 'integrations.sends', { incidentId: incident.id });
    expect(sends).toEqual([expect.objectContaining({ purpose: 'mirror', state: 'delivered', targetId: slack.id })]);

    await call(engine, 'integrations.setMirror', { incidentId: incident.id, targetId: slack.id, kinds: ['decision'], internalUpdates: false, isEnabled: false });
    await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'decision', text: 'After the opt-out' });
    await engine.runOutboxPass();
    expect(bodies('/slack')).toHaveLength(1);
  });
});

describe('action items in a tracker', () => {
  it('files once, stores the link on the action item, updates only when the item changed', async () => {
    let number = 0;
    http.routes.set('POST /repos/acme/ops/issues', (_req, res) => {
      number += 1;
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ number, html_url: `https://github.com/acme/ops/issues/${number}` }));
    });
    http.routes.set('PATCH /repos/acme/ops/issues/1', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ number: 1, html_url: 'https://github.com/acme/ops/issues/1' })),
    );
    const engine = laptop();
    const gh = await call(engine, 'integrations.saveTarget', {
      name: 'Ops issues',
      config: { kind: 'github', owner: 'acme', repo: 'ops', token: 'ghp_x', apiUrl: base },
    });
    const incident = await call(engine, 'incidents.create', { title: 'Checkout errors', severity: 'SEV2', summary: '' });
    const itemId = `${incident.id}/a1`;
    engine.replica.commitLocal([
      {
        entity: 'action_item',
        rowId: itemId,
        fields: {
          incidentId: incident.id,
          title: 'Add a canary for payments',
          ownerId: null,
          dueAt: null,
          priority: 'P1',
          type: 'prevent',
          status: 'open',
          note: '',
          createdAt: Date.now(),
          createdBy: 'cora',
        },
      },
    ]);
    await call(engine, 'integrations.fileActionItem', { incidentId: incident.id, actionItemId: itemId, targetId: gh.id });
    await engine.runOutboxPass();
    // A second sync of the unchanged item changes nothing and sends nothing.
    await call(engine, 'integrations.fileActionItem', { incidentId: incident.id, actionItemId: itemId, targetId: gh.id });
    await engine.runOutboxPass();
    expect(http.received.map((r) => r.method)).toEqual(['POST']);
    const tracked = engine.db.prepare('SELECT tracker_url FROM action_items WHERE id = ?').pluck().get(itemId);
    expect(tracked).toBe('https://github.com/acme/ops/issues/1');

    engine.replica.commitLocal([{ entity: 'action_item', rowId: itemId, fields: { incidentId: incident.id, title: 'Add a canary for payments and refunds' } }]);
    await call(engine, 'integrations.fileActionItem', { incidentId: incident.id, actionItemId: itemId, targetId: gh.id });
    await engine.runOutboxPass();
    expect(http.received.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /repos/acme/ops/issues', 'PATCH /repos/acme/ops/issues/1']);
    expect(JSON.parse(http.received[1].body)).toMatchObject({ title: 'Add a canary for payments and refunds' });
  });
});
