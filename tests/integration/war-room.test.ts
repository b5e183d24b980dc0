// The war room through the engine's calls on real replicas: the lifecycle and its milestones, role
// handoffs between two people's laptops, freezes, tasks, and the timeline's corrections, pins,
// filters, positions and search. Every change carries its automatic timeline entry.
import { describe, expect, it } from 'vitest';
import { createDispatch } from '@shared/rpc';
import type { Engine } from '../../electron/engine/engine';
import { call, certifyEngine, exchange, openTestEngine, opsOf, refusal, stateOf, systemTexts } from '../support/engines';
import { testOrg } from '../support/trust';

let clock = 1_795_000_000_000;
const now = () => clock;

function person(name: string): Engine {
  const engine = openTestEngine({ now });
  engine.replica.setActor(name);
  return engine;
}

describe('incident lifecycle', () => {
  it('records milestones as the incident moves, and the timeline says who moved it', async () => {
    const ana = person('ana');
    clock += 1000;
    const detected = clock - 10 * 60_000;
    const incident = await call(ana, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', detectedAt: detected, services: ['checkout-api'], type: 'outage' });
    expect(incident.milestones).toEqual({ started: null, detected, acknowledged: clock, mitigated: null, resolved: null, closed: null });
    expect(incident).toMatchObject({ type: 'outage', services: ['checkout-api'], isDrill: false, status: 'investigating' });

    clock += 60_000;
    await call(ana, 'incidents.setStatus', { id: incident.id, status: 'mitigated' });
    clock += 60_000;
    const resolved = await call(ana, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
    expect(resolved.milestones).toMatchObject({ mitigated: clock - 60_000, resolved: clock });
    expect(await systemTexts(ana, incident.id)).toEqual([
      expect.stringMatching(/^ana declared SEV1 "Checkout down" affecting checkout-api; detected \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/),
      'ana took Incident commander',
      'ana moved status investigating → mitigated',
      'ana moved status mitigated → resolved',
    ]);
  });

  it('refuses an illegal move with a clear message and writes nothing', async () => {
    const ana = person('ana');
    const incident = await call(ana, 'incidents.create', { title: 'Search slow', severity: 'SEV3' });
    const before = ana.replica.opLog.count();
    const dispatch = createDispatch(ana.handlers);
    expect(await dispatch('incidents.setStatus', { id: incident.id, status: 'closed' })).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'Only a resolved incident can be closed; this one is investigating. Resolve it first.' },
    });
    expect(await dispatch('incidents.setStatus', { id: incident.id, status: 'done' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    await call(ana, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
    const afterResolve = ana.replica.opLog.count();
    expect(await dispatch('incidents.setStatus', { id: incident.id, status: 'investigating' })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('reopens the incident: give a reason') },
    });
    expect(ana.replica.opLog.count()).toBe(afterResolve);
    expect(afterResolve).toBe(before + 2);
    const reopened = await call(ana, 'incidents.setStatus', { id: incident.id, status: 'investigating', reason: 'errors are back' });
    expect(reopened.milestones).toMatchObject({ mitigated: null, resolved: null });
    expect((await systemTexts(ana, incident.id)).at(-1)).toBe('ana moved back status resolved → investigating: errors are back');
  });

  it('corrects a milestone time with a reason on the timeline, and refuses one out of order', async () => {
    const ana = person('ana');
    clock += 1000;
    const incident = await call(ana, 'incidents.create', { title: 'Queue backlog', severity: 'SEV2' });
    clock += 5 * 60_000;
    await call(ana, 'incidents.setStatus', { id: incident.id, status: 'mitigated' });
    const at = clock - 2 * 60_000;
    const corrected = await call(ana, 'incidents.correctMilestone', {
      id: incident.id,
      milestone: 'mitigated',
      at,
      reason: 'consumers caught up before the status change',
    });
    expect(corrected.milestones.mitigated).toBe(at);
    expect((await systemTexts(ana, incident.id)).at(-1)).toMatch(/^ana corrected mitigated time from .* UTC to .* UTC: consumers caught up before the status change$/);
    await expect(async () =>
      call(ana, 'incidents.correctMilestone', { id: incident.id, milestone: 'mitigated', at: incident.declaredAt - 1, reason: 'typo' }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: 'Mitigated cannot be before detected; correct that one first.',
    });
  });
});

describe('roles and handoffs', () => {
  it('hands command over only when the receiver accepts, on both laptops, with who and when', async () => {
    const ana = person('ana');
    const ben = person('ben');
    const incident = await call(ana, 'incidents.create', { title: 'DNS failing', severity: 'SEV1' });
    const seatId = `${incident.id}/commander`;
    await call(ana, 'roles.offer', { seatId, to: 'ben' });
    exchange(ana, ben);
    const offered = (await call(ben, 'incidents.room', { id: incident.id })).seats.find((s) => s.id === seatId);
    expect(offered).toMatchObject({ holderId: 'ana', offeredTo: 'ben', offeredBy: 'ana' });

    await expect(async () => call(ana, 'roles.answer', { seatId, isAccepted: true })).rejects.toMatchObject({
      message: 'Incident commander is offered to ben; only they can accept or decline.',
    });
    clock += 1000;
    await call(ben, 'roles.answer', { seatId, isAccepted: true });
    exchange(ana, ben);
    for (const engine of [ana, ben]) {
      expect((await call(engine, 'incidents.room', { id: incident.id })).seats.find((s) => s.id === seatId)).toMatchObject({
        holderId: 'ben',
        offeredTo: null,
        since: clock,
      });
    }
    const entries = (await call(ana, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 50, filter: { kinds: ['system'] } })).entries;
    expect(entries.slice(-2).map((e) => [e.authorId, e.text])).toEqual([
      ['ana', 'ana offered Incident commander to ben'],
      ['ben', 'ben accepted Incident commander from ana'],
    ]);
    expect(ana.replica.digest()).toBe(ben.replica.digest());
  });

  it('lets the commander reassign a held role only with a reason, and never silently', async () => {
    const ana = person('ana');
    const sam = person('sam');
    const incident = await call(ana, 'incidents.create', { title: 'Payments delayed', severity: 'SEV2' });
    await call(ana, 'roles.assign', { incidentId: incident.id, role: 'scribe', personId: 'sam' });
    exchange(ana, sam);
    await expect(async () => call(sam, 'roles.assign', { incidentId: incident.id, role: 'comms', personId: 'dev' })).rejects.toMatchObject({
      message: 'Only the incident commander (ana) or deputy assigns Comms lead; you can take it yourself.',
    });
    await expect(async () => call(ana, 'roles.assign', { incidentId: incident.id, role: 'scribe', personId: 'dev' })).rejects.toMatchObject({
      message: 'sam holds Scribe: reassigning it without their acceptance needs a reason.',
    });
    const seats = await call(ana, 'roles.assign', { incidentId: incident.id, role: 'scribe', personId: 'dev', reason: 'sam lost connectivity' });
    expect(seats.find((s) => s.role === 'scribe')?.holderId).toBe('dev');
    await call(ana, 'roles.addExpert', { incidentId: incident.id, personId: 'dmitri', label: 'Postgres' });
    expect((await systemTexts(ana, incident.id)).slice(-3)).toEqual([
      'ana assigned Scribe to sam',
      'ana reassigned Scribe from sam to dev: sam lost connectivity',
      'ana brought in dmitri as Subject-matter expert (Postgres)',
    ]);
    const expert = (await call(ana, 'incidents.room', { id: incident.id })).seats.find((s) => s.role === 'sme')!;
    await call(ana, 'roles.release', { seatId: expert.id, reason: 'database ruled out' });
    expect((await call(ana, 'incidents.room', { id: incident.id })).seats.find((s) => s.role === 'sme')?.holderId).toBeNull();
  });

  it('stamps the acknowledged time when the first commander takes an incident declared without one', async () => {
    const ana = person('ana');
    const incident = await call(ana, 'incidents.create', { title: 'Alert storm', severity: 'SEV3', isTakingCommand: false });
    expect(incident.milestones.acknowledged).toBeNull();
    clock += 90_000;
    await call(ana, 'roles.assign', { incidentId: incident.id, role: 'commander', personId: 'ana' });
    expect((await call(ana, 'incidents.get', { id: incident.id })).milestones.acknowledged).toBe(clock);
  });
});

