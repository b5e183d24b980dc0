// After the incident: the blameless review (generated from the record into an editable Markdown
// draft), action items tracked across incidents, MTTx metrics, legal holds and retention. Reviews
// and action items are kept for closed incidents too: the review usually happens after closing.
import type { Handlers, ParsedRequest } from '@shared/contract';
import { formatUpdateTime } from '@shared/domain/comms';
import { metricsReport } from '@shared/domain/metrics';
import {
  actionTypeLabels,
  contributingFactorKeys,
  reviewDueAt,
  type ActionItem,
  type RetentionCandidate,
  type RetentionView,
  type Review,
  type ReviewState,
  type ReviewSummary,
} from '@shared/domain/review';
import { incidentRowId } from '@shared/entities';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import type { OpDraft } from '@shared/ops';
import type { Replica } from '../core/replica';
import { mustGetIncident, systemEntry } from '../incidents/incident-handlers';
import { reviewDraft, type DraftSources } from './review-draft';
import { actionItems, reviewDueHours, reviewOf, toAction, toReview } from './review-queries';
import { reviewRowId } from './review-store';

type ReviewHandlers = Pick<
  Handlers,
  | 'incidents.setLegalHold'
  | 'reviews.list'
  | 'reviews.get'
  | 'reviews.generate'
  | 'reviews.save'
  | 'actions.list'
  | 'actions.add'
  | 'actions.update'
  | 'metrics.report'
  | 'retention.get'
  | 'retention.set'
  | 'retention.purge'
>;

/** The stores the review reads (its own, and the record the draft is made from) and the replica it writes to. */
export interface ReviewDeps extends DraftSources {
  replica: Replica;
}

export function reviewHandlers(deps: ReviewDeps): ReviewHandlers {
  return {
    'incidents.setLegalHold': (request) => setLegalHold(deps, request),
    'reviews.list': () => listReviews(deps),
    'reviews.get': (request) => ({ review: reviewOf(deps, mustGetIncident(deps.incidents, request.incidentId)) }),
    'reviews.generate': (request) => generateReview(deps, request),
    'reviews.save': (request) => saveReview(deps, request),
    'actions.list': (request) =>
      actionItems(deps, { incidentId: request.incidentId, status: request.status, ownerId: request.ownerId, overdueAt: request.isOverdueOnly ? deps.now() : undefined }),
    'actions.add': (request) => addAction(deps, request),
    'actions.update': (request) => updateAction(deps, request),
    'metrics.report': (request) => metricsReport(deps.incidents.list(100_000), request),
    'retention.get': () => retentionView(deps),
    'retention.set': (request) => setRetention(deps, request),
    'retention.purge': (request) => purge(deps, request),
  };
}

const retentionKey = 'retention:keep-days';
const dayMs = 86_400_000;

function setLegalHold({ replica, incidents, now }: ReviewDeps, request: ParsedRequest<'incidents.setLegalHold'>) {
  const incident = mustGetIncident(incidents, request.incidentId);
  if (incident.isLegalHold === request.isHeld) {
    throw new ApiError('conflict', `"${incident.title}" is ${request.isHeld ? 'already' : 'not'} under a legal hold.`);
  }
  replica.commitLocal([
    { entity: 'incident', rowId: incident.id, fields: { isLegalHold: request.isHeld, legalHoldReason: request.isHeld ? request.reason : '' } },
    systemEntry(incident.id, `${replica.actorId} ${request.isHeld ? 'placed the incident under a legal hold' : 'lifted the legal hold'}: ${request.reason}`, now()),
  ]);
  return mustGetIncident(incidents, incident.id);
}

/** Every incident that is resolved or has a review: late reviews first, then by due date. */
function listReviews(deps: ReviewDeps): ReviewSummary[] {
  const { reviews: store, incidents, now } = deps;
  const reviews = new Map(store.reviews().map((r) => [r.incident_id, r]));
  const open = store.openActionCounts();
  return incidents
    .list(100_000)
    .filter((i) => i.milestones.resolved !== null || reviews.has(i.id))
    .map((incident): ReviewSummary => {
      const row = reviews.get(incident.id);
      const review = row ? toReview(deps, row, incident) : null;
      const dueAt = review?.dueAt ?? reviewDueAt(incident, reviewDueHours(incidents));
      const state = review?.state ?? 'none';
      return {
        incidentId: incident.id,
        incidentTitle: incident.title,
        severity: incident.severity,
        isDrill: incident.isDrill,
        resolvedAt: incident.milestones.resolved,
        state,
        dueAt,
        isLate: state !== 'published' && dueAt !== null && now() > dueAt,
        openActions: open.get(incident.id) ?? 0,
      };
    })
    .sort((a, b) => Number(b.isLate) - Number(a.isLate) || (a.dueAt ?? Infinity) - (b.dueAt ?? Infinity) || a.incidentTitle.localeCompare(b.incidentTitle));
}

