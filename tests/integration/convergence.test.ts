// Convergence: replicas that make concurrent offline edits, deletes and appends, and then receive
// each other's ops in any order, duplicated and in any batching, end with identical projections.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { severities } from '../../shared/domain/incident';
import { uuidv7 } from '../../shared/ids';
import type { OpDraft } from '../../shared/ops';
import type { Engine } from '../../electron/engine/engine';
import { call, openTestEngine, opsOf } from '../support/engines';
import { deliveries } from '../support/deliveries';

const replicaCount = 3;

type Command =
  | { replica: number; incident: number; action: 'title' | 'summary'; value: string; skewMs: number }
  | { replica: number; incident: number; action: 'severity'; value: (typeof severities)[number]; skewMs: number }
  | { replica: number; incident: number; action: 'delete' | 'restore'; skewMs: number }
  | { replica: number; incident: number; action: 'append'; value: string; skewMs: number };

const text = fc.string({ minLength: 3, maxLength: 24 }).filter((s) => s.trim().length >= 3);
const base = { replica: fc.nat(replicaCount - 1), incident: fc.nat(2), skewMs: fc.integer({ min: -5, max: 5 }) };
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ ...base, action: fc.constantFrom('title' as const, 'summary' as const), value: text }),
  fc.record({ ...base, action: fc.constant('severity' as const), value: fc.constantFrom(...severities) }),
  fc.record({ ...base, action: fc.constantFrom('delete' as const, 'restore' as const) }),
  fc.record({ ...base, action: fc.constant('append' as const), value: text }),
);

function draftOf(cmd: Command, incidentId: string): OpDraft {
  switch (cmd.action) {
    case 'title':
    case 'summary':
    case 'severity':
      return { entity: 'incident', rowId: incidentId, fields: { [cmd.action]: cmd.value } };
    case 'delete':
    case 'restore':
      return { entity: 'incident', rowId: incidentId, fields: { deleted: cmd.action === 'delete' } };
    case 'append':
      return { entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text: cmd.value, eventAt: 1_795_000_000_000 } };
  }
}

function replicas(clock: { now: number }): Engine[] {
  return Array.from({ length: replicaCount }, (_, i) => openTestEngine({ now: () => clock.now + i }));
}

function exchangeAll(engines: Engine[], seed: number): void {
  const everything = engines.flatMap(opsOf);
  engines.forEach((engine, index) => {
    for (const batch of deliveries(everything, seed + index, { resend: 0.3, maxBatch: 6 })) {
      for (const result of engine.replica.applyRemote(batch)) expect(result.status).not.toBe('rejected');
    }
  });
}

describe('convergence', () => {
  it('replicas converge whatever the edits, the delivery order, duplication and batching', () => {
    fc.assert(
      fc.property(fc.array(command, { minLength: 1, maxLength: 30 }), fc.integer(), (commands, seed) => {
        const clock = { now: 1_795_000_000_000 };
        const engines = replicas(clock);
        // Three incidents everyone has, then everyone goes offline.
        const incidentIds = [0, 1, 2].map((n) => uuidv7(clock.now + n));
        engines[0].replica.commitLocal(
          incidentIds.map((id, n) => ({ entity: 'incident', rowId: id, fields: { title: `Incident ${n}`, severity: 'SEV3', status: 'investigating' } })),
        );
        exchangeAll(engines, seed);

        for (const cmd of commands) {
          clock.now += 10 + cmd.skewMs;
          engines[cmd.replica].replica.commitLocal([draftOf(cmd, incidentIds[cmd.incident])]);
        }
        exchangeAll(engines, seed ^ 0x5f5f);

        const digests = engines.map((engine) => engine.replica.digest());
        expect(new Set(digests).size).toBe(1);
        for (const engine of engines) expect(engine.replica.rebuild().isIdentical).toBe(true);
        const appends = commands.filter((c) => c.action === 'append').length;
        for (const engine of engines) {
          expect(engine.db.prepare('SELECT count(*) FROM timeline_entries').pluck().get()).toBe(appends);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('keeps both of two offline edits to different fields of one incident', async () => {
    const clock = { now: 1_795_000_000_000 };
    const [alice, bob] = replicas(clock);
    const incident = await call(alice, 'incidents.create', { title: 'Login failures', severity: 'SEV3', summary: '' });
    bob.replica.applyRemote(opsOf(alice));

    clock.now += 1000;
    await call(alice, 'incidents.update', { id: incident.id, title: 'Login failures for SSO users' });
    clock.now += 1000;
    await call(bob, 'incidents.update', { id: incident.id, severity: 'SEV1' });
    alice.replica.applyRemote(opsOf(bob));
    bob.replica.applyRemote(opsOf(alice));

    for (const engine of [alice, bob]) {
      expect(await call(engine, 'incidents.get', { id: incident.id })).toMatchObject({
        title: 'Login failures for SSO users',
        severity: 'SEV1',
      });
    }
  });

  it('gives two offline edits of the same field to the later clock on every replica, whatever arrives first', async () => {
    const clock = { now: 1_795_000_000_000 };
    const [alice, bob, carol] = replicas(clock);
    const incident = await call(alice, 'incidents.create', { title: 'Payments delayed', severity: 'SEV2', summary: '' });
    for (const other of [bob, carol]) other.replica.applyRemote(opsOf(alice));

    clock.now += 1000;
    await call(bob, 'incidents.update', { id: incident.id, summary: 'Bob: webhook queue stuck' });
    clock.now += 1000;
    await call(alice, 'incidents.update', { id: incident.id, summary: 'Alice: provider outage confirmed' });
    // The incident ops themselves (each edit also writes its automatic timeline entry).
    const bobEdit = opsOf(bob).filter((op) => op.entity === 'incident').at(-1)!;
    const aliceEdit = opsOf(alice).filter((op) => op.entity === 'incident').at(-1)!;
    expect(aliceEdit.hlc > bobEdit.hlc).toBe(true);

    carol.replica.applyRemote([aliceEdit]);
    carol.replica.applyRemote([bobEdit]); // the older edit arrives last
    bob.replica.applyRemote([aliceEdit]);
    alice.replica.applyRemote([bobEdit]);
    for (const engine of [alice, bob, carol]) {
      expect((await call(engine, 'incidents.get', { id: incident.id })).summary).toBe('Alice: provider outage confirmed');
    }
    // Once the automatic entries of both edits have reached everyone too, the replicas are identical.
    const all = [...opsOf(alice), ...opsOf(bob)];
    for (const engine of [alice, bob, carol]) engine.replica.applyRemote(all);
    expect(new Set([alice, bob, carol].map((e) => e.replica.digest())).size).toBe(1);
  });
});
