// Refreshes docs/screenshots/metrics-dashboard.png and review.png (`npm run screenshots`): the
// metrics dashboard over six months of incidents (laid down at their times through the real API,
// a drill among them), and the post-incident review of the orders database outage in its war room:
// the draft generated from the record and edited, factors ticked, action items with one overdue.
import { expect, test } from '@playwright/test';
import { format } from 'date-fns';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { seedIncidents, type Seed } from './pages/metrics-seed';
import { MetricsPage, ReviewPane } from './pages/review';
import { declareOrdersDbOutage } from './pages/scenes';
import { WarRoomPage } from './pages/war-room-page';
import { startShiftedWeb } from './shifted-clock';
import { rangeOf } from '../../renderer/src/features/metrics/metrics-data';

const day = 86_400_000;

const history: Seed[] = [
  {
    title: 'Checkout 500s after deploy 4471',
    severity: 'SEV1',
    services: ['checkout-api', 'payments'],
    daysAgo: 168,
    detectedBefore: 12,
    startedBefore: 35,
    mitigatedAfter: 55,
    resolvedAfter: 190,
  },
  { title: 'Search index stale', severity: 'SEV3', services: ['search'], daysAgo: 160, detectedBefore: 0, mitigatedAfter: 90, resolvedAfter: 420 },
  { title: 'CDN certificate expired', severity: 'SEV2', services: ['cdn'], daysAgo: 141, detectedBefore: 8, mitigatedAfter: 45, resolvedAfter: 80 },
  { title: 'Payments latency above SLO', severity: 'SEV2', services: ['payments'], daysAgo: 133, detectedBefore: 5, mitigatedAfter: 35, resolvedAfter: 140 },
  { title: 'Email delays', severity: 'SEV4', services: ['notifications'], daysAgo: 120, detectedBefore: 30, mitigatedAfter: 60, resolvedAfter: 60 },
  {
    title: 'Orders DB replica lag',
    severity: 'SEV2',
    services: ['orders-db'],
    daysAgo: 104,
    detectedBefore: 4,
    startedBefore: 20,
    mitigatedAfter: 30,
    resolvedAfter: 150,
  },
  { title: 'Login errors for SSO users', severity: 'SEV1', services: ['auth'], daysAgo: 96, detectedBefore: 3, startedBefore: 14, mitigatedAfter: 22, resolvedAfter: 95 },
  {
    title: 'Game day: region failover',
    severity: 'SEV1',
    services: ['orders-db', 'checkout-api'],
    isDrill: true,
    daysAgo: 90,
    detectedBefore: 0,
    mitigatedAfter: 12,
    resolvedAfter: 40,
  },
  { title: 'Image uploads failing', severity: 'SEV3', services: ['media'], daysAgo: 77, detectedBefore: 15, mitigatedAfter: 70, resolvedAfter: 210 },
  { title: 'Checkout timeouts in EU', severity: 'SEV2', services: ['checkout-api'], daysAgo: 66, detectedBefore: 6, mitigatedAfter: 28, resolvedAfter: 75 },
  {
    title: 'Queue consumer stuck',
    severity: 'SEV3',
    services: ['payments', 'notifications'],
    daysAgo: 52,
    detectedBefore: 10,
    mitigatedAfter: 40,
    resolvedAfter: 130,
    resolvedCorrectedTo: 110,
  },
  { title: 'Search p99 over 2 s', severity: 'SEV4', services: ['search'], daysAgo: 45, detectedBefore: 25, mitigatedAfter: 50, resolvedAfter: 180 },
  { title: 'Auth token refresh loop', severity: 'SEV2', services: ['auth'], daysAgo: 31, detectedBefore: 4, startedBefore: 18, mitigatedAfter: 20, resolvedAfter: 65 },
  {
    title: 'Partial outage of orders API',
    severity: 'SEV1',
    services: ['orders-db', 'checkout-api'],
    daysAgo: 19,
    detectedBefore: 2,
    startedBefore: 9,
    mitigatedAfter: 18,
    resolvedAfter: 70,
  },
  { title: 'Notification webhooks retried', severity: 'SEV4', services: ['notifications'], daysAgo: 9, detectedBefore: 40, mitigatedAfter: 45, resolvedAfter: 90 },
  { title: 'Payments provider degraded', severity: 'SEV3', services: ['payments'], daysAgo: 3, detectedBefore: 7, mitigatedAfter: 35 },
];

