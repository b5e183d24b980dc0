// SQL for the incidents table. Nothing outside this module writes incident rows.
import type { Database } from 'better-sqlite3';
import type { Incident, IncidentStatus, Severity } from '../../shared/domain/incident';

interface IncidentRow {
  id: string;
  title: string;
  severity: Severity;
  status: IncidentStatus;
  summary: string;
  declared_at: number;
  updated_at: number;
}

function toIncident(row: IncidentRow): Incident {
  return {
    id: row.id,
    title: row.title,
    severity: row.severity,
    status: row.status,
    summary: row.summary,
    declaredAt: row.declared_at,
    updatedAt: row.updated_at,
  };
}

export function createIncidentStore(db: Database) {
  const insert = db.prepare(`INSERT INTO incidents (id, title, severity, status, summary, declared_at, updated_at)
    VALUES (@id, @title, @severity, @status, @summary, @declaredAt, @updatedAt)`);
  const list = db.prepare('SELECT * FROM incidents ORDER BY declared_at DESC, id DESC LIMIT ?');
  const get = db.prepare('SELECT * FROM incidents WHERE id = ?');

  return {
    insert(incident: Incident): void {
      insert.run(incident);
    },
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
