// Asking for integration sends: paging a team (or a service's owner team) through every paging
// target it carries, filing an action item in a tracker (a new row only when its content changed,
// so a second sync with nothing new sends nothing), opting an incident in to a chat mirror, and
// retrying a send that failed. Each send is a row the outbox delivers (integration-outbox.ts).
import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type { ParsedRequest } from '@shared/contract';
import { pageDedupKey, purposeOf, type MirrorView, type SendView } from '@shared/domain/integrations';
import { incidentRowId } from '@shared/entities';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import type { OpDraft } from '@shared/ops';
import type { Replica } from '../core/replica';
import type { IncidentStore } from '../incidents/incident-store';
import { mustGetIncident, mustGetOpenIncident, systemEntry } from '../incidents/incident-handlers';
import type { IntegrationStore, StoredSend } from './integration-store';
import { incidentLink, shortSendId } from './mirror';

export interface SendDeps {
  db: Database;
  replica: Replica;
  store: IntegrationStore;
  incidents: IncidentStore;
  now: () => number;
}

export const sendView = (s: StoredSend): SendView => {
  const { incidentId: _i, text: _t, link: _l, dedupKey: _d, sentDigest: _s, by: _b, updatedAt: _u, ...view } = s;
  return view;
};

/** Pages a team (or the owner team of a service) through each paging target it carries. */
export function pageTeam(deps: SendDeps, request: ParsedRequest<'integrations.page'>): SendView[] {
  const { db, replica, store, incidents, now } = deps;
  const incident = mustGetOpenIncident(incidents, request.incidentId);
  let teamId = request.teamId;
  if (request.serviceId !== undefined) {
    const service = db.prepare('SELECT name, owner_team_id FROM services WHERE id = ?').get(request.serviceId) as
      { name: string; owner_team_id: string | null } | undefined;
    if (!service) throw new ApiError('not_found', `No service ${request.serviceId} in the catalog.`);
    if (!service.owner_team_id)
      throw new ApiError('bad_request', `The service ${service.name} names no owner team; set its owner in the catalog, or page a team by name.`);
    teamId = service.owner_team_id;
  }
  const team = db.prepare('SELECT name FROM teams WHERE id = ? AND deleted = 0').get(teamId) as { name: string } | undefined;
  if (!teamId || !team) throw new ApiError('not_found', `No team ${teamId ?? ''} in the directory.`);
  const targets = store
    .teamTargetIds(teamId)
    .map((id) => store.target(id))
    .filter((t) => t && !t.deleted && t.isEnabled && t.kind && purposeOf(t.kind) === 'page');
  if (targets.length === 0)
    throw new ApiError(
      'bad_request',
      `${team.name} carries no paging target; add a PagerDuty, Opsgenie, Grafana OnCall or webhook target in Settings › Integrations and give it to the team in the directory.`,
    );
  const at = now();
  const sendId = shortSendId('p', uuidv7(at));
  const note = request.note?.trim();
  const drafts: OpDraft[] = targets.map((target) => ({
    entity: 'integration_send',
    rowId: incidentRowId(incident.id, `${sendId}/${target!.id}`),
    fields: {
      incidentId: incident.id,
      sendId,
      targetId: target!.id,
      targetName: target!.name,
      kind: target!.kind!,
      purpose: 'page',
      title: `${incident.severity} ${incident.title}`.slice(0, 500),
      text:
        (note ? `${note}\n\n` : '') + `Holdfast incident "${incident.title}" (${incident.severity}, ${incident.status}) needs ${team.name}; paged by ${replica.actorId}.`,
      link: incidentLink(incident.id),
      // The same for every page of this team in this incident: the vendor keeps one alert.
      dedupKey: pageDedupKey(incident.id, teamId),
      teamId: teamId,
      sourceId: null,
      requestedBy: replica.actorId,
      requestedAt: at,
    },
  }));
  drafts.push(systemEntry(incident.id, `${replica.actorId} paged ${team.name} via ${targets.map((t) => t!.name).join(', ')}.`, at));
  replica.commitLocal(drafts);
  return store
    .sends(incident.id)
    .filter((s) => s.sendId === sendId)
    .map(sendView);
}

const digestOf = (title: string, text: string) => createHash('sha256').update(`${title}\n${text}`).digest('hex').slice(0, 16);

/**
 * Files an action item in a tracker, or updates the item filed before: a send row per version of
 * its content, so syncing an unchanged item again changes nothing.
 */
