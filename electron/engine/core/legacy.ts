// Incidents written before the op log existed (schema 1) become ops the first time a newer build
// opens the replica, so nothing that was acknowledged then is lost.
import type { Database } from 'better-sqlite3';
import type { Severity } from '@shared/domain/incident';
import type { Replica } from './replica';

interface LegacyIncident {
  id: string;
  title: string;
  severity: Severity;
  status: string;
  summary: string;
  declared_at: number;
}

export function importLegacyIncidents(db: Database, replica: Replica): number {
  const hasLegacy = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'legacy_incidents'").get();
  if (!hasLegacy) return 0;
  const rows = db.prepare('SELECT * FROM legacy_incidents ORDER BY declared_at, id').all() as LegacyIncident[];
  db.transaction(() => {
    if (rows.length > 0) {
      replica.commitLocal(
        rows.map((row) => ({
          entity: 'incident' as const,
          rowId: row.id,
          fields: { title: row.title, severity: row.severity, status: row.status, summary: row.summary, declaredAt: row.declared_at },
        })),
      );
    }
    db.exec('DROP TABLE legacy_incidents');
  })();
  return rows.length;
}
