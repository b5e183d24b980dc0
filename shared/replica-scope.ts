// Which incident streams a laptop holds (docs/replica-scope.md): one rule, folded from the ops of
// each incident stream and evaluated the same way by the central service (which streams it lists
// to a laptop) and by the laptop (which streams it may evict). Shared streams are always held.
import { z } from 'zod';
import { incidentOfStream } from './entities/streams';
import { stampWins, type Stamp } from './merge';

export const dayMs = 24 * 3_600_000;
export const defaultKeepClosedDays = 90;
export const maxKeepClosedDays = 36_500;

/** What a laptop asks to hold: closed incidents of the last `keepClosedDays` days, or everything (an archive machine). */
export interface ScopeSettings {
  keepClosedDays: number;
  isKeepEverything: boolean;
}

export const defaultScope: ScopeSettings = { keepClosedDays: defaultKeepClosedDays, isKeepEverything: false };

export const scopeSettings = z
  .object({
    keepClosedDays: z
      .number({ error: 'keepClosedDays must be a whole number of days' })
      .int({ error: 'keepClosedDays must be a whole number of days' })
      .min(1, { error: 'keepClosedDays must be at least 1 day' })
      .max(maxKeepClosedDays, { error: `keepClosedDays must be at most ${maxKeepClosedDays} days` }),
    isKeepEverything: z.boolean({ error: 'isKeepEverything must be true or false' }),
  })
  .strict();

/**
 * GET /v1/sync/streams?keepClosedDays=N[&keepEverything=1]: the streams of the laptop's scope. Without
 * `keepClosedDays` the answer is every stream the user may read (hubs, older laptops).
 */
export const scopeQuery = z
  .object({
    keepClosedDays: z.coerce
      .number({ error: 'keepClosedDays must be a whole number of days' })
      .int({ error: 'keepClosedDays must be a whole number of days' })
      .min(1, { error: 'keepClosedDays must be at least 1 day' })
      .max(maxKeepClosedDays, { error: `keepClosedDays must be at most ${maxKeepClosedDays} days` })
      .optional(),
    keepEverything: z.enum(['0', '1'], { error: 'keepEverything must be 0 or 1' }).optional(),
  })
  .strict();

/** The scope a streams query asks for, or null for every readable stream. */
export function scopeOfQuery(query: z.infer<typeof scopeQuery>): ScopeSettings | null {
  if (query.keepEverything === '1') return { keepClosedDays: query.keepClosedDays ?? defaultKeepClosedDays, isKeepEverything: true };
  return query.keepClosedDays === undefined ? null : { keepClosedDays: query.keepClosedDays, isKeepEverything: false };
}

/** The query string (without `?`) that asks for `settings`. */
export const scopeQueryString = (settings: ScopeSettings): string => `keepClosedDays=${settings.keepClosedDays}${settings.isKeepEverything ? '&keepEverything=1' : ''}`;

/** The facts of one incident the rule reads, folded from its stream's valid ops in any order. */
export interface IncidentFacts {
  status: string | null;
  closedAt: number | null;
  resolvedAt: number | null;
  isLegalHold: boolean;
  isDeleted: boolean;
  /** Everyone who wrote a valid op in the stream or was ever given one of its roles. */
  participants: Set<string>;
  /** Last writer of each folded incident field. */
  clocks: Record<string, Stamp>;
}

export const emptyFacts = (): IncidentFacts => ({
  status: null,
  closedAt: null,
  resolvedAt: null,
  isLegalHold: false,
  isDeleted: false,
  participants: new Set(),
  clocks: {},
});

/** What the fold reads of an op (the service's stored ops and the laptop's op log both have it). */
export type FactOp = Stamp & { entity: string; actorId: string; fields: Record<string, unknown> };

const numberOrNull = (value: unknown) => (typeof value === 'number' ? value : null);

/**
 * Folds one valid op (never a refused one) into its incident's facts. Order-independent: incident
 * fields win by (hlc, opId) as in every projection, participants only grow.
 */
export function foldFact(facts: IncidentFacts, op: FactOp): void {
  facts.participants.add(op.actorId);
  if (op.entity === 'incident_role' && typeof op.fields.holderId === 'string') facts.participants.add(op.fields.holderId);
  if (op.entity !== 'incident') return;
  const stamp: Stamp = { hlc: op.hlc, opId: op.opId };
  const take = (field: string, set: () => void) => {
    if (!(field in op.fields) || !stampWins(stamp, facts.clocks[field])) return;
    facts.clocks[field] = stamp;
    set();
  };
  take('status', () => (facts.status = typeof op.fields.status === 'string' ? op.fields.status : null));
  take('closedAt', () => (facts.closedAt = numberOrNull(op.fields.closedAt)));
  take('resolvedAt', () => (facts.resolvedAt = numberOrNull(op.fields.resolvedAt)));
  take('isLegalHold', () => (facts.isLegalHold = op.fields.isLegalHold === true));
  take('deleted', () => (facts.isDeleted = op.fields.deleted === true));
}

/** Why an incident is held on the user's laptop, or null when it is out of scope. */
export type ScopeReason = 'keep-everything' | 'open' | 'took-part' | 'legal-hold-worked-on' | 'recently-closed' | 'end-unknown';

/**
 * The time a laptop judges eviction at: the earlier of its own wall clock and its clock corrected
 * against the service's. A service claiming a clock far ahead cannot make the laptop's own check
 * agree that recently ended incidents left the scope; a laptop clock far ahead is held back by the
 * service's. Either way the later clock never shortens what is kept.
 */
export function evictionTime(wall: number, corrected: number): number {
  return Math.min(wall, corrected);
}

/**
 * The rule. `now` is the time of the node that evaluates it: the service's own clock, or the
 * laptop's clock corrected against the service's; "the last N days" is counted from the
 * incident's recorded close (else resolve) time, never from when the laptop heard of it.
 */
export function scopeReason(facts: IncidentFacts, user: string, settings: ScopeSettings, now: number): ScopeReason | null {
  if (settings.isKeepEverything) return 'keep-everything';
  const isEnded = facts.isDeleted || facts.status === 'resolved' || facts.status === 'closed';
  if (!isEnded) return 'open';
  if (facts.participants.has(user)) return facts.isLegalHold ? 'legal-hold-worked-on' : 'took-part';
  const endedAt = facts.closedAt ?? facts.resolvedAt;
  // Ended without a recorded time (an old record): kept, as nobody can say how long ago.
  if (endedAt === null) return facts.isDeleted ? null : 'end-unknown';
  return endedAt > now - settings.keepClosedDays * dayMs ? 'recently-closed' : null;
}

/**
 * Whether a stream is in the user's scope: shared streams always, an incident stream by the rule.
 * An incident stream with no facts yet (none of its ops folded) is in scope: nothing says otherwise.
 */
export function isStreamInScope(streamId: string, facts: IncidentFacts | undefined, user: string, settings: ScopeSettings, now: number): boolean {
  if (incidentOfStream(streamId) === null || !facts) return true;
  return scopeReason(facts, user, settings, now) !== null;
}

/** What an eviction pass did on a laptop. */
export interface EvictionReport {
  /** Incident streams removed from this laptop. */
  evicted: string[];
  /** Out of scope, but with ops the service has not acknowledged yet: kept until it has. */
  keptUnsent: string[];
  /** Not listed by the service, but in scope by the ops held here (the two agree after the next push or pull). */
  keptInScope: string[];
}

/** sync.scope: the laptop's scope setting and what its last eviction did (null: none since start). */
export interface ReplicaScopeView {
  settings: ScopeSettings;
  lastEviction: EvictionReport | null;
}
