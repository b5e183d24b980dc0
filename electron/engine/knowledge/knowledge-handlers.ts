// The review's "as seen by" call (reviews.knowledge): reads an incident's timeline entries, its
// receipt rows and how far each device's receipts reach, and hands them to the pure computation in
// shared/domain/knowledge.
import type { Database } from 'better-sqlite3';
import type { Handlers } from '@shared/contract';
import { computeKnowledge, KnowledgeError, type Hold, type KnownEntry, type ReceiptReach } from '@shared/domain/knowledge';
import { incidentStream } from '@shared/entities';
import { ApiError } from '@shared/errors';
import { decodeHlc } from '@shared/hlc';

export function knowledgeHandlers({ db }: { db: Database }): Pick<Handlers, 'reviews.knowledge'> {
  const exists = db.prepare('SELECT 1 FROM incidents WHERE id = ?').pluck();
  const entries = db.prepare(
    'SELECT id, kind, text, author_id AS authorId, recorded_at AS recordedAt FROM timeline_entries WHERE incident_id = ? ORDER BY recorded_at, id',
  );
  const holds = db.prepare('SELECT op_id AS opId, actor, device_id AS deviceId, held_at AS heldAt FROM op_receipts WHERE incident_id = ?');
  const reach = db.prepare(`SELECT actor_id AS actor, device_id AS deviceId, max(hlc) AS hlc FROM ops
    WHERE stream_id = ? AND entity = 'op_receipt' AND refusal IS NULL GROUP BY actor_id, device_id`);
  return {
    'reviews.knowledge': (request) => {
      if (exists.get(request.incidentId) === undefined) throw new ApiError('not_found', `There is no incident ${request.incidentId} on this laptop.`);
      const input = {
        entries: entries.all(request.incidentId) as KnownEntry[],
        holds: holds.all(request.incidentId) as Hold[],
        reach: (reach.all(incidentStream(request.incidentId)) as { actor: string; deviceId: string; hlc: string }[]).map((r): ReceiptReach => ({
          actor: r.actor,
          deviceId: r.deviceId,
          newestAt: decodeHlc(r.hlc).ms,
        })),
      };
      try {
        return computeKnowledge(input, request);
      } catch (error) {
        if (error instanceof KnowledgeError) throw new ApiError('bad_request', error.message);
        throw error;
      }
    },
  };
}
