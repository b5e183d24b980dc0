// Many laptops read the same thing at once: a poke sends every live laptop of a node to read the
// stream heads and pull the same stream from about the same cursor. This wraps the store so that
// those reads share one query: a read already running for the same arguments is joined, and its
// answer is kept until the stream (or, for the heads, any stream) is poked again, for at most
// `maxAgeMs` (a poke from another node can be lost while its listening connection is re-made).
//
// A read that started before a poke is never handed to a request that arrived after it: each
// poke bumps a generation, and a request only joins or reuses a read of the current generation.
import type { EventEmitter } from 'node:events';
import type { Poke } from '@shared/sync';
import type { SequencedOp, SyncStore } from './storage/sync-store';

export interface ReadCoalescingOptions {
  /** How long an answer may be reused without a poke (default 1000 ms). */
  maxAgeMs?: number;
  /** At most this many pull answers are kept; all are dropped when full (default 2000). */
  maxEntries?: number;
  now?: () => number;
}

interface Entry<T> {
  generation: number;
  at: number;
  value: Promise<T>;
}

export interface CoalescedReads {
  store: SyncStore;
  /** Drops what is kept of a stream whose ops were deleted (a purge). */
  forget(streamId: string): void;
  stop(): void;
}

export function coalesceReads(store: SyncStore, pokes: EventEmitter, options: ReadCoalescingOptions = {}): CoalescedReads {
  const maxAgeMs = options.maxAgeMs ?? 1000;
  const maxEntries = options.maxEntries ?? 2000;
  const now = options.now ?? Date.now;
  /** Bumped by every poke: the stream heads' generation. */
  let anyGeneration = 0;
  const streamGenerations = new Map<string, number>();
  let heads: Entry<{ streamId: string; head: number }[]> | null = null;
  const pulls = new Map<string, Entry<SequencedOp[]>>();

  const onPoke = (poke: Partial<Poke>) => {
    anyGeneration += 1;
    if (typeof poke.streamId !== 'string') {
      // A poke without a stream (none is sent today) invalidates everything.
      pulls.clear();
      streamGenerations.clear();
      return;
    }
    streamGenerations.set(poke.streamId, anyGeneration);
  };
  pokes.on('poke', onPoke);

  /** The entry's answer if it is current, else a new read kept (by `keep`) under `generation`. */
  function reuse<T>(
    entry: Entry<T> | undefined,
    generation: number,
    read: () => Promise<T>,
    keep: (entry: Entry<T>) => void,
    drop: (entry: Entry<T>) => void,
  ): Promise<T> {
    if (entry && entry.generation === generation && now() - entry.at < maxAgeMs) return entry.value;
    const fresh: Entry<T> = { generation, at: now(), value: read() };
    keep(fresh);
    // A failed read is not kept: the next request asks the store again.
    fresh.value.catch(() => drop(fresh));
    return fresh.value;
  }

  const wrapped: SyncStore = Object.create(store) as SyncStore;
  wrapped.streamHeads = () =>
    reuse(
      heads ?? undefined,
      anyGeneration,
      () => store.streamHeads(),
      (entry) => (heads = entry),
      (entry) => {
        if (heads === entry) heads = null;
      },
    );
  wrapped.readOps = (streamId, after, limit) => {
    const key = `${streamId}\n${after}\n${limit}`;
    return reuse(
      pulls.get(key),
      streamGenerations.get(streamId) ?? 0,
      () => store.readOps(streamId, after, limit),
      (entry) => {
        if (pulls.size >= maxEntries) pulls.clear();
        pulls.set(key, entry);
      },
      (entry) => {
        if (pulls.get(key) === entry) pulls.delete(key);
      },
    );
  };
  return {
    store: wrapped,
    forget: (streamId) => onPoke({ streamId }),
    stop: () => pokes.off('poke', onPoke),
  };
}
