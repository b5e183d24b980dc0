// Read queries over the after-the-incident projections: reviews, action items (with their
// incident's title) and the record of purged incidents. Writes go through ops (replica.ts).
import type { Database } from 'better-sqlite3';
import type { ActionItem, ActionStatus, PurgeRecord, ReviewState } from '@shared/domain/review';
import { incidentRowId } from '@shared/entities';

export interface ReviewRow {
  incident_id: string;
  body: string;
  generated_body: string;
  is_edited: number;
  factors: string;
  state: ReviewState;
  due_at: number | null;
  generated_at: number;
  updated_by: string;
  published_at: number | null;
  updated_at: number;
}

/** An action item as stored: everything but whether it is overdue, which depends on the clock. */
export type StoredAction = Omit<ActionItem, 'isOverdue'>;

interface ActionRow {
  id: string;
  incident_id: string;
  title: string;
  owner_id: string | null;
  due_at: number | null;
  priority: ActionItem['priority'];
  type: ActionItem['type'];
  status: ActionItem['status'];
  note: string;
  created_at: number;
  created_by: string;
  incident_title: string | null;
}

const toAction = (row: ActionRow): StoredAction => ({
  id: row.id,
  incidentId: row.incident_id,
  incidentTitle: row.incident_title ?? row.incident_id,
  title: row.title,
  ownerId: row.owner_id,
  dueAt: row.due_at,
  priority: row.priority,
  type: row.type,
  status: row.status,
  note: row.note,
  createdAt: row.created_at,
  createdBy: row.created_by,
});

export interface ActionFilter {
  incidentId?: string;
  status?: ActionStatus;
  ownerId?: string;
  /** Open items due before this time only. */
  overdueAt?: number;
}

export const reviewRowId = (incidentId: string) => incidentRowId(incidentId, 'review');

export function createReviewStore(db: Database) {
  const review = db.prepare('SELECT * FROM reviews WHERE id = ?');
  const reviews = db.prepare('SELECT * FROM reviews');
  const actionsSql = 'SELECT a.*, i.title AS incident_title FROM action_items a LEFT JOIN incidents i ON i.id = a.incident_id';
  const action = db.prepare(`${actionsSql} WHERE a.id = ?`);
  const actionsOfIncident = db.prepare(`${actionsSql} WHERE a.incident_id = ? ORDER BY a.created_at, a.id`);
  const openActionCounts = db.prepare(`SELECT incident_id AS incidentId, count(*) AS n FROM action_items WHERE status = 'open' GROUP BY incident_id`);
  const purgeRecords = db.prepare('SELECT * FROM purge_records ORDER BY purged_at DESC, id');

  return {
    review: (incidentId: string): ReviewRow | null => (review.get(reviewRowId(incidentId)) as ReviewRow | undefined) ?? null,
    reviews: (): ReviewRow[] => reviews.all() as ReviewRow[],
    action: (id: string): StoredAction | null => {
      const row = action.get(id) as ActionRow | undefined;
      return row ? toAction(row) : null;
    },
    /** An incident's action items in the order they were added. */
    actionsOfIncident: (incidentId: string): StoredAction[] => (actionsOfIncident.all(incidentId) as ActionRow[]).map(toAction),
    /** Action items across incidents: open first, then by due date and priority. */
    actions(filter: ActionFilter): StoredAction[] {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.incidentId) {
        where.push('a.incident_id = ?');
        params.push(filter.incidentId);
      }
      if (filter.status) {
        where.push('a.status = ?');
        params.push(filter.status);
      }
      if (filter.ownerId) {
        where.push('a.owner_id = ?');
        params.push(filter.ownerId);
      }
      if (filter.overdueAt !== undefined) {
        where.push(`a.status = 'open' AND a.due_at IS NOT NULL AND a.due_at < ?`);
        params.push(filter.overdueAt);
      }
      const sql = `${actionsSql} ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY a.status = 'open' DESC, a.due_at IS NULL, a.due_at, a.priority, a.created_at, a.id`;
      return (db.prepare(sql).all(...params) as ActionRow[]).map(toAction);
    },
    openActionCounts: (): Map<string, number> => new Map((openActionCounts.all() as { incidentId: string; n: number }[]).map((r) => [r.incidentId, r.n])),
    purgeRecords: (): PurgeRecord[] =>
      (purgeRecords.all() as { incident_id: string; title: string; severity: string; closed_at: number; reason: string; purged_at: number; purged_by: string }[]).map(
        (r) => ({
          incidentId: r.incident_id,
          title: r.title,
          severity: r.severity,
          closedAt: r.closed_at,
          reason: r.reason,
          purgedAt: r.purged_at,
          purgedBy: r.purged_by,
        }),
      ),
  };
}
export type ReviewStore = ReturnType<typeof createReviewStore>;
