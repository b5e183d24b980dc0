// Convergence: replicas that make concurrent offline edits, deletes and appends, and then receive
// each other's ops in any order, duplicated and in any batching, end with identical projections.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entityNames, type EntityName } from '@shared/entities';
import { ApiError } from '@shared/errors';
import type { Op } from '@shared/ops';
import type { Engine } from '../../electron/engine/engine';
import { call, openTestEngine, opsOf } from '../support/engines';
import { deliveries, random } from '../support/deliveries';
import { anyWrite, draftOf, writeArbitraries, type Write } from '../support/op-arbitraries';
import { openReceiver, openWriter, snapshotOf, type Receiver, type Writer } from '../support/replica-scenario';

const devices = [
  { deviceId: '00000000000000a1', actorId: 'alice' },
  { deviceId: '00000000000000b2', actorId: 'bob' },
  { deviceId: '00000000000000c3', actorId: 'carol' },
];
const receiverCount = 3;

/** A device commits writes in one transaction, its clock `advanceMs` later; or a device receives what another has written. */
type Step = { type: 'commit'; device: number; advanceMs: number; writes: Write[]; order: number } | { type: 'sync'; from: number; to: number; order: number };

const device = fc.nat(devices.length - 1);
const commit = (writes: fc.Arbitrary<Write[]>): fc.Arbitrary<Step> =>
  fc.record({ type: fc.constant('commit' as const), device, advanceMs: fc.nat(3), writes, order: fc.nat(1000) });
const sync: fc.Arbitrary<Step> = fc.record({ type: fc.constant('sync' as const), from: device, to: device, order: fc.nat(1000) });

/** One write of every entity plus random ones, in a random order (`order`), and how they are delivered (`seed`). */
const scenario = fc.record({
  everyEntity: fc.tuple(...entityNames.map((entity) => commit(writeArbitraries[entity].map((w) => [w])))),
  extra: fc.array(fc.oneof({ weight: 3, arbitrary: commit(fc.array(anyWrite, { minLength: 1, maxLength: 3 })) }, { weight: 1, arbitrary: sync }), {
    maxLength: 30,
    size: 'medium',
  }),
  /** Each device's wall clock against the others (ms): with steps of 0 to 3 ms, clocks collide. */
  skews: fc.array(fc.integer({ min: -3, max: 3 }), { minLength: devices.length, maxLength: devices.length }),
  seed: fc.integer(),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/** Ops a replica refuses only because their incident was purged; anything else refused is a bug. */
function expectOnlyGone(results: { status: string; reason?: string }[]): void {
  for (const result of results) if (result.status === 'rejected') expect(result.reason).toMatch(/^gone: /);
}

/**
 * Runs a scenario: the devices write (and now and then sync with each other), then every op
 * reaches three fresh replicas and the devices themselves, shuffled, duplicated, in batches, with
 * restarts between batches. Every replica must then hold the same thing. Returns the entities
 * of the ops written.
 */
function runScenario(s: Scenario): Set<EntityName> {
  const clock = { now: 1_795_000_000_000 };
  const writers: Writer[] = devices.map((d, i) => openWriter(d.deviceId, d.actorId, () => clock.now + s.skews[i]));
  const receivers: Receiver[] = [];
  try {
    const written: Op[][] = devices.map(() => []);
    const steps: Step[] = [...s.everyEntity, ...s.extra].sort((a, b) => a.order - b.order);
    for (const step of steps) {
      if (step.type === 'sync') {
        expectOnlyGone(writers[step.to].replica.applyRemote(written[step.from]));
        continue;
      }
      clock.now += step.advanceMs;
      const writer = writers[step.device];
      try {
        written[step.device].push(...writer.replica.commitLocal(step.writes.map((w) => draftOf(w, writer))));
      } catch (error) {
        // A device that purged an incident refuses to write to it, as the engine does.
        if (!(error instanceof ApiError && error.message.startsWith('gone: '))) throw error;
      }
    }
    const all = written.flat();
    clock.now += 1000;

    for (let r = 0; r < receiverCount; r += 1) receivers.push(openReceiver(() => clock.now));
    const restarts = random(s.seed);
    receivers.forEach((receiver, r) => {
      for (const batch of deliveries(all, s.seed + r, { resend: 0.3, maxBatch: 8 })) {
        expectOnlyGone(receiver.replica.applyRemote(batch));
        if (restarts() < 0.1) receiver.reopen();
      }
    });
    writers.forEach((writer, w) => {
      for (const batch of deliveries(all, s.seed ^ (w + 17), { resend: 0.1, maxBatch: 12 })) expectOnlyGone(writer.replica.applyRemote(batch));
    });

    const replicas = [...receivers, ...writers];
    const [first, ...others] = replicas.map((replica) => snapshotOf(replica.db, replica.replica));
    expect(first.chains.firstBreak).toBeNull();
    expect(first.custody.problem).toBeNull();
    for (const other of others) expect(other).toEqual(first);
    for (const replica of replicas) expect(replica.replica.rebuild({ dryRun: true }).isIdentical).toBe(true);
    return new Set(all.map((op) => op.entity));
  } finally {
    for (const writer of writers) writer.close();
    for (const receiver of receivers) receiver.dispose();
  }
}

function replicas(clock: { now: number }): Engine[] {
  return Array.from({ length: 3 }, (_, i) => openTestEngine({ now: () => clock.now + i }));
}

describe('convergence', () => {
  it('replicas converge over every entity, whatever the concurrent writes, the delivery order, duplication, batching and restarts', () => {
    const committed = new Set<EntityName>();
    fc.assert(
      fc.property(scenario, (s) => {
        for (const entity of runScenario(s)) committed.add(entity);
      }),
      { numRuns: 20 },
    );
    // Every declared entity was written, delivered and compared at least once.
    expect([...committed].sort()).toEqual([...entityNames].sort());
  });

  it('has a generator for every declared entity, and only for those', () => {
    expect(Object.keys(writeArbitraries).sort()).toEqual([...entityNames].sort());
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
    const bobEdit = opsOf(bob)
      .filter((op) => op.entity === 'incident')
      .at(-1)!;
    const aliceEdit = opsOf(alice)
      .filter((op) => op.entity === 'incident')
      .at(-1)!;
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
