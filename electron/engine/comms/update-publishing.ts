// Publishing a stakeholder update: an appended record of exactly what went out, one queued delivery
// row per channel for the outbox, and the timeline entry, in one commit; and retrying by hand a
// delivery that failed.
import type { ParsedRequest } from '@shared/contract';
import type { PublishedUpdate } from '@shared/domain/comms-api';
import { ApiError } from '@shared/errors';
import type { OpDraft } from '@shared/ops';
import { mustGetIncident, systemEntry } from '../incidents/incident-handlers';
import { channelNames, usableChannels } from './channel-settings';
import type { CommsDeps } from './comms-deps';
import { deliveryRowId, updateRowId } from './comms-store';
import { mustGetEditable } from './update-drafts';
import { contextOf, describeLint, draftView, publishedAlready, publishedView, updateLabel } from './update-views';

export function publishUpdate(deps: CommsDeps, request: ParsedRequest<'comms.publish'>): PublishedUpdate {
  const { replica, comms, now } = deps;
  const { incident, update } = mustGetEditable(deps, request.incidentId, request.updateId);
  // One publication per update: publishing one that has a publication (someone else's, written
  // without marking the draft) would leave theirs in place and drop this text silently.
  const existing = comms.publishedOne(incident.id, update.id);
  if (existing) throw new ApiError('conflict', publishedAlready(existing));
  const view = draftView(update, contextOf(deps, incident));
  if (view.publishRefusal) throw new ApiError('conflict', view.publishRefusal);
  if (view.findings.length > 0 && !request.acknowledgeLint) {
    throw new ApiError(
      'conflict',
      `The update has ${view.findings.length} lint finding${view.findings.length === 1 ? '' : 's'}: ${describeLint(view.findings)}. Fix them, or publish anyway.`,
    );
  }
  const channels = usableChannels(comms).filter((c) => c.isEnabled && update.channelIds.includes(c.id));
  const missing = update.channelIds.filter((id) => !channels.some((c) => c.id === id));
  if (missing.length > 0)
    throw new ApiError('conflict', `Channel ${channelNames(comms, missing).join(', ')} is disabled or removed: untick it, or enable it in Settings.`);
  const at = now();
  const approvedBy = view.needsApproval ? update.decidedBy : null;
  const via = channels.length > 0 ? ` via ${channels.map((c) => c.name).join(', ')}` : ' (no channel: copied out by hand)';
  const acknowledged = [...new Set(view.findings.map((f) => f.rule))];
  replica.commitLocal([
    {
      entity: 'comms_published',
      rowId: '',
      fields: {
        incidentId: incident.id,
        updateId: update.id,
        audience: update.audience,
        title: view.rendered.title,
        body: view.rendered.body,
        nextUpdateAt: update.nextUpdateAt,
        channels: channels.map((c) => ({ id: c.id, name: c.name, kind: c.kind ?? 'unknown' })),
        approvedBy,
        lintAcknowledged: acknowledged,
        publishedAt: at,
      },
    },
    { entity: 'comms_update', rowId: updateRowId(incident.id, update.id), fields: { incidentId: incident.id, state: 'published', publishedAt: at } },
    ...channels.map((c): OpDraft => ({
      entity: 'comms_delivery',
      rowId: deliveryRowId(incident.id, update.id, c.id),
      fields: {
        incidentId: incident.id,
        updateId: update.id,
        channelId: c.id,
        channelName: c.name,
        kind: c.kind ?? 'unknown',
        state: 'queued',
        attempts: 0,
        lastError: '',
        nextAttemptAt: null,
        deliveredAt: null,
        detail: '',
        remoteId: null,
        by: '',
      },
    })),
    systemEntry(
      incident.id,
      `${replica.actorId} published the ${updateLabel(update, view.rendered.title)}${via}${approvedBy ? `, approved by ${approvedBy}` : ''}${acknowledged.length > 0 ? `, with lint findings acknowledged (${acknowledged.join(', ')})` : ''}.`,
      at,
    ),
  ]);
  deps.nudgeOutbox();
  return publishedView(comms.publishedOne(incident.id, update.id)!, incident, comms.deliveries(incident.id));
}

export function retryDelivery(deps: CommsDeps, request: ParsedRequest<'comms.retry'>): PublishedUpdate {
  const { replica, incidents, comms, now } = deps;
  const incident = mustGetIncident(incidents, request.incidentId);
  const published = comms.publishedOne(incident.id, request.updateId);
  if (!published) throw new ApiError('not_found', `Update ${request.updateId} is not published in this incident.`);
  const rowId = deliveryRowId(incident.id, request.updateId, request.channelId);
  const delivery = comms.delivery(rowId);
  if (!delivery) throw new ApiError('not_found', `Update ${request.updateId} was not sent to channel ${request.channelId}.`);
  if (delivery.state !== 'failed') {
    throw new ApiError(
      'conflict',
      `The delivery to ${delivery.channelName} is ${delivery.state}${delivery.state === 'retrying' ? ': it is retried automatically' : ''}; only a failed delivery is retried by hand.`,
    );
  }
  replica.commitLocal([
    { entity: 'comms_delivery', rowId, fields: { incidentId: incident.id, state: 'queued', nextAttemptAt: null } },
    systemEntry(incident.id, `${replica.actorId} asked to send the ${updateLabel(published, published.title)} to ${delivery.channelName} again.`, now()),
  ]);
  deps.nudgeOutbox();
  return publishedView(published, incident, comms.deliveries(incident.id));
}
