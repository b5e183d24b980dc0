// After the incident: the blameless review (a Markdown document generated from the record and then
// edited), action items tracked across incidents, and the retention of closed incidents. Pure rules,
// schemas and views; the metrics maths is in ./metrics.
import { z } from 'zod';
import { utcMs } from './common';
import type { Incident } from './incident';

// ─── Contributing factors ─────────────────────────────────────────────────────────────────────────

/**
 * A standard taxonomy of contributing factors: conditions that made the incident possible or worse,
 * never people. Every review picks the ones that apply, so reviews can be compared across incidents.
 */
export const contributingFactors = {
  'change-management': 'A change (deploy, configuration, migration, feature flag) introduced or exposed the fault',
  'software-defect': 'A defect in our code or its tests',
  capacity: 'Load, quotas or resource limits were reached',
  dependency: 'A third-party or internal dependency failed or degraded',
  infrastructure: 'Hardware, network, cloud or data-centre failure',
  'monitoring-gap': 'Alerting or observability missed or delayed the problem',
  'runbook-gap': 'A runbook was missing, out of date or wrong',
  tooling: 'Tools or automation behaved unexpectedly or were unavailable',
  communication: 'Information did not reach the people who needed it in time',
  knowledge: 'The system was hard to understand, or knowledge sat with too few people',
  security: 'Malicious activity or a security control',
  process: 'A process was missing, unclear or hard to follow under pressure',
} as const satisfies Record<string, string>;
export type ContributingFactor = keyof typeof contributingFactors;
export const contributingFactorKeys = Object.keys(contributingFactors) as ContributingFactor[];

export const contributingFactorLabels: Record<ContributingFactor, string> = {
  'change-management': 'Change management',
  'software-defect': 'Software defect',
  capacity: 'Capacity',
  dependency: 'Dependency',
  infrastructure: 'Infrastructure',
  'monitoring-gap': 'Monitoring gap',
  'runbook-gap': 'Runbook gap',
  tooling: 'Tooling',
  communication: 'Communication',
  knowledge: 'Knowledge',
  security: 'Security',
  process: 'Process',
};

// ─── Reviews ──────────────────────────────────────────────────────────────────────────────────────

export const reviewStates = ['draft', 'in-review', 'published'] as const;
export type ReviewState = (typeof reviewStates)[number];

/** Hours after resolution a review is due, unless the organisation says otherwise. */
export const defaultReviewDueHours = 48;
export const maxReviewChars = 200_000;

export interface Review {
  incidentId: string;
  /** Markdown, generated from the record and then edited. */
  body: string;
  factors: ContributingFactor[];
  state: ReviewState;
  /** Null until the incident is resolved. */
  dueAt: number | null;
  /** Past due and not published. */
  isLate: boolean;
  generatedAt: number;
  updatedAt: number;
  updatedBy: string;
  publishedAt: number | null;
}

/** When a review is due: `hours` after resolution; null while the incident is not resolved. */
export function reviewDueAt(incident: Pick<Incident, 'milestones'>, hours = defaultReviewDueHours): number | null {
  return incident.milestones.resolved === null ? null : incident.milestones.resolved + hours * 3_600_000;
}

export function isReviewLate(review: { dueAt: number | null; state: ReviewState }, now: number): boolean {
  return review.state !== 'published' && review.dueAt !== null && now > review.dueAt;
}

// ─── Action items ─────────────────────────────────────────────────────────────────────────────────

export const actionTypes = ['detect', 'mitigate', 'prevent'] as const;
export type ActionType = (typeof actionTypes)[number];
export const actionTypeLabels: Record<ActionType, string> = {
  detect: 'Detect sooner',
  mitigate: 'Mitigate faster',
  prevent: 'Prevent',
};

export const actionPriorities = ['P1', 'P2', 'P3'] as const;
export type ActionPriority = (typeof actionPriorities)[number];

export const actionStatuses = ['open', 'done', 'wont-do'] as const;
export type ActionStatus = (typeof actionStatuses)[number];

export interface ActionItem {
  /** incidentId/itemId */
  id: string;
  incidentId: string;
  incidentTitle: string;
  title: string;
  ownerId: string | null;
  dueAt: number | null;
  priority: ActionPriority;
  type: ActionType;
  status: ActionStatus;
  note: string;
  createdAt: number;
  createdBy: string;
  /** Open and past its due date. */
  isOverdue: boolean;
}

export const isActionOverdue = (item: Pick<ActionItem, 'status' | 'dueAt'>, now: number) => item.status === 'open' && item.dueAt !== null && now > item.dueAt;

// ─── Retention ────────────────────────────────────────────────────────────────────────────────────

export interface RetentionSetting {
  /** Days a closed incident is kept before it may be purged; null keeps everything. */
  keepDays: number | null;
}

export interface RetentionCandidate {
  incidentId: string;
  title: string;
  closedAt: number;
  /** When it became eligible: closedAt + keepDays. */
  eligibleAt: number;
}

export interface PurgeRecord {
  incidentId: string;
  title: string;
  severity: string;
  closedAt: number;
  reason: string;
  purgedAt: number;
  purgedBy: string;
}

