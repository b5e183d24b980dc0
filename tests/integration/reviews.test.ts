// After the incident, on real engines: the review generated from the record and edited, action
// items across incidents, metrics through the engine (corrections and drills included), legal holds
// and the retention rules that decide what may be purged.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { call, exchange, openTestEngine, refusal, stateOf, systemTexts } from '../support/engines';
import { certifyAt, purgeOp } from '../support/ops';
import { pushTo, startCentral } from '../support/sync';
import { forgeOp } from '../support/trust';

const hour = 3_600_000;
const day = 24 * hour;

function engineAt(start: number, name = 'alice') {
  let clock = start;
  const engine = openTestEngine({ now: () => clock });
  engine.replica.setActor(name);
  return { engine, advance: (ms: number) => (clock += ms), now: () => clock };
}

async function resolvedIncident(engine: Engine, advance: (ms: number) => number, title = 'Orders database primary not accepting writes') {
  const incident = await call(engine, 'incidents.create', {
    title,
    severity: 'SEV1',
    services: ['orders-db', 'checkout'],
    summary: 'Writes to the orders database failed for 42 minutes.',
  });
  advance(5 * 60_000);
  await call(engine, 'incidents.setStatus', { id: incident.id, status: 'mitigated' });
  advance(30 * 60_000);
  await call(engine, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
  return incident;
}

describe('the post-incident review', () => {
  it('is generated from the record once, edited, and flagged when late', async () => {
    const start = Date.UTC(2026, 10, 2, 9, 0);
    const { engine, advance } = engineAt(start);
    const incident = await resolvedIncident(engine, advance, 'Orders <db> down');
    const entry = await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'decision', text: 'Fail over to the standby #now' });
    await call(engine, 'timeline.pin', { entryId: entry.id, isPinned: true });
    await call(engine, 'actions.add', { incidentId: incident.id, title: 'Alert on replication lag', type: 'detect', ownerId: 'bob', dueAt: start + 14 * day });
    expect((await call(engine, 'reviews.get', { incidentId: incident.id })).review).toBeNull();

    const review = await call(engine, 'reviews.generate', { incidentId: incident.id });
    expect(review).toMatchObject({ state: 'draft', factors: [], dueAt: start + 35 * 60_000 + 48 * hour, isLate: false, updatedBy: 'alice' });
    expect(review.body).toContain('# Post-incident review: Orders \\<db\\> down');
    expect(review.body).toContain('Writes to the orders database failed for 42 minutes.');
    expect(review.body).toContain('| Resolved | 2026-11-02 09:35 UTC |');
    expect(review.body).toContain('**Time to resolve:** 35 min');
    expect(review.body).toContain('Fail over to the standby \\#now (alice)');
    expect(review.body).toContain('- Incident commander: alice');
    expect(review.body).toContain('P2 Detect sooner: Alert on replication lag (bob)');
    for (const heading of ['## What happened', '## Contributing factors', '## What went well', '## Where we got lucky']) expect(review.body).toContain(heading);

    const before = stateOf(engine);
    const again = await refusal(() => call(engine, 'reviews.generate', { incidentId: incident.id }));
    expect(again.message).toMatch(/has a review already/);
    expect(() => call(engine, 'reviews.save', { incidentId: incident.id, factors: ['blame' as never] })).toThrow(/must be one of change-management/);
    expect(stateOf(engine)).toEqual(before);

    const saved = await call(engine, 'reviews.save', {
      incidentId: incident.id,
      body: `${review.body}\nThe failover runbook was out of date.`,
      factors: ['runbook-gap', 'change-management', 'runbook-gap'],
      state: 'in-review',
    });
    expect(saved.factors).toEqual(['change-management', 'runbook-gap']);
    expect(saved.state).toBe('in-review');
    advance(49 * hour);
    expect((await call(engine, 'reviews.get', { incidentId: incident.id })).review).toMatchObject({ isLate: true });
    expect((await call(engine, 'reviews.list', {}))[0]).toMatchObject({ incidentId: incident.id, state: 'in-review', isLate: true, openActions: 1 });
    const published = await call(engine, 'reviews.save', { incidentId: incident.id, state: 'published' });
    expect(published).toMatchObject({ state: 'published', isLate: false });
    const locked = await refusal(() => call(engine, 'reviews.save', { incidentId: incident.id, body: 'rewritten' }));
    expect(locked.message).toMatch(/published; move it back to in review/);
    expect((await systemTexts(engine, incident.id)).filter((t) => /review/.test(t))).toEqual([
      'alice started the post-incident review.',
      'alice sent the post-incident review for review.',
      'alice published the post-incident review.',
    ]);
  });
});

