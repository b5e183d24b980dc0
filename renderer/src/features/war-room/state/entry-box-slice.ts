// The quick-entry box: the kind of entry it writes next, and whether that kind stays after an entry
// (otherwise the box goes back to a note). Kept across incidents, as a scribe's habit.
import type { StateCreator } from 'zustand';
import type { TimelineKind } from '@shared/domain/timeline';
import type { AppState } from '../../../store';

export type EntryKind = Exclude<TimelineKind, 'system'>;

export interface EntryBoxSlice {
  entryKind: EntryKind;
  isEntryKindPinned: boolean;
  setEntryKind: (kind: EntryKind) => void;
  setEntryKindPinned: (isPinned: boolean) => void;
}

export const createEntryBoxSlice: StateCreator<AppState, [], [], EntryBoxSlice> = (set) => ({
  entryKind: 'note',
  isEntryKindPinned: false,
  setEntryKind: (entryKind) => set({ entryKind }),
  setEntryKindPinned: (isEntryKindPinned) => set({ isEntryKindPinned }),
});
