// The one app store, combined from feature slices. Components read it through selectors.
import { create } from 'zustand';
import { createDirectorySlice, type DirectorySlice } from '../features/directory/directory-slice';
import { createIncidentsSlice, type IncidentsSlice } from '../features/incidents/incidents-slice';
import { createShellSlice, type ShellSlice } from '../features/shell/shell-slice';
import { createSyncSlice, type SyncSlice } from '../features/sync/sync-slice';
import { createWarRoomSlice, type WarRoomSlice } from '../features/war-room/war-room-slice';

export type AppState = IncidentsSlice & ShellSlice & SyncSlice & WarRoomSlice & DirectorySlice;

export const useStore = create<AppState>()((...a) => ({
  ...createShellSlice(...a),
  ...createIncidentsSlice(...a),
  ...createSyncSlice(...a),
  ...createWarRoomSlice(...a),
  ...createDirectorySlice(...a),
}));
