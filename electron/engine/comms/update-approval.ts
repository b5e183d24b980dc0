// Approval of stakeholder updates: asking a second person (who must be able to approve) and their
// decision, which covers exactly the wording they read. Both go on the timeline.
import type { ParsedRequest } from '@shared/contract';
import type { UpdateDraft } from '@shared/domain/comms-api';
import { ApiError } from '@shared/errors';
import { seatApprovalRefusal } from '@shared/trust/comms-rules';
import { systemEntry } from '../incidents/incident-handlers';
import type { CommsDeps } from './comms-deps';
import { mustGetEditable, writeUpdate } from './update-drafts';
import { approvalRefusalFor, contextOf, digestOf, draftView, nameOf, renderOf, updateLabel, viewOf } from './update-views';

export function requestApproval(deps: CommsDeps, request: ParsedRequest<'comms.requestApproval'>): UpdateDraft {
  const { replica, now } = deps;
  const { incident, update } = mustGetEditable(deps, request.incidentId, request.updateId);
  const context = contextOf(deps, incident);
  if (update.state === 'awaiting-approval' && update.approver === request.approver) return draftView(update, context);
  const asked = { ...update, approver: request.approver };
  if (request.approver) {
    const refusal = approvalRefusalFor(asked, request.approver, context);
    if (refusal) throw new ApiError('bad_request', `${request.approver} cannot approve this update: ${refusal}`);
  } else {
    // Someone must be able to approve it, or the request waits for nobody.
    const { commanderId, deputyId } = context.command;
    const candidates = [commanderId, deputyId, ...context.settings.namedApprovers].filter((p): p is string => Boolean(p) && p !== update.author);
    if (candidates.length === 0) throw new ApiError('conflict', 'Nobody else can approve this update yet: assign an incident commander or deputy, or name an approver.');
  }
  const rendered = renderOf(asked, context);
  const to = request.approver ? ` from ${nameOf(context, request.approver)}` : '';
  writeUpdate(
    replica,
    incident.id,
    update.id,
    { state: 'awaiting-approval', approver: request.approver, requestedAt: now(), decidedBy: null, decidedAt: null, decisionComment: '', approvedDigest: null },
    [systemEntry(incident.id, `${replica.actorId} asked for approval${to} of the ${updateLabel(update, rendered.title)}.`, now())],
  );
  return viewOf(deps, incident.id, update.id);
}

export function decideUpdate(deps: CommsDeps, request: ParsedRequest<'comms.decide'>): UpdateDraft {
  const { replica, now } = deps;
  const { incident, update } = mustGetEditable(deps, request.incidentId, request.updateId);
  if (update.state !== 'awaiting-approval') {
    throw new ApiError(
      'conflict',
      update.state === 'draft'
        ? 'Nobody has asked for approval of this update (or it changed since they did): there is nothing to decide yet.'
        : `This update is ${update.state} already; its author asks again after changing it.`,
    );
  }
  const context = contextOf(deps, incident);
  const refusal = approvalRefusalFor(update, replica.actorId, context);
  if (refusal) throw new ApiError('conflict', refusal);
  // The outbox of every replica counts a seat holder's approval only under a commander's or admin's certificate.
  const own = replica.trust.certificate();
  const seatRefusal = own ? seatApprovalRefusal({ signer: replica.actorId, role: own.body.role }, context.settings.namedApprovers) : null;
  if (request.decision === 'approve' && seatRefusal) throw new ApiError('conflict', `You cannot approve this update: ${seatRefusal}.`);
  const rendered = renderOf(update, context);
  if (request.digest !== undefined && request.digest !== digestOf(update.audience, rendered.title, rendered.body)) {
    throw new ApiError('conflict', 'The update changed since you read it: read it again before you decide.');
  }
  const approved = request.decision === 'approve';
  const comment = request.comment ? `: ${request.comment}` : '.';
  writeUpdate(
    replica,
    incident.id,
    update.id,
    {
      state: approved ? 'approved' : 'rejected',
      approvedDigest: approved ? digestOf(update.audience, rendered.title, rendered.body) : null,
      decidedBy: replica.actorId,
      decidedAt: now(),
      decisionComment: request.comment,
    },
    [systemEntry(incident.id, `${replica.actorId} ${approved ? 'approved' : 'rejected'} the ${updateLabel(update, rendered.title)}${comment}`, now())],
  );
  return viewOf(deps, incident.id, update.id);
}
