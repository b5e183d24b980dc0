// What CI/CD pipelines may ask the central service (docs/pipelines.md): whether deployments are
// frozen (GET /v1/freeze), and telling incidents about deployments, rollbacks and the like (POST
// /v1/incidents/{id}/events, /v1/services/{name}/events). The service keeps no projections, so the
// answers are folded here from its ops with the same merge rules every replica uses.
import { z } from 'zod';
import type { Json } from '../canonical';
import { canonicalJson } from '../canonical';
import { mergeSet, type FieldClocks } from '../merge';
import type { Op } from '../ops';
import type { Role } from '../roles';
import { utcStamp } from '../time';
import { isFreezeActive, type Freeze } from './freeze';
import type { IncidentStatus } from './lifecycle';

// --- folding ops -----------------------------------------------------------------------------------

/** The rows `set` ops write, each field by last writer wins on (hlc, opId), whatever the ops' order. */
export function foldRows(ops: readonly Pick<Op, 'rowId' | 'hlc' | 'opId' | 'fields'>[]): Map<string, Record<string, Json>> {
  const rows = new Map<string, { values: Record<string, Json>; clocks: FieldClocks }>();
  for (const op of ops) {
    const row = rows.get(op.rowId) ?? { values: {}, clocks: {} };
    const { winners, clocks } = mergeSet(row.clocks, op, op.fields);
    rows.set(op.rowId, { values: { ...row.values, ...winners }, clocks });
  }
  return new Map([...rows].map(([rowId, row]) => [rowId, row.values]));
}

/** An incident as the service's ops state it, for deciding where events go. */
export interface IncidentState {
  id: string;
  title: string;
  status: IncidentStatus;
  services: string[];
  isDrill: boolean;
  isDeleted: boolean;
}

/** Incidents folded from `incident` ops (other entities are ignored). */
export function incidentStates(ops: readonly Op[]): Map<string, IncidentState> {
  const rows = foldRows(ops.filter((op) => op.entity === 'incident'));
  return new Map(
    [...rows].map(([id, f]) => [
      id,
      {
        id,
        title: typeof f.title === 'string' ? f.title : '',
        status: (typeof f.status === 'string' ? f.status : 'investigating') as IncidentStatus,
        services: Array.isArray(f.services) ? f.services.filter((s): s is string => typeof s === 'string') : [],
        isDrill: f.isDrill === true,
        isDeleted: f.deleted === true,
      },
    ]),
  );
}

/** Open incidents take events by service: not resolved, closed or deleted. */
export const isOpenIncident = (incident: IncidentState) => !incident.isDeleted && incident.status !== 'resolved' && incident.status !== 'closed';

const serviceKey = (name: string) => name.trim().replace(/\s+/g, ' ').toLowerCase();

/** Whether the incident names `service` among its affected services (case-insensitive). */
export const affectsService = (incident: IncidentState, service: string) => incident.services.some((s) => serviceKey(s) === serviceKey(service));

// --- freezes ---------------------------------------------------------------------------------------

/** The words of a scope: lower case, split on anything that is not a letter, digit or `*`. */
const scopeWords = (text: string) =>
  text
    .toLowerCase()
    .split(/[^\p{L}\p{N}*]+/u)
    .filter(Boolean);

/** Words that make a freeze (or a question) about everything. */
const everythingWords = new Set(['*', 'all', 'everything', 'everywhere', 'global', 'production', 'prod']);

/**
 * Freeze scopes are free text ("all production", "checkout", "checkout and payments", "Checkout
 * API"). A freeze covers a scope a pipeline asks about when the asked scope's words appear, in order,
 * among the freeze's words ("checkout" is covered by "checkout/payments", "prod: checkout" and
 * "checkout-api"; "checkout-api" by "Checkout API"), or when either side says everything ("all",
 * "*", "everything", "everywhere", "global", "production", "prod"). It errs towards covering: a
 * deploy held back wrongly is cheaper than one let through during an incident.
 */
export function freezeCovers(freezeScope: string, scope: string): boolean {
  const frozen = scopeWords(freezeScope);
  const wanted = scopeWords(scope);
  if (wanted.length === 0 || wanted.some((w) => everythingWords.has(w)) || frozen.some((w) => everythingWords.has(w))) return true;
  for (let start = 0; start + wanted.length <= frozen.length; start += 1) {
    if (wanted.every((word, k) => frozen[start + k] === word)) return true;
  }
  return false;
}

export const maxFreezeScopes = 20;

/** GET /v1/freeze query: `scope` once, repeated, or comma-separated; none means every freeze. */
export const freezeQuery = z
  .object({
    scope: z
      .union([z.string(), z.array(z.string())], { error: 'must be text' })
      .transform((value) =>
        (Array.isArray(value) ? value : [value])
          .flatMap((s) => s.split(/[,;]/))
          .map((s) => s.trim())
          .filter(Boolean),
      )
      .pipe(
        z.array(z.string().max(200, { error: 'each scope must be at most 200 characters' })).max(maxFreezeScopes, { error: `name at most ${maxFreezeScopes} scopes` }),
      )
      .optional(),
  })
  .strict();

