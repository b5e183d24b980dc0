// Read queries over the timeline projection: newest-first pages (sync and API readers) and
// oldest-first windows by position with filters (the war room's virtual list). Windows order by
// event time, then by HLC: entries with the same event time keep the order they were written in.
import type { Database, Statement } from 'better-sqlite3';
import { incidentStream } from '@shared/entities';
import { decodeHlc } from '@shared/hlc';
import type { EntryTrust, TimelineEntry, TimelineFilter, TimelineKind, TimelineWindow } from '@shared/domain/timeline';

interface EntryRow {
  id: string;
  incident_id: string;
  kind: TimelineKind;
  text: string;
  event_at: number;
  recorded_at: number;
  author_id: string;
  corrects: string | null;
  source: string | null;
  corrected_by: string;
  is_pinned: number;
  is_pending: number;
  refusal: string | null;
  trust: EntryTrust;
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
    corrects: row.corrects,
    correctedBy: JSON.parse(row.corrected_by) as string[],
    isPinned: row.is_pinned === 1,
    isPending: row.is_pending === 1,
    refusal: row.refusal,
    source: row.source,
    trust: row.trust,
  };
}

/** An op of the incident kept in the log but refused: its signer's certificate did not allow it. Never projected. */
export interface RefusedRecord {
  opId: string;
  /** The op's clock time (UTC ms). */
  at: number;
  actorId: string;
  entity: string;
  /** The entry's text, when the refused op is a timeline entry. */
  text: string | null;
  reason: string;
}

export interface TimelineCursor {
  eventAt: number;
  id: string;
}

/**
 * How the entry's op is vouched for, from the op (cert_id, sig) and its certificate's role: a guest
 * certificate (or a guest's name, before its certificate arrives) is `guest`, an op without a
 * signature `unsigned`.
 */
const trustColumn = `coalesce((SELECT CASE WHEN o.sig IS NULL THEN 'unsigned'
      WHEN c.role = 'guest' OR t.author_id LIKE 'guest:%' THEN 'guest' ELSE 'signed' END
    FROM ops o LEFT JOIN trust_certs c ON c.cert_id = o.cert_id WHERE o.op_id = t.id), 'unsigned') AS trust`;

// Parameter 1 of every query: the op-log seq up to which sync peers have our writes (null: no
// peers, nothing is pending). Entries written here after it are pending.
const columns = `t.id, t.incident_id, t.kind, t.text, t.event_at, t.recorded_at, t.author_id, t.corrects, t.source,
  (SELECT json_group_array(c.id) FROM (SELECT id FROM timeline_entries WHERE corrects = t.id ORDER BY event_at, hlc) c) AS corrected_by,
  coalesce((SELECT is_pinned FROM timeline_pins p WHERE p.id = t.incident_id || '/' || t.id), 0) AS is_pinned,
  CASE WHEN @acked IS NULL THEN 0 ELSE
    coalesce((SELECT o.source IS NULL AND o.seq > @acked FROM ops o WHERE o.op_id = t.id), 0) END AS is_pending,
  coalesce((SELECT reason FROM sync_rejections r WHERE r.op_id = t.id AND r.direction = 'push' LIMIT 1),
    (SELECT reason FROM sync_waiting w WHERE w.op_id = t.id LIMIT 1)) AS refusal,
  ${trustColumn}`;

/** The WHERE clause and parameters of a filtered timeline. */
function where(filter: TimelineFilter): { sql: string; key: string } {
  const parts = ['t.incident_id = @incidentId'];
  if (filter.kinds && filter.kinds.length > 0) parts.push('t.kind IN (SELECT value FROM json_each(@kinds))');
  if (filter.authorId) parts.push('t.author_id = @authorId');
  if (filter.isPinnedOnly) parts.push("t.incident_id || '/' || t.id IN (SELECT id FROM timeline_pins WHERE incident_id = @incidentId AND is_pinned = 1)");
  return { sql: parts.join(' AND '), key: parts.length === 1 ? 'all' : parts.join('|') };
}

function params(incidentId: string, filter: TimelineFilter) {
  return { incidentId, kinds: JSON.stringify(filter.kinds ?? []), authorId: filter.authorId ?? null };
}

