// Projection tables: what the UI queries, derived from ops. Each entity has one projector that
// applies an op inside the caller's transaction. They can all be cleared and rebuilt from the op
// log, and their digest is the same on every replica that holds the same ops.
import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { Json } from '../../shared/canonical';
import { canonicalJson } from '../../shared/canonical';
import type { EntityName } from '../../shared/entities';
import { decodeHlc } from '../../shared/hlc';
import { mergeSet, type FieldClocks } from '../../shared/merge';
import type { Op } from '../../shared/ops';

/** What an applied op touched, for change events. */
export interface Touched {
  incidentId: string | null;
  entity: EntityName;
}

type Projector = (op: Op) => Touched;

const incidentColumns: Record<string, string> = {
  title: 'title',
  severity: 'severity',
  status: 'status',
  summary: 'summary',
  declaredAt: 'declared_at',
  deleted: 'deleted',
};

function toColumnValue(value: Json): unknown {
  return typeof value === 'boolean' ? (value ? 1 : 0) : value;
}

export function createProjections(db: Database) {
  const incidentState = db.prepare('SELECT clocks, updated_at AS updatedAt FROM incidents WHERE id = ?');
  const incidentStatements = new Map<string, Statement>();
  const timelineInsert = db.prepare(`INSERT OR IGNORE INTO timeline_entries
    (id, incident_id, kind, text, event_at, recorded_at, author_id, hlc) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);

  // One statement per set of winning fields, so a row is written once and full-text triggers fire
  // only when title or summary really change. Parameters: field values…, clocks, updated_at, id.
  const statementFor = (isNew: boolean, fields: string[]): Statement => {
    const key = `${isNew ? 'insert' : 'update'}:${fields.join(',')}`;
    let statement = incidentStatements.get(key);
    if (!statement) {
      const columns = fields.map((field) => incidentColumns[field]);
      statement = isNew
        ? db.prepare(`INSERT INTO incidents (${[...columns, 'clocks', 'updated_at', 'id'].join(', ')})
            VALUES (${[...columns, 'clocks', 'updated_at', 'id'].map(() => '?').join(', ')})`)
        : db.prepare(`UPDATE incidents SET ${columns.map((c) => `${c} = ?`).join(', ')}, clocks = ?, updated_at = ? WHERE id = ?`);
      incidentStatements.set(key, statement);
    }
    return statement;
  };

  const projectors: Record<EntityName, Projector> = {
    incident: (op) => {
      const stored = incidentState.get(op.rowId) as { clocks: string; updatedAt: number } | undefined;
      const { winners, clocks } = mergeSet(stored === undefined ? {} : (JSON.parse(stored.clocks) as FieldClocks), op, op.fields);
      const fields = Object.keys(winners).filter((field) => field in incidentColumns).sort();
      if (fields.length > 0) {
        // The newest clock of any field: winners only ever replace older clocks, so a running max is exact.
        const updatedAt = Math.max(stored?.updatedAt ?? 0, decodeHlc(op.hlc).ms);
        statementFor(stored === undefined, fields).run(...fields.map((f) => toColumnValue(winners[f])), canonicalJson(clocks), updatedAt, op.rowId);
      }
      return { incidentId: op.rowId, entity: 'incident' };
    },
    timeline_entry: (op) => {
      const f = op.fields as { incidentId: string; kind: string; text: string; eventAt: number };
      timelineInsert.run(op.rowId, f.incidentId, f.kind, f.text, f.eventAt, decodeHlc(op.hlc).ms, op.actorId, op.hlc);
      return { incidentId: f.incidentId, entity: 'timeline_entry' };
    },
  };

  const digestQueries = [
    db.prepare('SELECT id, title, severity, status, summary, declared_at, updated_at, deleted, clocks FROM incidents ORDER BY id').raw(),
    db.prepare('SELECT id, incident_id, kind, text, event_at, recorded_at, author_id, hlc FROM timeline_entries ORDER BY id').raw(),
  ];

  return {
    apply(op: Op): Touched {
      return projectors[op.entity](op);
    },
    /** SHA-256 over every projection row in id order: equal on replicas holding equal ops. */
    digest(): string {
      const hash = createHash('sha256');
      for (const query of digestQueries) {
        for (const row of query.iterate()) hash.update(`${JSON.stringify(row)}\n`);
        hash.update('--\n');
      }
      return hash.digest('hex');
    },
    clear(): void {
      db.exec('DELETE FROM incidents; DELETE FROM timeline_entries;');
    },
  };
}
export type Projections = ReturnType<typeof createProjections>;