/** One active freeze, as GET /v1/freeze answers it. Times are UTC milliseconds. */
export interface ActiveFreeze {
  /** The freeze's row id (incidentId/…), as replicas know it. */
  id: string;
  scope: string;
  reason: string;
  since: number;
  /** When it ends by itself; null: until lifted. */
  until: number | null;
  /** A drill's freeze counts like any other (the commander lifts it); `isDrill` says it is one. */
  incident: { id: string; title: string | null; isDrill: boolean };
  declaredBy: string;
}

/** GET /v1/freeze: `active` is what a pipeline checks. */
export interface FreezeStatus {
  active: boolean;
  /** The scopes asked about, or null when the question was "any freeze at all?". */
  scopes: string[] | null;
  /** When the service answered (UTC ms): a freeze with `until` ends at that time. */
  checkedAt: number;
  /** The active freezes covering the scopes, newest first. */
  freezes: ActiveFreeze[];
  /** One line for a pipeline's log. */
  message: string;
}

const toFreeze = (id: string, f: Record<string, Json>): Freeze => ({
  id,
  incidentId: typeof f.incidentId === 'string' ? f.incidentId : (id.split('/')[0] ?? ''),
  scope: typeof f.scope === 'string' ? f.scope : '',
  reason: typeof f.reason === 'string' ? f.reason : '',
  since: typeof f.since === 'number' ? f.since : 0,
  until: typeof f.until === 'number' ? f.until : null,
  declaredBy: typeof f.declaredBy === 'string' ? f.declaredBy : '',
  liftedAt: typeof f.liftedAt === 'number' ? f.liftedAt : null,
  liftedBy: typeof f.liftedBy === 'string' ? f.liftedBy : null,
  liftReason: typeof f.liftReason === 'string' ? f.liftReason : '',
});

/**
 * The active freezes among `ops` (the service's `freeze` and `incident` ops): each freeze folded per
 * row, active when not lifted and its `until` (if any) is after `now`, and left out when its
 * incident was deleted or purged (`purgedIncidents`).
 */
export function freezeStatus(ops: readonly Op[], options: { now: number; scopes: string[] | null; purgedIncidents: ReadonlySet<string> }): FreezeStatus {
  const { now, purgedIncidents } = options;
  const scopes = options.scopes && options.scopes.length > 0 ? options.scopes : null;
  const incidents = incidentStates(ops);
  const freezes = [...foldRows(ops.filter((op) => op.entity === 'freeze'))]
    .map(([id, fields]) => toFreeze(id, fields))
    .filter((freeze) => {
      const incident = incidents.get(freeze.incidentId);
      if (purgedIncidents.has(freeze.incidentId) || incident?.isDeleted) return false;
      if (!freeze.scope || !isFreezeActive(freeze, now)) return false;
      return scopes === null || scopes.some((scope) => freezeCovers(freeze.scope, scope));
    })
    .sort((a, b) => b.since - a.since || (a.id < b.id ? -1 : 1))
    .map((freeze): ActiveFreeze => ({
      id: freeze.id,
      scope: freeze.scope,
      reason: freeze.reason,
      since: freeze.since,
      until: freeze.until,
      incident: { id: freeze.incidentId, title: incidents.get(freeze.incidentId)?.title || null, isDrill: incidents.get(freeze.incidentId)?.isDrill ?? false },
      declaredBy: freeze.declaredBy,
    }));
  const asked = scopes ? ` for ${scopes.join(', ')}` : '';
  const message =
    freezes.length === 0
      ? `No active deployment freeze${asked}.`
      : `Deployments are frozen${asked}: ` +
        freezes
          .map(
            (f) =>
              `${f.scope} (incident ${f.incident.title ? `"${f.incident.title}"` : f.incident.id}, declared by ${f.declaredBy}` +
              `${f.until === null ? ', until lifted' : `, until ${utcStamp(f.until)}`}): ${f.reason}`,
          )
          .join('; ');
  return { active: freezes.length > 0, scopes, checkedAt: now, freezes, message };
}

// --- events ----------------------------------------------------------------------------------------

/** The kinds of event a pipeline may post: a fixed list, so the timeline reads the same everywhere. */
export const eventTypes = ['deployment', 'rollback', 'recovery', 'config-change', 'feature-flag', 'scaling', 'restart', 'failover', 'maintenance'] as const;
export type EventType = (typeof eventTypes)[number];

export const eventTypeLabels: Record<EventType, string> = {
  deployment: 'Deployment',
  rollback: 'Rollback',
  recovery: 'Recovery',
  'config-change': 'Config change',
  'feature-flag': 'Feature flag change',
  scaling: 'Scaling',
  restart: 'Restart',
  failover: 'Failover',
  maintenance: 'Maintenance',
};

/**
 * Who may post events: pipeline tokens, and admins and commanders (to script or test them).
 * Responders, comms leads and viewers may not: people write the timeline from the app as
 * themselves, and entries from tools come from tokens made for tools.
 */
export const eventRoles: readonly Role[] = ['admin', 'commander', 'pipeline'];

