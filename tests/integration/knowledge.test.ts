// What each responder could know, with real engines and a real war-room hub: a laptop cut from the
// room decides while the host decides too; after they meet again, every replica's receipts say who
// held what when, the review flags both decisions and the split, and receipts that lie are refused
// (another device's) or count for nothing (held before the op was written).
import { afterEach, describe, expect, it } from 'vitest';
import { incidentStream } from '@shared/entities';
import { describeSplit } from '@shared/domain/knowledge';
import { proveDatabase } from '../../electron/engine/core/projection-proof';
import { verifyChains } from '../../electron/engine/core/chain';
import type { Engine } from '../../electron/engine/engine';
import { createReceiptWriter } from '../../electron/engine/knowledge/receipt-writer';
import { call, openTestEngine } from '../support/engines';
import { eventually } from '../support/eventually';
import { chainWriter, testOrg } from '../support/trust';
import { deviceKeyOf, loopbackLink, settle, startCentral, type Central } from '../support/sync';

const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
});

const hhmm = (ms: number) => new Date(ms).toISOString().slice(11, 19);

/** A laptop that writes its receipts a moment after ops arrive (the default waits minutes). */
const laptop = () => openTestEngine({ syncPollMs: 60_000, receiptDelayMs: 30 });

async function certified(engine: Engine, service: Central, name: string, role: 'commander' | 'responder') {
  await call(engine, 'sync.connect', { url: service.url, token: await service.token(name, role) });
  await call(engine, 'sync.disconnect', { peerId: 'central' });
}

const hubPeer = async (engine: Engine) => (await call(engine, 'sync.status', {})).peers.find((p) => p.kind === 'hub');
const receiptRows = (engine: Engine) => engine.db.prepare('SELECT count(*) FROM op_receipts').pluck().get() as number;
const receiptOps = (engine: Engine, incidentId: string) =>
  engine.replica.opLog.since(0, 100_000).filter((op) => op.streamId === incidentStream(incidentId) && op.entity === 'op_receipt');

/** A room: hana hosts (commander), bob and carol join; everyone holds the incident. */
async function warRoom() {
  const service = await startCentral('sqlite');
  centrals.push(service);
  const hana = laptop();
  const hanaToken = await service.token('hana', 'commander');
  await call(hana, 'sync.connect', { url: service.url, token: hanaToken });
  await settle([hana]);
  const incident = await call(hana, 'incidents.create', { title: 'Orders database down', severity: 'SEV1', summary: '' });
  await settle([hana]);
  await call(hana, 'sync.disconnect', { peerId: 'central' });
  const room = await call(hana, 'hub.start', { port: 0 });
  const link = loopbackLink(room);
  const bob = laptop();
  const carol = laptop();
  await certified(bob, service, 'bob', 'responder');
  await certified(carol, service, 'carol', 'responder');
  await call(bob, 'sync.join', { link });
  await call(carol, 'sync.join', { link });
  await settle([hana, bob, carol]);
  return { service, hana, hanaToken, bob, carol, incident, link };
}

