// Read queries over the service catalog's projection (`services`), and the views built on it with
// the people directory (who owns each service, and how to reach them). Writes go through ops
// (replica.ts); removed services stay as tombstones and are left out of the catalog.
import type { Database } from 'better-sqlite3';
import { isTier, type Service, type ServiceTier, type ServiceView } from '../../../shared/domain/catalog';
import type { Directory } from '../../../shared/domain/directory';

interface ServiceRow {
  id: string;
  name: string;
  description: string;
  tier: number;
  owner_team_id: string | null;
  rto_min: number | null;
  rpo_min: number | null;
  depends_on: string;
  runbook_ids: string;
  checklist_ids: string;
  deleted: number;
  updated_by: string;
  updated_at: number;
}

const toService = (row: ServiceRow): Service => ({
  id: row.id,
  // A row made by an op that carried some fields only (a tier changed on a replica that never saw
  // the service made) has no name yet: it goes by its id.
  name: row.name || row.id,
  description: row.description,
  tier: (isTier(row.tier) ? row.tier : 3) as ServiceTier,
  ownerTeamId: row.owner_team_id,
  rtoMin: row.rto_min,
  rpoMin: row.rpo_min,
  dependsOn: JSON.parse(row.depends_on) as string[],
  runbookIds: JSON.parse(row.runbook_ids) as string[],
  checklistIds: JSON.parse(row.checklist_ids) as string[],
  updatedAt: row.updated_at,
  updatedBy: row.updated_by,
});

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
    list: (): Service[] => (all.all() as ServiceRow[]).map(toService),
    get(id: string): Service | undefined {
      const row = one.get(id) as ServiceRow | undefined;
      return row && row.deleted === 0 ? toService(row) : undefined;
    },
    /** Whether `id` was a service once and was removed (saving it again brings it back whole). */
    isRemoved: (id: string): boolean => (one.get(id) as ServiceRow | undefined)?.deleted === 1,
  };
}
export type CatalogStore = ReturnType<typeof createCatalogStore>;
