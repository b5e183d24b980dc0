// The service's shared reads (server/read-coalescing.ts): laptops poked together share one query,
// and nothing read before a poke is handed to a request made after it.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { relayAcrossNodes } from '../../server/live-pokes';
import { coalesceReads } from '../../server/read-coalescing';
import type { CrossNodePokes } from '../../server/storage/postgres-pokes';
import type { SequencedOp, SyncStore } from '../../server/storage/sync-store';

function fakeStore() {
  const calls = { heads: 0, reads: 0 };
  let head = 1;
  let failNext = false;
  const pending: (() => void)[] = [];
  const store = {
    async streamHeads() {
      calls.heads += 1;
      const at = head;
      await new Promise<void>((resolve) => pending.push(resolve));
      return [{ streamId: 'incident:a', head: at }];
    },
    async readOps(streamId: string, after: number) {
      calls.reads += 1;
      const at = head;
      await new Promise<void>((resolve) => pending.push(resolve));
      if (failNext) {
        failNext = false;
        throw new Error('connection lost');
      }
      return Array.from({ length: at - after }, (_, i) => ({ streamId, seq: after + i + 1 }) as unknown as SequencedOp);
    },
  } as unknown as SyncStore;
  return {
    store,
    calls,
    advance: () => (head += 1),
    failNext: () => (failNext = true),
    settle: () => pending.splice(0).forEach((resolve) => resolve()),
  };
}

/** A store whose streams hold `sizes[streamId]` ops, answered at once; counts the reads of each page. */
function sizedStore(sizes: Record<string, number>) {
  const reads = new Map<string, number>();
  const store = {
    async readOps(streamId: string, after: number, limit: number) {
      const key = `${streamId}@${after}/${limit}`;
      reads.set(key, (reads.get(key) ?? 0) + 1);
      const count = Math.max(0, Math.min(limit, (sizes[streamId] ?? 0) - after));
      return Array.from({ length: count }, (_, i) => ({ streamId, seq: after + i + 1 }) as unknown as SequencedOp);
    },
  } as unknown as SyncStore;
  return { store, readsOf: (streamId: string, after: number, limit: number) => reads.get(`${streamId}@${after}/${limit}`) ?? 0 };
}

