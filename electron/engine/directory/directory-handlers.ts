// The people directory's calls: list, save and remove people, teams and bridges, and import people
// from CSV. Everything is written to the `directory` stream, which the central service lets
// commanders and admins change and every replica keeps a copy of.
import type { Json } from '@shared/canonical';
import type { Handlers } from '@shared/contract';
import type { DirectoryKind } from '@shared/domain/directory';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import { changedFields, describeCsvProblems, planDirectoryImport, readDirectoryCsv } from './directory-csv';
import type { DirectoryStore } from './directory-store';
import type { Replica } from '../core/replica';

type DirectoryHandlers = Pick<
  Handlers,
  'directory.list' | 'directory.savePerson' | 'directory.saveTeam' | 'directory.saveBridge' | 'directory.remove' | 'directory.import'
>;

export function directoryHandlers(deps: { replica: Replica; directory: DirectoryStore; now: () => number }): DirectoryHandlers {
  const { replica, directory, now } = deps;
  const find = (kind: DirectoryKind, id: string) => (kind === 'person' ? directory.person(id) : kind === 'team' ? directory.team(id) : directory.bridge(id));
  const mustFind = (kind: DirectoryKind, id: string) => {
    const found = find(kind, id);
    if (!found) throw new ApiError('not_found', `No ${kind} ${id} in the directory on this replica: it may have been removed. Reload the directory.`);
    return found;
  };

  /**
   * Creates the record when the request has no id (every field written, defaults for those not
   * given), or writes only the fields that differ from what is stored, so a save does not overrule
   * someone else's concurrent edit of another field.
   */
  function save(kind: DirectoryKind, request: { id?: string } & Record<string, Json | undefined>, defaults: Record<string, Json>): string {
    const { id, ...wanted } = request;
    if (id === undefined) {
      const rowId = uuidv7(now());
      const fields = Object.fromEntries(Object.entries(defaults).map(([field, value]) => [field, wanted[field] ?? value]));
      replica.commitLocal([{ entity: kind, rowId, fields }]);
      return rowId;
    }
    const changes = changedFields(mustFind(kind, id), wanted);
    if (Object.keys(changes).length > 0) replica.commitLocal([{ entity: kind, rowId: id, fields: changes }]);
    return id;
  }

  const mustRead = <T>(record: T | undefined, kind: DirectoryKind, id: string): T => {
    if (!record) throw new Error(`${kind} ${id} was written but cannot be read back`);
    return record;
  };

  return {
    'directory.list': () => directory.list(),
    'directory.savePerson': (request) => {
      if (request.teamId) mustFind('team', request.teamId);
      if (request.handle) {
        const handle = request.handle.toLowerCase();
        const holder = directory.list().people.find((p) => p.id !== request.id && p.handle?.toLowerCase() === handle);
        if (holder) throw new ApiError('conflict', `The handle ${request.handle} already belongs to ${holder.name}; each person has their own Holdfast user name.`);
      }
      const id = save('person', request, { name: '', handle: null, email: '', phones: [], teamId: null, timeZone: '', title: '', notes: '' });
      return mustRead(directory.person(id), 'person', id);
    },
    'directory.saveTeam': (request) => {
      const id = save('team', request, { name: '', description: '', escalationPhone: '', pager: '' });
      return mustRead(directory.team(id), 'team', id);
    },
    'directory.saveBridge': (request) => {
      const id = save('bridge', request, { name: '', dialIn: [], meetingUrl: '', pin: '', notes: '' });
      return mustRead(directory.bridge(id), 'bridge', id);
    },
    'directory.remove': (request) => {
      mustFind(request.kind, request.id);
      // A tombstone: the row stays, so a late edit from another replica cannot bring it back half-made.
      replica.commitLocal([{ entity: request.kind, rowId: request.id, fields: { deleted: true } }]);
      return directory.list();
    },
    'directory.import': (request) => {
      const plan = planDirectoryImport(readDirectoryCsv(request.csv), directory.list(), () => uuidv7(now()));
      if (!plan.ok) throw new ApiError('bad_request', describeCsvProblems(plan.problems));
      // One commit: the whole file lands, or (on any failure) none of it does.
      if (plan.drafts.length > 0) replica.commitLocal(plan.drafts);
      return plan.report;
    },
  };
}
