// Stakeholder updates end to end on real engines (real SQLite files): templates, settings, channels
// with secrets, drafts, approval by a second person, lint, publishing, and the outbox delivering to
// real receivers on loopback (HTTP and SMTP), through receivers that are down and come back, across
// restarts, and exactly once with two replicas online behind a real central service.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import type { UpdateDue } from '@shared/domain/comms-api';
import { defaultCadence } from '@shared/domain/comms';
import { call, exchange, openTestEngine, publishInternalUpdate, refusal, stateOf, systemTexts } from '../support/engines';
import { eventually } from '../support/eventually';
import { httpReceiver, smtpReceiver } from '../support/receivers';
import { certifyAt } from '../support/ops';
import { pushTo, settle, startCentral, type Central } from '../support/sync';
import { forgeOp } from '../support/trust';
import { createCommsStore } from '../../electron/engine/comms/comms-store';
import { channelSecrets } from '../../electron/engine/comms/channel-secrets';
import { fileSecretStore } from '../../electron/engine/core/secrets';
import { createOutbox } from '../../electron/engine/comms/outbox';
import { createIncidentStore } from '../../electron/engine/incidents/incident-store';
import { tempDir } from '../support/temp';

const fastOutbox = { intervalMs: 50, retryDelaysMs: [150], timeoutMs: 2_000, leaseMs: 5_000 };

function engineAs(name: string, options: Parameters<typeof openTestEngine>[0] = {}): Engine {
  const engine = openTestEngine({ outbox: fastOutbox, ...options });
  engine.replica.setActor(name);
  return engine;
}

async function declare(engine: Engine, severity: 'SEV1' | 'SEV2' = 'SEV1') {
  return call(engine, 'incidents.create', { title: 'Checkout failing on db-primary.corp.example.net', severity, services: ['checkout'] });
}

const customerValues = {
  headline: 'Some card payments are failing',
  impact: 'Card payments at checkout fail for about 1 in 5 customers',
  status: 'We have found the cause and are fixing it',
  actions: 'We are moving payments to a healthy system',
};

