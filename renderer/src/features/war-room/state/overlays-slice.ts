// What opens over the war room: the action dialog, the command palette (Ctrl/Cmd+K) and a timeline
// entry shown whole. Opening a dialog closes the palette.
import type { StateCreator } from 'zustand';
import type { TimelineEntry } from '@shared/domain/timeline';
import type { AppState } from '../../../store';
import type { DialogSpec } from '../dialog-spec';

export interface OverlaysSlice {
  dialog: DialogSpec | null;
  isPaletteOpen: boolean;
  /** A timeline entry shown whole (rows clamp long text). */
  shownEntry: TimelineEntry | null;
  openDialog: (dialog: DialogSpec | null) => void;
  setPaletteOpen: (isOpen: boolean) => void;
  setShownEntry: (entry: TimelineEntry | null) => void;
}

export const overlaysStart = { dialog: null, shownEntry: null } satisfies Partial<OverlaysSlice>;

export const createOverlaysSlice: StateCreator<AppState, [], [], OverlaysSlice> = (set) => ({
  ...overlaysStart,
  isPaletteOpen: false,
  openDialog: (dialog) => set({ dialog, isPaletteOpen: false }),
  setPaletteOpen: (isPaletteOpen) => set({ isPaletteOpen }),
  setShownEntry: (shownEntry) => set({ shownEntry }),
});