test('screenshot of the metrics dashboard', async ({ page }) => {
  test.setTimeout(120_000);
  const web = await startShiftedWeb(tempDataDir('holdfast-docs-'));
  try {
    // "Last 6 months" is calendar months (UTC), 151 to 184 days long depending on today: the
    // history is fitted into the window the dashboard asks for, so every incident is in it any day.
    const now = Date.now();
    const { from } = rangeOf(6, 'month', now);
    const fit = Math.min(1, (now - from - day) / day / Math.max(...history.map((s) => s.daysAgo)));
    const fitted = history.map((s) => ({ ...s, daysAgo: Math.round(s.daysAgo * fit) }));
    expect(fitted.filter((s) => now - s.daysAgo * day < from).map((s) => s.title)).toEqual([]);
    await seedIncidents(web, now, fitted);
    await page.setViewportSize({ width: 1360, height: 1480 });
    await new IncidentsPage(page).open(web.openUrl);
    const metrics = new MetricsPage(page);
    await metrics.open();
    // Drills are left out of the metrics.
    await expect(page.getByTestId('metrics-incidents')).toHaveText(String(history.filter((s) => !s.isDrill).length));
    await expect(page.getByTestId('chart-counts').locator('.recharts-bar-rectangle path').first()).toBeVisible();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/metrics-dashboard.png' });
  } finally {
    await web.stop();
  }
});

test('screenshot of a post-incident review in the war room', async ({ page }) => {
  test.setTimeout(120_000);
  const web = await startHoldfastWeb(tempDataDir('holdfast-docs-'));
  try {
    await page.setViewportSize({ width: 1360, height: 1480 });
    const incidents = new IncidentsPage(page);
    const room = new WarRoomPage(page);
    const review = new ReviewPane(page);
    await incidents.open(web.openUrl);
    await declareOrdersDbOutage(page, room);
    await room.typeEntries(
      '/o checkout-api: 100% of order writes failing with "connection refused" since 09:12 UTC',
      '/d Fail over to orders-db-2',
      '/a Failover complete; writes recovering',
    );
    for (const text of ['Fail over to orders-db-2', 'Failover complete; writes recovering']) await room.row(text).getByTestId('entry-pin').click();
    await page.getByTestId('status-to-mitigated').click();
    await page.getByTestId('status-to-resolved').click();
    await expect(page.getByTestId('war-status')).toHaveText('Resolved');

    await review.open();
    await page.getByTestId('review-generate').click();
    await expect(review.editor).toBeVisible();
    const draft = await review.body.inputValue();
    await review.body.fill(
      draft.replace(
        '_The story in order: what people saw, what they thought it meant at the time, and what they did._',
        'At 09:12 the primary ran out of disk for its write-ahead log after a **migration** doubled its write volume. The disk alert was set at 95% and fired two minutes before the disk filled.',
      ),
    );
    for (const factor of ['change-management', 'capacity', 'monitoring-gap']) await review.factor(factor).check();
    await review.saved();
    await page.getByTestId('review-state-in-review').click();
    await expect(review.editor).toHaveAttribute('data-state', 'in-review');

    const inDays = (n: number) => format(Date.now() + n * day, 'yyyy-MM-dd');
    await review.addAction({ title: 'Alert on WAL disk use above 80% with a 30-minute forecast', owner: 'dmitri', due: inDays(-2), priority: 'P1', type: 'detect' });
    await review.addAction({ title: 'Run migrations against a production-sized copy first', owner: 'sam', due: inDays(12), priority: 'P2', type: 'prevent' });
    await review.addAction({ title: 'Script the failover to orders-db-2 in the runbook', owner: 'dmitri', due: inDays(20), priority: 'P2', type: 'mitigate' });
    await expect(review.actionRows.first()).toHaveAttribute('data-overdue', 'true');

    await page.mouse.move(0, 0);
    // From the top of the pane: state, due date and exports, the text beside its preview, the factors.
    await review.body.evaluate((textarea) => {
      textarea.blur();
      textarea.scrollTop = 0;
    });
    await review.pane.evaluate((pane) => pane.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/screenshots/review.png' });
  } finally {
    await web.stop();
  }
});