describe('templates, settings and channels', () => {
  it('customises a built-in template, adds one, hides one; bad input changes nothing', async () => {
    const engine = engineAs('maya');
    const builtIns = await call(engine, 'comms.templates', {});
    expect(builtIns.map((t) => [t.id, t.isBuiltIn, t.isCustomised])).toEqual([
      ['builtin-internal', true, false],
      ['builtin-executives', true, false],
      ['builtin-customers', true, false],
    ]);
    const customer = builtIns[2];
    const edited = await call(engine, 'comms.saveTemplate', {
      id: customer.id,
      audience: 'customers',
      name: 'Customer notice',
      title: customer.title,
      body: `${customer.body}\n\nThank you for your patience.`,
    });
    expect(edited).toMatchObject({ isBuiltIn: true, isCustomised: true, updatedBy: 'maya', name: 'Customer notice' });
    const added = await call(engine, 'comms.saveTemplate', {
      audience: 'executives',
      name: 'Board briefing',
      title: '{{incident.severity}}: {{headline}}',
      body: '**Impact:** {{impact}}',
    });
    expect(added.id).toBe('board-briefing');
    const before = stateOf(engine);
    const duplicate = await refusal(() => call(engine, 'comms.saveTemplate', { audience: 'executives', name: 'Board briefing', title: 'x', body: 'y' }));
    expect(duplicate.message).toMatch(/exists already/);
    const moved = await refusal(() => call(engine, 'comms.saveTemplate', { id: 'builtin-internal', audience: 'customers', name: 'x', title: 'x', body: 'y' }));
    expect(moved.message).toMatch(/audience cannot change/);
    expect(() => call(engine, 'comms.saveTemplate', { audience: 'customers', name: '', title: 'x', body: 'y' })).toThrow(/name the template/);
    expect(stateOf(engine)).toEqual(before);
    const left = await call(engine, 'comms.removeTemplate', { id: 'builtin-internal' });
    expect(left.map((t) => t.id)).toEqual(['builtin-executives', 'board-briefing', 'builtin-customers']);
  });

  it('keeps cadence, approval and lint settings; a bad cadence is refused with its field', async () => {
    const engine = engineAs('maya');
    const cadence = { ...defaultCadence, SEV1: { internal: 10, executives: 30, customers: 20 } };
    const saved = await call(engine, 'comms.saveSettings', { cadence, namedApprovers: ['lee', 'lee'], internalDomains: ['Corp.Example.NET'] });
    expect(saved.cadence.SEV1.customers).toBe(20);
    expect(saved.namedApprovers).toEqual(['lee']);
    expect(saved.internalDomains).toEqual(['corp.example.net']);
    const before = stateOf(engine);
    expect(() => call(engine, 'comms.saveSettings', { cadence: { ...cadence, SEV2: { internal: 2, executives: 30, customers: 30 } } })).toThrow(/at least 5 minutes/);
    expect(() => call(engine, 'comms.saveSettings', { internalDomains: ['not a domain'] })).toThrow(/domain name/);
    expect(stateOf(engine)).toEqual(before);
  });

  it('keeps channel secrets on the laptop, shows them redacted, keeps a secret sent back as shown', async () => {
    const engine = engineAs('maya');
    const before = stateOf(engine);
    const bad = await refusal(() => call(engine, 'comms.saveChannel', { name: 'Status hook', audiences: ['customers'], config: { kind: 'webhook', url: 'ftp://x' } }));
    expect(bad.message).toMatch(/url must start with https:\/\//);
    const unknownKind = await refusal(() => call(engine, 'comms.saveChannel', { name: 'Pager', audiences: ['internal'], config: { kind: 'pager' } }));
    expect(unknownKind.message).toMatch(/kind must be webhook, slack, email, statuspage/);
    expect(stateOf(engine)).toEqual(before);

    const saved = await call(engine, 'comms.saveChannel', {
      name: 'Status hook',
      audiences: ['customers', 'executives'],
      config: { kind: 'webhook', url: 'https://hooks.example.com/holdfast/T0KEN', secretHeader: { name: 'X-Holdfast-Secret', value: 's3cret' } },
    });
    expect(saved.config).toEqual({ kind: 'webhook', url: 'https://hooks.example.com/••••', secretHeader: { name: 'X-Holdfast-Secret', value: '••••' } });
    // The edit form sends the redacted values back with a new name: the secrets are kept.
    const renamed = await call(engine, 'comms.saveChannel', { id: saved.id, name: 'Status page hook', audiences: ['customers'], config: saved.config });
    expect(renamed.name).toBe('Status page hook');
    // The database holds the redacted form only; the secret is in this laptop's SecretStore.
    const row = engine.db.prepare('SELECT config FROM comms_channels WHERE id = ?').pluck().get(saved.id) as string;
    expect(JSON.parse(row)).toEqual({ kind: 'webhook', url: 'https://hooks.example.com/••••', secretHeader: { name: 'X-Holdfast-Secret', value: '••••' } });
    expect(engine.db.prepare("SELECT count(*) FROM ops WHERE fields LIKE '%s3cret%' OR fields LIKE '%T0KEN%'").pluck().get()).toBe(0);
    const kept = channelSecrets(fileSecretStore((await call(engine, 'app.info', {})).dataDir));
    expect(kept.held(saved.id)?.values).toEqual({ url: 'https://hooks.example.com/holdfast/T0KEN', 'secretHeader.value': 's3cret' });
    expect(renamed.secret).toMatchObject({ isHeldHere: true, holders: [{ deviceId: engine.replica.deviceId, user: 'maya', isThisLaptop: true }] });
    // A header renamed with its value left hidden keeps the secret; an address edited around its
    // hidden token is refused, and nothing changes.
    await call(engine, 'comms.saveChannel', {
      id: saved.id,
      name: 'Status page hook',
      audiences: ['customers'],
      config: { ...saved.config, secretHeader: { name: 'X-Secret', value: '••••' } },
    });
    expect(JSON.parse(engine.db.prepare('SELECT config FROM comms_channels WHERE id = ?').pluck().get(saved.id) as string).secretHeader).toEqual({
      name: 'X-Secret',
      value: '••••',
    });
    expect(kept.held(saved.id)?.values['secretHeader.value']).toBe('s3cret');
    const before2 = stateOf(engine);
    const edited = await refusal(() =>
      call(engine, 'comms.saveChannel', {
        id: saved.id,
        name: 'Status page hook',
        audiences: ['customers'],
        config: { kind: 'webhook', url: 'https://hooks.example.org/••••' },
      }),
    );
    expect(edited.message).toMatch(/url still holds "••••" where a secret was hidden; type the secret \(or the whole address\) again/);
    expect(stateOf(engine)).toEqual(before2);
    expect(await call(engine, 'comms.removeChannel', { id: saved.id })).toEqual([]);
  });
});

describe('drafts, lint, approval and publishing', () => {
  it('starts from the template, then from the last update for that audience', async () => {
    const engine = engineAs('maya');
    const incident = await declare(engine);
    const draft = await call(engine, 'comms.start', { incidentId: incident.id, audience: 'internal' });
    expect(draft).toMatchObject({ state: 'draft', templateId: 'builtin-internal', needsApproval: false, author: 'maya' });
    expect(draft.rendered.unresolved).toEqual(['impact', 'status', 'actions']);
    expect(draft.findings.map((f) => f.rule)).toEqual(['placeholder', 'placeholder', 'placeholder']);
    const filled = await call(engine, 'comms.save', {
      incidentId: incident.id,
      updateId: draft.id,
      values: { impact: 'Checkout down', status: 'Failing over', actions: 'Promoting the replica' },
    });
    expect(filled.findings).toEqual([]);
    expect(filled.rendered.body).toContain('**Impact:** Checkout down');
    await call(engine, 'comms.publish', { incidentId: incident.id, updateId: draft.id });
    const next = await call(engine, 'comms.start', { incidentId: incident.id, audience: 'internal' });
    expect(next.values).toEqual({ impact: 'Checkout down', status: 'Failing over', actions: 'Promoting the replica' });
    expect(next.body).toBe(filled.body);
    const fromTemplate = await call(engine, 'comms.start', { incidentId: incident.id, audience: 'customers', templateId: 'builtin-customers' });
    expect(fromTemplate.title).toBe('{{headline}}');
    const wrong = await refusal(() => call(engine, 'comms.start', { incidentId: incident.id, audience: 'customers', templateId: 'builtin-internal' }));
    expect(wrong.message).toMatch(/template for Internal responders/);
  });

  it('flags speculation, blame, names and hosts for customers and publishes anyway only when told', async () => {
    const engine = engineAs('maya');
    await call(engine, 'comms.saveSettings', { approval: { customers: false, executives: false }, internalDomains: ['corp.example.net'] });
    await call(engine, 'directory.savePerson', {
      name: 'Sam Ortiz',
      handle: 'sam',
      email: 'sam@example.com',
      phones: [],
      teamId: null,
      timeZone: 'UTC',
      title: '',
      notes: '',
    });
    const incident = await declare(engine);
    const draft = await call(engine, 'comms.start', { incidentId: incident.id, audience: 'customers' });
    const risky = await call(engine, 'comms.save', {
      incidentId: incident.id,
      updateId: draft.id,
      values: { ...customerValues, status: 'This was probably a mistake by Sam Ortiz on db-primary.corp.example.net' },
    });
    expect(new Set(risky.findings.map((f) => f.rule))).toEqual(new Set(['speculation', 'blame', 'person-name', 'internal-host']));
    const before = stateOf(engine);
    const refused = await refusal(() => call(engine, 'comms.publish', { incidentId: incident.id, updateId: draft.id }));
    expect(refused.message).toMatch(/lint finding.*"probably" \(speculation\).*publish anyway/);
    expect(stateOf(engine)).toEqual(before);
    const published = await call(engine, 'comms.publish', { incidentId: incident.id, updateId: draft.id, acknowledgeLint: true });
    expect(published.lintAcknowledged.sort()).toEqual(['blame', 'internal-host', 'person-name', 'speculation']);
    expect((await systemTexts(engine, incident.id)).at(-1)).toMatch(
      /maya published the Customers update "Some card payments are failing" \(no channel: copied out by hand\), with lint findings acknowledged/,
    );
    expect(published.plainText).toContain('Some card payments are failing\n\nWhat is affected:');
    const again = await refusal(() => call(engine, 'comms.publish', { incidentId: incident.id, updateId: draft.id }));
    expect(again.message).toMatch(/published and cannot change/);
  });

  it('needs a second person to approve customer updates; decisions go on the timeline', async () => {
    const maya = engineAs('maya'); // comms lead
    const ravi = engineAs('ravi'); // incident commander
    const incident = await declare(ravi);
    exchange(maya, ravi);
    const draft = await call(maya, 'comms.start', { incidentId: incident.id, audience: 'customers' });
    await call(maya, 'comms.save', { incidentId: incident.id, updateId: draft.id, values: customerValues });
    const blocked = await refusal(() => call(maya, 'comms.publish', { incidentId: incident.id, updateId: draft.id }));
    expect(blocked.message).toMatch(/need a second person's approval/);
    const early = await refusal(() => call(ravi, 'comms.decide', { incidentId: incident.id, updateId: draft.id, decision: 'approve' }));
    expect(early.code).toBe('not_found'); // not synced to ravi yet
    exchange(maya, ravi);
    const unasked = await refusal(() => call(ravi, 'comms.decide', { incidentId: incident.id, updateId: draft.id, decision: 'approve' }));
    expect(unasked.message).toMatch(/Nobody has asked for approval of this update/);
    await call(maya, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id });
    const self = await refusal(() => call(maya, 'comms.decide', { incidentId: incident.id, updateId: draft.id, decision: 'approve' }));
    expect(self.message).toMatch(/You wrote this update, so someone else approves it: ravi \(incident commander\)/);
    const nobody = await refusal(() => call(maya, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id, approver: 'zoe' }));
    expect(nobody.message).toMatch(/zoe cannot approve this update: Only ravi \(incident commander\) can approve/);
    await call(maya, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id });
    exchange(maya, ravi);

    expect(() => call(ravi, 'comms.decide', { incidentId: incident.id, updateId: draft.id, decision: 'reject' })).toThrow(/say why the update is rejected/);
    const rejected = await call(ravi, 'comms.decide', {
      incidentId: incident.id,
      updateId: draft.id,
      decision: 'reject',
      comment: 'Say when payments are expected back',
    });
    expect(rejected).toMatchObject({ state: 'rejected', decidedBy: 'ravi', decisionComment: 'Say when payments are expected back' });
    exchange(maya, ravi);
    await call(maya, 'comms.save', { incidentId: incident.id, updateId: draft.id, values: { ...customerValues, actions: 'We expect payments back within the hour' } });
    await call(maya, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id });
    exchange(maya, ravi);
    const stale = await refusal(() => call(ravi, 'comms.decide', { incidentId: incident.id, updateId: draft.id, decision: 'approve', digest: 'what ravi read before' }));
    expect(stale.message).toMatch(/changed since you read it/);
    const seen = (await call(ravi, 'comms.room', { incidentId: incident.id })).drafts[0].digest;
    const approved = await call(ravi, 'comms.decide', { incidentId: incident.id, updateId: draft.id, decision: 'approve', comment: 'Good to go', digest: seen });
    expect(approved.isApproved).toBe(true);
    exchange(maya, ravi);

    // A change after approval voids it.
    const changed = await call(maya, 'comms.save', { incidentId: incident.id, updateId: draft.id, values: { ...customerValues, actions: 'Changed after approval' } });
    expect(changed).toMatchObject({ state: 'draft', isApproved: false });
    await call(maya, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id });
    const whileAsked = await call(maya, 'comms.save', { incidentId: incident.id, updateId: draft.id, values: { ...customerValues, actions: 'Changed while asked' } });
    expect(whileAsked.state).toBe('draft');
    await call(maya, 'comms.save', { incidentId: incident.id, updateId: draft.id, values: { ...customerValues, actions: 'We expect payments back within the hour' } });
    await call(maya, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id, approver: 'ravi' });
    exchange(maya, ravi);
    await call(ravi, 'comms.decide', { incidentId: incident.id, updateId: draft.id, decision: 'approve' });
    exchange(maya, ravi);
    const published = await call(maya, 'comms.publish', { incidentId: incident.id, updateId: draft.id });
    expect(published.approvedBy).toBe('ravi');
    exchange(maya, ravi);
    const texts = await systemTexts(ravi, incident.id);
    expect(texts.filter((t) => /approval|approved|rejected|published/.test(t))).toEqual([
      'maya asked for approval of the Customers update "Some card payments are failing".',
      'ravi rejected the Customers update "Some card payments are failing": Say when payments are expected back',
      'maya asked for approval of the Customers update "Some card payments are failing".',
      'ravi approved the Customers update "Some card payments are failing": Good to go',
      'maya asked for approval of the Customers update "Some card payments are failing".',
      'maya asked for approval from ravi of the Customers update "Some card payments are failing".',
      'ravi approved the Customers update "Some card payments are failing".',
      'maya published the Customers update "Some card payments are failing" (no channel: copied out by hand), approved by ravi.',
    ]);
    expect(maya.replica.digest()).toBe(ravi.replica.digest());
  });

  it('shows each audience’s clock and says once when an update is due soon and overdue', async () => {
    let clock = Date.UTC(2026, 10, 30, 9, 0);
    const dues: UpdateDue[] = [];
    // The clocks are checked when the test says (checkUpdateClocks), never by the hour-long timer.
    const engine = engineAs('maya', { now: () => clock, cadenceCheckMs: 3_600_000 });
    engine.onEvent((event, payload) => {
      if (event === 'comms.due') dues.push(payload as UpdateDue);
    });
    const incident = await declare(engine, 'SEV1');
    const room = await call(engine, 'comms.room', { incidentId: incident.id });
    expect(room.cadence.map((c) => [c.audience, c.level, c.minutesLeft])).toEqual([
      ['internal', 'ok', 15],
      ['executives', 'ok', 30],
      ['customers', 'ok', 30],
    ]);
    engine.checkUpdateClocks();
    expect(dues).toEqual([]);
    clock += 11 * 60_000; // internal: 4 minutes left
    engine.checkUpdateClocks();
    engine.checkUpdateClocks();
    expect(dues.map((d) => `${d.audience}:${d.level}`)).toEqual(['internal:soon']);
    expect((await call(engine, 'comms.room', { incidentId: incident.id })).cadence[0]).toMatchObject({ level: 'soon', minutesLeft: 4 });
    clock += 5 * 60_000; // internal: 1 minute overdue
    engine.checkUpdateClocks();
    expect(dues.map((d) => `${d.audience}:${d.level}`)).toEqual(['internal:soon', 'internal:overdue']);
    expect(dues[1]).toMatchObject({ incidentId: incident.id, incidentTitle: incident.title, dueAt: incident.declaredAt + 15 * 60_000 });
    // Publishing starts a new clock: nothing more is said until that one nears.
    const draft = await call(engine, 'comms.start', { incidentId: incident.id, audience: 'internal' });
    await call(engine, 'comms.save', {
      incidentId: incident.id,
      updateId: draft.id,
      values: { impact: 'Checkout down', status: 'Failing over', actions: 'Promoting the replica' },
    });
    await call(engine, 'comms.publish', { incidentId: incident.id, updateId: draft.id });
    engine.checkUpdateClocks();
    expect(dues).toHaveLength(2);
    expect((await call(engine, 'comms.room', { incidentId: incident.id })).cadence[0]).toMatchObject({ level: 'ok', lastPublishedAt: clock });
    // A resolved incident has no clocks.
    await call(engine, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
    expect((await call(engine, 'comms.room', { incidentId: incident.id })).cadence).toEqual([]);
  });
});

