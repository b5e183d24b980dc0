// The people directory's engine data, through the query layer (renderer/src/data): read while a view
// shows it and read again when the `directory` stream changes (an edit here, or ops that arrived by
// sync: the `directory` row of data/invalidation.ts). Saves answer with one record, so the lists
// (sorting, a team's members) are read again whole; a removal answers with the directory itself.
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
import { engineKey, rereadKey, showAnswer, useEngineQuery, type EngineQuery } from '../../data/use-engine-query';
import { messageOf } from '../../lib/use-action';
import { client } from '../../store/client-ref';

export const directoryKey = engineKey('directory.list', {});

export type ImportOutcome = { fileName: string; report: ImportReport } | { fileName: string; error: string };

/** The directory page: read whenever it is opened. */
export function useDirectory(): EngineQuery<Directory> {
  return useEngineQuery('directory.list', {});
}

const noPeople: Person[] = [];
const noTeams: Team[] = [];

/**
 * For views inside other screens (the war room's roles and person hints, an editor's team picker):
 * the answer kept is shown as it is when they mount, read again on events. The same empty list
 * until the first answer, so views memoise on it.
 */
const kept = { readOnMount: false } as const;

export const useDirectoryPeople = (): Person[] => useEngineQuery('directory.list', {}, kept).value?.people ?? noPeople;
export const useDirectoryTeams = (): Team[] => useEngineQuery('directory.list', {}, kept).value?.teams ?? noTeams;

async function saved<T>(record: Promise<T>): Promise<T> {
  const answer = await record;
  rereadKey(directoryKey);
  return answer;
}

export const savePerson = (request: SavePersonRequest): Promise<Person> => saved(client().call('directory.savePerson', request));
export const saveTeam = (request: SaveTeamRequest): Promise<Team> => saved(client().call('directory.saveTeam', request));
export const saveBridge = (request: SaveBridgeRequest): Promise<Bridge> => saved(client().call('directory.saveBridge', request));

export async function removeFromDirectory(kind: DirectoryKind, id: string): Promise<void> {
  showAnswer(directoryKey, await client().call('directory.remove', { kind, id }));
}

/** Imports a CSV file the person picked (all of its rows, or none) and says what it did. */
export async function importDirectoryFile(file: Pick<File, 'name' | 'size' | 'text'>): Promise<ImportOutcome> {
  const fileName = file.name;
  // Each character takes at most 4 bytes: a file this large cannot be within the limit, so it is not read.
  if (file.size > maxCsvChars * 4) {
    return {
      fileName,
      error: `Nothing was imported: the file is ${Math.round(file.size / 1e6)} MB and a directory CSV may be at most ${maxCsvChars / 1e6} MB. Split it and import the parts.`,
    };
  }
  try {
    const report = await client().call('directory.import', { csv: await file.text() });
    rereadKey(directoryKey);
    return { fileName, report };
  } catch (error) {
    return { fileName, error: messageOf(error) };
  }
}
