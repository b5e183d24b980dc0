// The one app store, combined from feature slices. Components read it through selectors.
import { create } from 'zustand';
import { createIncidentsSlice, type IncidentsSlice } from '../features/incidents/incidents-slice';
import { createShellSlice, type ShellSlice } from '../features/shell/shell-slice';

export type AppState = IncidentsSlice & ShellSlice;

export const useStore = create<AppState>()((...a) => ({
  ...createShellSlice(...a),
  ...createIncidentsSlice(...a),
}));