function generateReview(deps: ReviewDeps, request: ParsedRequest<'reviews.generate'>): Review {
  const { replica, incidents, now } = deps;
  const incident = mustGetIncident(incidents, request.incidentId);
  const existing = reviewOf(deps, incident);
  // Generating never overwrites what people wrote: the draft is made once.
  if (existing) throw new ApiError('conflict', `"${incident.title}" has a review already (last changed by ${existing.updatedBy}); edit it.`);
  replica.commitLocal([
    {
      entity: 'review',
      rowId: reviewRowId(incident.id),
      // The draft goes in its own field: edits (body) always win over any generated draft.
      fields: {
        incidentId: incident.id,
        generatedBody: reviewDraft(deps, incident),
        factors: [],
        state: 'draft',
        dueAt: null,
        generatedAt: now(),
        updatedBy: replica.actorId,
        publishedAt: null,
      },
    },
    systemEntry(incident.id, `${replica.actorId} started the post-incident review.`, now()),
  ]);
  return reviewOf(deps, incident)!;
}

function saveReview(deps: ReviewDeps, request: ParsedRequest<'reviews.save'>): Review {
  const { replica, incidents, now } = deps;
  const incident = mustGetIncident(incidents, request.incidentId);
  const review = reviewOf(deps, incident);
  if (!review) throw new ApiError('not_found', `"${incident.title}" has no review yet; generate the draft first.`);
  if (review.state === 'published' && (request.body !== undefined || request.factors !== undefined) && request.state !== 'in-review' && request.state !== 'draft') {
    throw new ApiError('conflict', 'The review is published; move it back to in review to change it.');
  }
  const fields: Record<string, unknown> = {};
  if (request.body !== undefined) {
    fields.body = request.body;
    fields.isEdited = true;
  }
  if (request.factors !== undefined) fields.factors = [...new Set(request.factors)].sort((a, b) => contributingFactorKeys.indexOf(a) - contributingFactorKeys.indexOf(b));
  if (request.dueAt !== undefined) fields.dueAt = request.dueAt;
  const drafts: OpDraft[] = [];
  if (request.state !== undefined && request.state !== review.state) {
    fields.state = request.state;
    fields.publishedAt = request.state === 'published' ? now() : null;
    const words: Record<ReviewState, string> = {
      draft: 'moved the post-incident review back to draft',
      'in-review': 'sent the post-incident review for review',
      published: 'published the post-incident review',
    };
    drafts.push(systemEntry(incident.id, `${replica.actorId} ${words[request.state]}.`, now()));
  }
  if (Object.keys(fields).length === 0) return review;
  replica.commitLocal([{ entity: 'review', rowId: reviewRowId(incident.id), fields: { incidentId: incident.id, ...fields, updatedBy: replica.actorId } }, ...drafts]);
  return reviewOf(deps, incident)!;
}

function addAction({ replica, incidents, reviews, now }: ReviewDeps, request: ParsedRequest<'actions.add'>): ActionItem {
  const incident = mustGetIncident(incidents, request.incidentId);
  const id = incidentRowId(incident.id, uuidv7());
  replica.commitLocal([
    {
      entity: 'action_item',
      rowId: id,
      fields: {
        incidentId: incident.id,
        title: request.title,
        ownerId: request.ownerId,
        dueAt: request.dueAt,
        priority: request.priority,
        type: request.type,
        status: 'open',
        note: request.note,
        createdAt: now(),
        createdBy: replica.actorId,
      },
    },
    systemEntry(
      incident.id,
      `${replica.actorId} added action item "${request.title}" (${request.priority}, ${actionTypeLabels[request.type].toLowerCase()}${request.ownerId ? `, owner ${request.ownerId}` : ''}).`,
      now(),
    ),
  ]);
  return toAction(now, reviews.action(id)!);
}

