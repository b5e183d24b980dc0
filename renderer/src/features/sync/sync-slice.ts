// Sync state in the UI: each peer's status (pushed by the engine) and the hosted war room.
import type { StateCreator } from 'zustand';
import type { HubStatus, JoinHubRequest, SyncStatus } from '@shared/domain/sync-status';
import { client } from '../../store/client-ref';
import type { AppState } from '../../store';

export interface SyncSlice {
  sync: SyncStatus;
  hub: HubStatus;
  setSync: (status: SyncStatus) => void;
  loadSync: () => Promise<void>;
  connectServer: (url: string, token: string) => Promise<void>;
  /** With the link, or with the address, code and certificate fingerprint the host reads out. */
  joinWarRoom: (request: JoinHubRequest) => Promise<void>;
  disconnectPeer: (peerId: string) => Promise<void>;
  /** Every peer reconnected and synced at once (no waiting out a back-off). */
  syncNow: () => Promise<void>;
  startHub: (port: number) => Promise<void>;
  stopHub: () => Promise<void>;
  /** Reads the hosted war room again (who joined, the current code). */
  refreshHub: () => Promise<void>;
  rotateHubCode: () => Promise<void>;
}

export const createSyncSlice: StateCreator<AppState, [], [], SyncSlice> = (set, get) => ({
  sync: { state: 'not-configured', peers: [], version: 0 },
  hub: { isRunning: false, urls: [], links: [], joinCode: null, fingerprint: null, clients: [], members: [] },
  // Statuses come as call results and as events; only a newer one replaces what is shown.
  setSync: (sync) => set((state) => (sync.version >= state.sync.version ? { sync } : {})),
  loadSync: async () => {
    const [sync, hub] = await Promise.all([client().call('sync.status', {}), client().call('hub.status', {})]);
    get().setSync(sync);
    set({ hub });
  },
  connectServer: async (url, token) => {
    get().setSync(await client().call('sync.connect', { url, token }));
    // Connecting makes this replica write as the server's user: show it.
    get().setAppInfo(await client().call('app.info', {}));
  },
  joinWarRoom: async (request) => get().setSync(await client().call('sync.join', request)),
  disconnectPeer: async (peerId) => get().setSync(await client().call('sync.disconnect', { peerId })),
  syncNow: async () => get().setSync(await client().call('sync.now', {})),
  startHub: async (port) => set({ hub: await client().call('hub.start', { port }) }),
  stopHub: async () => set({ hub: await client().call('hub.stop', {}) }),
  refreshHub: async () => set({ hub: await client().call('hub.status', {}) }),
  rotateHubCode: async () => set({ hub: await client().call('hub.rotateCode', {}) }),
});
