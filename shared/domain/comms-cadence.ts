// Update cadence: how often each audience hears about an incident of each severity, the setting
// that says so, and where each audience's update clock stands.
import { z } from 'zod';
import { severities, type Severity } from './incident';
import { audiences, type Audience } from './comms-update';

/** Minutes between updates per severity and audience; null = no cadence (updates as needed). */
export type Cadence = Record<Severity, Record<Audience, number | null>>;

/**
 * Responders hear most often, executives and customers at a pace they can read. A SEV3 has a
 * workaround: executives hear about it as needed, customers every two hours. A SEV4 has no customer
 * impact yet, so no clock runs.
 */
export const defaultCadence: Cadence = {
  SEV1: { internal: 15, executives: 30, customers: 30 },
  SEV2: { internal: 30, executives: 60, customers: 60 },
  SEV3: { internal: 60, executives: null, customers: 120 },
  SEV4: { internal: null, executives: null, customers: null },
};

export const minCadenceMin = 5;
export const maxCadenceMin = 1440;

const cadenceMinutes = z
  .number({
    error: (issue) =>
      issue.input === undefined
        ? `is missing: give the minutes between updates (${minCadenceMin} to ${maxCadenceMin}), or null for updates as needed`
        : `must be the minutes between updates (${minCadenceMin} to ${maxCadenceMin}), or null for updates as needed`,
  })
  .int({ error: 'must be a whole number of minutes' })
  .min(minCadenceMin, { error: `must be at least ${minCadenceMin} minutes: nobody writes a useful update faster` })
  .max(maxCadenceMin, { error: `must be at most ${maxCadenceMin} minutes (a day); use null for updates as needed` })
  .nullable();

const severityCadence = z.strictObject(Object.fromEntries(audiences.map((a) => [a, cadenceMinutes])) as Record<Audience, typeof cadenceMinutes>, {
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `has no audience ${issue.keys.join(', ')}: use ${audiences.join(', ')}`
      : `${issue.input === undefined ? 'is missing' : 'must be minutes per audience'}: give { ${audiences.map((a) => `${a}: minutes or null`).join(', ')} }`,
});

/** An organisation's cadence: every severity and every audience, in whole minutes or null. */
export const cadenceSetting = z.strictObject(Object.fromEntries(severities.map((s) => [s, severityCadence])) as Record<Severity, typeof severityCadence>, {
  error: (issue) =>
    issue.code === 'unrecognized_keys'
      ? `has no severity ${issue.keys.join(', ')}: use ${severities.join(', ')}`
      : `must give the cadence of every severity: ${severities.join(', ')}`,
});

export const cadenceRequest = z.object({ cadence: cadenceSetting }).strict();

/**
 * How an update clock stands. There is no separate "due" level: an update is `soon` until the
 * moment it is due and `overdue` after it.
 */
export const cadenceLevels = ['none', 'ok', 'soon', 'overdue'] as const;
export type CadenceLevel = (typeof cadenceLevels)[number];

export interface CadenceStatus {
  audience: Audience;
  intervalMin: number | null;
  lastPublishedAt: number | null;
  /** When the next update is due (UTC ms); null when no clock runs. */
  dueAt: number | null;
  level: CadenceLevel;
  /** Whole minutes until dueAt, rounded up (30 s left is 1); 0 in the first minute overdue, then negative. */
  minutesLeft: number | null;
}

const minuteMs = 60_000;

/** How long before an update is due it turns amber: a fifth of the interval, at least 5 minutes. */
export const soonWindowMin = (intervalMin: number | null) => Math.max(5, (intervalMin ?? 0) / 5);

/**
 * Where the update clock of one audience stands. The first update is due one interval after the
 * declaration, each next one an interval after the last published update. A "next update at" the
 * last update promised (`nextUpdateAt`) wins when it is earlier than that, and is kept even when the
 * severity has no cadence: a promise to readers is a deadline. Pass the current severity: a change
 * of severity moves the clock at once (an escalation can make an update overdue immediately).
 * Callers stop asking once the incident is resolved.
 *
 * Levels: `none` when no clock runs; `ok` while more than soonWindowMin is left; `soon` within it,
 * up to and including dueAt; `overdue` once now is past dueAt.
 */
export function cadenceStatus(args: {
  severity: Severity;
  audience: Audience;
  cadence: Cadence;
  declaredAt: number;
  lastPublishedAt: number | null;
  nextUpdateAt?: number | null;
  now: number;
}): CadenceStatus {
  const { audience, lastPublishedAt, now } = args;
  const intervalMin = args.cadence[args.severity][audience];
  const byCadence = intervalMin === null ? null : (lastPublishedAt ?? args.declaredAt) + intervalMin * minuteMs;
  const promised = args.nextUpdateAt ?? null;
  const dueAt = byCadence === null ? promised : promised === null ? byCadence : Math.min(byCadence, promised);
  if (dueAt === null) return { audience, intervalMin, lastPublishedAt, dueAt: null, level: 'none', minutesLeft: null };
  const leftMs = dueAt - now;
  const level: CadenceLevel = leftMs < 0 ? 'overdue' : leftMs <= soonWindowMin(intervalMin) * minuteMs ? 'soon' : 'ok';
  return { audience, intervalMin, lastPublishedAt, dueAt, level, minutesLeft: Math.ceil(leftMs / minuteMs) || 0 };
}

/**
 * What the composer proposes for "next update at": one interval from now, rounded up to the next
 * 5 minutes of the clock (14:32:10 → 14:35). Null when the audience has no cadence.
 */
export function nextUpdateSuggestion(status: Pick<CadenceStatus, 'intervalMin'>, now: number): number | null {
  if (status.intervalMin === null) return null;
  const step = 5 * minuteMs;
  return Math.ceil((now + status.intervalMin * minuteMs) / step) * step;
}