/** How far in the future an event's `at` may be (the clocks of CI runners drift). */
export const maxEventAheadMs = 5 * 60 * 1000;

export const maxSummaryChars = 500;
export const maxSourceChars = 100;

const required = (what: string) => (issue: { input: unknown }) => (issue.input === undefined ? `is required (${what})` : `must be ${what}`);

/** One line of text: trimmed, not empty, no control characters. */
const line = (max: number, what = 'text') =>
  z
    .string({ error: required(what) })
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(/^[^\p{Cc}]*$/u, { error: 'must be one line, without control characters' });

const isoTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/** `at`: an ISO 8601 time with its zone, or UTC milliseconds; read as UTC milliseconds. */
const eventTime = z.unknown().transform((value, ctx): number => {
  const problem = 'must be an ISO 8601 time with a zone (2025-01-31T14:05:00Z) or UTC milliseconds';
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0 && value <= 8_640_000_000_000_000) return value;
    ctx.addIssue({ code: 'custom', message: `${problem}; ${value} is not a whole number of milliseconds since 1970` });
    return z.NEVER;
  }
  if (typeof value === 'string' && isoTime.test(value)) {
    const ms = Date.parse(value);
    if (Number.isFinite(ms) && ms >= 0) return ms;
  }
  ctx.addIssue({ code: 'custom', message: problem });
  return z.NEVER;
});

const httpLink = z
  .string({ error: 'must be an http(s) link' })
  .trim()
  .max(2000, { error: 'must be at most 2000 characters' })
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && !/\s/.test(value);
      } catch {
        return false;
      }
    },
    { error: 'must be an http(s) link such as https://ci.example.com/runs/42' },
  );

export const idempotencyKeyPattern = /^[\x21-\x7e]{1,200}$/;
const idempotencyKey = z.string({ error: 'must be text' }).regex(idempotencyKeyPattern, { error: 'must be 1 to 200 visible ASCII characters (no spaces)' });

export const eventFields = ['type', 'summary', 'source', 'at', 'url', 'service', 'version', 'environment', 'idempotencyKey'] as const;

/** The body of POST /v1/incidents/{id}/events and /v1/services/{name}/events. */
export const pipelineEvent = z
  .object(
    {
      type: z.enum(eventTypes, { error: required(`one of ${eventTypes.join(', ')}`) }),
      /** What happened, in a sentence. */
      summary: line(maxSummaryChars),
      /** The pipeline or system that posts it (e.g. "github-actions"); entries show "pipeline:<source>". */
      source: line(maxSourceChars, 'the name of the pipeline or system posting the event'),
      /** When it happened; now when left out. */
      at: eventTime.optional(),
      url: httpLink.optional(),
      /** The service it concerns; on /v1/services/{name}/events the path names it. */
      service: line(100).optional(),
      version: line(100).optional(),
      environment: line(100).optional(),
      idempotencyKey: idempotencyKey.optional(),
    },
    { error: 'must be a JSON object with type, summary and source' },
  )
  .strict();
export type PipelineEvent = z.output<typeof pipelineEvent>;

/** Why an event body is refused, each problem naming its field. */
export function describeEventIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return `${issue.keys.map((key) => key.slice(0, 40)).join(', ')}: unknown field${issue.keys.length > 1 ? 's' : ''}; an event has ${eventFields.join(', ')}`;
      }
      return `${issue.path.join('.') || 'body'}: ${issue.message}`;
    })
    .join('; ');
}

/** Where an event goes: one incident, or every open incident affecting a service. */
export type EventTarget = { kind: 'incident'; incidentId: string } | { kind: 'service'; service: string };

/** The timeline text of an event, e.g. "Deployment of checkout 2.4.1 to production by github-actions: … (url)". */
export function eventText(event: Pick<PipelineEvent, 'type' | 'summary' | 'source' | 'url' | 'service' | 'version' | 'environment'>): string {
  const subject = [event.service, event.version].filter(Boolean).join(' ');
  const where = event.environment ? ` ${event.type === 'deployment' || event.type === 'rollback' ? 'to' : 'in'} ${event.environment}` : '';
  return `${eventTypeLabels[event.type]}${subject ? ` of ${subject}` : ''}${where} by ${event.source}: ${event.summary}${event.url ? ` (${event.url})` : ''}`;
}

/** The `source` of the timeline entries an event becomes. */
export const entrySource = (source: string) => `pipeline:${source}`;

/**
 * What makes two requests under one idempotency key the same: the target and the event as sent
 * (`at` as milliseconds, or absent), not what the service filled in.
 */
export function eventFingerprintText(target: EventTarget, event: PipelineEvent): string {
  const { idempotencyKey: _key, ...rest } = event;
  const where = target.kind === 'incident' ? { incident: target.incidentId } : { service: serviceKey(target.service) };
  return canonicalJson({ target: where, event: rest });
}

/** 200 from either event route: the entries written (none when no open incident affects the service). */
export interface EventResponse {
  attached: { incidentId: string; title: string; entryId: string }[];
  /** When it happened (UTC ms): the entries' event time. */
  eventAt: number;
  text: string;
  source: string;
}
