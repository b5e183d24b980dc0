// The sync service's storage, the same suite for both drivers: SQLite and PostgreSQL.
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteSyncStore } from '../../server/storage/sqlite-store';
import { DuplicateUserError, type SyncStore } from '../../server/storage/sync-store';
import { timelineOps } from '../support/ops';
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
    const batches = Array.from({ length: 12 }, (_, i) =>
      timelineOps(25, { incidentId, deviceId: (0xd00 + i).toString(16).padStart(16, '0') }),
    );
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
});
