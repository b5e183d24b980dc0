// Read queries over the incidents projection. Writes go through ops (replica.ts).
import type { Database } from 'better-sqlite3';
import type { Incident, IncidentStatus, Severity } from '../../shared/domain/incident';

interface IncidentRow {
  id: string;
  title: string;
  severity: Severity | null;
  status: IncidentStatus;
  summary: string;
  declared_at: number | null;
  updated_at: number;
}

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    title: row.title,
    // An incident whose declaring op has not arrived yet shows the least severe level until it does.
    severity: row.severity ?? 'SEV4',
    status: row.status,
    summary: row.summary,
    declaredAt: row.declared_at ?? row.updated_at,
    updatedAt: row.updated_at,
  };
}

const columns = 'id, title, severity, status, summary, declared_at, updated_at';

export function createIncidentStore(db: Database) {
  const list = db.prepare(`SELECT ${columns} FROM incidents WHERE deleted = 0 ORDER BY declared_at DESC, id DESC LIMIT ?`);
  const get = db.prepare(`SELECT ${columns} FROM incidents WHERE id = ? AND deleted = 0`);

  return {
    list(limit: number): Incident[] {
      return (list.all(limit) as IncidentRow[]).map(toIncident);
    },
    get(id: string): Incident | undefined {
      const row = get.get(id) as IncidentRow | undefined;
      return row && toIncident(row);
    },
  };
}
export type IncidentStore = ReturnType<typeof createIncidentStore>;