describe('two people generating the review while apart', () => {
  it("never lose what someone wrote to the other one's fresh draft", async () => {
    const start = Date.UTC(2026, 10, 2, 9, 0);
    const { engine: alice, advance, now } = engineAt(start);
    const bob = openTestEngine({ now });
    bob.replica.setActor('bob');
    const incident = await resolvedIncident(alice, advance);
    exchange(alice, bob);
    const draft = await call(alice, 'reviews.generate', { incidentId: incident.id });
    await call(alice, 'reviews.save', { incidentId: incident.id, body: `${draft.body}\nAlice's account of the failover.` });
    advance(60_000);
    await call(bob, 'reviews.generate', { incidentId: incident.id }); // later clock, never saw Alice's
    exchange(alice, bob);
    for (const engine of [alice, bob])
      expect((await call(engine, 'reviews.get', { incidentId: incident.id })).review?.body).toContain("Alice's account of the failover.");
    expect(alice.replica.digest()).toBe(bob.replica.digest());
  });
});

describe('action items', () => {
  it('are tracked across incidents, overdue ones flagged, and merge between replicas', async () => {
    const start = Date.UTC(2026, 10, 2, 9, 0);
    const { engine: alice, advance, now } = engineAt(start);
    // Bob's laptop keeps the same time: replicas refuse ops from a clock far ahead of theirs.
    const bob = openTestEngine({ now });
    bob.replica.setActor('bob');
    const first = await resolvedIncident(alice, advance, 'Checkout down');
    const second = await resolvedIncident(alice, advance, 'Search slow');
    const a = await call(alice, 'actions.add', {
      incidentId: first.id,
      title: 'Add a canary for checkout',
      type: 'detect',
      priority: 'P1',
      ownerId: 'bob',
      dueAt: start + 7 * day,
    });
    await call(alice, 'actions.add', { incidentId: second.id, title: 'Shard the search index', type: 'prevent', ownerId: 'carol', dueAt: start + 30 * day });
    await call(alice, 'actions.add', { incidentId: second.id, title: 'Write the search runbook', type: 'mitigate', priority: 'P3' });
    expect(() => call(alice, 'actions.add', { incidentId: first.id, title: 'x', type: 'detect' })).toThrow(/say what will be done/);
    expect(() => call(alice, 'actions.add', { incidentId: first.id, title: 'Fix it', type: 'repair' as never })).toThrow(/must be one of detect, mitigate, prevent/);
    exchange(alice, bob);
    advance(20 * day);
    const all = await call(bob, 'actions.list', {});
    expect(all.map((i) => [i.title, i.incidentTitle, i.isOverdue])).toEqual([
      ['Add a canary for checkout', 'Checkout down', true],
      ['Shard the search index', 'Search slow', false],
      ['Write the search runbook', 'Search slow', false],
    ]);
    expect((await call(bob, 'actions.list', { isOverdueOnly: true })).map((i) => i.title)).toEqual(['Add a canary for checkout']);
    expect((await call(bob, 'actions.list', { ownerId: 'carol' })).map((i) => i.title)).toEqual(['Shard the search index']);
    await call(bob, 'actions.update', { id: a.id, status: 'done' });
    await call(alice, 'actions.update', { id: a.id, note: 'Canary runs every minute' });
    exchange(alice, bob);
    expect((await call(alice, 'actions.list', { incidentId: first.id }))[0]).toMatchObject({ status: 'done', note: 'Canary runs every minute', isOverdue: false });
    expect(alice.replica.digest()).toBe(bob.replica.digest());
    expect((await systemTexts(alice, first.id)).at(-1)).toBe('bob marked action item "Add a canary for checkout" done.');
  });
});