describe('freezes and tasks', () => {
  it('freezes and lifts deployments on the record; only the commander or deputy may', async () => {
    const ana = person('ana');
    const sam = person('sam');
    const incident = await call(ana, 'incidents.create', { title: 'Bad release', severity: 'SEV1' });
    exchange(ana, sam);
    await expect(async () => call(sam, 'freeze.declare', { incidentId: incident.id, scope: 'all', reason: 'rolling back' })).rejects.toMatchObject({
      message: 'Only the incident commander (ana) or deputy can declare a deployment freeze.',
    });
    const [freeze] = await call(ana, 'freeze.declare', { incidentId: incident.id, scope: 'checkout-api', reason: 'rolling back 4512', until: clock + 3_600_000 });
    expect(freeze).toMatchObject({ scope: 'checkout-api', declaredBy: 'ana', liftedAt: null, until: clock + 3_600_000 });
    clock += 1000;
    const [lifted] = await call(ana, 'freeze.lift', { freezeId: freeze.id, reason: 'stable for 30 minutes' });
    expect(lifted).toMatchObject({ liftedAt: clock, liftedBy: 'ana', liftReason: 'stable for 30 minutes' });
    await expect(async () => call(ana, 'freeze.lift', { freezeId: freeze.id })).rejects.toMatchObject({ code: 'conflict' });
    expect((await systemTexts(ana, incident.id)).slice(-2)).toEqual([
      expect.stringMatching(/^ana froze deployments \(checkout-api\) until .* UTC: rolling back 4512$/),
      'ana lifted the deployment freeze (checkout-api): stable for 30 minutes',
    ]);
  });

  it("refuses what a certified responder's role cannot do before anything is written, even as the incident's commander", async () => {
    const rita = person('rita');
    const incident = await call(rita, 'incidents.create', { title: 'Bad release', severity: 'SEV2' }); // written before her first connect
    certifyEngine(rita, testOrg(), 'rita', 'responder', clock);
    const before = stateOf(rita);
    for (const [attempt, said] of [
      [() => call(rita, 'incidents.update', { id: incident.id, severity: 'SEV1' }), 'responders may not change severity'],
      [() => call(rita, 'freeze.declare', { incidentId: incident.id, scope: 'all', reason: 'rolling back' }), 'responder'],
      [() => call(rita, 'incidents.setLegalHold', { incidentId: incident.id, isHeld: true, reason: 'litigation' }), 'responder'],
    ] as const) {
      expect(await refusal(attempt)).toMatchObject({ code: 'forbidden', message: expect.stringContaining(said) });
    }
    expect(stateOf(rita)).toEqual(before);
    await call(rita, 'timeline.add', { incidentId: incident.id, kind: 'observation', text: 'Error rate back to 0.1%' });
    expect(rita.replica.opLog.count()).toBe(before.ops + 1);
  });

  it('tracks tasks with owner, due time and status, each change on the timeline', async () => {
    const ana = person('ana');
    const incident = await call(ana, 'incidents.create', { title: 'Disk full', severity: 'SEV2' });
    const task = await call(ana, 'tasks.create', { incidentId: incident.id, title: 'Expand volume on db-3', ownerId: 'dmitri' });
    expect(task).toMatchObject({ status: 'open', ownerId: 'dmitri', dueAt: null, createdBy: 'ana' });
    const done = await call(ana, 'tasks.update', { id: task.id, status: 'done' });
    expect(done.status).toBe('done');
    expect((await call(ana, 'incidents.room', { id: incident.id })).tasks).toEqual([done]);
    expect((await systemTexts(ana, incident.id)).slice(-2)).toEqual([
      'ana added task "Expand volume on db-3" for dmitri',
      'ana updated task "Expand volume on db-3": open → done',
    ]);
  });
});

