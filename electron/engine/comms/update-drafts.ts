// Drafting an incident's stakeholder update: start one from a template or from the audience's last
// update, edit it (a wording change withdraws an approval), discard it.
import type { ParsedRequest } from '@shared/contract';
import { audienceLabels, cadenceStatus, nextUpdateSuggestion } from '@shared/domain/comms';
import type { UpdateDraft } from '@shared/domain/comms-api';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import type { OpDraft } from '@shared/ops';
import type { Replica } from '../core/replica';
import { mustGetOpenIncident } from '../incidents/incident-handlers';
import { usableChannels } from './channel-settings';
import type { CommsDeps } from './comms-deps';
import { commsSettings } from './comms-settings';
import { updateRowId } from './comms-store';
import { templateViews } from './update-templates';
import { contextOf, draftView, mustGetUpdate, renderOf, viewOf } from './update-views';

export function startUpdate(deps: CommsDeps, request: ParsedRequest<'comms.start'>): UpdateDraft {
  const { replica, incidents, comms, now } = deps;
  const incident = mustGetOpenIncident(incidents, request.incidentId);
  const templates = templateViews(comms);
  const last = comms.updates(incident.id).find((u) => u.audience === request.audience && u.state === 'published') ?? null;
  let template = request.templateId ? templates.find((t) => t.id === request.templateId) : undefined;
  if (request.templateId && !template) throw new ApiError('not_found', `No update template ${request.templateId}; pick one from the library.`);
  if (template && template.audience !== request.audience) {
    throw new ApiError('bad_request', `"${template.name}" is a template for ${audienceLabels[template.audience]}, not ${audienceLabels[request.audience]}.`);
  }
  // A new update starts from the last one this audience read, unless a template is asked for.
  const base = template ?? (last ? null : templates.find((t) => t.audience === request.audience));
  if (!template && !last && !base) throw new ApiError('not_found', `There is no template for ${audienceLabels[request.audience]}; add one in the library.`);
  template = template ?? base ?? undefined;
  const settings = commsSettings(incidents);
  const status = cadenceStatus({
    severity: incident.severity,
    audience: request.audience,
    cadence: settings.cadence,
    declaredAt: incident.declaredAt,
    lastPublishedAt: null,
    now: now(),
  });
  const enabled = usableChannels(comms).filter((c) => c.isEnabled && c.audiences.includes(request.audience));
  const updateId = uuidv7();
  const { nextUpdate: _dropped, ...carried } = last?.values ?? {};
  writeUpdate(replica, incident.id, updateId, {
    audience: request.audience,
    templateId: template?.id ?? last?.templateId ?? null,
    title: template?.title ?? last!.title,
    body: template?.body ?? last!.body,
    values: carried,
    nextUpdateAt: nextUpdateSuggestion(status, now()),
    channelIds: last ? last.channelIds.filter((id) => enabled.some((c) => c.id === id)) : enabled.map((c) => c.id),
    approver: last?.approver ?? null,
    author: replica.actorId,
    createdAt: now(),
    state: 'draft',
    requestedAt: null,
    approvedDigest: null,
    decidedBy: null,
    decidedAt: null,
    decisionComment: '',
    publishedAt: null,
  });
  return viewOf(deps, incident.id, updateId);
}

export function saveUpdate(deps: CommsDeps, request: ParsedRequest<'comms.save'>): UpdateDraft {
  const { incident, update } = mustGetEditable(deps, request.incidentId, request.updateId);
  const fields: Record<string, unknown> = {};
  if (request.title !== undefined) fields.title = request.title;
  if (request.body !== undefined) fields.body = request.body;
  if (request.values !== undefined)
    fields.values = Object.fromEntries(
      Object.entries(request.values)
        .map(([k, v]) => [k, v.trim()])
        .filter(([, v]) => v !== ''),
    );
  if (request.nextUpdateAt !== undefined) fields.nextUpdateAt = request.nextUpdateAt;
  if (request.approver !== undefined) fields.approver = request.approver;
  if (request.channelIds !== undefined) {
    const known = new Set(usableChannels(deps.comms).map((c) => c.id));
    const unknown = request.channelIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new ApiError('bad_request', `No delivery channel ${unknown.join(', ')}: pick channels from the list.`);
    fields.channelIds = [...new Set(request.channelIds)];
  }
  const context = contextOf(deps, incident);
  if (Object.keys(fields).length === 0) return draftView(update, context);
  // An approval covers the text that was approved: a change to it needs a new approval.
  const after = { ...update, ...fields };
  const before = renderOf(update, context);
  const next = renderOf(after, context);
  // A change while approval is asked withdraws the request too: nobody approves wording they have not seen.
  const isDecided = update.state === 'approved' || update.state === 'rejected' || update.state === 'awaiting-approval';
  if (isDecided && (before.title !== next.title || before.body !== next.body)) fields.state = 'draft';
  writeUpdate(deps.replica, incident.id, update.id, fields);
  return viewOf(deps, incident.id, update.id);
}

export function discardUpdate(deps: CommsDeps, request: ParsedRequest<'comms.discard'>): UpdateDraft {
  const { incident, update } = mustGetEditable(deps, request.incidentId, request.updateId);
  writeUpdate(deps.replica, incident.id, update.id, { state: 'discarded' });
  return viewOf(deps, incident.id, update.id);
}

/** An update that may still change: not published, not discarded, in an incident still open. */
export function mustGetEditable(deps: Pick<CommsDeps, 'incidents' | 'comms'>, incidentId: string, updateId: string) {
  const incident = mustGetOpenIncident(deps.incidents, incidentId);
  const update = mustGetUpdate(deps.comms, incidentId, updateId);
  if (update.state === 'published') throw new ApiError('conflict', 'This update is published and cannot change; start a new update to correct it.');
  if (update.state === 'discarded') throw new ApiError('conflict', 'This update was discarded; start a new one.');
  return { incident, update };
}

/** Changes to an update, with anything that goes with them (a timeline entry), in one commit. */
export function writeUpdate(replica: Replica, incidentId: string, updateId: string, fields: Record<string, unknown>, extra: OpDraft[] = []): void {
  replica.commitLocal([{ entity: 'comms_update', rowId: updateRowId(incidentId, updateId), fields: { incidentId, ...fields } }, ...extra]);
}