describe('metrics through the engine', () => {
  it('reads milestones as corrected and leaves drills out', async () => {
    const start = Date.UTC(2026, 9, 5, 10, 0);
    const { engine, advance } = engineAt(start);
    const real = await resolvedIncident(engine, advance, 'Payments failing');
    await call(engine, 'incidents.create', { title: 'Game day: region failover', severity: 'SEV1', isDrill: true });
    let report = await call(engine, 'metrics.report', { from: Date.UTC(2026, 9, 1), to: Date.UTC(2026, 10, 1) });
    expect(report.drillsExcluded).toBe(1);
    expect(report.overall.metrics.resolve).toMatchObject({ count: 1, mean: 35 * 60_000 });
    // The impact began 25 minutes before anyone noticed: recorded afterwards, and the metrics follow.
    await call(engine, 'incidents.correctMilestone', { id: real.id, milestone: 'started', at: start - 25 * 60_000, reason: 'Error rate graph shows the start' });
    report = await call(engine, 'metrics.report', { from: Date.UTC(2026, 9, 1), to: Date.UTC(2026, 10, 1) });
    expect(report.overall.metrics.detect).toMatchObject({ count: 1, mean: 25 * 60_000 });
    expect(report.overall.metrics.resolve).toMatchObject({ count: 1, mean: 60 * 60_000 });
    expect(() => call(engine, 'metrics.report', { from: 10, to: 5 })).toThrow(/must be after from/);
  });
});

describe('legal hold and retention', () => {
  it('purges only closed incidents past retention and never one under a legal hold', async () => {
    const start = Date.UTC(2026, 0, 5, 10, 0);
    const { engine, advance } = engineAt(start);
    const old = await resolvedIncident(engine, advance, 'Old outage');
    await call(engine, 'incidents.setStatus', { id: old.id, status: 'closed' });
    const held = await resolvedIncident(engine, advance, 'Breach under investigation');
    await call(engine, 'incidents.setStatus', { id: held.id, status: 'closed' });
    await call(engine, 'incidents.setLegalHold', { incidentId: held.id, isHeld: true, reason: 'Litigation hold from legal, case 2026-17' });
    const open = await call(engine, 'incidents.create', { title: 'Still burning', severity: 'SEV3' });
    // Declared by mistake and deleted (a tombstone): its record is kept until retention lets it go.
    const mistake = await call(engine, 'incidents.create', { title: 'Declared by mistake', severity: 'SEV4' });
    engine.replica.commitLocal([{ entity: 'incident', rowId: mistake.id, fields: { deleted: true } }]);
    expect((await call(engine, 'retention.get', {})).setting.keepDays).toBeNull();
    const unset = await refusal(() => call(engine, 'retention.purge', { incidentIds: [old.id], reason: 'Policy' }));
    expect(unset.message).toMatch(/No retention period is set/);
    expect(() => call(engine, 'retention.set', { keepDays: 7 })).toThrow(/at least 30 days/);
    await call(engine, 'retention.set', { keepDays: 90 });
    expect((await call(engine, 'retention.get', {})).candidates).toEqual([]);
    advance(91 * day);
    const view = await call(engine, 'retention.get', {});
    expect(view.candidates.map((c) => c.title)).toEqual(['Old outage', 'Declared by mistake']);
    expect(view.held.map((c) => c.title)).toEqual(['Breach under investigation']);

    const before = stateOf(engine);
    const refused = await refusal(() => call(engine, 'retention.purge', { incidentIds: [old.id, held.id, open.id], reason: 'Retention policy' }));
    expect(refused.message).toBe(
      'Nothing was purged: "Breach under investigation" is under a legal hold (Litigation hold from legal, case 2026-17); lift the hold first; "Still burning" is investigating, not closed.',
    );
    expect(stateOf(engine)).toEqual(before);
    const after = await call(engine, 'retention.purge', { incidentIds: [old.id, mistake.id], reason: 'Retention policy: 90 days' });
    expect(after.purged.map((p) => [p.title, p.severity, p.reason, p.purgedBy]).sort()).toEqual([
      ['Declared by mistake', 'SEV4', 'Retention policy: 90 days', 'alice'],
      ['Old outage', 'SEV1', 'Retention policy: 90 days', 'alice'],
    ]);
    expect(after.candidates).toEqual([]);
    expect(engine.db.prepare('SELECT count(*) FROM incidents WHERE id IN (?, ?)').pluck().get(old.id, mistake.id)).toBe(0);
    const lifted = await call(engine, 'incidents.setLegalHold', { incidentId: held.id, isHeld: false, reason: 'Case settled' });
    expect(lifted.isLegalHold).toBe(false);
    expect((await systemTexts(engine, held.id)).slice(-2)).toEqual([
      'alice placed the incident under a legal hold: Litigation hold from legal, case 2026-17',
      'alice lifted the legal hold: Case settled',
    ]);
  });
});

