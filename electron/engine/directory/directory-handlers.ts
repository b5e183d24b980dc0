// The people directory's calls: list, save and remove people, teams and bridges, and import people
// from CSV. Everything is written to the `directory` stream, which the central service lets
// commanders and admins change and every replica keeps a copy of.
import type { Json } from '@shared/canonical';
import type { Handlers, ParsedRequest } from '@shared/contract';
import type { Bridge, Directory, DirectoryKind, ImportReport, Person, Team } from '@shared/domain/directory';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import { changedFields, describeCsvProblems, planDirectoryImport, readDirectoryCsv } from './directory-csv';
import type { DirectoryStore } from './directory-store';
import type { Replica } from '../core/replica';

type DirectoryHandlers = Pick<
  Handlers,
  'directory.list' | 'directory.savePerson' | 'directory.saveTeam' | 'directory.saveBridge' | 'directory.remove' | 'directory.import'
>;

export interface DirectoryDeps {
  replica: Replica;
  directory: DirectoryStore;
  now: () => number;
}

export function directoryHandlers(deps: DirectoryDeps): DirectoryHandlers {
  return {
    'directory.list': () => deps.directory.list(),
    'directory.savePerson': (request) => savePerson(deps, request),
    'directory.saveTeam': (request) => saveTeam(deps, request),
    'directory.saveBridge': (request) => saveBridge(deps, request),
    'directory.remove': (request) => removeEntry(deps, request),
    'directory.import': (request) => importPeople(deps, request),
  };
}

function savePerson(deps: DirectoryDeps, request: ParsedRequest<'directory.savePerson'>): Person {
  const { directory } = deps;
  if (request.teamId) mustFind(directory, 'team', request.teamId);
  if (request.handle) {
    const handle = request.handle.toLowerCase();
    const holder = directory.list().people.find((p) => p.id !== request.id && p.handle?.toLowerCase() === handle);
    if (holder) throw new ApiError('conflict', `The handle ${request.handle} already belongs to ${holder.name}; each person has their own Holdfast user name.`);
  }
  const id = save(deps, 'person', request, { name: '', handle: null, email: '', phones: [], teamId: null, timeZone: '', title: '', notes: '' });
  return mustRead(directory.person(id), 'person', id);
}

function saveTeam(deps: DirectoryDeps, request: ParsedRequest<'directory.saveTeam'>): Team {
  const id = save(deps, 'team', request, { name: '', description: '', escalationPhone: '', pager: '' });
  return mustRead(deps.directory.team(id), 'team', id);
}

function saveBridge(deps: DirectoryDeps, request: ParsedRequest<'directory.saveBridge'>): Bridge {
  const id = save(deps, 'bridge', request, { name: '', dialIn: [], meetingUrl: '', pin: '', notes: '' });
  return mustRead(deps.directory.bridge(id), 'bridge', id);
}

function removeEntry({ replica, directory }: DirectoryDeps, request: ParsedRequest<'directory.remove'>): Directory {
  mustFind(directory, request.kind, request.id);
  // A tombstone: the row stays, so a late edit from another replica cannot bring it back half-made.
  replica.commitLocal([{ entity: request.kind, rowId: request.id, fields: { deleted: true } }]);
  return directory.list();
}

function importPeople({ replica, directory, now }: DirectoryDeps, request: ParsedRequest<'directory.import'>): ImportReport {
  const plan = planDirectoryImport(readDirectoryCsv(request.csv), directory.list(), () => uuidv7(now()));
  if (!plan.ok) throw new ApiError('bad_request', describeCsvProblems(plan.problems));
  // One commit: the whole file lands, or (on any failure) none of it does.
  if (plan.drafts.length > 0) replica.commitLocal(plan.drafts);
  return plan.report;
}

/**
 * Creates the record when the request has no id (every field written, defaults for those not
 * given), or writes only the fields that differ from what is stored, so a save does not overrule
 * someone else's concurrent edit of another field.
 */
function save(
  { replica, directory, now }: DirectoryDeps,
  kind: DirectoryKind,
  request: { id?: string } & Record<string, Json | undefined>,
  defaults: Record<string, Json>,
): string {
  const { id, ...wanted } = request;
  if (id === undefined) {
    const rowId = uuidv7(now());
    const fields = Object.fromEntries(Object.entries(defaults).map(([field, value]) => [field, wanted[field] ?? value]));
    replica.commitLocal([{ entity: kind, rowId, fields }]);
    return rowId;
  }
  const changes = changedFields(mustFind(directory, kind, id), wanted);
  if (Object.keys(changes).length > 0) replica.commitLocal([{ entity: kind, rowId: id, fields: changes }]);
  return id;
}

function mustFind(directory: DirectoryStore, kind: DirectoryKind, id: string) {
  const found = kind === 'person' ? directory.person(id) : kind === 'team' ? directory.team(id) : directory.bridge(id);
  if (!found) throw new ApiError('not_found', `No ${kind} ${id} in the directory on this replica: it may have been removed. Reload the directory.`);
  return found;
}

function mustRead<T>(record: T | undefined, kind: DirectoryKind, id: string): T {
  if (!record) throw new Error(`${kind} ${id} was written but cannot be read back`);
  return record;
}
