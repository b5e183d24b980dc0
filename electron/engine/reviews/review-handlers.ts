// After the incident: the blameless review (generated from the record into an editable Markdown
// draft), action items tracked across incidents, MTTx metrics, legal holds and retention. Reviews
// and action items are kept for closed incidents too: the review usually happens after closing.
import type { Handlers } from '../../../shared/contract';
import { formatUpdateTime, audienceLabels } from '../../../shared/domain/comms';
import type { Incident } from '../../../shared/domain/incident';
import { roleTitles } from '../../../shared/domain/incident-roles';
import { milestoneLabels, milestones } from '../../../shared/domain/lifecycle';
import { formatDuration, incidentDurations, metricLabels, metricNames, metricsReport } from '../../../shared/domain/metrics';
import {
  actionTypeLabels,
  contributingFactorKeys,
  contributingFactorLabels,
  defaultReviewDueHours,
  isActionOverdue,
  isReviewLate,
  reviewDueAt,
  type ActionItem,
  type ContributingFactor,
  type RetentionCandidate,
  type RetentionView,
  type Review,
  type ReviewState,
  type ReviewSummary,
} from '../../../shared/domain/review';
import { incidentRowId } from '../../../shared/entities';
import { ApiError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import type { OpDraft } from '../../../shared/ops';
import type { Role } from '../../../shared/roles';
import type { IncidentStore } from '../incidents/incident-store';
import { reviewRowId, type ReviewRow, type ReviewStore, type StoredAction } from './review-store';
import type { Replica } from '../core/replica';
import { mustBeServiceCommander as mustBeCommander, mustGetIncident, systemEntry } from '../incidents/incident-handlers';

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

export interface ReviewDeps {
  reviews: ReviewStore;
  replica: Replica;
  incidents: IncidentStore;
  now: () => number;
  /** The other calls, for what the review draft gathers (runs, evidence, updates, timeline). */
  handlers: () => Handlers;
  /** This user's role at the central service, when one is configured and has said. */
  serviceRole: () => Role | null;
}


const reviewDueHoursKey = 'review:due-hours';
const retentionKey = 'retention:keep-days';
const dayMs = 86_400_000;

/** A Markdown list of lines, or an italic note when there is nothing to list. */
const list = (lines: string[], none: string) => (lines.length > 0 ? lines.map((l) => `- ${l}`).join('\n') : `_${none}_`);
/** Text from the record, kept from breaking the Markdown it is put in (headings, lists, HTML). */
const inline = (text: string) => text.replace(/\s*\n\s*/g, ' ').replace(/([\\`*_[\]<>#|])/g, '\\$1');

export function reviewHandlers(deps: ReviewDeps): ReviewHandlers {
  const { replica, incidents, now } = deps;
  const store = deps.reviews;

  const dueHours = () => {
    const value = Number(incidents.setting(reviewDueHoursKey));
    return Number.isInteger(value) && value > 0 ? value : defaultReviewDueHours;
  };

  const toReview = (row: ReviewRow, incident: Incident): Review => {
    const dueAt = row.due_at ?? reviewDueAt(incident, dueHours());
    return {
      incidentId: row.incident_id,
      body: row.is_edited === 1 ? row.body : row.generated_body,
      factors: JSON.parse(row.factors) as ContributingFactor[],
      state: row.state,
      dueAt,
      isLate: isReviewLate({ dueAt, state: row.state }, now()),
      generatedAt: row.generated_at,
      updatedAt: row.updated_at,
      updatedBy: row.updated_by,
      publishedAt: row.published_at,
    };
  };

  const getReview = (incident: Incident): Review | null => {
    const row = store.review(incident.id);
    return row ? toReview(row, incident) : null;
  };

  const toAction = (item: StoredAction): ActionItem => ({ ...item, isOverdue: isActionOverdue(item, now()) });
  const actionsOf = (incidentId: string) => store.actionsOfIncident(incidentId).map(toAction);

  /** The review draft: everything the record says, then the blameless questions to answer. */
  const draftOf = (incident: Incident): string => {
    const h = deps.handlers();
    const at = (ms: number | null) => (ms === null ? '—' : formatUpdateTime(ms));
    const durations = incidentDurations(incident).durations;
    const seats = incidents.seats(incident.id).filter((s) => s.holderId);
    const pinned = h['timeline.window']({ incidentId: incident.id, offset: 0, limit: 500, filter: { isPinnedOnly: true }, anchor: 'start' }) as ReturnType<Handlers['timeline.window']> & { entries: { eventAt: number; text: string; authorId: string }[] };
    const runs = h['runs.list']({ incidentId: incident.id }) as Awaited<ReturnType<Handlers['runs.list']>>;
    const evidence = h['evidence.list']({ incidentId: incident.id }) as Awaited<ReturnType<Handlers['evidence.list']>>;
    const comms = h['comms.room']({ incidentId: incident.id }) as Awaited<ReturnType<Handlers['comms.room']>>;
    const deviations = runs.flatMap((run) => run.deviations);
    const actions = actionsOf(incident.id);
    const facts = [
      `**Severity:** ${incident.severity}${incident.isDrill ? ' (drill)' : ''} · **Services:** ${incident.services.length > 0 ? incident.services.map(inline).join(', ') : 'not named'} · **Type:** ${incident.type ? inline(incident.type) : 'not set'}`,
      `**Declared:** ${at(incident.declaredAt)} · **Status:** ${incident.status}`,
    ];
    return [
      `# Post-incident review: ${inline(incident.title)}`,
      '',
      facts.join('  \n'),
      '',
      '> This review is blameless. It asks how the system, our tools and our processes let this happen and how people made sense of it at the time, never who is to blame. Write about conditions and decisions in context.',
      '',
      '## Summary',
      '',
      incident.summary.trim() ? incident.summary.trim() : '_In two or three sentences: what happened, who was affected, and how it ended._',
      '',
      '## Impact',
      '',
      '_Who noticed what, for how long, and how badly (requests failed, customers affected, data at risk)._',
      '',
      '| Milestone | Time (UTC) |',
      '| --- | --- |',
      ...milestones.map((m) => `| ${milestoneLabels[m]} | ${at(incident.milestones[m])} |`),
      '',
      metricNames.map((name) => `**${metricLabels[name]}:** ${formatDuration(durations[name])}`).join(' · '),
      '',
      '## Timeline',
      '',
      list(
        pinned.entries.map((e) => `${at(e.eventAt)}: ${inline(e.text)} (${e.authorId})`),
        'No entries were pinned; pin the key moments in the war room and generate again, or write them here.',
      ),
      '',
      '## Roles',
      '',
      list(
        seats.map((s) => `${s.role === 'sme' ? `Subject-matter expert${s.label ? ` (${inline(s.label)})` : ''}` : roleTitles[s.role]}: ${s.holderId}`),
        'Nobody held a role.',
      ),
      '',
      '## Runbook deviations',
      '',
      list(
        deviations.map((d) => `"${inline(d.runbookTitle)}" step ${d.step} (${inline(d.stepTitle)}): ${d.kind}${d.note ? `: ${inline(d.note)}` : ''}${d.by ? ` (${d.by})` : ''}`),
        'No runbook was followed, or every step went as written.',
      ),
      '',
      '## Evidence',
      '',
      list(
        evidence.artifacts.map((a) => `${inline(a.what)}${a.asset ? ` (${inline(a.asset)})` : ''}: ${a.state}${a.sha256 ? `, SHA-256 ${a.sha256.slice(0, 16)}…` : ''}`),
        'No artifacts were recorded.',
      ),
      '',
      '## Updates sent',
      '',
      list(
        [...comms.published].reverse().map((p) => `${at(p.publishedAt)}, ${audienceLabels[p.audience]}: "${inline(p.title)}" (${p.publishedBy}${p.approvedBy ? `, approved by ${p.approvedBy}` : ''})`),
        'No stakeholder updates were published.',
      ),
      '',
      '## What happened',
      '',
      '_The story in order: what people saw, what they thought it meant at the time, and what they did._',
      '',
      '## Contributing factors',
      '',
      `_Tick the factors that apply (${contributingFactorKeys.map((k) => contributingFactorLabels[k]).join(', ')}) and say here how each contributed._`,
      '',
      '## What went well',
      '',
      '_What helped: detection, tools, runbooks, people who knew where to look._',
      '',
      '## Where we got lucky',
      '',
      '_What could have made this much worse, and did not, by chance._',
      '',
      '## Action items',
      '',
      list(
        actions.map((a) => `${a.priority} ${actionTypeLabels[a.type]}: ${inline(a.title)}${a.ownerId ? ` (${a.ownerId})` : ''}${a.dueAt ? `, due ${at(a.dueAt)}` : ''}`),
        'Add action items below the review: each with an owner, a due date, a priority and whether it helps detect, mitigate or prevent.',
      ),
      '',
    ].join('\n');
  };

  const retentionDays = (): number | null => {
    const value = Number(incidents.setting(retentionKey));
    return incidents.setting(retentionKey) && Number.isInteger(value) && value > 0 ? value : null;
  };

  const retentionView = (): RetentionView => {
    const keepDays = retentionDays();
    const candidates: RetentionCandidate[] = [];
    const held: RetentionCandidate[] = [];
    if (keepDays !== null) {
      // Closed incidents from when they closed; deleted ones from their last change, closed or not.
      const ended = [
        ...incidents.list(100_000).filter((i) => i.status === 'closed' && i.milestones.closed !== null).map((i) => ({ incident: i, endedAt: i.milestones.closed! })),
        ...incidents.deleted().map((i) => ({ incident: i, endedAt: i.milestones.closed ?? i.updatedAt })),
      ];
      for (const { incident, endedAt } of ended) {
        if (endedAt + keepDays * dayMs > now()) continue;
        const title = incident.title || incident.id;
        (incident.isLegalHold ? held : candidates).push({ incidentId: incident.id, title, closedAt: endedAt, eligibleAt: endedAt + keepDays * dayMs });
      }
    }
    const byClosed = (a: RetentionCandidate, b: RetentionCandidate) => a.closedAt - b.closedAt || a.incidentId.localeCompare(b.incidentId);
    const purged = store.purgeRecords();
    return { setting: { keepDays }, candidates: candidates.sort(byClosed), held: held.sort(byClosed), purged };
  };

  return {
    'incidents.setLegalHold': (request) => {
      mustBeCommander(deps.serviceRole(), 'place or lift a legal hold');
      const incident = mustGetIncident(incidents, request.incidentId);
      if (incident.isLegalHold === request.isHeld) {
        throw new ApiError('conflict', `"${incident.title}" is ${request.isHeld ? 'already' : 'not'} under a legal hold.`);
      }
      replica.commitLocal([
        { entity: 'incident', rowId: incident.id, fields: { isLegalHold: request.isHeld, legalHoldReason: request.isHeld ? request.reason : '' } },
        systemEntry(incident.id, `${replica.actorId} ${request.isHeld ? 'placed the incident under a legal hold' : 'lifted the legal hold'}: ${request.reason}`, now()),
      ]);
      return mustGetIncident(incidents, incident.id);
    },

    'reviews.list': () => {
      const reviews = new Map(store.reviews().map((r) => [r.incident_id, r]));
      const open = store.openActionCounts();
      return incidents
        .list(100_000)
        .filter((i) => i.milestones.resolved !== null || reviews.has(i.id))
        .map((incident): ReviewSummary => {
          const row = reviews.get(incident.id);
          const review = row ? toReview(row, incident) : null;
          const dueAt = review?.dueAt ?? reviewDueAt(incident, dueHours());
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
    },

    'reviews.get': (request) => ({ review: getReview(mustGetIncident(incidents, request.incidentId)) }),

    'reviews.generate': (request) => {
      const incident = mustGetIncident(incidents, request.incidentId);
      const existing = getReview(incident);
      // Generating never overwrites what people wrote: the draft is made once.
      if (existing) throw new ApiError('conflict', `"${incident.title}" has a review already (last changed by ${existing.updatedBy}); edit it.`);
      replica.commitLocal([
        {
          entity: 'review',
          rowId: reviewRowId(incident.id),
          // The draft goes in its own field: edits (body) always win over any generated draft.
          fields: { incidentId: incident.id, generatedBody: draftOf(incident), factors: [], state: 'draft', dueAt: null, generatedAt: now(), updatedBy: replica.actorId, publishedAt: null },
        },
        systemEntry(incident.id, `${replica.actorId} started the post-incident review.`, now()),
      ]);
      return getReview(incident)!;
    },

    'reviews.save': (request) => {
      const incident = mustGetIncident(incidents, request.incidentId);
      const review = getReview(incident);
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
        const words: Record<ReviewState, string> = { draft: 'moved the post-incident review back to draft', 'in-review': 'sent the post-incident review for review', published: 'published the post-incident review' };
        drafts.push(systemEntry(incident.id, `${replica.actorId} ${words[request.state]}.`, now()));
      }
      if (Object.keys(fields).length === 0) return review;
      replica.commitLocal([{ entity: 'review', rowId: reviewRowId(incident.id), fields: { incidentId: incident.id, ...fields, updatedBy: replica.actorId } }, ...drafts]);
      return getReview(incident)!;
    },

    'actions.list': (request) =>
      store
        .actions({ incidentId: request.incidentId, status: request.status, ownerId: request.ownerId, overdueAt: request.isOverdueOnly ? now() : undefined })
        .map(toAction),

    'actions.add': (request) => {
      const incident = mustGetIncident(incidents, request.incidentId);
      const id = incidentRowId(incident.id, uuidv7());
      replica.commitLocal([
        {
          entity: 'action_item',
          rowId: id,
          fields: { incidentId: incident.id, title: request.title, ownerId: request.ownerId, dueAt: request.dueAt, priority: request.priority, type: request.type, status: 'open', note: request.note, createdAt: now(), createdBy: replica.actorId },
        },
        systemEntry(incident.id, `${replica.actorId} added action item "${request.title}" (${request.priority}, ${actionTypeLabels[request.type].toLowerCase()}${request.ownerId ? `, owner ${request.ownerId}` : ''}).`, now()),
      ]);
      return toAction(store.action(id)!);
    },

    'actions.update': (request) => {
      const row = store.action(request.id);
      if (!row) throw new ApiError('not_found', `No action item ${request.id}; it may not have synced here yet.`);
      const { id: _id, ...changes } = request;
      const fields = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      if (Object.keys(fields).length === 0) return toAction(row);
      const drafts: OpDraft[] = [{ entity: 'action_item', rowId: row.id, fields: { incidentId: row.incidentId, ...fields } }];
      if (request.status !== undefined && request.status !== row.status) {
        drafts.push(systemEntry(row.incidentId, `${replica.actorId} marked action item "${row.title}" ${request.status === 'wont-do' ? "won't do" : request.status}.`, now()));
      }
      replica.commitLocal(drafts);
      return toAction(store.action(row.id)!);
    },

    'metrics.report': (request) => metricsReport(incidents.list(100_000), request),

    'retention.get': () => retentionView(),

    'retention.set': (request) => {
      replica.commitLocal([{ entity: 'org_setting', rowId: retentionKey, fields: { value: request.keepDays === null ? '' : String(request.keepDays) } }]);
      return retentionView();
    },

    'retention.purge': (request) => {
      mustBeCommander(deps.serviceRole(), 'purge incidents');
      const view = retentionView();
      if (view.setting.keepDays === null) throw new ApiError('conflict', 'No retention period is set: closed incidents are kept for good. Set one in Settings → Retention first.');
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
      return retentionView();
    },
  };
}