/** Nodes on one database: what one node publishes, the others hear (as PostgreSQL NOTIFY does). */
function crossNodeBus() {
  const listeners = new Set<(streamIds: string[]) => void>();
  return (): CrossNodePokes => {
    let own: ((streamIds: string[]) => void) | null = null;
    return {
      publish: (streamIds) => listeners.forEach((listener) => listener !== own && listener([...streamIds])),
      subscribe(listener) {
        own = listener;
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
      ready: async () => undefined,
      close: async () => undefined,
    };
  };
}

describe('coalesced reads', () => {
  it('joins a read of the same page already running, and reuses its answer until the stream is poked', async () => {
    const fake = fakeStore();
    const pokes = new EventEmitter();
    const reads = coalesceReads(fake.store, pokes, { now: () => 0 });
    const first = reads.store.readOps('incident:a', 0, 500);
    const second = reads.store.readOps('incident:a', 0, 500);
    fake.settle();
    expect(await first).toHaveLength(1);
    expect(await second).toBe(await first);
    expect(fake.calls.reads).toBe(1);
    // Another page, or another stream, is its own read.
    const other = reads.store.readOps('incident:a', 1, 500);
    fake.settle();
    await other;
    expect(fake.calls.reads).toBe(2);

    fake.advance();
    pokes.emit('poke', { streamId: 'incident:a' });
    const after = reads.store.readOps('incident:a', 0, 500);
    fake.settle();
    expect(await after).toHaveLength(2);
    expect(fake.calls.reads).toBe(3);
  });

  it('never hands a read begun before a poke to a request made after it', async () => {
    const fake = fakeStore();
    const pokes = new EventEmitter();
    const reads = coalesceReads(fake.store, pokes, { now: () => 0 });
    const before = reads.store.streamHeads();
    fake.advance();
    pokes.emit('poke', { streamId: 'incident:a' });
    const after = reads.store.streamHeads();
    fake.settle();
    expect((await before)[0].head).toBe(1);
    expect((await after)[0].head).toBe(2);
    expect(fake.calls.heads).toBe(2);
  });

  it('reads again once an answer is older than maxAgeMs, and after a failed read', async () => {
    const fake = fakeStore();
    let clock = 0;
    const reads = coalesceReads(fake.store, new EventEmitter(), { now: () => clock, maxAgeMs: 1000 });
    const first = reads.store.readOps('incident:a', 0, 500);
    fake.settle();
    await first;
    clock = 999;
    await reads.store.readOps('incident:a', 0, 500);
    expect(fake.calls.reads).toBe(1);
    clock = 1000;
    fake.failNext();
    const failed = reads.store.readOps('incident:a', 0, 500);
    fake.settle();
    await expect(failed).rejects.toThrow('connection lost');
    const retried = reads.store.readOps('incident:a', 0, 500);
    fake.settle();
    expect(await retried).toHaveLength(1);
    expect(fake.calls.reads).toBe(3);
  });

  it('forgets a purged stream at once', async () => {
    const fake = fakeStore();
    const reads = coalesceReads(fake.store, new EventEmitter(), { now: () => 0 });
    const first = reads.store.readOps('incident:a', 0, 500);
    fake.settle();
    await first;
    reads.forget('incident:a');
    const again = reads.store.readOps('incident:a', 0, 500);
    fake.settle();
    await again;
    expect(fake.calls.reads).toBe(2);
  });

  it('drops answers older than maxAgeMs when another page is read, without waiting for them to be read again', async () => {
    const sized = sizedStore({ 'incident:a': 3, 'incident:b': 2 });
    let clock = 0;
    const reads = coalesceReads(sized.store, new EventEmitter(), { now: () => clock, maxAgeMs: 1000 });
    await reads.store.readOps('incident:a', 0, 500);
    clock = 400;
    await reads.store.readOps('incident:a', 1, 500);
    expect(reads.kept()).toEqual({ entries: 2, ops: 5 });
    clock = 1000;
    await reads.store.readOps('incident:b', 0, 500);
    // incident:a from 0 (read at 0) is gone; incident:a from 1 (read at 400) is still young enough.
    expect(reads.kept()).toEqual({ entries: 2, ops: 4 });
    clock = 1400;
    await reads.store.readOps('incident:b', 1, 500);
    expect(reads.kept()).toEqual({ entries: 2, ops: 3 });
  });

  it('keeps at most maxOps ops, dropping the oldest answers first', async () => {
    const sized = sizedStore({ 'incident:a': 4, 'incident:b': 4, 'incident:c': 4, 'incident:d': 4 });
    const reads = coalesceReads(sized.store, new EventEmitter(), { now: () => 0, maxOps: 10 });
    for (const stream of ['incident:a', 'incident:b', 'incident:c', 'incident:d']) await reads.store.readOps(stream, 0, 500);
    expect(reads.kept()).toEqual({ entries: 2, ops: 8 });
    await reads.store.readOps('incident:d', 0, 500);
    await reads.store.readOps('incident:c', 0, 500);
    expect(sized.readsOf('incident:d', 0, 500)).toBe(1);
    expect(sized.readsOf('incident:c', 0, 500)).toBe(1);
    await reads.store.readOps('incident:a', 0, 500);
    expect(sized.readsOf('incident:a', 0, 500)).toBe(2);
    // An answer larger than the cap alone is not kept either.
    const small = coalesceReads(sizedStore({ 'incident:a': 4 }).store, new EventEmitter(), { now: () => 0, maxOps: 3 });
    await small.store.readOps('incident:a', 0, 500);
    expect(small.kept()).toEqual({ entries: 0, ops: 0 });
  });

  it('shares a full (catch-up) page only while it is read, and keeps a tail page', async () => {
    const sized = sizedStore({ 'incident:a': 1000 });
    const reads = coalesceReads(sized.store, new EventEmitter(), { now: () => 0 });
    const [first, joined] = await Promise.all([reads.store.readOps('incident:a', 0, 501), reads.store.readOps('incident:a', 0, 501)]);
    expect(first).toHaveLength(501);
    expect(joined).toBe(first);
    expect(sized.readsOf('incident:a', 0, 501)).toBe(1);
    expect(reads.kept()).toEqual({ entries: 0, ops: 0 });
    await reads.store.readOps('incident:a', 0, 501);
    expect(sized.readsOf('incident:a', 0, 501)).toBe(2);

    expect(await reads.store.readOps('incident:a', 990, 501)).toHaveLength(10);
    expect(reads.kept()).toEqual({ entries: 1, ops: 10 });
    await reads.store.readOps('incident:a', 990, 501);
    expect(sized.readsOf('incident:a', 990, 501)).toBe(1);
  });

  it('does not keep a read answered after a poke over the read made since', async () => {
    const fake = fakeStore();
    const pokes = new EventEmitter();
    const reads = coalesceReads(fake.store, pokes, { now: () => 0 });
    const before = reads.store.readOps('incident:a', 0, 500);
    fake.advance();
    pokes.emit('poke', { streamId: 'incident:a' });
    const after = reads.store.readOps('incident:a', 0, 500);
    fake.settle();
    expect(await before).toHaveLength(1);
    expect(await after).toHaveLength(2);
    expect(await reads.store.readOps('incident:a', 0, 500)).toBe(await after);
    expect(fake.calls.reads).toBe(2);
    expect(reads.kept()).toEqual({ entries: 1, ops: 2 });
  });

  it('forgets a stream purged on one node on the other nodes too', async () => {
    const bus = crossNodeBus();
    const sized = sizedStore({ 'incident:a': 3 });
    const nodes = [0, 1].map(() => {
      const pokes = new EventEmitter();
      const relay = relayAcrossNodes(pokes, bus());
      return { pokes, relay, reads: coalesceReads(sized.store, pokes, { now: () => 0 }) };
    });
    const heard: string[] = [];
    nodes[1].pokes.on('poke', (poke: { streamId: string }) => heard.push(poke.streamId));
    for (const node of nodes) await node.reads.store.readOps('incident:a', 0, 500);
    expect(sized.readsOf('incident:a', 0, 500)).toBe(2);

    nodes[0].reads.forget('incident:a');
    expect(heard).toEqual(['incident:a']);
    for (const node of nodes) await node.reads.store.readOps('incident:a', 0, 500);
    expect(sized.readsOf('incident:a', 0, 500)).toBe(4);
    for (const node of nodes) node.relay.stop();
  });
});
