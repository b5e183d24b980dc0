// Read queries over the timeline projection, newest first, one page at a time.
import type { Database } from 'better-sqlite3';
import type { TimelineEntry, TimelineKind } from '../../shared/domain/timeline';

interface EntryRow {
  id: string;
  incident_id: string;
  kind: TimelineKind;
  text: string;
  event_at: number;
  recorded_at: number;
  author_id: string;
}

function toEntry(row: EntryRow): TimelineEntry {
  return {
    id: row.id,
    incidentId: row.incident_id,
    kind: row.kind,
    text: row.text,
    eventAt: row.event_at,
    recordedAt: row.recorded_at,
    authorId: row.author_id,
  };
}

export interface TimelineCursor {
  eventAt: number;
  id: string;
}

const columns = 'id, incident_id, kind, text, event_at, recorded_at, author_id';

export function createTimelineStore(db: Database) {
  const first = db.prepare(`SELECT ${columns} FROM timeline_entries WHERE incident_id = ?
    ORDER BY event_at DESC, id DESC LIMIT ?`);
  const after = db.prepare(`SELECT ${columns} FROM timeline_entries WHERE incident_id = ? AND (event_at, id) < (?, ?)
    ORDER BY event_at DESC, id DESC LIMIT ?`);
  const get = db.prepare(`SELECT ${columns} FROM timeline_entries WHERE id = ?`);

  return {
    /** A page of entries, newest event first, and the cursor for the next page (null at the end). */
    page(incidentId: string, limit: number, before?: TimelineCursor): { entries: TimelineEntry[]; next: TimelineCursor | null } {
      const rows = (before ? after.all(incidentId, before.eventAt, before.id, limit + 1) : first.all(incidentId, limit + 1)) as EntryRow[];
      const entries = rows.slice(0, limit).map(toEntry);
      const last = entries.at(-1);
      return { entries, next: rows.length > limit && last ? { eventAt: last.eventAt, id: last.id } : null };
    },
    get(id: string): TimelineEntry | undefined {
      const row = get.get(id) as EntryRow | undefined;
      return row && toEntry(row);
    },
  };
}
export type TimelineStore = ReturnType<typeof createTimelineStore>;
