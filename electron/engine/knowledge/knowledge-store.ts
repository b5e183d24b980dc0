// What the review's "as seen by" computation reads from this replica: an incident's timeline
// entries, its receipt rows, and how far each device's receipts reach (its newest receipt op).
import type { Database } from 'better-sqlite3';
import type { Hold, KnownEntry, ReceiptReach } from '@shared/domain/knowledge';
import { incidentStream } from '@shared/entities';
import { decodeHlc } from '@shared/hlc';

export interface KnowledgeInput {
  entries: KnownEntry[];
  holds: Hold[];
  reach: ReceiptReach[];
}

export interface KnowledgeStore {
  /** The incident's entries, receipts and receipt reach; undefined when this replica does not hold it. */
  inputOf(incidentId: string): KnowledgeInput | undefined;
}

export function createKnowledgeStore(db: Database): KnowledgeStore {
  const exists = db.prepare('SELECT 1 FROM incidents WHERE id = ?').pluck();
  const entries = db.prepare(
    'SELECT id, kind, text, author_id AS authorId, recorded_at AS recordedAt FROM timeline_entries WHERE incident_id = ? ORDER BY recorded_at, id',
  );
  const holds = db.prepare('SELECT op_id AS opId, actor, device_id AS deviceId, held_at AS heldAt FROM op_receipts WHERE incident_id = ?');
  const reach = db.prepare(`SELECT actor_id AS actor, device_id AS deviceId, max(hlc) AS hlc FROM ops
    WHERE stream_id = ? AND entity = 'op_receipt' AND refusal IS NULL GROUP BY actor_id, device_id`);
  return {
    inputOf(incidentId) {
      if (exists.get(incidentId) === undefined) return undefined;
      return {
        entries: entries.all(incidentId) as KnownEntry[],
        holds: holds.all(incidentId) as Hold[],
        reach: (reach.all(incidentStream(incidentId)) as { actor: string; deviceId: string; hlc: string }[]).map((r) => ({
          actor: r.actor,
          deviceId: r.deviceId,
          newestAt: decodeHlc(r.hlc).ms,
        })),
      };
    },
  };
}
