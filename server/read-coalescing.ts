// Many laptops read the same thing at once: a poke sends every live laptop of a node to read the
// stream heads and pull the same stream from about the same cursor. This wraps the store so that
// those reads share one query: a read already running for the same arguments is joined, and its
// answer is kept until the stream (or, for the heads, any stream) is poked again, for at most
// `maxAgeMs` (a poke from another node can be lost while its listening connection is re-made).
//
// A read that started before a poke is never handed to a request that arrived after it: each
// poke bumps a generation, and a request only joins or reuses a read of the current generation.
//
// What is kept stays small: only a stream's tail page (shorter than asked for: the page a poked
// laptop reads) is kept once answered; a full page (a laptop catching up, more follows) is shared
// only while it is being read. Answers are kept in the order they were read: every new read drops
// those older than `maxAgeMs` from the front, then the oldest while more than `maxOps` ops or
// `maxEntries` answers are kept.
import type { EventEmitter } from 'node:events';
import type { Poke } from '@shared/sync';
import type { SequencedOp, SyncStore } from './storage/sync-store';

export interface ReadCoalescingOptions {
  /** How long an answer may be reused without a poke (default 1000 ms). */
  maxAgeMs?: number;
  /** At most this many pull answers (or reads running) are kept, the oldest dropped first (default 2000). */
  maxEntries?: number;
  /** At most this many ops are kept over all pull answers, the oldest dropped first (default 20,000). */
  maxOps?: number;
  now?: () => number;
}

interface Entry<T> {
  generation: number;
  at: number;
  value: Promise<T>;
}

interface PullEntry extends Entry<SequencedOp[]> {
  /** Ops this answer holds once kept (0 while it is read). */
  ops: number;
}

export interface CoalescedReads {
  store: SyncStore;
  /**
   * Drops what is kept of a stream whose ops were deleted (a purge), here and on the other nodes:
   * the stream is poked, and the relay (server/live-pokes.ts) carries the poke to the other nodes,
   * whose shared reads hear it like this node's. (The purge record itself advances the org
   * stream, so without this the other nodes would serve the purged stream for up to `maxAgeMs`.)
   */
  forget(streamId: string): void;
  /** Ops and answers kept now (what the limits bound). */
  kept(): { entries: number; ops: number };
  stop(): void;
}

export function coalesceReads(store: SyncStore, pokes: EventEmitter, options: ReadCoalescingOptions = {}): CoalescedReads {
  const maxAgeMs = options.maxAgeMs ?? 1000;
  const maxEntries = options.maxEntries ?? 2000;
  const maxOps = options.maxOps ?? 20_000;
  const now = options.now ?? Date.now;
  /** Bumped by every poke: the stream heads' generation. */
  let anyGeneration = 0;
  const streamGenerations = new Map<string, number>();
  let heads: Entry<{ streamId: string; head: number }[]> | null = null;
  /** In the order read (a key read again moves to the end), so the oldest are at the front. */
  const pulls = new Map<string, PullEntry>();
  let keptOps = 0;

  const drop = (key: string, entry: PullEntry) => {
    if (pulls.get(key) !== entry) return;
    pulls.delete(key);
    keptOps -= entry.ops;
  };
  /** Drops answers from the front while `shouldDrop` says so of the oldest. */
  const dropOldestWhile = (shouldDrop: (oldest: PullEntry) => boolean) => {
    for (const [key, entry] of pulls) {
      if (!shouldDrop(entry)) return;
      drop(key, entry);
    }
  };

  const onPoke = (poke: Partial<Poke>) => {
    anyGeneration += 1;
    if (typeof poke.streamId !== 'string') {
      // A poke without a stream (none is sent today) invalidates everything.
      pulls.clear();
      keptOps = 0;
      streamGenerations.clear();
      return;
    }
    streamGenerations.set(poke.streamId, anyGeneration);
  };
  pokes.on('poke', onPoke);

  const isCurrent = (entry: Entry<unknown> | undefined | null, generation: number): boolean => !!entry && entry.generation === generation && now() - entry.at < maxAgeMs;

  const wrapped: SyncStore = Object.create(store) as SyncStore;
  wrapped.streamHeads = () => {
    if (heads && isCurrent(heads, anyGeneration)) return heads.value;
    const fresh = { generation: anyGeneration, at: now(), value: store.streamHeads() };
    heads = fresh;
    // A failed read is not kept: the next request asks the store again.
    fresh.value.catch(() => {
      if (heads === fresh) heads = null;
    });
    return fresh.value;
  };
  wrapped.readOps = (streamId, after, limit) => {
    const key = `${streamId}\n${after}\n${limit}`;
    const generation = streamGenerations.get(streamId) ?? 0;
    const kept = pulls.get(key);
    if (kept && isCurrent(kept, generation)) return kept.value;
    if (kept) drop(key, kept);
    const at = now();
    dropOldestWhile((oldest) => at - oldest.at >= maxAgeMs);
    dropOldestWhile(() => pulls.size >= maxEntries);
    const fresh: PullEntry = { generation, at, ops: 0, value: store.readOps(streamId, after, limit) };
    pulls.set(key, fresh);
    fresh.value.then(
      (rows) => {
        if (pulls.get(key) !== fresh) return;
        // A full page has more behind it (a catch-up read): shared while read, not kept.
        if (rows.length >= limit) return drop(key, fresh);
        fresh.ops = rows.length;
        keptOps += rows.length;
        dropOldestWhile(() => keptOps > maxOps);
      },
      // A failed read is not kept: the next request asks the store again.
      () => drop(key, fresh),
    );
    return fresh.value;
  };
  return {
    store: wrapped,
    forget: (streamId) => void pokes.emit('poke', { streamId } satisfies Poke),
    kept: () => ({ entries: pulls.size, ops: keptOps }),
    stop: () => pokes.off('poke', onPoke),
  };
}
