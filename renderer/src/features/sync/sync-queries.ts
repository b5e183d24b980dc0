// Sync as the engine reports it, through the query layer (renderer/src/data): each peer's status,
// pushed by the engine on every change (`sync.status`, put in the cache by the invalidation table's
// `pushed` row) and answered by the calls that connect, join, disconnect or sync now; and the war
// room this laptop hosts, read again every few seconds while it runs (the hub announces no event).
// Statuses arrive both as answers and as events: only a newer one replaces the one shown.
import { isNewerSyncStatus, type HubStatus, type JoinHubRequest, type SyncStatus } from '@shared/domain/sync-status';
import { engineQueries } from '../../data/query-client';
import { engineKey, showAnswer, useEngineQuery } from '../../data/use-engine-query';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';

export const syncKey = engineKey('sync.status', {});
export const hubKey = engineKey('hub.status', {});

/** Before the first answer: syncing with nobody, hosting nothing. */
const notSyncing: SyncStatus = { state: 'not-configured', peers: [], version: 0 };
const noHub: HubStatus = { isRunning: false, urls: [], links: [], joinCode: null, fingerprint: null, clients: [], members: [] };

/** Shown everywhere at once (sidebar, war room header, settings): read once, then kept current by events. */
const kept = { readOnMount: false } as const;

export function useSyncStatus(): SyncStatus {
  return useEngineQuery('sync.status', {}, kept).value ?? notSyncing;
}

/** The hosted war room; read again every `readEveryMs` while it runs (who joined, the current code). */
export function useHubStatus(readEveryMs: number): HubStatus {
  // Whether it runs is what the last answer said: the next render follows a change.
  const isRunning = engineQueries().getQueryData<HubStatus>(hubKey)?.isRunning ?? false;
  return useEngineQuery('hub.status', {}, { ...kept, ...(isRunning ? { readEveryMs } : {}) }).value ?? noHub;
}

/** Puts a status a call answered in place, unless a newer one is known (an event may have come first). */
export function noteSync(status: SyncStatus): void {
  const queries = engineQueries();
  void queries.cancelQueries({ queryKey: syncKey, exact: true });
  queries.setQueryData<SyncStatus>(syncKey, (known) => (isNewerSyncStatus(status, known) ? status : known));
}

const noteHub = (hub: HubStatus) => showAnswer(hubKey, hub);

export async function connectServer(url: string, token: string): Promise<void> {
  noteSync(await client().call('sync.connect', { url, token }));
  // Connecting makes this replica write as the server's user: show it.
  useStore.getState().setAppInfo(await client().call('app.info', {}));
}

/** With the link, or with the address, code and certificate fingerprint the host reads out. */
export const joinWarRoom = async (request: JoinHubRequest) => noteSync(await client().call('sync.join', request));
export const disconnectPeer = async (peerId: string) => noteSync(await client().call('sync.disconnect', { peerId }));
/** Every peer reconnected and synced at once (no waiting out a back-off). */
export const syncNow = async () => noteSync(await client().call('sync.now', {}));

export const startHub = async (port: number) => noteHub(await client().call('hub.start', { port }));
export const stopHub = async () => noteHub(await client().call('hub.stop', {}));
export const rotateHubCode = async () => noteHub(await client().call('hub.rotateCode', {}));
