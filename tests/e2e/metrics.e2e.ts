// The metrics dashboard in Chromium against a real `holdfast web`: incidents of several severities
// and services declared, mitigated and resolved over the last months through the real API (the
// engine's clock set to each moment), a drill, an impact start recorded afterwards and a resolution
// time corrected. The headline numbers and the tables must match what this test computes from the
// times it chose, the charts must draw, and each CSV must hold the numbers behind its chart or table.
import { expect, test } from '@playwright/test';
import { format } from 'date-fns';
import { UTCDate } from '@date-fns/utc';
import { formatDuration } from '@shared/domain/metrics';
import type { Severity } from '@shared/domain/incident';
import { tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { MetricsPage } from './pages/review';
import { seedIncidents, type Seed } from './pages/metrics-seed';
import { startShiftedWeb } from './shifted-clock';

const minute = 60_000;
const day = 86_400_000;

// Five incidents across four months (at least), one drill, one still only mitigated.
const seeds: Seed[] = [
  {
    title: 'Checkout 500s after deploy',
    severity: 'SEV1',
    services: ['checkout-api', 'payments'],
    daysAgo: 120,
    detectedBefore: 10,
    startedBefore: 30,
    mitigatedAfter: 40,
    resolvedAfter: 120,
  },
  {
    title: 'Search index stale',
    severity: 'SEV3',
    services: ['search'],
    daysAgo: 75,
    detectedBefore: 0,
    mitigatedAfter: 60,
    resolvedAfter: 300,
    resolvedCorrectedTo: 240,
  },
  {
    title: 'Game day: database failover',
    severity: 'SEV2',
    services: ['orders-db'],
    isDrill: true,
    daysAgo: 41,
    detectedBefore: 0,
    mitigatedAfter: 5,
    resolvedAfter: 10,
  },
  { title: 'Payments latency', severity: 'SEV2', services: ['payments'], daysAgo: 40, detectedBefore: 5, mitigatedAfter: 25, resolvedAfter: 60 },
  { title: 'Login errors', severity: 'SEV1', services: ['auth', 'checkout-api'], daysAgo: 12, detectedBefore: 2, mitigatedAfter: 15 },
  { title: 'Email delays', severity: 'SEV4', services: ['notifications'], daysAgo: 5, detectedBefore: 20, mitigatedAfter: 30, resolvedAfter: 30 },
];

type Metric = 'detect' | 'acknowledge' | 'mitigate' | 'resolve';

/** What each counted incident's durations are, in ms, straight from the seeds (acknowledged on declaring). */
function durations(seed: Seed): Record<Metric, number | null> {
  const start = -(seed.startedBefore ?? seed.detectedBefore);
  const resolved = seed.resolvedCorrectedTo ?? seed.resolvedAfter;
  return {
    detect: seed.startedBefore === undefined ? null : (seed.startedBefore - seed.detectedBefore) * minute,
    acknowledge: seed.detectedBefore * minute,
    mitigate: (seed.mitigatedAfter - start) * minute,
    resolve: resolved === undefined ? null : (resolved - start) * minute,
  };
}

/** Mean, median and p90 (linear interpolation between closest ranks) of some durations. */
function stats(values: (number | null)[]): { count: number; mean: number | null; p50: number | null; p90: number | null } {
  const sorted = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (sorted.length === 0) return { count: 0, mean: null, p50: null, p90: null };
  const rank = (q: number) => {
    const position = (sorted.length - 1) * q;
    const below = Math.floor(position);
    const above = Math.ceil(position);
    return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
  };
  return { count: sorted.length, mean: sorted.reduce((a, b) => a + b, 0) / sorted.length, p50: rank(0.5), p90: rank(0.9) };
}

const csvLines = (text: string) => text.split('\r\n').filter(Boolean);
const cell = (ms: number | null) => (ms === null ? '' : String(ms));

test('the metrics dashboard shows MTTx by severity, service and month, leaves the drill out, and downloads the numbers behind each chart', async ({ page }) => {
  test.setTimeout(120_000);
  const web = await startShiftedWeb(tempDataDir());
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  try {
    const now = Date.now();
    await seedIncidents(web, now, seeds);
    const counted = seeds.filter((s) => !s.isDrill);
    const all = (metric: Metric, of: Seed[] = counted) => stats(of.map((s) => durations(s)[metric]));

    const incidents = new IncidentsPage(page);
    const metrics = new MetricsPage(page);
    await incidents.open(web.openUrl);
    await metrics.open();

    // Six months by month is the default; the drill is left out and said so.
    await expect(page.getByTestId('range-6')).toHaveAttribute('aria-pressed', 'true');
    await expect(metrics.dashboard).toHaveAttribute('data-period', 'month');
    await expect(page.getByTestId('metrics-incidents')).toHaveText(String(counted.length));
    await expect(page.getByTestId('metrics-drills')).toContainText('1 drill in this range');

    // Headline: mean, p90 and how many incidents each is over.
    for (const metric of ['detect', 'acknowledge', 'mitigate', 'resolve'] as const) {
      const expected = all(metric);
      const headline = metrics.headline(metric);
      await expect(headline.getByTestId('headline-mean')).toHaveText(formatDuration(expected.mean));
      await expect(headline.getByTestId('headline-p90')).toHaveText(formatDuration(expected.p90));
      await expect(headline.getByTestId('headline-count')).toHaveText(String(expected.count));
    }
    // The numbers this rests on, spelled out once: MTTR over 150, 240 (corrected from 300), 65 and 50 minutes.
    await expect(metrics.headline('resolve').getByTestId('headline-mean')).toHaveText('2 h 06 min');
    await expect(metrics.headline('resolve').getByTestId('headline-count')).toHaveText('4');
    await expect(metrics.headline('detect').getByTestId('headline-mean')).toHaveText('20 min');

    // Tables by severity and by service (an incident counts for each of its services).
    for (const severity of ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const) {
      const of = counted.filter((s) => s.severity === severity);
      const row = metrics.row('severity', severity);
      await expect(row.getByTestId('cell-incidents')).toHaveText(String(of.length));
      for (const metric of ['mitigate', 'resolve'] as const) {
        const expected = all(metric, of);
        await expect(row.getByTestId(`cell-${metric}`).getByTestId('cell-mean')).toHaveText(formatDuration(expected.mean));
        await expect(row.getByTestId(`cell-${metric}`).getByTestId('cell-p50')).toHaveText(formatDuration(expected.p50));
        await expect(row.getByTestId(`cell-${metric}`).getByTestId('cell-p90')).toHaveText(formatDuration(expected.p90));
        await expect(row.getByTestId(`cell-${metric}`).getByTestId('cell-count')).toHaveText(String(expected.count));
      }
    }
    const services = [...new Set(counted.flatMap((s) => s.services))].sort();
    await expect(page.getByTestId('table-service').getByTestId('metrics-row')).toHaveCount(services.length);
    for (const service of services) {
      const of = counted.filter((s) => s.services.includes(service));
      const row = metrics.row('service', service);
      await expect(row.getByTestId('cell-incidents')).toHaveText(String(of.length));
      await expect(row.getByTestId('cell-resolve').getByTestId('cell-mean')).toHaveText(formatDuration(all('resolve', of).mean));
      await expect(row.getByTestId('cell-acknowledge').getByTestId('cell-mean')).toHaveText(formatDuration(all('acknowledge', of).mean));
    }
    await expect(page.getByTestId('table-severity').getByTestId('metrics-row')).toHaveCount(4);
    // The drill's service appears nowhere.
    await expect(metrics.row('service', 'orders-db')).toHaveCount(0);

    // Every month of the range, oldest first (UTC months of the declarations).
    const from = Number(await metrics.dashboard.getAttribute('data-from'));
    const to = Number(await metrics.dashboard.getAttribute('data-to'));
    expect(new Date(from).toISOString()).toMatch(/-01T00:00:00\.000Z$/);
    const months: string[] = [];
    for (let cursor = from; cursor < to; cursor = Date.UTC(new Date(cursor).getUTCFullYear(), new Date(cursor).getUTCMonth() + 1, 1))
      months.push(format(new UTCDate(cursor), 'yyyy-MM'));
    expect(months).toHaveLength(6);
    const monthOf = (s: Seed) => format(new UTCDate(Math.floor((now - s.daysAgo * day) / minute) * minute), 'yyyy-MM');

    // The charts are drawn: four lines, and one bar segment per month and severity with incidents.
    const trend = page.getByTestId('chart-trend');
    await expect(trend.locator('svg.recharts-surface').first()).toBeVisible();
    await expect(trend.locator('path.recharts-line-curve')).toHaveCount(4);
    await expect(trend.locator('.recharts-xAxis .recharts-cartesian-axis-tick')).toHaveCount(months.length);
    const counts = page.getByTestId('chart-counts');
    await expect(counts.locator('svg.recharts-surface').first()).toBeVisible();
    const segments = new Set(counted.map((s) => `${monthOf(s)} ${s.severity}`));
    await expect(counts.locator('.recharts-bar-rectangle path')).toHaveCount(segments.size);

    // CSV: the incidents per month and severity.
    const countCsv = await metrics.csv('csv-counts');
    expect(countCsv.name).toMatch(/^metrics-incidents-month-.*\.csv$/);
    expect(csvLines(countCsv.text)).toEqual([
      'period,SEV1,SEV2,SEV3,SEV4,total',
      ...months.map((m) => {
        const of = counted.filter((s) => monthOf(s) === m);
        const by = (sev: Severity) => of.filter((s) => s.severity === sev).length;
        return [m, by('SEV1'), by('SEV2'), by('SEV3'), by('SEV4'), of.length].join(',');
      }),
    ]);

    // CSV: mean and p90 time to resolve and mitigate per month, in ms, as plotted.
    const trendCsv = await metrics.csv('csv-trend');
    expect(csvLines(trendCsv.text)).toEqual([
      'period,resolved incidents,MTTR mean (ms),MTTR p90 (ms),mitigated incidents,MTTM mean (ms),MTTM p90 (ms)',
      ...months.map((m) => {
        const of = counted.filter((s) => monthOf(s) === m);
        const r = all('resolve', of);
        const mi = all('mitigate', of);
        return [m, r.count, cell(r.mean), cell(r.p90), mi.count, cell(mi.mean), cell(mi.p90)].join(',');
      }),
    ]);

    // CSV: the table by severity, every metric.
    const severityCsv = await metrics.csv('csv-severity');
    const severityLines = csvLines(severityCsv.text);
    expect(severityLines[0]).toBe(
      'severity,incidents,MTTD count,MTTD mean (ms),MTTD p50 (ms),MTTD p90 (ms),MTTA count,MTTA mean (ms),MTTA p50 (ms),MTTA p90 (ms),MTTM count,MTTM mean (ms),MTTM p50 (ms),MTTM p90 (ms),MTTR count,MTTR mean (ms),MTTR p50 (ms),MTTR p90 (ms)',
    );
    const sev1 = severityLines.find((line) => line.startsWith('SEV1,'))!.split(',');
    const sev1Seeds = counted.filter((s) => s.severity === 'SEV1');
    expect(sev1[1]).toBe(String(sev1Seeds.length));
    expect(sev1.slice(10, 12)).toEqual([String(all('mitigate', sev1Seeds).count), cell(all('mitigate', sev1Seeds).mean)]);
    expect(sev1[13]).toBe(cell(all('mitigate', sev1Seeds).p90));
    expect(sev1.slice(14, 16)).toEqual([String(all('resolve', sev1Seeds).count), cell(all('resolve', sev1Seeds).mean)]);

    // CSV: the headline row.
    const overall = csvLines((await metrics.csv('csv-overall')).text);
    expect(overall[1].split(',').slice(0, 2)).toEqual(['all', String(counted.length)]);
    expect(overall[1].split(',')[15]).toBe(cell(all('resolve').mean));

    // By week: the same incidents, counted per ISO week.
    await page.getByTestId('period-kind').selectOption('week');
    await expect(metrics.dashboard).toHaveAttribute('data-period', 'week');
    await expect(page.getByTestId('metrics-incidents')).toHaveText(String(counted.length));
    const weekly = csvLines((await metrics.csv('csv-counts')).text);
    expect(weekly[0]).toBe('period,SEV1,SEV2,SEV3,SEV4,total');
    expect(weekly.length - 1).toBeGreaterThanOrEqual(22);
    expect(weekly.slice(1).every((line) => /^\d{4}-W\d{2},/.test(line))).toBe(true);
    expect(weekly.slice(1).reduce((sum, line) => sum + Number(line.split(',')[5]), 0)).toBe(counted.length);

    // Three months: only what was declared in them.
    await page.getByTestId('period-kind').selectOption('month');
    await page.getByTestId('range-3').click();
    const threeMonths = counted.filter((s) => months.slice(3).includes(monthOf(s)));
    await expect(page.getByTestId('metrics-incidents')).toHaveText(String(threeMonths.length));
    await expect(metrics.headline('resolve').getByTestId('headline-mean')).toHaveText(formatDuration(all('resolve', threeMonths).mean));

    // Charts are drawn with the app's Content-Security-Policy in force: nothing refused.
    expect(consoleErrors.filter((e) => /Content Security Policy|Refused/i.test(e))).toEqual([]);
  } finally {
    await web.stop();
  }
});
