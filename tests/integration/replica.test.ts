// The replica on real SQLite: ops are chained, remote ops are checked and deduplicated, a batch is
// one transaction, tombstones hide rows, and projections rebuild to the same digest.
import { describe, expect, it } from 'vitest';
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { genesisHash, hashOp } from '@shared/ops';
import { call, openTestEngine, opsOf } from '../support/engines';
import { tempDir } from '../support/temp';

describe('replica', () => {
  it('writes each local change as a chained op', async () => {
    const engine = openTestEngine();
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    await call(engine, 'incidents.update', { id: incident.id, severity: 'SEV2' });
    await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Rolled back deploy 4512' });
    const ops = opsOf(engine);
    // Every change carries its automatic timeline entry: the declaration (and the declarer taking
    // command), the severity change; then the person's own entry.
    expect(ops.map((op) => [op.entity, op.kind])).toEqual([
      ['incident', 'set'],
      ['timeline_entry', 'append'],
      ['incident_role', 'set'],
      ['timeline_entry', 'append'],
      ['incident', 'set'],
      ['timeline_entry', 'append'],
      ['timeline_entry', 'append'],
    ]);
    expect(ops[0].prevHash).toBe(genesisHash);
    for (let i = 1; i < ops.length; i += 1) expect(ops[i].prevHash).toBe(ops[i - 1].hash);
    for (const op of ops) expect(hashOp(op)).toBe(op.hash);
    expect(ops.every((op) => op.streamId === `incident:${incident.id}` && op.deviceId === engine.replica.deviceId)).toBe(true);
  });

  it('does not write an update that changes nothing', async () => {
    const engine = openTestEngine();
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    const before = opsOf(engine).length;
    await call(engine, 'incidents.update', { id: incident.id, severity: 'SEV1' });
    expect(opsOf(engine)).toHaveLength(before);
  });

  it('accepts remote ops once, reports duplicates, and rejects bad ones with a reason', async () => {
    const source = openTestEngine();
    const incident = await call(source, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    const [op] = opsOf(source);
    const target = openTestEngine();
    const forged = { ...op, opId: uuidv7(), fields: { title: 'Nothing to see' } };
    const results = target.replica.applyRemote([op, op, forged, { hello: 'world' }]);
    expect(results).toEqual([
      { opId: op.opId, status: 'accepted' },
      { opId: op.opId, status: 'duplicate' },
      { opId: forged.opId, status: 'rejected', reason: "hash: does not match the op's content" },
      { opId: null, status: 'rejected', reason: 'op: unexpected field "hello"' },
    ]);
    expect(await call(target, 'incidents.get', { id: incident.id })).toMatchObject({ title: 'Checkout down' });
    expect(target.replica.opLog.count()).toBe(1);
  });

  it('holds an op from a clock too far in the future and applies it once its time is near', () => {
    const source = openTestEngine({ now: () => 2_000_000_000_000 });
    source.replica.commitLocal([{ entity: 'incident', rowId: uuidv7(), fields: { title: 'From the future', severity: 'SEV3' } }]);
    let wall = 1_795_000_000_000;
    const target = openTestEngine({ now: () => wall });
    const [result] = target.replica.applyRemote(opsOf(source), 'peer-1');
    expect(result).toMatchObject({ status: 'held', reason: expect.stringContaining('ahead of this computer') });
    expect(target.replica.opLog.count()).toBe(0);
    expect(target.replica.clockHeldCount('peer-1')).toBe(1);
    expect(target.replica.retryClockHeld()).toEqual([]);
    // Within a day of its stamp, it is taken (not adopted: this clock stays at its own time).
    wall = 2_000_000_000_000 - 23 * 3600_000;
    expect(target.replica.retryClockHeld()).toMatchObject([{ status: 'accepted' }]);
    expect(target.replica.opLog.count()).toBe(1);
    expect(target.replica.clockHeldCount()).toBe(0);
    // Kept as delivered by that peer: not pushed back to it.
    expect(target.replica.opLog.outbox('peer-1', 0, 10)).toEqual([]);
    expect(target.replica.opLog.outbox('peer-2', 0, 10)).toHaveLength(1);
  });

  it('applies a batch as one transaction: a failure leaves nothing behind', () => {
    const engine = openTestEngine();
    const id = uuidv7();
    expect(() =>
      engine.replica.commitLocal([
        { entity: 'incident', rowId: id, fields: { title: 'Valid', severity: 'SEV2' } },
        { entity: 'incident', rowId: id, fields: { severity: 'SEV7' } },
      ]),
    ).toThrow();
    expect(engine.replica.opLog.count()).toBe(0);
    expect(engine.db.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(0);
    // The chain head did not move: the next op still starts the chain.
    const [op] = engine.replica.commitLocal([{ entity: 'incident', rowId: id, fields: { title: 'Valid', severity: 'SEV2' } }]);
    expect(op.prevHash).toBe(genesisHash);
  });

  it('hides a deleted incident through a tombstone and keeps its ops', async () => {
    const engine = openTestEngine();
    const incident = await call(engine, 'incidents.create', { title: 'Duplicate page', severity: 'SEV4', summary: '' });
    const declared = engine.replica.opLog.count();
    engine.replica.commitLocal([{ entity: 'incident', rowId: incident.id, fields: { deleted: true } }]);
    expect(await call(engine, 'incidents.list', { limit: 10 })).toEqual([]);
    await expect(async () => call(engine, 'incidents.get', { id: incident.id })).rejects.toMatchObject({ code: 'not_found' });
    expect(engine.replica.opLog.count()).toBe(declared + 1);
    expect(engine.db.prepare('SELECT deleted FROM incidents WHERE id = ?').pluck().get(incident.id)).toBe(1);
  });

  it('shows an incident whose edits arrive before its declaration, and fills it in when that arrives', async () => {
    const origin = openTestEngine();
    const incident = await call(origin, 'incidents.create', { title: 'Queue backlog', severity: 'SEV2', summary: '' });
    await call(origin, 'incidents.update', { id: incident.id, summary: 'Consumers stalled' });
    const [declare, edit] = opsOf(origin).filter((op) => op.entity === 'incident');
    const target = openTestEngine();
    target.replica.applyRemote([edit]);
    expect(await call(target, 'incidents.get', { id: incident.id })).toMatchObject({ summary: 'Consumers stalled', title: '' });
    target.replica.applyRemote([declare]);
    expect(await call(target, 'incidents.get', { id: incident.id })).toMatchObject({ summary: 'Consumers stalled', title: 'Queue backlog' });
    target.replica.applyRemote(opsOf(origin));
    expect(target.replica.digest()).toBe(origin.replica.digest());
  });

  it('rebuilds projections from the op log to the same digest, and repairs a damaged one', async () => {
    const engine = openTestEngine();
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: 'EU only' });
    await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'note', text: 'Paged the payments team' });
    await call(engine, 'incidents.update', { id: incident.id, title: 'Checkout down in EU' });
    const digest = engine.replica.digest();
    expect(engine.replica.rebuild()).toMatchObject({ ops: engine.replica.opLog.count(), before: digest, after: digest, isIdentical: true });

    engine.db.prepare("UPDATE incidents SET title = 'Everything is fine'").run();
    const dryRun = engine.replica.rebuild({ dryRun: true });
    expect(dryRun).toMatchObject({ isIdentical: false, after: digest });
    expect(engine.db.prepare('SELECT title FROM incidents').pluck().get()).toBe('Everything is fine');
    expect(engine.replica.rebuild()).toMatchObject({ isIdentical: false, after: digest });
    expect(engine.db.prepare('SELECT title FROM incidents').pluck().get()).toBe('Checkout down in EU');
  });

  it('keeps its clock ahead of its own past after a restart with the wall clock set back', async () => {
    const dataDir = tempDir();
    let wall = 1_795_000_000_000;
    const first = openTestEngine({ dataDir, now: () => wall });
    const id = uuidv7(wall);
    const [a] = first.replica.commitLocal([{ entity: 'incident', rowId: id, fields: { title: 'Clock test', severity: 'SEV4' } }]);
    expect(a.hlc).toBe(encodeHlc({ ms: wall, counter: 0, deviceId: first.replica.deviceId }));
    await first.close();

    wall -= 60_000; // the laptop's clock was set back while Holdfast was closed
    const second = openTestEngine({ dataDir, now: () => wall });
    const [b] = second.replica.commitLocal([{ entity: 'incident', rowId: id, fields: { severity: 'SEV3' } }]);
    expect(b.hlc > a.hlc).toBe(true);
    expect(b.prevHash).toBe(a.hash);
    expect(await call(second, 'incidents.get', { id })).toMatchObject({ severity: 'SEV3' });
  });
});
