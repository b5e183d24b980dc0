// The one app store, combined from feature slices. Components read it through selectors.
import { create } from 'zustand';
import { createIncidentsSlice, type IncidentsSlice } from '../features/incidents/incidents-slice';
import { createShellSlice, type ShellSlice } from '../features/shell/shell-slice';
import { createSyncSlice, type SyncSlice } from '../features/sync/sync-slice';

export type AppState = IncidentsSlice & ShellSlice & SyncSlice;

export const useStore = create<AppState>()((...a) => ({
  ...createShellSlice(...a),
  ...createIncidentsSlice(...a),
  ...createSyncSlice(...a),
}));
