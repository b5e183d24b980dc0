// The one app store of UI state, combined from slices (one concern each; every file says what it
// holds). Engine data is not kept here: it is read through the query layer (renderer/src/data).
// Components read the store through selectors.
import { create } from 'zustand';
import { createDirectorySlice, type DirectorySlice } from '../features/directory/directory-slice';
import { createIncidentsSlice, type IncidentsSlice } from '../features/incidents/incidents-slice';
import { createShellSlice, type ShellSlice } from '../features/shell/shell-slice';
import { createBannerSlice, type BannerSlice } from '../features/war-room/state/banner-slice';
import { createDrawerSlice, type DrawerSlice } from '../features/war-room/state/drawer-slice';
import { createEntryBoxSlice, type EntryBoxSlice } from '../features/war-room/state/entry-box-slice';
import { createOpenIncidentSlice, type OpenIncidentSlice } from '../features/war-room/state/open-incident-slice';
import { createOverlaysSlice, type OverlaysSlice } from '../features/war-room/state/overlays-slice';
import { createTimelineViewSlice, type TimelineViewSlice } from '../features/war-room/state/timeline-view-slice';

/** The war room's UI state, by concern (features/war-room/state/). */
export type WarRoomState = OpenIncidentSlice & BannerSlice & TimelineViewSlice & EntryBoxSlice & OverlaysSlice & DrawerSlice;

export type AppState = IncidentsSlice & ShellSlice & DirectorySlice & WarRoomState;

export const useStore = create<AppState>()((...a) => ({
  ...createShellSlice(...a),
  ...createIncidentsSlice(...a),
  ...createDirectorySlice(...a),
  ...createOpenIncidentSlice(...a),
  ...createBannerSlice(...a),
  ...createTimelineViewSlice(...a),
  ...createEntryBoxSlice(...a),
  ...createOverlaysSlice(...a),
  ...createDrawerSlice(...a),
}));