export interface RetentionView {
  setting: RetentionSetting;
  /** Closed incidents past retention and not on legal hold, oldest first. */
  candidates: RetentionCandidate[];
  /** Closed incidents past retention kept because of a legal hold. */
  held: RetentionCandidate[];
  /** What was purged, newest first. */
  purged: PurgeRecord[];
}

// ─── Requests ─────────────────────────────────────────────────────────────────────────────────────

const incidentId = z.string({ error: 'must be an incident id' }).min(1, { error: 'must be an incident id' }).max(100, { error: 'must be at most 100 characters' });
const userName = z.string({ error: 'must be a user name' }).trim().min(1, { error: 'must be a user name' }).max(100, { error: 'must be at most 100 characters' });

export const reviewRequest = z.object({ incidentId }).strict();

export const saveReviewRequest = z
  .object({
    incidentId,
    body: z
      .string({ error: 'must be text' })
      .max(maxReviewChars, { error: `must be at most ${maxReviewChars} characters` })
      .optional(),
    factors: z
      .array(z.enum(contributingFactorKeys as [ContributingFactor, ...ContributingFactor[]], { error: `must be one of ${contributingFactorKeys.join(', ')}` }))
      .max(contributingFactorKeys.length)
      .optional(),
    state: z.enum(reviewStates, { error: `must be one of ${reviewStates.join(', ')}` }).optional(),
    /** Move the due date (e.g. a long weekend); null returns to the default. */
    dueAt: utcMs.nullable().optional(),
  })
  .strict();

export const addActionRequest = z
  .object({
    incidentId,
    title: z
      .string({ error: 'must be text' })
      .trim()
      .min(3, { error: 'say what will be done (at least 3 characters)' })
      .max(500, { error: 'must be at most 500 characters' }),
    ownerId: userName.nullable().default(null),
    dueAt: utcMs.nullable().default(null),
    priority: z.enum(actionPriorities, { error: 'must be P1, P2 or P3' }).default('P2'),
    type: z.enum(actionTypes, { error: `must be one of ${actionTypes.join(', ')}` }),
    note: z.string({ error: 'must be text' }).max(5000).default(''),
  })
  .strict();

export const updateActionRequest = z
  .object({
    id: z.string({ error: 'must be an action item id' }).min(1).max(200),
    title: z.string({ error: 'must be text' }).trim().min(3, { error: 'say what will be done (at least 3 characters)' }).max(500).optional(),
    ownerId: userName.nullable().optional(),
    dueAt: utcMs.nullable().optional(),
    priority: z.enum(actionPriorities, { error: 'must be P1, P2 or P3' }).optional(),
    type: z.enum(actionTypes, { error: `must be one of ${actionTypes.join(', ')}` }).optional(),
    status: z.enum(actionStatuses, { error: `must be one of ${actionStatuses.join(', ')}` }).optional(),
    note: z.string({ error: 'must be text' }).max(5000).optional(),
  })
  .strict();

export const listActionsRequest = z
  .object({
    incidentId: incidentId.optional(),
    status: z.enum(actionStatuses).optional(),
    ownerId: userName.optional(),
    isOverdueOnly: z.boolean().default(false),
  })
  .strict();

export const legalHoldRequest = z
  .object({
    incidentId,
    isHeld: z.boolean({ error: 'must be true or false' }),
    reason: z.string({ error: 'must be text' }).trim().min(3, { error: 'say why (at least 3 characters)' }).max(2000),
  })
  .strict();

export const retentionSettingRequest = z
  .object({
    keepDays: z
      .number({ error: 'must be a number of days, or null to keep everything' })
      .int({ error: 'must be whole days' })
      .min(30, { error: 'must be at least 30 days: reviews and audits need the record' })
      .max(36_500, { error: 'must be at most 36500 days (100 years)' })
      .nullable(),
  })
  .strict();

export const purgeRequest = z
  .object({
    incidentIds: z.array(incidentId).min(1, { error: 'name at least one incident' }).max(500),
    reason: z.string({ error: 'must be text' }).trim().min(3, { error: 'say why these incidents are purged' }).max(2000),
  })
  .strict();

// ─── Reports ──────────────────────────────────────────────────────────────────────────────────────

/** The incident report (what happened, for everyone) and the audit evidence report (for auditors). */
export const reportKinds = ['incident', 'audit'] as const;
export type ReportKind = (typeof reportKinds)[number];
export const reportFormats = ['md', 'html', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export const reportRequest = z
  .object({
    incidentId,
    kind: z.enum(reportKinds, { error: 'must be incident or audit' }),
    format: z.enum(reportFormats, { error: `must be one of ${reportFormats.join(', ')}` }),
  })
  .strict();

/** One line of the reviews overview. */
export interface ReviewSummary {
  incidentId: string;
  incidentTitle: string;
  severity: string;
  isDrill: boolean;
  resolvedAt: number | null;
  state: ReviewState | 'none';
  dueAt: number | null;
  isLate: boolean;
  openActions: number;
}
