// Read queries over the service catalog's projection (`services`), and the views built on it with
// the people directory (who owns each service, and how to reach them). Writes go through ops
// (replica.ts); removed services stay as tombstones and are left out of the catalog.
import type { Database } from 'better-sqlite3';
import { isTier, type Service, type ServiceView } from '@shared/domain/catalog';
import type { Directory } from '@shared/domain/directory';
import { maybe, rowDecoder } from '@shared/entities/rows';

const serviceRow = rowDecoder('service');

function toService(row: unknown): Service {
  const { deleted: _deleted, ...service } = serviceRow(row);
  return {
    ...service,
    // A row made by an op that carried some fields only (a tier changed on a replica that never saw
    // the service made) has no name yet: it goes by its id.
    name: service.name || service.id,
    tier: isTier(service.tier) ? service.tier : 3,
  };
}

/** A service with its owner team and the team's people, as `directory` has them. */
export function withOwners(service: Service, directory: Directory): ServiceView {
  const team = service.ownerTeamId === null ? null : (directory.teams.find((t) => t.id === service.ownerTeamId) ?? null);
  const people = team ? directory.people.filter((p) => p.teamId === team.id) : [];
  return { ...service, owners: { teamId: service.ownerTeamId, team, people } };
}

export function createCatalogStore(db: Database) {
  const all = db.prepare('SELECT * FROM services WHERE deleted = 0 ORDER BY name COLLATE NOCASE, id');
  const one = db.prepare('SELECT * FROM services WHERE id = ?');

  return {
    /** The catalog: every service not removed, by name. */
    list: (): Service[] => all.all().map(toService),
    get(id: string): Service | undefined {
      const row = one.get(id);
      return row !== undefined && !serviceRow(row).deleted ? toService(row) : undefined;
    },
    /** Whether `id` was a service once and was removed (saving it again brings it back whole). */
    isRemoved: (id: string): boolean => maybe(one.get(id), serviceRow)?.deleted === true,
  };
}
export type CatalogStore = ReturnType<typeof createCatalogStore>;
