// Which incident's war room is open and what its main pane shows (the timeline, the comms lead's
// stakeholder updates or the post-incident review). Opening another incident, or closing the war
// room, puts the other war-room slices of this folder back as they start.
import type { StateCreator } from 'zustand';
import type { AppState } from '../../../store';
import { bannerStart } from './banner-slice';
import { drawerStart } from './drawer-slice';
import { overlaysStart } from './overlays-slice';
import { timelineViewStart } from './timeline-view-slice';

export type WarPane = 'timeline' | 'updates' | 'review';

export interface OpenIncidentSlice {
  openIncidentId: string | null;
  /** What the war room's main pane shows. */
  warPane: WarPane;
  /** Opens an incident's war room, on the timeline unless `pane` says otherwise (the reviews page opens its review). */
  openIncident: (id: string, pane?: WarPane) => void;
  closeIncident: () => void;
  setWarPane: (pane: WarPane) => void;
}

export const createOpenIncidentSlice: StateCreator<AppState, [], [], OpenIncidentSlice> = (set, get) => ({
  openIncidentId: null,
  warPane: 'timeline',
  openIncident: (id, pane) => {
    const isSame = get().openIncidentId === id;
    set({
      openIncidentId: id,
      view: 'incidents',
      ...bannerStart,
      ...timelineViewStart,
      // The same incident again (a notification, the reviews page) keeps its drawer and pane.
      ...(isSame ? {} : { ...drawerStart, warPane: 'timeline' }),
      ...(pane ? { warPane: pane } : {}),
    });
  },
  closeIncident: () => set({ openIncidentId: null, warPane: 'timeline', ...bannerStart, ...overlaysStart, ...drawerStart }),
  setWarPane: (warPane) => set({ warPane }),
});