export function fileActionItem(deps: SendDeps, request: ParsedRequest<'integrations.fileActionItem'>): SendView {
  const { db, replica, store, incidents, now } = deps;
  const incident = mustGetIncident(incidents, request.incidentId);
  const item = db.prepare('SELECT title, note, priority, status, owner_id FROM action_items WHERE id = ?').get(request.actionItemId) as
    { title: string; note: string; priority: string; status: string; owner_id: string | null } | undefined;
  if (!item) throw new ApiError('not_found', `No action item ${request.actionItemId} in this incident's review.`);
  const target = store.target(request.targetId);
  if (!target || target.deleted || !target.kind) throw new ApiError('not_found', `No integration target ${request.targetId}.`);
  if (purposeOf(target.kind) !== 'track') throw new ApiError('bad_request', `${target.name} is not a tracker (Jira, Linear or GitHub Issues).`);
  const title = item.title.slice(0, 500);
  const text = [item.note.trim(), `Priority: ${item.priority}. Status: ${item.status}.${item.owner_id ? ` Owner: ${item.owner_id}.` : ''}`].filter(Boolean).join('\n\n');
  const digest = digestOf(title, text);
  // One row per version of the item's content: the same content gives the same row.
  const sendId = shortSendId('t', `${request.actionItemId}\n${digest}`);
  const rowId = incidentRowId(incident.id, `${sendId}/${target.id}`);
  const existing = store.send(rowId);
  if (existing) return sendView(existing);
  replica.commitLocal([
    {
      entity: 'integration_send',
      rowId,
      fields: {
        incidentId: incident.id,
        sendId,
        targetId: target.id,
        targetName: target.name,
        kind: target.kind,
        purpose: 'track',
        title,
        text,
        link: incidentLink(incident.id),
        dedupKey: null,
        teamId: null,
        sourceId: request.actionItemId,
        requestedBy: replica.actorId,
        requestedAt: now(),
        sentDigest: digest,
      },
    },
  ]);
  return sendView(store.send(rowId)!);
}

export function mirrorViews(store: IntegrationStore, incidentId: string): MirrorView[] {
  return store.mirrors(incidentId).map((m) => ({ ...m, targetName: store.target(m.targetId)?.name ?? m.targetId }));
}

/** Opts an incident in to (or out of) mirroring to a chat target; only entries from now on are posted. */
export function setMirror(deps: SendDeps, request: ParsedRequest<'integrations.setMirror'>): MirrorView[] {
  const { replica, store, incidents, now } = deps;
  const incident = mustGetIncident(incidents, request.incidentId);
  const target = store.target(request.targetId);
  if (!target || target.deleted || !target.kind) throw new ApiError('not_found', `No integration target ${request.targetId}.`);
  if (purposeOf(target.kind) !== 'mirror') throw new ApiError('bad_request', `${target.name} is not a chat target (Slack, Microsoft Teams or Mattermost).`);
  if (request.isEnabled && request.kinds.length === 0 && !request.internalUpdates)
    throw new ApiError('bad_request', 'Choose at least one timeline kind or internal updates to mirror.');
  const current = store.mirrors(incident.id).find((m) => m.targetId === target.id);
  const since = request.isEnabled && !current?.isEnabled ? now() : (current?.since ?? now());
  replica.commitLocal([
    {
      entity: 'incident_mirror',
      rowId: incidentRowId(incident.id, target.id),
      fields: {
        incidentId: incident.id,
        targetId: target.id,
        kinds: request.kinds,
        internalUpdates: request.internalUpdates,
        isEnabled: request.isEnabled,
        since,
        updatedBy: replica.actorId,
      },
    },
  ]);
  return mirrorViews(store, incident.id);
}

/** Sends a failed or waiting send again now. */
export function retrySend(deps: SendDeps, request: ParsedRequest<'integrations.retry'>): SendView {
  const { replica, store } = deps;
  const send = store.send(request.rowId);
  if (!send) throw new ApiError('not_found', `No integration send ${request.rowId}.`);
  if (send.state === 'acknowledged' || send.state === 'resolved')
    throw new ApiError('conflict', `${send.targetName} already has it: the page was ${send.state} (${send.detail}).`);
  if (send.state === 'delivered') throw new ApiError('conflict', `${send.targetName} already has it (${send.detail}).`);
  if (send.state === 'sending') throw new ApiError('conflict', `It is being sent to ${send.targetName} right now.`);
  // Its claim was released when it failed, so whichever replica holds the target may take it again.
  replica.commitLocal([{ entity: 'integration_send', rowId: send.rowId, fields: { incidentId: send.incidentId, state: 'queued', nextAttemptAt: null } }]);
  return sendView(store.send(send.rowId)!);
}
