// The service's shared reads (server/read-coalescing.ts): laptops poked together share one query,
// and nothing read before a poke is handed to a request made after it.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { coalesceReads } from '../../server/read-coalescing';
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
});