describe('what each responder could know', () => {
  it('flags the decisions of a split war room, from receipts every replica holds', async () => {
    const { service, hana, hanaToken, bob, carol, incident, link } = await warRoom();
    const incidentId = incident.id;
    const add = (engine: Engine, kind: 'observation' | 'decision' | 'note', text: string) => call(engine, 'timeline.add', { incidentId, kind, text });

    const entriesBefore = (await call(carol, 'timeline.list', { incidentId })).entries.length;
    // Bob loses the room (his laptop leaves the hub) and keeps working.
    await call(bob, 'sync.disconnect', { peerId: (await hubPeer(bob))!.id });
    const lag = await add(bob, 'observation', 'replica lag 40 s on db-2');
    const paged = await add(carol, 'note', 'paged the database team');
    const answers = await add(hana, 'observation', 'primary answers pings again');
    await settle([hana, carol]);
    const failover = await add(hana, 'decision', 'fail over to the standby');
    const restart = await add(bob, 'decision', 'restart the primary');

    // Bob is back: everything meets, and each laptop's receipts follow.
    await call(bob, 'sync.join', { link });
    await eventually(async () => {
      await settle([hana, bob, carol]);
      expect(
        receiptOps(carol, incidentId)
          .map((op) => op.actorId)
          .sort(),
      ).toEqual(expect.arrayContaining(['bob', 'carol', 'hana']));
    }, 20_000);
    await settle([hana, bob, carol]);

    // The same answer on every laptop (receipts sync like any op).
    const views = [];
    for (const engine of [hana, bob, carol]) views.push(await call(engine, 'reviews.knowledge', { incidentId, thresholdMinutes: 0 }));
    expect(new Set(views.map((v) => JSON.stringify(v))).size).toBe(1);
    const [view] = views;
    const hanaDecision = view.decisions.find((d) => d.decision.id === failover.id)!;
    expect(hanaDecision.missed.map((m) => [m.author, m.entries.map((e) => e.id)])).toEqual([['bob', [lag.id]]]);
    const bobDecision = view.decisions.find((d) => d.decision.id === restart.id)!;
    expect(bobDecision.missed.map((m) => m.author).sort()).toEqual(['carol', 'hana']);
    expect(bobDecision.missed.find((m) => m.author === 'hana')!.entries.map((e) => e.id)).toContain(answers.id);
    expect(view.splits).toHaveLength(1);
    expect(view.splits[0].groups).toEqual([['hana', 'carol'], ['bob']]);
    expect(describeSplit(view.splits[0], hhmm)).toMatch(
      /^Split war room: hana \(with carol\) decided "fail over to the standby" at .* without bob's entries, and bob decided/,
    );

    // As hana saw it when she decided: bob's observation had not reached her, carol's note had.
    const asHana = await call(carol, 'reviews.knowledge', { incidentId, person: 'hana', at: failover.recordedAt, thresholdMinutes: 0 });
    const state = (id: string) => asHana.view!.entries.find((e) => e.id === id)?.state;
    expect([state(lag.id), state(paged.id), state(answers.id), state(failover.id)]).toEqual(['unseen', 'seen', 'seen', 'seen']);
    // Later she held it.
    const now = await call(carol, 'reviews.knowledge', { incidentId, person: 'hana', thresholdMinutes: 0 });
    expect(now.view!.entries.find((e) => e.id === lag.id)).toMatchObject({ state: 'seen', heldAt: expect.any(Number) });

    // Receipts are no timeline entries, and the record stays provable.
    const listed = (await call(carol, 'timeline.list', { incidentId })).entries.map((e) => e.id);
    expect(listed).toHaveLength(entriesBefore + 5);
    expect(listed).toEqual(expect.arrayContaining([lag.id, paged.id, answers.id, failover.id, restart.id]));
    expect(listed.filter((id) => receiptOps(carol, incidentId).some((op) => op.opId === id))).toEqual([]);
    for (const engine of [hana, bob, carol]) {
      expect(verifyChains(engine.db).firstBreak).toBeNull();
      expect(proveDatabase(engine.db).problem).toBeNull();
      expect(engine.replica.rebuild({ dryRun: true }).isIdentical).toBe(true);
      expect(receiptRows(engine)).toBeGreaterThan(0);
    }
    // The service takes every laptop's receipts when the host reaches it again.
    await call(hana, 'sync.connect', { url: service.url, token: hanaToken });
    await settle([hana]);
    const onService = (await service.store.readOps(incidentStream(incidentId), 0, 1000)).filter((op) => op.entity === 'op_receipt');
    expect(onService.map((op) => op.opId).sort()).toEqual(
      receiptOps(hana, incidentId)
        .map((op) => op.opId)
        .sort(),
    );
    expect(onService.filter((op) => op.refusal !== undefined && op.refusal !== null)).toEqual([]);
    // No receipt lists a receipt, nor its writer's own ops.
    for (const op of receiptOps(carol, incidentId)) {
      const listed = (op.fields.held as { opIds: string[] }[]).flatMap((g) => g.opIds);
      const authors = carol.replica.opLog.since(0, 100_000).filter((o) => listed.includes(o.opId));
      expect(authors.every((o) => o.entity !== 'op_receipt' && o.deviceId !== op.deviceId)).toBe(true);
    }
  }, 60_000);

  it('refuses a receipt signed for another device, and ignores one that says an op was held before it was written', async () => {
    const { hana, bob, carol, incident } = await warRoom();
    const incidentId = incident.id;
    await call(bob, 'sync.disconnect', { peerId: (await hubPeer(bob))!.id });
    const answers = await call(hana, 'timeline.add', { incidentId, kind: 'observation', text: 'primary answers pings again' });
    await settle([hana, carol]);
    await call(bob, 'timeline.add', { incidentId, kind: 'decision', text: 'restart the primary' });

    // Bob's own key signs a receipt in hana's name (her device id): not what its certificate binds.
    const bobKey = deviceKeyOf(bob);
    const asHana = chainWriter(hana.replica.deviceId, 'bob', { certId: bob.replica.trust.certificate()!.certId, sign: bobKey.sign });
    const forged = asHana({ entity: 'op_receipt', rowId: '', fields: { incidentId, held: [{ at: answers.recordedAt + 1, opIds: [answers.id] }] } }, Date.now());
    const before = { ops: carol.replica.opLog.count(), rows: receiptRows(carol) };
    const [result] = carol.replica.applyRemote([forged], 'test');
    expect(result).toMatchObject({ status: 'rejected', reason: expect.stringContaining(`belongs to device ${bob.replica.deviceId}`) });
    expect({ ops: carol.replica.opLog.count(), rows: receiptRows(carol) }).toEqual(before);

    // Bob's laptop, hostile, signs a receipt of its own claiming it held hana's observation a minute
    // before she wrote it: valid as an op (his own word), but it counts for nothing.
    bob.replica.commitLocal([{ entity: 'op_receipt', rowId: '', fields: { incidentId, held: [{ at: answers.recordedAt - 60_000, opIds: [answers.id] }] } }]);
    await call(bob, 'sync.join', { link: loopbackLink(await call(hana, 'hub.status', {})) });
    await eventually(async () => {
      await settle([hana, bob, carol]);
      expect(carol.db.prepare('SELECT held_at FROM op_receipts WHERE op_id = ? AND actor = ?').pluck().get(answers.id, 'bob')).toBe(answers.recordedAt - 60_000);
    }, 20_000);
    const view = await call(carol, 'reviews.knowledge', { incidentId, thresholdMinutes: 0 });
    const bobDecision = view.decisions.find((d) => d.decision.authorId === 'bob')!;
    expect(bobDecision.missed.find((m) => m.author === 'hana')?.entries.map((e) => e.id)).toContain(answers.id);
  }, 60_000);

  it("takes a hub guest's receipts like anyone's: the guest's holding counts in the review", async () => {
    const { hana, incident, link } = await warRoom();
    const incidentId = incident.id;
    // A laptop that never connected joins the room as a guest.
    const gil = laptop();
    gil.replica.setActor('gil');
    await call(gil, 'sync.join', { link });
    expect(gil.replica.trust.mode()).toBe('guest');
    const seen = await call(hana, 'timeline.add', { incidentId, kind: 'observation', text: 'load balancer drains db-2' });
    await eventually(async () => {
      await settle([hana, gil]);
      expect(receiptOps(hana, incidentId).some((op) => op.actorId === 'guest:gil')).toBe(true);
    }, 20_000);
    const fromGil = receiptOps(hana, incidentId).filter((op) => op.actorId === 'guest:gil');
    expect(hana.replica.opLog.refused().filter((r) => fromGil.some((op) => op.opId === r.opId))).toEqual([]);
    const view = await call(hana, 'reviews.knowledge', { incidentId, person: 'guest:gil' });
    expect(view.view!.entries.find((e) => e.id === seen.id)).toMatchObject({ state: 'seen', heldAt: expect.any(Number) });
  }, 60_000);

  it('writes no receipt for ops first held a day or more after they were written (a catch-up on old incidents)', async () => {
    const engine = openTestEngine({ receiptDelayMs: 3_600_000 });
    const incident = await call(engine, 'incidents.create', { title: 'Old outage', severity: 'SEV3', summary: '' });
    const other = testOrg().certify({ role: 'responder', user: 'dana' });
    const note = (ms: number, text: string) =>
      other.write({ entity: 'timeline_entry', rowId: '', fields: { incidentId: incident.id, kind: 'note', text, eventAt: ms } }, ms);
    const old = note(Date.now() - 2 * 24 * 3600_000, 'written two days ago');
    const fresh = note(Date.now() - 1000, 'written just now');
    expect(engine.replica.applyRemote([old, fresh], 'central').map((r) => r.status)).toEqual(['accepted', 'accepted']);
    const writer = createReceiptWriter({ db: engine.db, replica: engine.replica, now: Date.now });
    expect(writer.writeNow()).toBe(1);
    writer.close();
    const [receipt] = receiptOps(engine, incident.id);
    expect((receipt.fields.held as { opIds: string[] }[]).flatMap((g) => g.opIds)).toEqual([fresh.opId]);
  });
});