describe('timeline', () => {
  async function withEntries() {
    const ana = person('ana');
    const incident = await call(ana, 'incidents.create', { title: 'API latency', severity: 'SEV2', isTakingCommand: false });
    const base = clock - 60 * 60_000;
    const entries = [];
    for (const [i, [kind, text]] of (
      [
        ['observation', 'p99 latency at 4 s on api-gateway'],
        ['decision', 'Scale out api-gateway to 12 pods'],
        ['action', 'Scaled out api-gateway'],
        ['note', 'Grafana dashboard link shared in the bridge'],
      ] as const
    ).entries()) {
      entries.push(await call(ana, 'timeline.add', { incidentId: incident.id, kind, text, eventAt: base + i * 60_000 }));
    }
    return { ana, incident, entries };
  }

  it('corrects an entry with a new one; the original stays and points to it', async () => {
    const { ana, incident, entries } = await withEntries();
    const original = entries[2];
    const correction = await call(ana, 'timeline.correct', { entryId: original.id, text: 'Scaled out api-gateway to 12 pods', eventAt: original.eventAt + 30_000 });
    expect(correction).toMatchObject({ corrects: original.id, kind: 'action', eventAt: original.eventAt + 30_000 });
    const window = await call(ana, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 50, filter: { kinds: ['action'] } });
    expect(window.entries.map((e) => [e.text, e.correctedBy])).toEqual([
      ['Scaled out api-gateway', [correction.id]],
      ['Scaled out api-gateway to 12 pods', []],
    ]);
    await expect(async () => call(ana, 'timeline.correct', { entryId: original.id, text: 'again' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('correct the newest version instead'),
    });
    const system = (await call(ana, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 1, filter: { kinds: ['system'] } })).entries[0];
    await expect(async () => call(ana, 'timeline.correct', { entryId: system.id, text: 'nothing happened' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(async () => call(ana, 'timeline.add', { incidentId: incident.id, text: 'from tomorrow', eventAt: clock + 86_400_000 })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it("reads windows by position in event-time order, filtered by kind, person and pin, and finds an entry's position", async () => {
    const { ana, incident, entries } = await withEntries();
    const all = await call(ana, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 2 });
    expect(all.total).toBe(5);
    const end = await call(ana, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 2, anchor: 'end' });
    expect(end).toMatchObject({ total: 5, offset: 3 });
    await call(ana, 'timeline.pin', { entryId: entries[1].id, isPinned: true });
    const pinned = await call(ana, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 10, filter: { isPinnedOnly: true } });
    expect(pinned.entries.map((e) => [e.text, e.isPinned])).toEqual([['Scale out api-gateway to 12 pods', true]]);
    expect((await call(ana, 'timeline.window', { incidentId: incident.id, offset: 0, limit: 10, filter: { authorId: 'nobody' } })).total).toBe(0);
    // The four entries happened an hour ago; the declaration's automatic entry (now) comes after them.
    expect(await call(ana, 'timeline.locate', { incidentId: incident.id, entryId: entries[3].id })).toEqual({ position: 3 });
    expect(await call(ana, 'timeline.locate', { incidentId: incident.id, entryId: entries[3].id, filter: { kinds: ['decision'] } })).toEqual({ position: null });
    expect(await call(ana, 'timeline.authors', { incidentId: incident.id })).toEqual(['ana']);
    const hits = await call(ana, 'search.query', { text: 'gateway', incidentId: incident.id });
    expect(hits.map((h) => h.rowId)).toEqual([entries[2].id, entries[1].id, entries[0].id]);
  });
});

describe('edits made apart', () => {
  it('never lets a stale offer move a role that changed hands meanwhile', async () => {
    const ana = person('ana');
    const sam = person('sam');
    const eve = person('eve');
    const incident = await call(ana, 'incidents.create', { title: 'Cache stampede', severity: 'SEV2' });
    await call(ana, 'roles.assign', { incidentId: incident.id, role: 'scribe', personId: 'sam' });
    exchange(ana, sam, eve);
    // Apart: sam offers the role to eve; a little later ana reassigns it to dev.
    clock += 1000;
    await call(sam, 'roles.offer', { seatId: `${incident.id}/scribe`, to: 'eve' });
    clock += 1000;
    await call(ana, 'roles.assign', { incidentId: incident.id, role: 'scribe', personId: 'dev', reason: 'sam went home' });
    exchange(ana, sam, eve);
    // The later change wins whole: dev holds the seat and no offer is left over.
    const seat = (await call(eve, 'incidents.room', { id: incident.id })).seats.find((s) => s.role === 'scribe');
    expect(seat).toMatchObject({ holderId: 'dev', offeredTo: null });
    await expect(async () => call(eve, 'roles.answer', { seatId: `${incident.id}/scribe`, isAccepted: true })).rejects.toMatchObject({ code: 'conflict' });
  });

  it('merges a close and a reopen made apart to one of them whole, milestones included', async () => {
    const ana = person('ana');
    const ben = person('ben');
    const incident = await call(ana, 'incidents.create', { title: 'TLS errors', severity: 'SEV2' });
    await call(ana, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
    exchange(ana, ben);
    clock += 1000;
    await call(ana, 'incidents.setStatus', { id: incident.id, status: 'closed' });
    clock += 1000;
    await call(ben, 'incidents.setStatus', { id: incident.id, status: 'investigating', reason: 'errors are back' });
    exchange(ana, ben);
    for (const engine of [ana, ben]) {
      const merged = await call(engine, 'incidents.get', { id: incident.id });
      expect(merged).toMatchObject({ status: 'investigating', milestones: { mitigated: null, resolved: null, closed: null } });
    }
    expect(ana.replica.digest()).toBe(ben.replica.digest());
  });

  it('refuses an op that would move a role seat into another incident', async () => {
    const ana = person('ana');
    const a = await call(ana, 'incidents.create', { title: 'Incident A', severity: 'SEV3' });
    const b = await call(ana, 'incidents.create', { title: 'Incident B', severity: 'SEV3' });
    const mallory = person('mallory');
    expect(() => mallory.replica.commitLocal([{ entity: 'incident_role', rowId: `${a.id}/commander`, fields: { incidentId: b.id, holderId: 'mallory' } }])).toThrow();
    const [forged] = opsOf(ana).filter((op) => op.entity === 'incident_role');
    const results = mallory.replica.applyRemote([{ ...forged, fields: { ...forged.fields, incidentId: b.id } }]);
    expect(results[0]).toMatchObject({ status: 'rejected' });
  });
});

describe('a closed incident', () => {
  it('keeps its record final, and cannot be closed while deployments are frozen', async () => {
    const ana = person('ana');
    const incident = await call(ana, 'incidents.create', { title: 'Stale DNS', severity: 'SEV3' });
    const [freeze] = await call(ana, 'freeze.declare', { incidentId: incident.id, scope: 'all', reason: 'stabilising' });
    await call(ana, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
    await expect(async () => call(ana, 'incidents.setStatus', { id: incident.id, status: 'closed' })).rejects.toMatchObject({
      message: 'Deployments are still frozen (all); lift the freeze before closing the incident.',
    });
    await call(ana, 'freeze.lift', { freezeId: freeze.id });
    await call(ana, 'incidents.setStatus', { id: incident.id, status: 'closed' });
    const before = ana.replica.opLog.count();
    for (const attempt of [
      async () => call(ana, 'timeline.add', { incidentId: incident.id, text: 'one more thing' }),
      async () => call(ana, 'tasks.create', { incidentId: incident.id, title: 'late task' }),
      async () => call(ana, 'roles.assign', { incidentId: incident.id, role: 'scribe', personId: 'sam' }),
      async () => call(ana, 'incidents.update', { id: incident.id, severity: 'SEV1' }),
    ]) {
      await expect(attempt).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('is closed and its record is final') });
    }
    expect(ana.replica.opLog.count()).toBe(before);
  });

  it('words each severity level as the organisation says, one level at a time', async () => {
    const ana = person('ana');
    await call(ana, 'org.setSeverityMeanings', { meanings: { SEV1: 'Critical: checkout or payments down' } });
    const meanings = await call(ana, 'org.severityMeanings', {});
    expect(meanings.SEV1).toBe('Critical: checkout or payments down');
    expect(meanings.SEV2).toContain('Major');
    const dispatch = createDispatch(ana.handlers);
    expect(await dispatch('org.setSeverityMeanings', { meanings: { SEV5: 'nope' } })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await dispatch('freeze.declare', { incidentId: 'x', scope: 'all', reason: 'why not', until: 9e15 })).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('too far in the future') },
    });
  });
});
