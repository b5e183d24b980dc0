// The directory page's UI state: the outcome of the last CSV import (its counts, or the rows it
// refused), kept until dismissed. The directory itself is engine data (directory-queries.ts).
import type { StateCreator } from 'zustand';
import type { AppState } from '../../store';
import type { ImportOutcome } from './directory-queries';

export interface DirectorySlice {
  lastImport: ImportOutcome | null;
  showImport: (outcome: ImportOutcome) => void;
  dismissImport: () => void;
}

export const createDirectorySlice: StateCreator<AppState, [], [], DirectorySlice> = (set) => ({
  lastImport: null,
  showImport: (outcome) => set({ lastImport: outcome }),
  dismissImport: () => set({ lastImport: null }),
});