export function createTimelineStore(db: Database, pendingAfter: () => number | null = () => null) {
  // Newest first: timeline_order read backwards (entries with the same event time newest-written
  // first). The cursor names the last entry given; its clock places it among equal event times (a
  // cursor naming no entry here goes on from before its event time).
  const first = db.prepare(`SELECT ${columns} FROM timeline_entries t WHERE t.incident_id = @incidentId
    ORDER BY t.event_at DESC, t.hlc DESC LIMIT @limit`);
  const after = db.prepare(`SELECT ${columns} FROM timeline_entries t WHERE t.incident_id = @incidentId
    AND (t.event_at, t.hlc) < (@eventAt, coalesce((SELECT hlc FROM timeline_entries WHERE id = @id), ''))
    ORDER BY t.event_at DESC, t.hlc DESC LIMIT @limit`);
  const get = db.prepare(`SELECT ${columns} FROM timeline_entries t WHERE t.id = @id`);
  const getOrder = db.prepare('SELECT incident_id, event_at, hlc FROM timeline_entries WHERE id = ?');
  const refusedIn = db.prepare(`SELECT op_id, hlc, actor_id, entity, fields, refusal FROM ops
    WHERE stream_id = ? AND refusal IS NOT NULL ORDER BY hlc, op_id`);
  const authors = db.prepare('SELECT DISTINCT author_id FROM timeline_entries WHERE incident_id = ? ORDER BY author_id').pluck();

  // Filtered statements, one set per filter shape.
  const cache = new Map<string, { window: Statement; count: Statement; before: Statement }>();
  const statementsFor = (filter: TimelineFilter) => {
    const clause = where(filter);
    let statements = cache.get(clause.key);
    if (!statements) {
      statements = {
        window: db.prepare(`SELECT ${columns} FROM timeline_entries t WHERE ${clause.sql} ORDER BY t.event_at, t.hlc LIMIT @limit OFFSET @offset`),
        count: db.prepare(`SELECT count(*) FROM timeline_entries t WHERE ${clause.sql}`).pluck(),
        before: db.prepare(`SELECT count(*) FROM timeline_entries t WHERE ${clause.sql} AND (t.event_at, t.hlc) < (@eventAt, @hlc)`).pluck(),
      };
      cache.set(clause.key, statements);
    }
    return statements;
  };

  return {
    /** A page of entries, newest event first, and the cursor for the next page (null at the end). */
    page(incidentId: string, limit: number, before?: TimelineCursor): { entries: TimelineEntry[]; next: TimelineCursor | null } {
      const acked = pendingAfter();
      const rows = (
        before ? after.all({ acked, incidentId, eventAt: before.eventAt, id: before.id, limit: limit + 1 }) : first.all({ acked, incidentId, limit: limit + 1 })
      ) as EntryRow[];
      const entries = rows.slice(0, limit).map(toEntry);
      const last = entries.at(-1);
      return { entries, next: rows.length > limit && last ? { eventAt: last.eventAt, id: last.id } : null };
    },
    /** Entries `offset`… of the filtered timeline in event-time order, and how many match in all. */
    window(incidentId: string, offset: number, limit: number, filter: TimelineFilter, anchor: 'start' | 'end' = 'start'): TimelineWindow {
      const statements = statementsFor(filter);
      const p = params(incidentId, filter);
      // Count and rows in one read transaction, so the offset of an `end` window matches its rows.
      const read = db.transaction(() => {
        const total = statements.count.get(p) as number;
        const start = anchor === 'end' ? Math.max(0, total - limit) : offset;
        return { total, start, rows: statements.window.all({ ...p, acked: pendingAfter(), limit, offset: start }) as EntryRow[] };
      });
      const { total, start, rows } = read();
      return { total, offset: start, entries: rows.map(toEntry) };
    },
    /** The position of an entry in the filtered timeline, or null if the filter hides it. */
    locate(incidentId: string, entryId: string, filter: TimelineFilter): number | null {
      const entry = getOrder.get(entryId) as { incident_id: string; event_at: number; hlc: string } | undefined;
      if (!entry || entry.incident_id !== incidentId) return null;
      const statements = statementsFor(filter);
      const p = params(incidentId, filter);
      const position = statements.before.get({ ...p, eventAt: entry.event_at, hlc: entry.hlc }) as number;
      // The entry itself must pass the filter: it is then the one at its position.
      const [atPosition] = statements.window.all({ ...p, acked: null, limit: 1, offset: position }) as EntryRow[];
      return atPosition?.id === entryId ? position : null;
    },
    get(id: string): TimelineEntry | undefined {
      const row = get.get({ acked: pendingAfter(), id }) as EntryRow | undefined;
      return row && toEntry(row);
    },
    authors: (incidentId: string): string[] => authors.all(incidentId) as string[],
    /** The incident's refused ops, oldest first (they are in the log, not in the timeline). */
    refused(incidentId: string): RefusedRecord[] {
      const rows = refusedIn.all(incidentStream(incidentId)) as { op_id: string; hlc: string; actor_id: string; entity: string; fields: string; refusal: string }[];
      return rows.map((row) => {
        const text = (JSON.parse(row.fields) as { text?: unknown }).text;
        return {
          opId: row.op_id,
          at: decodeHlc(row.hlc).ms,
          actorId: row.actor_id,
          entity: row.entity,
          text: typeof text === 'string' ? text : null,
          reason: row.refusal,
        };
      });
    },
  };
}
export type TimelineStore = ReturnType<typeof createTimelineStore>;
