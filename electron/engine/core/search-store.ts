// Full-text search (FTS5) over incident titles and summaries and timeline text. The user's words
// are quoted term by term, so FTS syntax in the input can never raise an error or widen a query.
import type { Database } from 'better-sqlite3';
import type { SearchHit } from '@shared/domain/search';
import { highlightEnd, highlightStart } from '@shared/domain/search';

/** `checkout 502 eu` → `"checkout" "502" "eu"*`: every word must match, the last as a prefix. */
export function toFtsQuery(text: string): string | null {
  const words = text
    .split(/\s+/)
    .map((word) => word.replace(/["\u0000-\u001f]/g, ''))
    .filter((word) => /[\p{L}\p{N}]/u.test(word));
  if (words.length === 0) return null;
  return words.map((word, index) => `"${word}"${index === words.length - 1 ? '*' : ''}`).join(' ');
}

export function createSearchStore(db: Database) {
  const incidents = db.prepare(`SELECT i.id AS incidentId, i.id AS rowId, 'incident' AS kind, i.title AS title,
      snippet(incidents_fts, -1, '${highlightStart}', '${highlightEnd}', '…', 16) AS snippet, bm25(incidents_fts) AS rank
    FROM incidents_fts JOIN incidents i ON i.rowid = incidents_fts.rowid
    WHERE incidents_fts MATCH ? AND i.deleted = 0 ORDER BY rank LIMIT ?`);
  // Across incidents, automatic entries are left out: they repeat titles and names the incident hit already shows.
  const timeline = db.prepare(`SELECT t.incident_id AS incidentId, t.id AS rowId, 'timeline' AS kind, i.title AS title,
      snippet(timeline_fts, 0, '${highlightStart}', '${highlightEnd}', '…', 16) AS snippet, bm25(timeline_fts) AS rank
    FROM timeline_fts JOIN timeline_entries t ON t.rowid = timeline_fts.rowid
    LEFT JOIN incidents i ON i.id = t.incident_id
    WHERE timeline_fts MATCH ? AND coalesce(i.deleted, 0) = 0 AND t.kind <> 'system' ORDER BY rank LIMIT ?`);
  // One incident's timeline, newest first: on a long timeline the latest matches matter most.
  const incidentTimeline = db.prepare(`SELECT t.incident_id AS incidentId, t.id AS rowId, 'timeline' AS kind, i.title AS title,
      snippet(timeline_fts, 0, '${highlightStart}', '${highlightEnd}', '…', 16) AS snippet, 0 AS rank
    FROM timeline_fts JOIN timeline_entries t ON t.rowid = timeline_fts.rowid
    LEFT JOIN incidents i ON i.id = t.incident_id
    WHERE timeline_fts MATCH ? AND t.incident_id = ? ORDER BY t.event_at DESC, t.hlc DESC LIMIT ?`);

  const backlogChunk = db.prepare('SELECT entry_rowid FROM fts_backlog ORDER BY entry_rowid LIMIT ?').pluck();
  const indexEntries = db.prepare(`INSERT INTO timeline_fts (rowid, text)
    SELECT rowid, text FROM timeline_entries WHERE rowid IN (SELECT value FROM json_each(?))`);
  const dequeue = db.prepare('DELETE FROM fts_backlog WHERE entry_rowid IN (SELECT value FROM json_each(?))');
  const anyQueued = db.prepare('SELECT 1 FROM fts_backlog LIMIT 1').pluck();
  const indexChunk = db.transaction((limit: number): number => {
    const rowids = JSON.stringify(backlogChunk.all(limit));
    indexEntries.run(rowids);
    return dequeue.run(rowids).changes;
  });

  return {
    /** Indexes up to `limit` queued timeline entries; returns how many. */
    indexBacklog(limit = 2000): number {
      return indexChunk(limit);
    },
    hasBacklog(): boolean {
      return anyQueued.get() !== undefined;
    },
    search(text: string, limit: number, incidentId?: string): SearchHit[] {
      while (indexChunk(5000) > 0) {
        // a search always sees every entry: finish indexing first
      }
      const query = toFtsQuery(text);
      if (!query) return [];
      const rows = (
        incidentId === undefined ? [...incidents.all(query, limit), ...timeline.all(query, limit)] : incidentTimeline.all(query, incidentId, limit)
      ) as (SearchHit & { rank: number; title: string | null })[];
      return rows
        .sort((a, b) => a.rank - b.rank)
        .slice(0, limit)
        .map(({ rank: _rank, title, ...hit }) => ({ ...hit, title: title ?? '' }));
    },
  };
}
