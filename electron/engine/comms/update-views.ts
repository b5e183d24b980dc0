// How an incident's stakeholder updates read: a draft rendered from its template and the incident,
// linted, with whether it may be published and why not; a published update with its deliveries.
import { createHash } from 'node:crypto';
import {
  approvalRefusal,
  asMarkdown,
  asPlainText,
  audienceLabels,
  lintUpdate,
  needsApproval,
  renderTemplate,
  templateValues,
  type Audience,
  type LintFinding,
} from '@shared/domain/comms';
import type { CommsSettings, DeliveryView, PublishedUpdate, UpdateDraft } from '@shared/domain/comms-api';
import type { Person } from '@shared/domain/directory';
import type { Incident } from '@shared/domain/incident';
import { commandOf } from '@shared/domain/incident-roles';
import { ApiError } from '@shared/errors';
import { mustGetIncident } from '../incidents/incident-handlers';
import { severityMeanings } from '../incidents/incident-queries';
import type { CommsDeps } from './comms-deps';
import { commsSettings } from './comms-settings';
import type { CommsStore, StoredDelivery, StoredPublished, StoredUpdate } from './comms-store';

/** What rendering, linting and approving an incident's updates read: read once per call, not per update. */
export interface DraftContext {
  incident: Incident;
  settings: CommsSettings;
  people: Person[];
  command: ReturnType<typeof commandOf>;
  severityMeanings: ReturnType<typeof severityMeanings>;
  /** The incident's publications by update id: a draft someone else published already cannot be published. */
  published: ReadonlyMap<string, StoredPublished>;
}

export function contextOf({ incidents, directory, comms }: Pick<CommsDeps, 'incidents' | 'directory' | 'comms'>, incident: Incident): DraftContext {
  return {
    incident,
    published: new Map(comms.published(incident.id).map((p) => [p.updateId, p])),
    settings: commsSettings(incidents),
    people: directory.list().people,
    command: commandOf(incidents.seats(incident.id)),
    severityMeanings: severityMeanings(incidents),
  };
}

/** A person as people know them: their directory name, else the user name. */
export const nameOf = (context: DraftContext, userName: string) => context.people.find((p) => p.handle === userName)?.name ?? userName;

export function renderOf(update: Pick<StoredUpdate, 'title' | 'body' | 'values' | 'nextUpdateAt'>, context: DraftContext) {
  const commanderId = context.command.commanderId;
  const values = templateValues({
    incident: context.incident,
    severityMeanings: context.severityMeanings,
    commander: commanderId ? nameOf(context, commanderId) : null,
    fields: update.values,
    nextUpdateAt: update.nextUpdateAt,
  });
  const title = renderTemplate(update.title, values);
  const body = renderTemplate(update.body, values);
  return { title: title.text, body: body.text, unresolved: [...new Set([...title.unresolved, ...body.unresolved])] };
}

export function approvalRefusalFor(update: StoredUpdate, approver: string, context: DraftContext): string | null {
  const { commanderId, deputyId } = context.command;
  // Who is asked does not widen who may approve: the commander, the deputy and the organisation's approvers.
  return approvalRefusal({ author: update.author, approver, commanderId, deputyId, namedApprovers: context.settings.namedApprovers });
}

/** Why an update that has a publication cannot be published (again): who published it, when and what. */
export function publishedAlready(publication: StoredPublished): string {
  return `This update was published already, by ${publication.publishedBy} at ${new Date(publication.publishedAt).toISOString()} ("${publication.title}"); what went out is under Published. Start a new update to say something else.`;
}

