// The chat mirror: an incident opted in to a chat target (incident_mirror) has each new timeline
// entry of the chosen kinds, and each internal update it publishes, queued as a send to that target.
// Only a replica holding the target's secret queues them; the row ids follow from the entry, so
// replicas that queue the same post write the same row (its request fields only: never its state).
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { incidentRowId } from '@shared/entities';
import type { OpDraft } from '@shared/ops';
import type { Replica } from '../core/replica';
import type { IncidentStore } from '../incidents/incident-store';
import type { IntegrationStore } from './integration-store';

/**
 * A send id short enough for row ids (at most 100 characters: incidentId/sendId/targetId): "int-",
 * what it is for, and 16 hex characters derived from what it sends, so replicas derive the same one.
 */
export const shortSendId = (what: 'p' | 'r' | 'm' | 'u' | 't', from: string) => `int-${what}-${createHash('sha256').update(from).digest('hex').slice(0, 16)}`;

export const incidentLink = (incidentId: string) => `holdfast://incident/${encodeURIComponent(incidentId)}`;

const kindWords: Record<string, string> = { note: 'Note', decision: 'Decision', action: 'Action', observation: 'Observation', comms: 'Comms', system: 'Update' };

/** Queues the posts mirrors owe; how many it queued. */
export function queueMirrorPosts(deps: { db: Database; replica: Replica; store: IntegrationStore; incidents: IncidentStore; now: () => number }): number {
  const { db, replica, store, incidents } = deps;
  const entries = db.prepare(
    `SELECT e.id, e.kind, e.text, e.author_id FROM timeline_entries e
     WHERE e.incident_id = ? AND e.recorded_at >= ? AND e.kind IN (SELECT value FROM json_each(?))
       AND NOT EXISTS (SELECT 1 FROM integration_sends s WHERE s.source_id = e.id AND s.target_id = ?)
     ORDER BY e.event_at, e.id LIMIT 50`,
  );
  const updates = db.prepare(
    `SELECT u.update_id, u.title, u.body FROM comms_published u
     WHERE u.incident_id = ? AND u.audience = 'internal' AND u.published_at >= ?
       AND NOT EXISTS (SELECT 1 FROM integration_sends s WHERE s.source_id = u.update_id AND s.target_id = ?)
     ORDER BY u.published_at LIMIT 20`,
  );
  const drafts: OpDraft[] = [];
  for (const mirror of store.enabledMirrors()) {
    const target = store.target(mirror.targetId);
    if (!target?.config || target.deleted || !target.isEnabled) continue;
    const incident = incidents.get(mirror.incidentId);
    if (!incident) continue;
    const base = {
      incidentId: mirror.incidentId,
      targetId: target.id,
      targetName: target.name,
      kind: target.config.kind,
      purpose: 'mirror',
      link: incidentLink(mirror.incidentId),
      dedupKey: null,
      teamId: null,
      requestedBy: replica.actorId,
    };
    for (const entry of entries.all(mirror.incidentId, mirror.since, JSON.stringify(mirror.kinds), target.id) as {
      id: string;
      kind: string;
      text: string;
      author_id: string;
    }[]) {
      const sendId = shortSendId('m', entry.id);
      drafts.push({
        entity: 'integration_send',
        rowId: incidentRowId(mirror.incidentId, `${sendId}/${target.id}`),
        fields: {
          ...base,
          sendId,
          sourceId: entry.id,
          title: `${kindWords[entry.kind] ?? entry.kind} in "${incident.title}"`,
          text: `${entry.text.slice(0, 7000)}\n— ${entry.author_id}`,
          requestedAt: deps.now(),
        },
      });
    }
    if (mirror.internalUpdates) {
      for (const update of updates.all(mirror.incidentId, mirror.since, target.id) as { update_id: string; title: string; body: string }[]) {
        const sendId = shortSendId('u', update.update_id);
        drafts.push({
          entity: 'integration_send',
          rowId: incidentRowId(mirror.incidentId, `${sendId}/${target.id}`),
          fields: {
            ...base,
            sendId,
            sourceId: update.update_id,
            title: `Internal update: ${update.title}`.slice(0, 500),
            text: update.body.slice(0, 8000),
            requestedAt: deps.now(),
          },
        });
      }
    }
  }
  if (drafts.length === 0) return 0;
  replica.commitLocal(drafts);
  return drafts.length;
}
