// The sync service's storage, the same suite for both drivers: SQLite and PostgreSQL.
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteSyncStore } from '../../server/storage/sqlite-store';
import { DuplicateUserError, type InsertStatus, type ServiceDraft, type SyncStore } from '../../server/storage/sync-store';
import { verifyOpChains } from '../../electron/engine/core/chain';
import { decodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { checkOp } from '@shared/ops';
import { purgeOp, timelineOps } from '../support/ops';
import { postgresDatabase } from '../support/postgres';
import { tempDir } from '../support/temp';

const open: SyncStore[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});

const drivers: [string, () => Promise<() => Promise<SyncStore>>][] = [
  [
    'sqlite',
    async () => {
      const dir = tempDir();
      return async () => openSqliteSyncStore(dir);
    },
  ],
  [
    'postgres',
    async () => {
      const url = await postgresDatabase();
      const { openPostgresSyncStore } = await import('../../server/storage/postgres-store');
      return () => openPostgresSyncStore(url);
    },
  ],
];

describe.each(drivers)('sync store (%s)', (_name, prepare) => {
  async function fresh() {
    const connect = await prepare();
    const track = async () => {
      const store = await connect();
      open.push(store);
      return store;
    };
    return { store: await track(), another: track };
  }

  it('numbers each stream 1, 2, 3… and returns ops by cursor', async () => {
    const { store } = await fresh();
    const a = timelineOps(5);
    const b = timelineOps(3);
    expect(await store.insertOps([a[0], b[0], a[1], a[2], b[1], b[2], a[3], a[4]], 1)).toEqual(Array(8).fill('accepted'));
    const readA = await store.readOps(a[0].streamId, 0, 100);
    expect(readA.map((op) => [op.opId, op.seq])).toEqual(a.map((op, i) => [op.opId, i + 1]));
    expect((await store.readOps(a[0].streamId, 2, 2)).map((op) => op.seq)).toEqual([3, 4]);
    const { seq: _seq, ...roundTrip } = readA[0];
    expect(roundTrip).toEqual(a[0]);
    expect(await store.streamHeads()).toEqual(
      [
        { streamId: a[0].streamId, head: 5 },
        { streamId: b[0].streamId, head: 3 },
      ].sort((x, y) => (x.streamId < y.streamId ? -1 : 1)),
    );
  });

  it('treats a known op as a duplicate and spends no sequence number on it', async () => {
    const { store } = await fresh();
    const ops = timelineOps(3);
    await store.insertOps(ops.slice(0, 2), 1);
    expect(await store.insertOps([ops[1], ops[2], ops[2]], 2)).toEqual(['duplicate', 'accepted', 'duplicate']);
    expect((await store.readOps(ops[0].streamId, 0, 10)).map((op) => op.seq)).toEqual([1, 2, 3]);
  });

  it('keeps cursors gap-free under concurrent pushes from several service nodes', async () => {
    const { store, another } = await fresh();
    const nodes = [store, await another(), await another()];
    const incidentId = '01a20900-0000-7000-8000-00000000abcd';
    const batches = Array.from({ length: 12 }, (_, i) => timelineOps(25, { incidentId, deviceId: (0xd00 + i).toString(16).padStart(16, '0') }));
    const streamId = batches[0][0].streamId;
    const seen: number[] = [];
    let cursor = 0;
    let isDone = false;
    const reader = (async () => {
      while (!isDone) {
        const page = await store.readOps(streamId, cursor, 1000);
        for (const op of page) seen.push(op.seq);
        if (page.length > 0) cursor = page[page.length - 1].seq;
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    // Each batch is pushed twice, from different nodes, at the same time.
    await Promise.all(batches.flatMap((batch, i) => [nodes[i % 3].insertOps(batch, 1), nodes[(i + 1) % 3].insertOps(batch, 1)]));
    isDone = true;
    await reader;
    for (const op of await store.readOps(streamId, cursor, 10_000)) seen.push(op.seq);
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i + 1));
  });

  describe('purges', () => {
    const incidentId = '01a20900-0000-7000-8000-0000000000aa';
    const streamId = `incident:${incidentId}`;
    const purgedAt = Date.UTC(2027, 2, 14, 9, 30);

    it('deletes the purged stream with its head, records it, and refuses its later ops as gone', async () => {
      const { store, another } = await fresh();
      const doomed = timelineOps(4, { incidentId });
      const kept = timelineOps(2);
      expect(await store.insertOps([...doomed.slice(0, 3), ...kept], 1)).toEqual(Array(5).fill('accepted'));
      const purge = purgeOp(incidentId, { purgedAt });
      expect(await store.insertOps([purge], 2)).toEqual(['accepted']);

      expect(await store.readOps(streamId, 0, 100)).toEqual([]);
      expect(await store.streamHeads()).toEqual(
        [
          { streamId: 'org', head: 1 },
          { streamId: kept[0].streamId, head: 2 },
        ].sort((x, y) => (x.streamId < y.streamId ? -1 : 1)),
      );
      const record = { streamId, incidentId, purgeOpId: purge.opId, purgedAt, recordedAt: 2, deletedOps: 3 };
      expect(await store.purgedStream(streamId)).toEqual(record);
      expect(await store.purgedStream(kept[0].streamId)).toBeNull();

      // Later ops of the stream, new or ones it held before, are gone; other streams go on.
      const more = timelineOps(1, { incidentId: kept[0].fields.incidentId as string, deviceId: '00000000000000ef' });
      expect(await store.insertOps([doomed[3], doomed[0], more[0]], 3)).toEqual(['gone', 'gone', 'accepted']);
      expect(await store.readOps(streamId, 0, 100)).toEqual([]);
      expect(await store.insertOps([purge, purgeOp(incidentId)], 4)).toEqual(['duplicate', 'accepted']);
      expect(await store.readOps('org', 0, 10)).toHaveLength(2);
      // The first purge stays the record, and it lasts: another node (or a restart) sees it.
      const other = await another();
      expect(await other.purgedStreams()).toEqual([record]);
      expect(await other.insertOps(timelineOps(1, { incidentId }), 5)).toEqual(['gone']);
      expect(await other.streamHeads()).not.toContainEqual(expect.objectContaining({ streamId }));
    });

    it("in one push, stores and deletes the stream's ops before the purge record and refuses those after it", async () => {
      const { store } = await fresh();
      const ops = timelineOps(3, { incidentId });
      const purge = purgeOp(incidentId, { purgedAt });
      expect(await store.insertOps([ops[0], ops[1], purge, ops[2], ops[1]], 7)).toEqual(['accepted', 'accepted', 'accepted', 'gone', 'gone']);
      expect(await store.readOps(streamId, 0, 10)).toEqual([]);
      expect(await store.purgedStream(streamId)).toMatchObject({ purgeOpId: purge.opId, deletedOps: 2, recordedAt: 7 });
      expect((await store.streamHeads()).map((s) => s.streamId)).toEqual(['org']);
    });

    it('leaves nothing of a stream purged while several service nodes write to it', async () => {
      const { store, another } = await fresh();
      const nodes = [store, await another(), await another()];
      const batches = Array.from({ length: 12 }, (_, i) => timelineOps(20, { incidentId, deviceId: (0xe00 + i).toString(16).padStart(16, '0') }));
      const purge = purgeOp(incidentId, { purgedAt });
      const results = await Promise.all([
        ...batches.slice(0, 6).map((batch, i) => nodes[i % 3].insertOps(batch, 1)),
        new Promise((resolve) => setTimeout(resolve, 5)).then(() => nodes[1].insertOps([purge], 2)),
        ...batches.slice(6).map((batch, i) => new Promise((resolve) => setTimeout(resolve, i)).then(() => nodes[(i + 2) % 3].insertOps(batch, 3))),
      ]);
      // Each push either went in before the purge (and was deleted by it) or came after it.
      for (const statuses of results) expect(new Set(statuses).size).toBe(1);
      expect(results.flat().filter((status) => status === 'accepted').length).toBeGreaterThanOrEqual(1);
      expect(await store.readOps(streamId, 0, 10_000)).toEqual([]);
      expect((await store.streamHeads()).map((s) => s.streamId)).toEqual(['org']);
      const accepted = results
        .slice(0, 6)
        .concat(results.slice(7))
        .flat()
        .filter((status) => status === 'accepted').length;
      expect(await store.purgedStream(streamId)).toMatchObject({ deletedOps: accepted });
      for (const node of nodes) expect(await node.insertOps(timelineOps(1, { incidentId }), 4)).toEqual(['gone']);
    });
  });

  describe('service writes (pipeline events)', () => {
    const incidentA = '01a20900-0000-7000-8000-0000000000a1';
    const incidentB = '01a20900-0000-7000-8000-0000000000b2';
    const entry = (incidentId: string, text: string): ServiceDraft => {
      const opId = uuidv7();
      return {
        opId,
        streamId: `incident:${incidentId}`,
        actorId: 'deploy-bot',
        entity: 'timeline_entry',
        rowId: opId,
        kind: 'append',
        fields: { incidentId, kind: 'system', text, eventAt: 1_000, source: 'pipeline:ci' },
      };
    };
    const echo = (statuses: InsertStatus[]) => ({ status: 200, body: { statuses } });
    const write = (store: SyncStore, drafts: ServiceDraft[], at: number, idempotency: { userName: string; key: string; fingerprint: string } | null = null) =>
      store.writeAsService({ drafts, idempotency, reply: echo }, at);
    const allOps = async (store: SyncStore) => [...(await store.readOps(`incident:${incidentA}`, 0, 1000)), ...(await store.readOps(`incident:${incidentB}`, 0, 1000))];

    it('stamps them as its own device, chained per stream, on a clock that only moves on', async () => {
      const { store, another } = await fresh();
      const deviceId = await store.serviceDeviceId();
      expect(deviceId).toMatch(/^[0-9a-f]{16}$/);
      const other = await another();
      expect(await other.serviceDeviceId()).toBe(deviceId);

      const first = await write(store, [entry(incidentA, 'one'), entry(incidentB, 'two'), entry(incidentA, 'three')], 5_000);
      expect(first).toMatchObject({ outcome: 'written', statuses: ['accepted', 'accepted', 'accepted'], reply: { status: 200 } });
      // The wall clock went back, and another node writes: the clock and the chains go on.
      expect((await write(other, [entry(incidentA, 'four')], 4_000)).outcome).toBe('written');
      expect((await write(store, [entry(incidentB, 'five')], 6_000)).outcome).toBe('written');

      const ops = await allOps(store);
      expect(ops).toHaveLength(5);
      expect(new Set(ops.map((op) => op.deviceId))).toEqual(new Set([deviceId]));
      // Every replica would accept them, and their chains verify.
      for (const op of ops) expect(checkOp((({ seq: _seq, ...rest }) => rest)(op)).ok).toBe(true);
      expect(verifyOpChains(ops)).toMatchObject({ chains: 2, ops: 5, breaks: [] });
      const byText = new Map(ops.map((op) => [op.fields.text, op]));
      expect(decodeHlc(byText.get('four')!.hlc).ms).toBe(5_000);
      expect(byText.get('four')!.hlc > byText.get('three')!.hlc).toBe(true);
      expect(byText.get('four')!.prevHash).toBe(byText.get('three')!.hash);
      expect(byText.get('five')!.prevHash).toBe(byText.get('two')!.hash);
      // Seqs are the stream's as for any push.
      expect((await store.readOps(`incident:${incidentA}`, 0, 10)).map((op) => op.seq)).toEqual([1, 2, 3]);
    });

    it('keeps idempotency keys per user: a retry replays, another request under the key conflicts', async () => {
      const { store, another } = await fresh();
      const key = { userName: 'deploy-bot', key: 'run-42', fingerprint: 'f1' };
      const first = await write(store, [entry(incidentA, 'deployed')], 1_000, key);
      expect(first.outcome).toBe('written');
      const replay = await (
        await another()
      ).writeAsService({ drafts: [entry(incidentA, 'deployed')], idempotency: key, reply: () => ({ status: 200, body: 'other' }) }, 2_000);
      expect(replay).toEqual({ outcome: 'replayed', reply: first.outcome === 'written' ? first.reply : null });
      expect(await write(store, [entry(incidentA, 'changed')], 3_000, { ...key, fingerprint: 'f2' })).toEqual({ outcome: 'conflict', recordedAt: 1_000 });
      // Another user's key of the same name is theirs.
      expect((await write(store, [entry(incidentA, 'theirs')], 4_000, { ...key, userName: 'release-bot' })).outcome).toBe('written');
      expect(await store.idempotencyRecord('deploy-bot', 'run-42')).toMatchObject({ fingerprint: 'f1', recordedAt: 1_000, reply: { status: 200 } });
      expect(await store.idempotencyRecord('deploy-bot', 'run-43')).toBeNull();
      expect(await store.readOps(`incident:${incidentA}`, 0, 10)).toHaveLength(2);
    });

    it('answers gone for a purged stream, and keeps no key with an error reply', async () => {
      const { store } = await fresh();
      await write(store, [entry(incidentA, 'before')], 1_000);
      await store.insertOps([purgeOp(incidentA)], 2_000);
      const key = { userName: 'deploy-bot', key: 'k', fingerprint: 'f' };
      const refused = await store.writeAsService(
        {
          drafts: [entry(incidentA, 'after'), entry(incidentB, 'elsewhere')],
          idempotency: key,
          reply: (statuses) => ({ status: statuses[0] === 'gone' ? 410 : 200, body: statuses }),
        },
        3_000,
      );
      expect(refused).toMatchObject({ outcome: 'written', statuses: ['gone', 'accepted'], reply: { status: 410 } });
      expect(await store.idempotencyRecord('deploy-bot', 'k')).toBeNull();
      expect(await store.readOps(`incident:${incidentA}`, 0, 10)).toEqual([]);
      expect((await store.readOps(`incident:${incidentB}`, 0, 10)).map((op) => op.prevHash)).toEqual(['0'.repeat(64)]);
    });

    it('keeps its chains whole under concurrent writes from several service nodes', async () => {
      const { store, another } = await fresh();
      const nodes = [store, await another(), await another()];
      await Promise.all(
        Array.from({ length: 24 }, (_, i) =>
          nodes[i % 3].writeAsService({ drafts: [entry(i % 2 ? incidentA : incidentB, `e${i}`)], idempotency: null, reply: echo }, 1_000 + (i % 5)),
        ),
      );
      const ops = await allOps(store);
      expect(verifyOpChains(ops)).toMatchObject({ chains: 2, ops: 24, breaks: [] });
      expect(new Set(ops.map((op) => op.hlc)).size).toBe(24);
    });

    it('reads ops by entity, in every stream or in one, and tells which opIds it has', async () => {
      const { store } = await fresh();
      const timeline = timelineOps(3, { incidentId: incidentA });
      await store.insertOps(timeline, 1);
      const freeze = (incidentId: string): ServiceDraft => ({
        opId: uuidv7(),
        streamId: `incident:${incidentId}`,
        actorId: 'alice',
        entity: 'freeze',
        rowId: `${incidentId}/${uuidv7()}`,
        kind: 'set',
        fields: { incidentId, scope: 'checkout', reason: 'incident', since: 1, until: null, declaredBy: 'alice', liftedAt: null, liftedBy: null, liftReason: '' },
      });
      await write(store, [freeze(incidentA), freeze(incidentB), entry(incidentB, 'x')], 2);
      expect((await store.readOpsByEntity(['freeze'])).map((op) => op.streamId)).toEqual([`incident:${incidentA}`, `incident:${incidentB}`]);
      expect((await store.readOpsByEntity(['freeze', 'timeline_entry'], `incident:${incidentA}`)).map((op) => op.seq)).toEqual([1, 2, 3, 4]);
      expect(await store.readOpsByEntity(['incident'])).toEqual([]);
      expect(await store.knownOpIds([timeline[1].opId, uuidv7()])).toEqual(new Set([timeline[1].opId]));
      expect(await store.knownOpIds([])).toEqual(new Set());
    });
  });

  it('keeps users with hashed tokens, refuses duplicate names, and revokes', async () => {
    const { store } = await fresh();
    const alice = await store.addUser({ name: 'alice', role: 'commander', tokenHash: 'a'.repeat(64), createdAt: 5 });
    expect(alice).toMatchObject({ name: 'alice', role: 'commander', createdAt: 5, revokedAt: null });
    await expect(store.addUser({ name: 'alice', role: 'viewer', tokenHash: 'b'.repeat(64), createdAt: 6 })).rejects.toBeInstanceOf(DuplicateUserError);
    expect(await store.userByTokenHash('a'.repeat(64))).toMatchObject({ name: 'alice' });
    expect(await store.userByName('alice')).toMatchObject({ role: 'commander' });
    expect(await store.revokeUser('alice', 9)).toBe(true);
    expect(await store.userByTokenHash('a'.repeat(64))).toBeNull();
    expect(await store.revokeUser('alice', 10)).toBe(false);
    expect((await store.listUsers()).map((u) => [u.name, u.revokedAt])).toEqual([['alice', 9]]);
    await store.ping();
  });

  describe('delivery claims', () => {
    const key = '01a20900-0000-7000-8000-00000000abcd/01a20900-0000-7000-8000-0000000000u1/01a20900-0000-7000-8000-0000000000c1';
    const lease = 30_000;

    it('grants a fresh key, refuses others while held, and lets the holder renew', async () => {
      const { store } = await fresh();
      expect(await store.claimDelivery(key, 'dev-a', lease, 1_000)).toEqual({ granted: true, holder: 'dev-a', leaseUntil: 31_000, isDone: false, previousHolder: null });
      expect(await store.claimDelivery(key, 'dev-b', lease, 30_999)).toEqual({
        granted: false,
        holder: 'dev-a',
        leaseUntil: 31_000,
        isDone: false,
        previousHolder: null,
      });
      // The holder renews, even once its lease has run out, as long as nobody took over.
      expect(await store.claimDelivery(key, 'dev-a', lease, 40_000)).toEqual({ granted: true, holder: 'dev-a', leaseUntil: 70_000, isDone: false, previousHolder: null });
      expect(await store.claimDelivery(key, 'dev-b', lease, 69_999)).toMatchObject({ granted: false, holder: 'dev-a', leaseUntil: 70_000 });
      expect(await store.claimDelivery('another/key/entirely', 'dev-b', lease, 50_000)).toMatchObject({ granted: true, holder: 'dev-b' });
    });

    it('passes a lease that ran out unsettled to the next claimer, naming the one before', async () => {
      const { store } = await fresh();
      await store.claimDelivery(key, 'dev-a', lease, 1_000);
      const takeover = { granted: true, holder: 'dev-b', leaseUntil: 61_000, isDone: false, previousHolder: 'dev-a' };
      expect(await store.claimDelivery(key, 'dev-b', lease, 31_000)).toEqual(takeover);
      // A retried claim gets the same answer, still naming the one it took over from.
      expect(await store.claimDelivery(key, 'dev-b', lease, 31_000)).toEqual(takeover);
      // The one whose lease ran out may no longer settle.
      expect(await store.settleDelivery(key, 'dev-a', 'delivered', 32_000)).toEqual({ ok: false, reason: expect.stringContaining('dev-b holds it') });
      expect(await store.claimDelivery(key, 'dev-a', lease, 32_000)).toMatchObject({ granted: false, holder: 'dev-b' });
    });

    it('after a clean release grants the next claimer with no previous holder', async () => {
      const { store } = await fresh();
      await store.claimDelivery(key, 'dev-a', lease, 1_000);
      expect(await store.settleDelivery(key, 'dev-a', 'released', 2_000)).toEqual({ ok: true });
      expect(await store.settleDelivery(key, 'dev-a', 'released', 2_001)).toEqual({ ok: true }); // a retry
      expect(await store.settleDelivery(key, 'dev-a', 'delivered', 2_002)).toEqual({ ok: false, reason: expect.stringContaining('claim it again') });
      expect(await store.claimDelivery(key, 'dev-b', lease, 3_000)).toEqual({ granted: true, holder: 'dev-b', leaseUntil: 33_000, isDone: false, previousHolder: null });
    });

    it('once delivered, refuses everyone for good; settling delivered again is fine', async () => {
      const { store } = await fresh();
      await store.claimDelivery(key, 'dev-a', lease, 1_000);
      expect(await store.settleDelivery(key, 'dev-a', 'delivered', 2_000)).toEqual({ ok: true });
      expect(await store.settleDelivery(key, 'dev-a', 'delivered', 2_500)).toEqual({ ok: true });
      for (const holder of ['dev-a', 'dev-b']) {
        // Long after the lease would have run out.
        expect(await store.claimDelivery(key, holder, lease, 10_000_000)).toEqual({
          granted: false,
          holder: 'dev-a',
          leaseUntil: 31_000,
          isDone: true,
          previousHolder: null,
        });
      }
      expect(await store.settleDelivery(key, 'dev-a', 'released', 3_000)).toEqual({ ok: false, reason: expect.stringContaining('cannot be released') });
      expect(await store.settleDelivery(key, 'dev-b', 'delivered', 3_000)).toEqual({ ok: false, reason: expect.stringContaining('delivered by dev-a') });
    });

    it('refuses settling by anyone but the holder, and of a key nobody claimed', async () => {
      const { store } = await fresh();
      expect(await store.settleDelivery(key, 'dev-a', 'delivered', 1_000)).toEqual({ ok: false, reason: expect.stringContaining('nobody has claimed') });
      await store.claimDelivery(key, 'dev-a', lease, 1_000);
      for (const outcome of ['delivered', 'released'] as const) {
        expect(await store.settleDelivery(key, 'dev-b', outcome, 2_000)).toEqual({ ok: false, reason: expect.stringContaining('dev-b does not hold') });
      }
      // Nothing changed: dev-a still holds it and others are refused.
      expect(await store.claimDelivery(key, 'dev-c', lease, 2_000)).toMatchObject({ granted: false, holder: 'dev-a', leaseUntil: 31_000 });
      expect(await store.claimDelivery('never-claimed', 'dev-c', lease, 2_000)).toMatchObject({ granted: true, previousHolder: null });
      expect(await store.settleDelivery('never-claimed', 'dev-a', 'released', 2_000)).toMatchObject({ ok: false });
    });

    it('grants exactly one of many concurrent claims, from several service nodes', async () => {
      const { store, another } = await fresh();
      const nodes = [store, await another(), await another()];
      const holders = Array.from({ length: 20 }, (_, i) => `dev-${i}`);
      const claimAll = (at: number, who = holders) => Promise.all(who.map((holder, i) => nodes[i % nodes.length].claimDelivery(key, holder, lease, at)));

      const first = await claimAll(1_000);
      const winners = first.filter((r) => r.granted);
      expect(winners).toHaveLength(1);
      // Everyone else was told who won, with its lease.
      expect(first.every((r) => r.holder === winners[0].holder && r.leaseUntil === 31_000 && !r.isDone)).toBe(true);

      // After the lease ran out, again exactly one of the others takes over, and it learns whom it
      // took over from.
      const second = await claimAll(
        31_000,
        holders.filter((holder) => holder !== winners[0].holder),
      );
      const takers = second.filter((r) => r.granted);
      expect(takers).toHaveLength(1);
      expect(takers[0].holder).not.toBe(winners[0].holder);
      expect(takers[0].previousHolder).toBe(winners[0].holder);
      expect(second.every((r) => r.holder === takers[0].holder)).toBe(true);

      // Settling races the same way: of the holder's and the others' settles, only the holder's counts.
      const settled = await Promise.all(holders.map((holder, i) => nodes[i % nodes.length].settleDelivery(key, holder, 'delivered', 32_000)));
      expect(settled.filter((r) => r.ok)).toHaveLength(1);
      expect((await store.claimDelivery(key, 'dev-late', lease, 99_000)).isDone).toBe(true);
    });
  });
});
