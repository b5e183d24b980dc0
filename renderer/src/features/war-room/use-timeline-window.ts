// The war room's timeline data: read in blocks by position as the virtual list scrolls, so an
// incident with 50,000 entries costs a few hundred rows of memory. Each block is a query of the
// query layer (renderer/src/data) under its `timeline.window` request, as is the tail (the newest
// entries, with the count): a `timeline.changed` (data/invalidation.ts) reads the tail and the
// blocks on screen again at once and the others when they are next shown. The old rows stay
// visible until then, so nothing flickers.
import { useQueries } from '@tanstack/react-query';
import { useCallback, useEffect, useState } from 'react';
import type { TimelineEntry, TimelineFilter, TimelineWindow } from '@shared/domain/timeline';
import { engineQueries } from '../../data/query-client';
import { engineKey, useEngineQuery } from '../../data/use-engine-query';
import { messageOf } from '../../lib/use-action';
import { client } from '../../store/client-ref';

const blockSize = 100;
/** Blocks kept in memory around the one on screen (the others are dropped and read again if shown). */
const keptBlocks = 40;

export interface TimelineData {
  /** Entries matching the filter; null until the first read. */
  total: number | null;
  entryAt: (index: number) => TimelineEntry | undefined;
  /** Makes sure the entries of positions start…end are loaded (or being loaded). */
  ensure: (start: number, end: number) => void;
  error: string | null;
}

/** The request of one block (`start`) or of the newest entries (`end`). */
const windowRequest = (incidentId: string, filter: TimelineFilter, block: number, anchor: 'start' | 'end') => ({
  incidentId,
  offset: anchor === 'end' ? 0 : block * blockSize,
  limit: blockSize,
  filter,
  anchor,
});

export function useTimelineWindow(incidentId: string, filter: TimelineFilter): TimelineData {
  const filterKey = JSON.stringify(filter);
  const view = `${incidentId}\n${filterKey}`;
  const [asked, setAsked] = useState({ view, first: 0, last: -1 });
  // A new incident or filter starts from the newest entries, with no blocks on screen yet.
  const shown = asked.view === view ? asked : { view, first: 0, last: -1 };
  const tailRequest = windowRequest(incidentId, filter, 0, 'end');
  // Kept until a change: blocks scrolled back into view, or a pane shown again, are not read again.
  const tail = useEngineQuery('timeline.window', tailRequest, { readOnMount: false });
  const blockKey = useCallback(
    (block: number) => engineKey('timeline.window', windowRequest(incidentId, JSON.parse(filterKey) as TimelineFilter, block, 'start')),
    [incidentId, filterKey],
  );
  const numbers = Array.from({ length: Math.max(0, shown.last - shown.first + 1) }, (_, i) => shown.first + i);
  const blocks = useQueries(
    {
      queries: numbers.map((block) => {
        const key = blockKey(block);
        return { queryKey: key, queryFn: () => client().call('timeline.window', key[1]), staleTime: Infinity };
      }),
    },
    engineQueries(),
  );

  // Keep memory bounded: drop the blocks furthest from the ones on screen.
  useEffect(() => {
    const cache = engineQueries().getQueryCache();
    const kept = cache
      .findAll({ queryKey: ['timeline.window', { incidentId, filter: JSON.parse(filterKey) as TimelineFilter, anchor: 'start' }], type: 'inactive' })
      .map((query) => ({ query, distance: Math.abs((query.queryKey[1] as { offset: number }).offset / blockSize - shown.first) }))
      .sort((a, b) => a.distance - b.distance);
    for (const { query } of kept.slice(Math.max(0, keptBlocks - (shown.last - shown.first + 1)))) cache.remove(query);
  }, [incidentId, filterKey, shown.first, shown.last]);

  const ensure = useCallback(
    (start: number, end: number) => {
      const first = Math.floor(start / blockSize);
      const last = Math.floor(end / blockSize);
      setAsked((current) => (current.view === view && current.first === first && current.last === last ? current : { view, first, last }));
    },
    [view],
  );

  // The newer of a block and the tail, for positions both cover (a change read into one first).
  const tailKey = engineKey('timeline.window', tailRequest);
  const tailHash = JSON.stringify(tailKey);
  const entryAt = useCallback(
    (index: number) => {
      const queries = engineQueries();
      const blockState = queries.getQueryState<TimelineWindow>(blockKey(Math.floor(index / blockSize)));
      const tailState = queries.getQueryState<TimelineWindow>(JSON.parse(tailHash) as typeof tailKey);
      const fromBlock = blockState?.data?.entries[index % blockSize];
      const window = tailState?.data;
      const fromTail = window && index >= window.offset ? window.entries[index - window.offset] : undefined;
      if (fromBlock && fromTail) return (blockState?.dataUpdatedAt ?? 0) > (tailState?.dataUpdatedAt ?? 0) ? fromBlock : fromTail;
      return fromBlock ?? fromTail;
    },
    [blockKey, tailHash],
  );

  const blockError = blocks.find((block) => block.error)?.error;
  const error = tail.error ?? (blockError ? messageOf(blockError) : null);
  return { total: tail.value?.total ?? null, entryAt, ensure, error };
}
