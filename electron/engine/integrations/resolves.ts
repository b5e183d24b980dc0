// Resolving (or closing) an incident resolves the alerts it raised: for each page a paging vendor
// took, one `resolve` send per dedup key and target (PagerDuty event_action resolve with the same
// dedup_key, Opsgenie close by alias, Grafana OnCall state ok, the webhook's type "resolve"), through
// the same outbox sends. Only a laptop holding the target's secret queues them (it is the one that
// can send), and each row id is fixed by the dedup key and target, so two laptops queue the same row.
import type { Database } from 'better-sqlite3';
import { incidentRowId } from '@shared/entities';
import type { OpDraft } from '@shared/ops';
import type { Replica } from '../core/replica';
import type { IncidentStore } from '../incidents/incident-store';
import { systemEntry } from '../incidents/incident-handlers';
import type { IntegrationStore } from './integration-store';
import { incidentLink, shortSendId } from './mirror';

/** Whether a send id names a resolve send (int-r-…). */
export const isResolveSend = (sendId: string) => sendId.startsWith('int-r-');

interface Paged {
  incidentId: string;
  targetId: string;
  targetName: string;
  kind: string;
  dedupKey: string;
  teamId: string | null;
  title: string;
}

/** Queues the resolve sends resolved or closed incidents owe; how many it queued. */
export function queueResolveSends(deps: { db: Database; replica: Replica; store: IntegrationStore; incidents: IncidentStore; now: () => number }): number {
  const { db, replica, store, incidents, now } = deps;
  const paged = db
    .prepare(
      `SELECT incident_id AS incidentId, target_id AS targetId, target_name AS targetName, kind, dedup_key AS dedupKey, team_id AS teamId, title
         FROM integration_sends WHERE purpose = 'page' AND state IN ('delivered', 'acknowledged') AND dedup_key IS NOT NULL AND send_id NOT LIKE 'int-r-%'
         GROUP BY incident_id, dedup_key, target_id`,
    )
    .all() as Paged[];
  const drafts: OpDraft[] = [];
  for (const page of paged) {
    const incident = incidents.get(page.incidentId);
    if (!incident || (incident.status !== 'resolved' && incident.status !== 'closed')) continue;
    const target = store.target(page.targetId);
    if (!target?.config || target.deleted) continue;
    const sendId = shortSendId('r', `${page.dedupKey}\n${page.targetId}`);
    const rowId = incidentRowId(page.incidentId, `${sendId}/${page.targetId}`);
    if (store.send(rowId)) continue;
    const at = now();
    drafts.push(
      {
        entity: 'integration_send',
        rowId,
        fields: {
          incidentId: page.incidentId,
          sendId,
          targetId: page.targetId,
          targetName: page.targetName,
          kind: target.kind ?? page.kind,
          purpose: 'page',
          title: `Resolved: ${incident.title}`.slice(0, 500),
          text: `Holdfast incident "${incident.title}" is ${incident.status}.`,
          link: incidentLink(page.incidentId),
          dedupKey: page.dedupKey,
          teamId: page.teamId,
          sourceId: null,
          requestedBy: replica.actorId,
          requestedAt: at,
        },
      },
      systemEntry(page.incidentId, `The incident is ${incident.status}: resolving the page at ${page.targetName}.`, at),
    );
  }
  if (drafts.length > 0) replica.commitLocal(drafts);
  return drafts.length / 2;
}