function updateAction({ replica, reviews, now }: ReviewDeps, request: ParsedRequest<'actions.update'>): ActionItem {
  const row = reviews.action(request.id);
  if (!row) throw new ApiError('not_found', `No action item ${request.id}; it may not have synced here yet.`);
  const { id: _id, ...changes } = request;
  const fields = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
  if (Object.keys(fields).length === 0) return toAction(now, row);
  const drafts: OpDraft[] = [{ entity: 'action_item', rowId: row.id, fields: { incidentId: row.incidentId, ...fields } }];
  if (request.status !== undefined && request.status !== row.status) {
    drafts.push(
      systemEntry(row.incidentId, `${replica.actorId} marked action item "${row.title}" ${request.status === 'wont-do' ? "won't do" : request.status}.`, now()),
    );
  }
  replica.commitLocal(drafts);
  return toAction(now, reviews.action(row.id)!);
}

/** How many days closed incidents are kept, or null when they are kept for good. */
function retentionDays({ incidents }: Pick<ReviewDeps, 'incidents'>): number | null {
  const value = Number(incidents.setting(retentionKey));
  return incidents.setting(retentionKey) && Number.isInteger(value) && value > 0 ? value : null;
}

/** The retention setting, the incidents past it (held ones apart) and what was purged already. */
function retentionView(deps: ReviewDeps): RetentionView {
  const { incidents, reviews, now } = deps;
  const keepDays = retentionDays(deps);
  const candidates: RetentionCandidate[] = [];
  const held: RetentionCandidate[] = [];
  if (keepDays !== null) {
    // Closed incidents from when they closed; deleted ones from their last change, closed or not.
    const ended = [
      ...incidents
        .list(100_000)
        .filter((i) => i.status === 'closed' && i.milestones.closed !== null)
        .map((i) => ({ incident: i, endedAt: i.milestones.closed! })),
      ...incidents.deleted().map((i) => ({ incident: i, endedAt: i.milestones.closed ?? i.updatedAt })),
    ];
    for (const { incident, endedAt } of ended) {
      if (endedAt + keepDays * dayMs > now()) continue;
      const title = incident.title || incident.id;
      (incident.isLegalHold ? held : candidates).push({ incidentId: incident.id, title, closedAt: endedAt, eligibleAt: endedAt + keepDays * dayMs });
    }
  }
  const byClosed = (a: RetentionCandidate, b: RetentionCandidate) => a.closedAt - b.closedAt || a.incidentId.localeCompare(b.incidentId);
  const purged = reviews.purgeRecords();
  return { setting: { keepDays }, candidates: candidates.sort(byClosed), held: held.sort(byClosed), purged };
}

function setRetention(deps: ReviewDeps, request: ParsedRequest<'retention.set'>): RetentionView {
  deps.replica.commitLocal([{ entity: 'org_setting', rowId: retentionKey, fields: { value: request.keepDays === null ? '' : String(request.keepDays) } }]);
  return retentionView(deps);
}

function purge(deps: ReviewDeps, request: ParsedRequest<'retention.purge'>): RetentionView {
  const { replica, incidents, now } = deps;
  const view = retentionView(deps);
  if (view.setting.keepDays === null)
    throw new ApiError('conflict', 'No retention period is set: closed incidents are kept for good. Set one in Settings → Retention first.');
  const eligible = new Map(view.candidates.map((c) => [c.incidentId, c]));
  const problems = request.incidentIds.flatMap((id) => {
    if (eligible.has(id)) return [];
    const incident = incidents.get(id);
    if (!incident) return [`${id}: no such incident on this replica`];
    if (incident.isLegalHold) return [`"${incident.title}" is under a legal hold (${incident.legalHoldReason}); lift the hold first`];
    if (incident.status !== 'closed') return [`"${incident.title}" is ${incident.status}, not closed`];
    return [`"${incident.title}" was closed ${formatUpdateTime(incident.milestones.closed ?? 0)}, within the ${view.setting.keepDays}-day retention`];
  });
  // All or nothing: a purge that went half way would be hard to explain.
  if (problems.length > 0) throw new ApiError('conflict', `Nothing was purged: ${problems.join('; ')}.`);
  replica.commitLocal(
    [...new Set(request.incidentIds)].map((id) => {
      const candidate = eligible.get(id)!;
      const incident = incidents.get(id) ?? incidents.deleted().find((i) => i.id === id)!;
      return {
        entity: 'purge_record',
        rowId: '',
        fields: { incidentId: id, title: candidate.title, severity: incident.severity, closedAt: candidate.closedAt, reason: request.reason, purgedAt: now() },
      } satisfies OpDraft;
    }),
  );
  return retentionView(deps);
}
