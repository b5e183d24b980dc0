// How the reader looks at the timeline: its filter, the entry to scroll to and flash (a search hit,
// a correction link), and the request to follow the newest entries again (after writing one).
import type { StateCreator } from 'zustand';
import type { TimelineFilter } from '@shared/domain/timeline';
import type { AppState } from '../../../store';

export interface TimelineViewSlice {
  timelineFilter: TimelineFilter;
  /** An entry the timeline should scroll to and flash. */
  focusEntryId: string | null;
  /** Bumped when this person adds an entry: the timeline goes back to following the newest. */
  followLatest: number;
  setTimelineFilter: (filter: TimelineFilter) => void;
  /** Focusing an entry brings the timeline pane back. */
  setFocusEntry: (id: string | null) => void;
  requestFollowLatest: () => void;
}

export const timelineViewStart = { timelineFilter: {}, focusEntryId: null } satisfies Partial<TimelineViewSlice>;

export const createTimelineViewSlice: StateCreator<AppState, [], [], TimelineViewSlice> = (set) => ({
  ...timelineViewStart,
  followLatest: 0,
  setTimelineFilter: (timelineFilter) => set({ timelineFilter }),
  setFocusEntry: (focusEntryId) => set(focusEntryId === null ? { focusEntryId } : { focusEntryId, warPane: 'timeline' }),
  requestFollowLatest: () => set((state) => ({ followLatest: state.followLatest + 1 })),
});
