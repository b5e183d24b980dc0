// The people directory in the UI: what the engine lists, the saves and removals that change it,
// and the outcome of the last CSV import (its counts, or the rows it refused).
import type { StateCreator } from 'zustand';
import {
  maxCsvChars,
  type Bridge,
  type Directory,
  type DirectoryKind,
  type ImportReport,
  type Person,
  type SaveBridgeRequest,
  type SavePersonRequest,
  type SaveTeamRequest,
  type Team,
} from '@shared/domain/directory';
import { client } from '../../store/client-ref';
import type { AppState } from '../../store';

export type ImportOutcome = { fileName: string; report: ImportReport } | { fileName: string; error: string };

export interface DirectorySlice {
  directory: Directory;
  isLoadingDirectory: boolean;
  directoryError: string | null;
  lastImport: ImportOutcome | null;
  loadDirectory: () => Promise<void>;
  savePerson: (request: SavePersonRequest) => Promise<Person>;
  saveTeam: (request: SaveTeamRequest) => Promise<Team>;
  saveBridge: (request: SaveBridgeRequest) => Promise<Bridge>;
  removeFromDirectory: (kind: DirectoryKind, id: string) => Promise<void>;
  /** Imports a CSV file the person picked: all of its rows, or none. */
  importDirectoryFile: (file: Pick<File, 'name' | 'size' | 'text'>) => Promise<void>;
  dismissImport: () => void;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export const createDirectorySlice: StateCreator<AppState, [], [], DirectorySlice> = (set, get) => {
  // Saves answer with one record; the lists (sorting, a team's members) are read again whole.
  const saved = async <T>(record: T): Promise<T> => {
    await get().loadDirectory();
    return record;
  };
  return {
    directory: { people: [], teams: [], bridges: [] },
    isLoadingDirectory: true,
    directoryError: null,
    lastImport: null,
    loadDirectory: async () => {
      try {
        set({ directory: await client().call('directory.list', {}), directoryError: null, isLoadingDirectory: false });
      } catch (error) {
        set({ directoryError: messageOf(error), isLoadingDirectory: false });
      }
    },
    savePerson: async (request) => saved(await client().call('directory.savePerson', request)),
    saveTeam: async (request) => saved(await client().call('directory.saveTeam', request)),
    saveBridge: async (request) => saved(await client().call('directory.saveBridge', request)),
    removeFromDirectory: async (kind, id) => set({ directory: await client().call('directory.remove', { kind, id }) }),
    importDirectoryFile: async (file) => {
      const fileName = file.name;
      // Each character takes at most 4 bytes: a file this large cannot be within the limit, so it is not read.
      if (file.size > maxCsvChars * 4) {
        set({
          lastImport: {
            fileName,
            error: `Nothing was imported: the file is ${Math.round(file.size / 1e6)} MB and a directory CSV may be at most ${maxCsvChars / 1e6} MB. Split it and import the parts.`,
          },
        });
        return;
      }
      try {
        const report = await client().call('directory.import', { csv: await file.text() });
        set({ lastImport: { fileName, report } });
        await get().loadDirectory();
      } catch (error) {
        set({ lastImport: { fileName, error: messageOf(error) } });
      }
    },
    dismissImport: () => set({ lastImport: null }),
  };
};
