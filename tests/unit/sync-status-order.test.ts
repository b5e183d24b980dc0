// Sync status reaches the renderer both as call answers (connect, join, sync now) and as engine
// events (the invalidation table's `pushed` row): whatever order they arrive in, the cache keeps the
// newest.
import { describe, expect, it } from 'vitest';
import type { EventName, Events } from '@shared/contract';
import type { SyncStatus } from '@shared/domain/sync-status';
import type { Client } from '../../renderer/src/api/client';
import { engineQueries } from '../../renderer/src/data/query-client';
import { noteSync, syncKey } from '../../renderer/src/features/sync/sync-queries';
import { setClient } from '../../renderer/src/store/client-ref';

const status = (version: number, state: SyncStatus['state']): SyncStatus => ({ version, state, peers: [] });

/** A client that answers nothing and lets the test push engine events. */
function pushingClient() {
  const listeners = new Map<string, (payload: unknown) => void>();
  const client: Client = {
    call: () => new Promise(() => undefined),
    on: (event, listener) => {
      listeners.set(event, listener as (payload: unknown) => void);
      return () => listeners.delete(event);
    },
  };
  const push = <E extends EventName>(event: E, payload: Events[E]) => listeners.get(event)?.(payload);
  return { client, push };
}

describe('sync status in the renderer', () => {
  it('keeps the newest status whatever order call answers and events arrive in', () => {
    const { client, push } = pushingClient();
    setClient(client);
    // The cache is made as at start-up, with the client's events routed into it.
    const queries = engineQueries();
    const shown = () => queries.getQueryData<SyncStatus>(syncKey);
    push('sync.status', status(5, 'connected')); // an event about the finished first sync
    noteSync(status(3, 'offline')); // the connect call's answer, computed before that sync ran
    expect(shown()).toMatchObject({ version: 5, state: 'connected' });
    noteSync(status(6, 'syncing'));
    expect(shown()?.state).toBe('syncing');
    push('sync.status', status(4, 'offline')); // an event overtaken by that answer
    expect(shown()).toMatchObject({ version: 6, state: 'syncing' });
  });
});