export function draftView(update: StoredUpdate, context: DraftContext): UpdateDraft {
  const { incident, settings } = context;
  const rendered = renderOf(update, context);
  const findings = lintUpdate(`${rendered.title}\n\n${rendered.body}`, {
    audience: update.audience,
    people: context.people,
    internalDomains: settings.internalDomains,
  });
  const mustApprove = needsApproval(update.audience, settings.approval);
  const digest = digestOf(update.audience, rendered.title, rendered.body);
  const isApproved = update.state === 'approved' && update.approvedDigest === digest;
  let publishRefusal: string | null = null;
  const publication = update.state === 'published' ? undefined : context.published.get(update.id);
  if (publication) publishRefusal = publishedAlready(publication);
  else if (update.state === 'published') publishRefusal = 'This update is published already.';
  else if (update.state === 'discarded') publishRefusal = 'This update was discarded.';
  else if (incident.status === 'closed') publishRefusal = `"${incident.title}" is closed: its record is final.`;
  else if (rendered.title.trim() === '' || rendered.body.trim() === '') publishRefusal = 'Write a title and a body first.';
  else if (mustApprove && !isApproved) {
    publishRefusal =
      update.state === 'approved'
        ? 'The update changed after it was approved: ask for approval again.'
        : `${audienceLabels[update.audience]} updates need a second person's approval before they go out.`;
  }
  const { rowId: _rowId, approvedDigest: _digest, publishedAt: _publishedAt, ...record } = update;
  return {
    ...record,
    digest,
    rendered,
    findings,
    needsApproval: mustApprove,
    isApproved,
    publishRefusal,
  };
}

export function publishedView(p: StoredPublished, incident: Incident, deliveries: StoredDelivery[]): PublishedUpdate {
  const copy = { title: p.title, body: p.body, audience: p.audience, publishedAt: p.publishedAt, incidentTitle: incident.title };
  return {
    updateId: p.updateId,
    incidentId: p.incidentId,
    audience: p.audience,
    title: p.title,
    body: p.body,
    nextUpdateAt: p.nextUpdateAt,
    approvedBy: p.approvedBy,
    lintAcknowledged: p.lintAcknowledged,
    publishedAt: p.publishedAt,
    publishedBy: p.publishedBy,
    deliveries: deliveries.filter((d) => d.updateId === p.updateId).map(deliveryView),
    markdown: asMarkdown(copy),
    plainText: asPlainText(copy),
  };
}

export function mustGetUpdate(comms: CommsStore, incidentId: string, updateId: string): StoredUpdate {
  const update = comms.update(incidentId, updateId);
  if (!update) throw new ApiError('not_found', `No update ${updateId} in incident ${incidentId} on this replica; it may not have synced here yet.`);
  return update;
}

/** An update as it reads now, after a change to it. */
export const viewOf = (deps: Pick<CommsDeps, 'incidents' | 'directory' | 'comms'>, incidentId: string, updateId: string) =>
  draftView(mustGetUpdate(deps.comms, incidentId, updateId), contextOf(deps, mustGetIncident(deps.incidents, incidentId)));

export const digestOf = (audience: Audience, title: string, body: string) =>
  createHash('sha256')
    .update(JSON.stringify([audience, title, body]))
    .digest('hex');

export const describeLint = (findings: LintFinding[]) =>
  findings
    .slice(0, 5)
    .map((f) => `"${f.excerpt}" (${f.rule}): ${f.message.replace(/\.$/, '')}`)
    .join('; ') + (findings.length > 5 ? `; and ${findings.length - 5} more` : '');

/** How the timeline names an update: its audience and (shortened) title. */
export const updateLabel = (update: Pick<StoredUpdate, 'audience'>, title: string) =>
  `${audienceLabels[update.audience]} update "${title.length > 80 ? `${title.slice(0, 79)}…` : title}"`;

function deliveryView(d: StoredDelivery): DeliveryView {
  return {
    channelId: d.channelId,
    channelName: d.channelName,
    kind: d.kind,
    state: d.state,
    attempts: d.attempts,
    lastError: d.lastError,
    nextAttemptAt: d.nextAttemptAt,
    deliveredAt: d.deliveredAt,
    detail: d.detail,
  };
}
