// MTTx metrics from milestone times. Per incident:
//   time to detect       = detected − impact started         (only when the impact start is known)
//   time to acknowledge  = acknowledged − detected
//   time to mitigate     = mitigated − impact start
//   time to resolve      = resolved − impact start
// where the impact start is the "impact started" milestone when someone recorded it, else the
// detection. Milestones are read as they stand, corrections included. Drills and deleted incidents
// are left out; an incident that has not reached a milestone is left out of that metric only.
// Aggregates per severity, service (an incident counts for each of its services) and period (UTC
// calendar month or ISO week): count, mean, median (p50) and p90, percentiles by linear
// interpolation between closest ranks (the "R-7" definition spreadsheets use).
import { z } from 'zod';
import { format } from 'date-fns';
import { UTCDate } from '@date-fns/utc';
import { severities, type Incident, type Severity } from './incident';
import { utcMs } from './common';
import { formatDuration as formatTimeDuration } from '../time';

export const metricNames = ['detect', 'acknowledge', 'mitigate', 'resolve'] as const;
export type MetricName = (typeof metricNames)[number];

export const metricLabels: Record<MetricName, string> = {
  detect: 'Time to detect',
  acknowledge: 'Time to acknowledge',
  mitigate: 'Time to mitigate',
  resolve: 'Time to resolve',
};

export const metricAbbreviations: Record<MetricName, string> = { detect: 'MTTD', acknowledge: 'MTTA', mitigate: 'MTTM', resolve: 'MTTR' };

/** One incident's durations (ms); null where a milestone is missing. */
export interface IncidentDurations {
  incidentId: string;
  title: string;
  severity: Severity;
  services: string[];
  declaredAt: number;
  durations: Record<MetricName, number | null>;
}

type Timed = Pick<Incident, 'id' | 'title' | 'severity' | 'services' | 'declaredAt' | 'milestones'>;

const span = (from: number | null, to: number | null) => (from === null || to === null || to < from ? null : to - from);

export function incidentDurations(incident: Timed): IncidentDurations {
  const m = incident.milestones;
  const detected = m.detected ?? incident.declaredAt;
  const start = m.started ?? detected;
  return {
    incidentId: incident.id,
    title: incident.title,
    severity: incident.severity,
    services: incident.services,
    declaredAt: incident.declaredAt,
    durations: {
      detect: m.started === null ? null : span(m.started, detected),
      acknowledge: span(detected, m.acknowledged),
      mitigate: span(start, m.mitigated),
      resolve: span(start, m.resolved),
    },
  };
}

/** The q-quantile (0..1) of sorted values by linear interpolation between closest ranks. */
export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.ceil(position);
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

export interface Summary {
  count: number;
  mean: number | null;
  p50: number | null;
  p90: number | null;
}

export function summarise(values: readonly number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    mean: sorted.length === 0 ? null : sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    p50: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
  };
}

export const periodKinds = ['month', 'week'] as const;
export type PeriodKind = (typeof periodKinds)[number];

/** The UTC period a time falls in: "2026-11" for a month, "2026-W48" for an ISO week. */
export function periodOf(ms: number, kind: PeriodKind): string {
  return kind === 'month' ? format(new UTCDate(ms), 'yyyy-MM') : format(new UTCDate(ms), "RRRR-'W'II");
}

export interface MetricRow {
  /** The group: a severity, a service or a period. */
  key: string;
  /** Incidents in the group (each counted once, whatever it has reached). */
  incidents: number;
  metrics: Record<MetricName, Summary>;
}

export interface MetricsReport {
  from: number;
  to: number;
  period: PeriodKind;
  /** Incidents declared in [from, to), drills and deleted left out. */
  incidents: IncidentDurations[];
  drillsExcluded: number;
  overall: MetricRow;
  bySeverity: MetricRow[];
  byService: MetricRow[];
  byPeriod: MetricRow[];
  /** Incidents per period and severity, for the count chart. */
  counts: { period: string; bySeverity: Record<Severity, number>; total: number }[];
}

function rowOf(key: string, items: readonly IncidentDurations[]): MetricRow {
  return {
    key,
    incidents: items.length,
    metrics: Object.fromEntries(metricNames.map((name) => [name, summarise(items.map((i) => i.durations[name]).filter((d): d is number => d !== null))])) as Record<
      MetricName,
      Summary
    >,
  };
}

/** Every period from `from` to `to` (exclusive), so charts show quiet months as zero, not as gaps. */
export function periodsBetween(from: number, to: number, kind: PeriodKind): string[] {
  const periods: string[] = [];
  const step = kind === 'month' ? null : 7 * 86_400_000;
  let cursor = from;
  while (cursor < to && periods.length < 1000) {
    const period = periodOf(cursor, kind);
    if (periods[periods.length - 1] !== period) periods.push(period);
    if (step) cursor += step;
    else {
      const d = new UTCDate(cursor);
      cursor = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
    }
  }
  const last = to > from ? periodOf(to - 1, kind) : null;
  if (last && periods[periods.length - 1] !== last) periods.push(last);
  return periods;
}

export function metricsReport(all: readonly (Timed & { isDrill: boolean })[], range: { from: number; to: number; period: PeriodKind }): MetricsReport {
  const inRange = all.filter((i) => i.declaredAt >= range.from && i.declaredAt < range.to);
  const counted = inRange.filter((i) => !i.isDrill).map(incidentDurations);
  const group = (keyOf: (i: IncidentDurations) => string[]) => {
    const groups = new Map<string, IncidentDurations[]>();
    for (const item of counted) for (const key of keyOf(item)) groups.set(key, [...(groups.get(key) ?? []), item]);
    return groups;
  };
  const bySeverity = group((i) => [i.severity]);
  const byService = group((i) => i.services);
  const byPeriod = group((i) => [periodOf(i.declaredAt, range.period)]);
  const periods = periodsBetween(range.from, range.to, range.period);
  return {
    from: range.from,
    to: range.to,
    period: range.period,
    incidents: counted,
    drillsExcluded: inRange.length - counted.length,
    overall: rowOf('all', counted),
    bySeverity: severities.filter((s) => bySeverity.has(s)).map((s) => rowOf(s, bySeverity.get(s)!)),
    byService: [...byService.keys()].sort((a, b) => a.localeCompare(b)).map((s) => rowOf(s, byService.get(s)!)),
    byPeriod: periods.map((p) => rowOf(p, byPeriod.get(p) ?? [])),
    counts: periods.map((period) => {
      const items = byPeriod.get(period) ?? [];
      return {
        period,
        bySeverity: Object.fromEntries(severities.map((s) => [s, items.filter((i) => i.severity === s).length])) as Record<Severity, number>,
        total: items.length,
      };
    }),
  };
}

/** A measured duration as people read it ("45 s", "12 min", "3 h 05 min", "2 d 4 h"; "—" for none): shared/time's default style. */
/**
 * A metric's duration as the dashboard and reports write it. A negative one (milestones corrected
 * out of order, e.g. resolved before detected) keeps its minus sign, so it cannot read as a real time.
 */
export function formatDuration(ms: number | null): string {
  if (ms !== null && ms < 0) return `-${formatTimeDuration(-ms)}`;
  return formatTimeDuration(ms);
}

export const metricsRequest = z
  .object({
    from: utcMs,
    to: utcMs,
    period: z.enum(periodKinds, { error: 'must be month or week' }).default('month'),
  })
  .strict()
  .refine((r) => r.to > r.from, { error: 'must be after from', path: ['to'] })
  .refine((r) => r.to - r.from <= 10 * 366 * 86_400_000, { error: 'covers at most ten years', path: ['to'] });
