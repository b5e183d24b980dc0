// Engine reads as views use them: `useEngineQuery('catalog.get', { id })` calls the typed client and
// keeps the answer under the key [call name, request], which is what the invalidation table names.
// The answer is shown until an engine event (invalidation.ts) or `reload` reads it again; `show`
// puts what a write answered in place at once. Only the newest answer is ever kept: a read on its
// way when a newer one starts (an event, `reload`, `show`) is dropped.
import { keepPreviousData, useQuery, type QueryKey } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { CallName, Request, Response } from '@shared/contract';
import { messageOf } from '../lib/use-action';
import { client } from '../store/client-ref';
import { engineQueries } from './query-client';

/** The key an engine call's answer is kept under. */
export const engineKey = <K extends CallName>(name: K, request: Request<K>) => [name, request] as const;

export interface EngineQuery<T> {
  /** Null until the first answer (and while `enabled` is false). */
  value: T | null;
  error: string | null;
  /** No answer yet, and no error. */
  isLoading: boolean;
  /** A read is on its way (the first, or a read again while the last answer is shown). */
  isReading: boolean;
  /** `value` is the last request's answer, shown (keepPrevious) while this request's is on its way. */
  isPrevious: boolean;
  /** Reads it again now. */
  reload: () => void;
  /** Shows what the engine answered a change with, at once (a read on its way is dropped). */
  show: (value: T) => void;
}

export interface EngineQueryOptions {
  /** False: nothing is read (a value it depends on is not known yet). */
  enabled?: boolean;
  /** While another request's answer is on its way (new filters), keep showing the last one. */
  keepPrevious?: boolean;
  /**
   * False: a kept answer is shown as it is when another component mounts, and read again only when
   * an event invalidates it (or `reload`). Default true: every mount reads again.
   */
  readOnMount?: boolean;
  /** Read again this often while shown: for what the engine announces no event for (e.g. hubs nearby). */
  readEveryMs?: number;
}

/** Puts `value` under `key` now, dropping any read of it on its way. */
export function showAnswer(key: QueryKey, value: unknown): void {
  const queries = engineQueries();
  void queries.cancelQueries({ queryKey: key, exact: true });
  queries.setQueryData(key, value);
}

/** Reads `key` again now: a read already on its way is dropped in favour of the new one. */
export function rereadKey(key: QueryKey): void {
  const queries = engineQueries();
  void queries.cancelQueries({ queryKey: key, exact: true }).then(() => queries.invalidateQueries({ queryKey: key, exact: true }));
}

/**
 * A read that is not a single call (several calls combined, or a call's answer reshaped): kept
 * under `key`, whose first element names what the invalidation table invalidates it by.
 */
export function useEngineRead<T>(key: QueryKey, read: () => Promise<T>, options: EngineQueryOptions = {}): EngineQuery<T> {
  const query = useQuery(
    {
      queryKey: key,
      queryFn: read,
      enabled: options.enabled ?? true,
      ...(options.readOnMount === false ? { staleTime: Infinity } : {}),
      ...(options.readEveryMs ? { refetchInterval: options.readEveryMs } : {}),
      ...(options.keepPrevious ? { placeholderData: keepPreviousData } : {}),
    },
    engineQueries(),
  );
  const hash = JSON.stringify(key);
  // The key is rebuilt on every render; its hash is what identifies it.
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const reload = useCallback(() => rereadKey(key), [hash]);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const show = useCallback((value: T) => showAnswer(key, value), [hash]);
  const value = query.data === undefined ? null : query.data;
  const error = query.error ? messageOf(query.error) : null;
  return { value, error, isLoading: value === null && error === null, isReading: query.isFetching, isPrevious: query.isPlaceholderData, reload, show };
}

/** One engine call's answer, kept under engineKey(name, request). */
export function useEngineQuery<K extends CallName>(name: K, request: Request<K>, options: EngineQueryOptions = {}): EngineQuery<Response<K>> {
  return useEngineRead<Response<K>>(engineKey(name, request), () => client().call(name, request), options);
}