describe('the outbox', () => {
  const http = httpReceiver();
  const smtp = smtpReceiver();
  let httpPort = 0;
  let smtpPort = 0;
  beforeAll(async () => {
    httpPort = await http.listen();
    smtpPort = await smtp.listen();
  });
  afterAll(async () => {
    await http.close();
    await smtp.close();
  });
  afterEach(() => {
    http.received.length = 0;
    http.routes.clear();
    smtp.mails.length = 0;
  });

  async function publishInternal(engine: Engine, channelIds: string[], declared?: { id: string }) {
    const incident = declared ?? (await declare(engine));
    const published = await publishInternalUpdate(engine, incident, channelIds);
    return { incident, published };
  }

  const deliveriesOf = async (engine: Engine, incidentId: string) => (await call(engine, 'comms.room', { incidentId })).published[0].deliveries;

  it('delivers to a webhook and by e-mail, once each, and records it', async () => {
    http.routes.set('POST /hook', (_req, res) => res.writeHead(200).end('ok'));
    const engine = engineAs('maya');
    const hook = await call(engine, 'comms.saveChannel', {
      name: 'Responders hook',
      audiences: ['internal'],
      config: { kind: 'webhook', url: `http://127.0.0.1:${httpPort}/hook` },
    });
    const mail = await call(engine, 'comms.saveChannel', {
      name: 'Responders list',
      audiences: ['internal'],
      config: { kind: 'email', host: '127.0.0.1', port: smtpPort, secure: false, from: 'holdfast@example.com', to: ['responders@example.com'] },
    });
    const { incident, published } = await publishInternal(engine, [hook.id, mail.id]);
    expect(published.deliveries.map((d) => d.state)).toEqual(['queued', 'queued']);
    await eventually(async () =>
      expect((await deliveriesOf(engine, incident.id)).map((d) => [d.channelName, d.state, d.attempts])).toEqual([
        ['Responders hook', 'delivered', 1],
        ['Responders list', 'delivered', 1],
      ]),
    );
    expect(http.received).toHaveLength(1);
    expect(http.received[0].headers['idempotency-key']).toBe(`${published.updateId}:webhook`);
    expect(JSON.parse(http.received[0].body)).toMatchObject({ updateId: published.updateId, incidentId: incident.id, audience: 'internal' });
    expect(smtp.mails).toHaveLength(1);
    expect(smtp.mails[0].to).toEqual(['responders@example.com']);
    // Nothing is sent again on later passes.
    for (let i = 0; i < 3; i += 1) await engine.runOutboxPass();
    expect(http.received).toHaveLength(1);
    expect(smtp.mails).toHaveLength(1);
  });

  it('retries a receiver that is down until it comes back, across a restart', async () => {
    const dataDir = tempDir();
    const first = engineAs('maya', { dataDir });
    let isUp = false;
    http.routes.set('POST /flaky', (_req, res) => (isUp ? res.writeHead(200).end('ok') : res.writeHead(503).end('down for maintenance')));
    const hook = await call(first, 'comms.saveChannel', {
      name: 'Flaky hook',
      audiences: ['internal'],
      config: { kind: 'webhook', url: `http://127.0.0.1:${httpPort}/flaky` },
    });
    const { incident } = await publishInternal(first, [hook.id]);
    await eventually(async () => {
      const [delivery] = await deliveriesOf(first, incident.id);
      expect(delivery.state).toBe('retrying');
      expect(delivery.attempts).toBeGreaterThanOrEqual(2);
      expect(delivery.lastError).toMatch(/503/);
    });
    await first.close();
    const tries = http.received.length;
    isUp = true;
    const second = engineAs('maya', { dataDir });
    await eventually(async () => expect((await deliveriesOf(second, incident.id))[0]).toMatchObject({ state: 'delivered', lastError: '' }));
    expect(http.received.length).toBe(tries + 1);
    expect(http.received.filter((r) => r.headers['idempotency-key'] !== http.received[0].headers['idempotency-key'])).toEqual([]);
  });

  it('fails a delivery the receiver refuses, says so on the timeline, and retries it when asked', async () => {
    let status = 400;
    http.routes.set('POST /strict', (_req, res) => res.writeHead(status).end('bad payload'));
    const engine = engineAs('maya');
    const hook = await call(engine, 'comms.saveChannel', {
      name: 'Strict hook',
      audiences: ['internal'],
      config: { kind: 'webhook', url: `http://127.0.0.1:${httpPort}/strict` },
    });
    const { incident, published } = await publishInternal(engine, [hook.id]);
    await eventually(async () => expect((await deliveriesOf(engine, incident.id))[0]).toMatchObject({ state: 'failed', attempts: 1 }));
    expect((await systemTexts(engine, incident.id)).at(-1)).toMatch(/could not be delivered to Strict hook: .*400/);
    const premature = await refusal(() => call(engine, 'comms.retry', { incidentId: incident.id, updateId: 'nope', channelId: hook.id }));
    expect(premature.code).toBe('not_found');
    status = 200;
    await call(engine, 'comms.retry', { incidentId: incident.id, updateId: published.updateId, channelId: hook.id });
    await eventually(async () => expect((await deliveriesOf(engine, incident.id))[0]).toMatchObject({ state: 'delivered', attempts: 2 }));
    expect(http.received).toHaveLength(2);
  });

  it('sends once when a war-room hub coordinates laptops with no service above it', async () => {
    let requests = 0;
    http.routes.set('POST /room', (_req, res) => {
      requests += 1;
      setTimeout(() => res.writeHead(200).end('ok'), 100);
    });
    const host = engineAs('ravi', { syncPollMs: 100 });
    const laptop = engineAs('maya', { syncPollMs: 100 });
    // Both laptops connected to the service once (certified as commanders), then went off on their own.
    const service = await startCentral('sqlite');
    try {
      for (const [engine, name] of [
        [host, 'ravi'],
        [laptop, 'maya'],
      ] as const) {
        await call(engine, 'sync.connect', { url: service.url, token: await service.token(name, 'commander') });
        await call(engine, 'sync.disconnect', { peerId: 'central' });
      }
    } finally {
      await service.close();
    }
    // Channels never travel through a hub: each laptop that sends has its own copy.
    for (const engine of [host, laptop])
      await call(engine, 'comms.saveChannel', { name: 'Room hook', audiences: ['internal'], config: { kind: 'webhook', url: `http://127.0.0.1:${httpPort}/room` } });
    const room = await call(host, 'hub.start', { port: 0 });
    await call(laptop, 'sync.join', { link: room.links!.find((l) => l.startsWith('https://127.0.0.1:'))! });
    expect((await call(laptop, 'comms.room', { incidentId: (await declare(laptop)).id })).outbox.coordinator).toMatch(/^the war-room hub \(https:\/\/127\.0\.0\.1:/);
    const { incident, published } = await publishInternal(laptop, ['room-hook']);
    await eventually(async () => {
      await call(laptop, 'sync.now', {});
      expect((await deliveriesOf(host, incident.id))[0]?.state).toBe('delivered');
      expect((await deliveriesOf(laptop, incident.id))[0].state).toBe('delivered');
    });
    // Later passes on both laptops, after another exchange, send nothing more.
    await call(laptop, 'sync.now', {});
    for (let i = 0; i < 3; i += 1) await Promise.all([host.runOutboxPass(), laptop.runOutboxPass()]);
    expect(requests).toBe(1);
    expect(http.received.map((r) => r.headers['idempotency-key'])).toEqual([`${published.updateId}:webhook`]);
    // Each laptop's comms stream holds its own channel op and the record that it holds the secret, nothing of the other's.
    for (const engine of [laptop, host]) {
      expect(engine.db.prepare("SELECT entity FROM ops WHERE stream_id = 'comms' ORDER BY entity").pluck().all()).toEqual(['comms_channel', 'comms_channel_holder']);
      expect(engine.db.prepare("SELECT count(*) FROM ops WHERE stream_id = 'comms' AND device_id != ?").pluck().get(engine.replica.deviceId)).toBe(0);
    }
    await call(host, 'hub.stop', {});
  });

  it('leaves a delivery alone for a while when another replica holds it, instead of asking again and again', async () => {
    const engine = engineAs('maya', { outbox: { ...fastOutbox, intervalMs: 20 } });
    const hook = await call(engine, 'comms.saveChannel', {
      name: 'Held hook',
      audiences: ['internal'],
      config: { kind: 'webhook', url: `http://127.0.0.1:${httpPort}/held` },
    });
    const incident = await declare(engine);
    const draft = await call(engine, 'comms.start', { incidentId: incident.id, audience: 'internal' });
    await call(engine, 'comms.save', {
      incidentId: incident.id,
      updateId: draft.id,
      channelIds: [hook.id],
      values: { impact: 'Checkout down', status: 'Failing over', actions: 'Promoting the replica' },
    });
    // Another replica holds the delivery for the next hour, so it stays queued and due here.
    engine.db
      .prepare(`INSERT INTO delivery_claims (key, holder, lease_until, state, previous_holder, updated_at) VALUES (?, 'another-device', ?, 'held', NULL, ?)`)
      .run(`${incident.id}/${draft.id}/${hook.id}`, Date.now() + 3_600_000, Date.now());
    await call(engine, 'comms.publish', { incidentId: incident.id, updateId: draft.id });
    // A second outbox over the same replica whose coordinator never grants: another replica holds it.
    let claims = 0;
    const held = createOutbox({
      db: engine.db,
      replica: engine.replica,
      comms: createCommsStore(engine.db, channelSecrets(fileSecretStore((await call(engine, 'app.info', {})).dataDir))),
      incidents: createIncidentStore(engine.db),
      now: Date.now,
      intervalMs: 3_600_000,
      coordinator: () => ({
        label: 'a coordinator that never grants',
        coordinator: {
          claim: async () => {
            claims += 1;
            return { granted: false, holder: 'other', leaseUntil: Date.now() + 60_000, isDone: false, previousHolder: null };
          },
          settle: async () => ({ ok: true }),
        },
      }),
    });
    try {
      for (let i = 0; i < 10; i += 1) await held.runOnce();
      // Ten passes while the row is due all along: it is asked for once, then left alone.
      expect(claims).toBe(1);
      expect((await deliveriesOf(engine, incident.id))[0].state).toBe('queued');
      expect(http.received).toHaveLength(0);
    } finally {
      await held.close();
    }
  });

  describe('with two replicas online behind the central service', () => {
    let central: Central;
    beforeAll(async () => {
      central = await startCentral('sqlite');
    });
    afterAll(() => central.close());

    it('sends each update to each channel exactly once', async () => {
      let requests = 0;
      http.routes.set('POST /once', (_req, res) => {
        requests += 1;
        // Slow enough that both replicas are working on the same deliveries at the same time.
        setTimeout(() => res.writeHead(200).end('ok'), 150);
      });
      http.routes.set('POST /twice', (_req, res) => setTimeout(() => res.writeHead(200).end('ok'), 150));
      const maya = engineAs('maya', { syncPollMs: 100 });
      const ravi = engineAs('ravi', { syncPollMs: 100 });
      await call(maya, 'sync.connect', { url: central.url, token: await central.token('maya', 'comms') });
      await call(ravi, 'sync.connect', { url: central.url, token: await central.token('ravi', 'commander') });
      const a = await call(maya, 'comms.saveChannel', { name: 'Hook A', audiences: ['internal'], config: { kind: 'webhook', url: `http://127.0.0.1:${httpPort}/once` } });
      const b = await call(maya, 'comms.saveChannel', {
        name: 'Hook B',
        audiences: ['internal'],
        config: { kind: 'webhook', url: `http://127.0.0.1:${httpPort}/twice` },
      });
      const incident = await declare(ravi);
      await settle([maya, ravi]);
      expect((await call(ravi, 'comms.channels', {})).map((c) => c.name)).toEqual(['Hook A', 'Hook B']);
      // Ten updates, published while both replicas are online with both channels' secrets.
      const ids: string[] = [];
      for (let i = 0; i < 10; i += 1) {
        const author = i % 2 === 0 ? maya : ravi;
        const draft = await call(author, 'comms.start', { incidentId: incident.id, audience: 'internal' });
        await call(author, 'comms.save', {
          incidentId: incident.id,
          updateId: draft.id,
          channelIds: [a.id, b.id],
          values: { impact: `Impact ${i}`, status: 'Working', actions: 'Acting' },
        });
        ids.push((await call(author, 'comms.publish', { incidentId: incident.id, updateId: draft.id })).updateId);
        await settle([maya, ravi]);
      }
      await eventually(async () => {
        await settle([maya, ravi]);
        for (const engine of [maya, ravi]) {
          const states = (await call(engine, 'comms.room', { incidentId: incident.id })).published.flatMap((p) => p.deliveries.map((d) => d.state));
          expect(states).toEqual(new Array(20).fill('delivered'));
        }
      }, 30_000);
      const keys = http.received.map((r) => `${r.path} ${String(r.headers['idempotency-key'])}`);
      expect(keys).toHaveLength(20);
      expect(new Set(keys).size).toBe(20);
      expect(requests).toBe(10);
      expect(new Set(http.received.map((r) => String(r.headers['idempotency-key'])))).toEqual(new Set(ids.map((id) => `${id}:webhook`)));
    });

    it('takes the decision of a named approver who is a responder, and not one signed for someone else', async () => {
      // A responder never receives the delivery channels, so its replica differs from the others in
      // that stream: the three sync in rounds rather than until their digests agree.
      const syncRounds = async (...engines: Engine[]) => {
        for (let round = 0; round < 3; round += 1) for (const engine of engines) await call(engine, 'sync.now', {});
      };
      const ravi = engineAs('ravi2', { syncPollMs: 100 });
      const maya = engineAs('maya3', { syncPollMs: 100 });
      const lee = engineAs('lee', { syncPollMs: 100 });
      await call(ravi, 'sync.connect', { url: central.url, token: await central.token('ravi2', 'commander') });
      const mayaToken = await central.token('maya3', 'comms');
      await call(maya, 'sync.connect', { url: central.url, token: mayaToken });
      await call(lee, 'sync.connect', { url: central.url, token: await central.token('lee', 'responder') });
      await call(ravi, 'comms.saveSettings', { namedApprovers: ['lee'] });
      const incident = await declare(ravi);
      await syncRounds(ravi, maya, lee);
      const draft = await call(maya, 'comms.start', { incidentId: incident.id, audience: 'customers' });
      await call(maya, 'comms.save', { incidentId: incident.id, updateId: draft.id, values: customerValues });
      await call(maya, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id, approver: 'lee' });
      await syncRounds(ravi, maya, lee);
      const seen = (await call(lee, 'comms.room', { incidentId: incident.id })).drafts[0];
      await call(lee, 'comms.decide', { incidentId: incident.id, updateId: draft.id, decision: 'approve', digest: seen.digest });
      await syncRounds(ravi, maya, lee);
      expect((await call(lee, 'sync.status', {})).peers[0].refused).toBe(0);
      expect((await call(maya, 'comms.room', { incidentId: incident.id })).drafts[0]).toMatchObject({ state: 'approved', isApproved: true, decidedBy: 'lee' });
      const published = await call(maya, 'comms.publish', { incidentId: incident.id, updateId: draft.id });
      expect(published.approvedBy).toBe('lee');
      // A comms lead cannot write an approval in someone else's name: her own replica refuses it
      // before writing anything.
      const decision = { incidentId: incident.id, state: 'approved', decidedBy: 'ravi2', decidedAt: Date.now(), decisionComment: '', approvedDigest: seen.digest };
      const reason = 'a decision on an update must be written by the person who decides (decidedBy ravi2, written by maya3)';
      const before = stateOf(maya);
      expect(() => maya.replica.commitLocal([{ entity: 'comms_update', rowId: `${incident.id}/${draft.id}`, fields: decision }])).toThrow(reason);
      expect(stateOf(maya)).toEqual(before);
      // Pushed anyway from a laptop certified for her, the service keeps it refused with the same
      // reason, and no replica takes it as a decision.
      const laptop = await certifyAt(central.url, mayaToken, 'maya3');
      const forged = forgeOp(laptop, { entity: 'comms_update', rowId: `${incident.id}/${draft.id}`, fields: decision }, Date.now());
      expect((await pushTo(central.url, mayaToken, [forged])).results).toEqual([{ opId: forged.opId, status: 'refused', reason }]);
      await syncRounds(ravi, maya, lee);
      for (const engine of [ravi, maya, lee]) {
        expect(engine.replica.opLog.refused().map((op) => op.opId)).toContain(forged.opId);
        expect((await call(engine, 'comms.room', { incidentId: incident.id })).published[0]).toMatchObject({ approvedBy: 'lee' });
      }
    });

    it('keeps delivery channels from viewers and responders, and waits while the service is down', async () => {
      const maya = engineAs('mia', { syncPollMs: 100 });
      const val = engineAs('val', { syncPollMs: 100 });
      const cora = engineAs('cora', { syncPollMs: 100 });
      await call(maya, 'sync.connect', { url: central.url, token: await central.token('mia', 'comms') });
      await call(val, 'sync.connect', { url: central.url, token: await central.token('val', 'viewer') });
      // A comms lead does not declare incidents: the commander does, and the comms lead hears of it.
      await call(cora, 'sync.connect', { url: central.url, token: await central.token('cora', 'commander') });
      const declared = await declare(cora);
      await settle([cora, maya]);
      const secret = await call(maya, 'comms.saveChannel', {
        name: 'Secret hook',
        audiences: ['internal'],
        config: { kind: 'webhook', url: `http://127.0.0.1:${httpPort}/secret/T0KEN` },
      });
      await call(maya, 'sync.now', {});
      await call(val, 'sync.now', {});
      expect(await call(val, 'comms.channels', {})).toEqual([]);
      expect(val.db.prepare('SELECT count(*) FROM ops WHERE stream_id = ?').pluck().get('comms')).toBe(0);

      http.routes.set('POST /secret/T0KEN', (_req, res) => res.writeHead(200).end('ok'));
      await central.stop();
      const { incident } = await publishInternal(maya, [secret.id], declared);
      await eventually(async () => expect((await call(maya, 'comms.room', { incidentId: incident.id })).outbox.waiting).toMatch(/Deliveries wait: the central service/));
      expect((await deliveriesOf(maya, incident.id))[0].state).toBe('queued');
      expect(http.received).toHaveLength(0);
      await central.restart();
      await eventually(async () => expect((await deliveriesOf(maya, incident.id))[0]).toMatchObject({ state: 'delivered', lastError: '' }));
      expect(http.received).toHaveLength(1);
    });
  });
});