describe('who may purge or hold', () => {
  it('refuses a purge, a legal hold or a freeze from someone the central service knows as a responder', async () => {
    const central = await startCentral('sqlite');
    try {
      const engine = openTestEngine();
      const token = await central.token('rita', 'responder');
      await call(engine, 'sync.connect', { url: central.url, token });
      await call(engine, 'sync.now', {});
      expect(await call(engine, 'trust.status', {})).toMatchObject({ mode: 'certified', user: 'rita', role: 'responder' });
      const incident = await call(engine, 'incidents.create', { title: 'Queue backlog', severity: 'SEV3' });
      await call(engine, 'sync.now', {});
      const before = stateOf(engine);
      // Rita's own replica judges each write by her certificate before writing anything.
      const hold = await refusal(() => call(engine, 'incidents.setLegalHold', { incidentId: incident.id, isHeld: true, reason: 'Audit request' }));
      expect(hold).toMatchObject({ code: 'forbidden', message: 'responders may not change isLegalHold, legalHoldReason of an incident; ask the incident commander' });
      const purge = await refusal(() => call(engine, 'retention.purge', { incidentIds: [incident.id], reason: 'Policy' }));
      // Nothing to purge yet (no retention period), and a purge record written straight to the
      // replica is refused by its judge: responders may not purge.
      expect(purge.code).toBe('conflict');
      const purgeDraft = { incidentId: incident.id, title: 'Queue backlog', severity: 'SEV3', closedAt: Date.now(), reason: 'Policy', purgedAt: Date.now() };
      expect(() => engine.replica.commitLocal([{ entity: 'purge_record', rowId: '', fields: purgeDraft }])).toThrow('only commanders and admins may change org');
      // Seated as incident commander by declaring, but a freeze takes a commander's certificate:
      // refused here rather than shown and then refused everywhere else.
      const freeze = await refusal(() => call(engine, 'freeze.declare', { incidentId: incident.id, scope: 'queue', reason: 'Draining the backlog', until: null }));
      expect(freeze.code).toBe('forbidden');
      expect(freeze.message).toBe('responders cannot write freeze');
      expect(stateOf(engine)).toEqual(before);

      // A hostile laptop certified for Rita pushes the legal hold anyway: the service stores it
      // refused with the same reason, and no replica shows the incident held.
      const laptop = await certifyAt(central.url, token, 'rita');
      const forged = forgeOp(laptop, { entity: 'incident', rowId: incident.id, fields: { isLegalHold: true, legalHoldReason: 'Audit request' } }, Date.now());
      expect((await pushTo(central.url, token, [forged])).results).toEqual([expect.objectContaining({ opId: forged.opId, status: 'refused' })]);
      const stored = (await central.store.readOps(`incident:${incident.id}`, 0, 1000)).find((op) => op.opId === forged.opId);
      expect(stored?.refusal).toBe(hold.message);
      const forgedPurge = purgeOp(incident.id, { device: laptop });
      const [purgeResult] = (await pushTo(central.url, token, [forgedPurge])).results;
      expect(purgeResult).toMatchObject({ opId: forgedPurge.opId, status: 'refused', reason: 'only commanders and admins may change org' });
      await call(engine, 'sync.now', {});
      expect((await call(engine, 'incidents.get', { id: incident.id })).isLegalHold).toBe(false);
      expect((await central.store.readOps(`incident:${incident.id}`, 0, 1000)).length).toBeGreaterThan(0);
    } finally {
      await central.close();
    }
  });
});
