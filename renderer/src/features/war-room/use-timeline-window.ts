// The war room's timeline data: fetched in blocks by position as the virtual list scrolls, so an
// incident with 50,000 entries costs a few hundred rows of memory. A change bumps `version`: the
// blocks on screen are read again (the old rows stay visible until then, so nothing flickers).
import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { TimelineEntry, TimelineFilter } from '@shared/domain/timeline';
import { client } from '../../store/client-ref';

const blockSize = 100;
const keptBlocks = 40;

interface Block {
  /** Entries by position within the block; holes until read. */
  entries: (TimelineEntry | undefined)[];
  version: number;
  isComplete: boolean;
}

export interface TimelineData {
  /** Entries matching the filter; null until the first read. */
  total: number | null;
  entryAt: (index: number) => TimelineEntry | undefined;
  /** Makes sure the entries of positions start…end are loaded (or being loaded). */
  ensure: (start: number, end: number) => void;
  error: string | null;
}

export function useTimelineWindow(incidentId: string, filter: TimelineFilter, version: number): TimelineData {
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const blocks = useRef(new Map<number, Block>());
  const loading = useRef(new Set<number>());
  const generation = useRef(0);
  const versionRef = useRef(version);
  versionRef.current = version;
  /** The block the reader is looking at: eviction keeps the blocks nearest to it. */
  const inView = useRef(0);
  const filterKey = JSON.stringify(filter);

  /** Files a read window into the blocks it covers; a block is complete when the window covered all of it. */
  const put = useCallback((offset: number, entries: TimelineEntry[], count: number, atVersion: number) => {
    const end = offset + entries.length;
    for (let block = Math.floor(offset / blockSize); block * blockSize < end; block += 1) {
      const from = block * blockSize;
      const to = Math.min(from + blockSize, count);
      // Rows this window does not cover keep what was read before, so they do not blink while the rest is read.
      const previous = blocks.current.get(block)?.entries ?? [];
      const slot: Block = { entries: Array.from({ length: to - from }, (_, i) => previous[i]), version: atVersion, isComplete: offset <= from && end >= to };
      for (let position = Math.max(from, offset); position < Math.min(to, end); position += 1) slot.entries[position - from] = entries[position - offset];
      blocks.current.set(block, slot);
    }
    // Keep memory bounded: drop the blocks furthest from the one on screen.
    if (blocks.current.size > keptBlocks) {
      const near = inView.current;
      const far = [...blocks.current.keys()].sort((a, b) => Math.abs(b - near) - Math.abs(a - near));
      for (const key of far.slice(0, blocks.current.size - keptBlocks)) blocks.current.delete(key);
    }
  }, []);

  const load = useCallback(
    (block: number, anchor: 'start' | 'end' = 'start') => {
      const key = anchor === 'end' ? -1 : block;
      if (loading.current.has(key)) return;
      loading.current.add(key);
      const asked = generation.current;
      const atVersion = versionRef.current;
      client()
        .call('timeline.window', { incidentId, offset: block * blockSize, limit: blockSize, filter: JSON.parse(filterKey) as TimelineFilter, anchor })
        .then((window) => {
          if (asked !== generation.current) return;
          put(window.offset, window.entries, window.total, atVersion);
          setTotal(window.total);
          setError(null);
          rerender();
        })
        .catch((failure: unknown) => {
          if (asked === generation.current) setError(failure instanceof Error ? failure.message : String(failure));
        })
        .finally(() => {
          if (asked !== generation.current) return;
          loading.current.delete(key);
          // The timeline changed while this was read (a pin, a sync acknowledgement): read it again.
          if (atVersion !== versionRef.current) load(block, anchor);
        });
    },
    [incidentId, filterKey, put],
  );

  // A new incident or filter: start over, from the newest entries.
  useEffect(() => {
    generation.current += 1;
    blocks.current = new Map();
    loading.current = new Set();
    setTotal(null);
    load(0, 'end');
  }, [load]);

  // A change: read the count again; `ensure` re-reads stale blocks as they are shown.
  useEffect(() => {
    if (version === 0) return;
    load(0, 'end');
  }, [version, load]);

  const ensure = useCallback(
    (start: number, end: number) => {
      inView.current = Math.floor(start / blockSize);
      for (let block = Math.floor(start / blockSize); block <= Math.floor(end / blockSize); block += 1) {
        const have = blocks.current.get(block);
        if (!have || !have.isComplete || have.version !== versionRef.current) load(block);
      }
    },
    [load],
  );

  const entryAt = useCallback((index: number) => blocks.current.get(Math.floor(index / blockSize))?.entries[index % blockSize], []);

  return { total, entryAt, ensure, error };
}
