// The renderer's cache of engine data (TanStack Query): one per connected client, made on first use
// with the engine's events routed into it (invalidation.ts), so a new client (another engine, a test)
// never sees answers read from the last one. Reads are kept while shown and read again on mount,
// when an engine event says they changed, and never on window focus or by retrying: the engine
// answers at once or with an error that says what to fix.
import { QueryClient } from '@tanstack/react-query';
import type { Client } from '../api/client';
import { client } from '../store/client-ref';
import { routeEngineEvents } from './invalidation';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { retry: false, refetchOnWindowFocus: false, refetchOnReconnect: false, staleTime: 0 },
      mutations: { retry: false },
    },
  });
}

const byClient = new WeakMap<Client, QueryClient>();

/** The cache of the connected client's engine data, with its events routed into it. */
export function engineQueries(): QueryClient {
  const current = client();
  let queries = byClient.get(current);
  if (!queries) {
    queries = createQueryClient();
    byClient.set(current, queries);
    routeEngineEvents(current, queries);
  }
  return queries;
}

/** Reads everything shown again (the link to the engine came back: events may have been missed). */
export function rereadAll(): void {
  void engineQueries().invalidateQueries();
}
