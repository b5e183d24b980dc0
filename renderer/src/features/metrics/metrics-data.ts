// What the metrics dashboard asks for and shows, as pure functions: the range a period choice
// stands for, the rows each chart plots and the CSV behind each chart and table. A chart and its
// CSV are made from the same rows, so the download holds exactly the numbers drawn: durations in
// milliseconds as the engine computed them (the charts draw them in hours), counts as counted.
import { severities, type Severity } from '@shared/domain/incident';
import { metricAbbreviations, metricNames, type MetricName, type MetricRow, type MetricsReport, type PeriodKind } from '@shared/domain/metrics';
import { csvText, type CsvValue } from '@shared/csv';

export const monthChoices = [3, 6, 12] as const;
export type MonthChoice = (typeof monthChoices)[number];

const dayMs = 86_400_000;

/**
 * The range of "the last N months": from the first of the UTC month N−1 months before this one
 * (so every month shown is whole but the current one) to now. By week, it starts on the Monday
 * (ISO weeks) on or before that day, so the first week is whole too.
 */
export function rangeOf(months: MonthChoice, period: PeriodKind, now: number): { from: number; to: number } {
  const today = new Date(now);
  const monthStart = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - (months - 1), 1);
  if (period === 'month') return { from: monthStart, to: now };
  const weekday = (new Date(monthStart).getUTCDay() + 6) % 7; // Monday 0 … Sunday 6
  return { from: monthStart - weekday * dayMs, to: now };
}

export const hours = (ms: number | null) => (ms === null ? null : ms / 3_600_000);

/** One period of the time-to-resolve/mitigate chart: means and p90s in ms, with how many incidents each. */
export interface TrendRow {
  period: string;
  resolveCount: number;
  resolveMean: number | null;
  resolveP90: number | null;
  mitigateCount: number;
  mitigateMean: number | null;
  mitigateP90: number | null;
}

export function trendRows(report: MetricsReport): TrendRow[] {
  return report.byPeriod.map((row) => ({
    period: row.key,
    resolveCount: row.metrics.resolve.count,
    resolveMean: row.metrics.resolve.mean,
    resolveP90: row.metrics.resolve.p90,
    mitigateCount: row.metrics.mitigate.count,
    mitigateMean: row.metrics.mitigate.mean,
    mitigateP90: row.metrics.mitigate.p90,
  }));
}

export function trendCsv(rows: TrendRow[]): string {
  return csvText(
    ['period', 'resolved incidents', 'MTTR mean (ms)', 'MTTR p90 (ms)', 'mitigated incidents', 'MTTM mean (ms)', 'MTTM p90 (ms)'],
    rows.map((r) => [r.period, r.resolveCount, r.resolveMean, r.resolveP90, r.mitigateCount, r.mitigateMean, r.mitigateP90]),
  );
}

/** One period of the incident-count chart: incidents declared per severity. */
export type CountRow = { period: string; total: number } & Record<Severity, number>;

export function countRows(report: MetricsReport): CountRow[] {
  return report.counts.map((c) => ({ period: c.period, total: c.total, ...c.bySeverity }));
}

export function countCsv(rows: CountRow[]): string {
  return csvText(
    ['period', ...severities, 'total'],
    rows.map((r) => [r.period, ...severities.map((s) => r[s]), r.total]),
  );
}

/** A table by severity or service (or the headline, one row): every metric's count, mean, p50 and p90. */
export function groupCsv(keyHeader: string, rows: MetricRow[]): string {
  const header = [
    keyHeader,
    'incidents',
    ...metricNames.flatMap((m) => [
      `${metricAbbreviations[m]} count`,
      `${metricAbbreviations[m]} mean (ms)`,
      `${metricAbbreviations[m]} p50 (ms)`,
      `${metricAbbreviations[m]} p90 (ms)`,
    ]),
  ];
  return csvText(
    header,
    rows.map((row): CsvValue[] => [
      row.key,
      row.incidents,
      ...metricNames.flatMap((m: MetricName) => [row.metrics[m].count, row.metrics[m].mean, row.metrics[m].p50, row.metrics[m].p90]),
    ]),
  );
}

/** "2025-06-01_2025-11-30": the range in file names (UTC days). */
export function rangeSlug(report: Pick<MetricsReport, 'from' | 'to'>): string {
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  return `${day(report.from)}_${day(report.to)}`;
}
