// The reviewer's work in Chromium against a real `holdfast web`: a post-incident review generated
// from the record, edited with a live preview and saved as typed, contributing factors picked, its
// state and due date moved; action items added with one overdue, flagged in the list across
// incidents, filtered and changed in place; a legal hold placed and lifted; an impact start
// recorded afterwards; the reports exported; and retention: closed incidents past it purged with a
// reason, the held one kept.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { format } from 'date-fns';
import { tempDataDir, startHoldfastWeb } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { IncidentsPage } from './pages/incidents-page';
import { seedIncidents } from './pages/metrics-seed';
import { ReviewPane, ReviewsPage } from './pages/review';
import { WarRoomPage } from './pages/war-room-page';
import { startShiftedWeb } from './shifted-clock';

const day = 86_400_000;
const dateInput = (ms: number) => format(ms, 'yyyy-MM-dd');

test('a review is generated, edited, given factors and action items; the overdue item is flagged across incidents; legal hold and impact start', async ({ page }) => {
  test.setTimeout(120_000);
  const web = await startHoldfastWeb(tempDataDir());
  try {
    // Another incident's action item, for the list across incidents.
    const other = await callApi(web, 'incidents.create', { title: 'Cache stampede on product pages', severity: 'SEV3', services: ['catalog'] });
    await callApi(web, 'actions.add', {
      incidentId: other.id,
      title: 'Coalesce requests in the product cache',
      ownerId: 'priya',
      dueAt: Date.now() + 7 * day,
      priority: 'P2',
      type: 'prevent',
    });

    const incidents = new IncidentsPage(page);
    const room = new WarRoomPage(page);
    const review = new ReviewPane(page);
    await incidents.open(web.openUrl);
    await incidents.declare({ title: 'Orders API returning 503s', severity: 'SEV2', services: 'orders-api' });
    const incident = (await callApi(web, 'incidents.list', {})).find((i) => i.title === 'Orders API returning 503s')!;
    await page.getByTestId('status-to-resolved').click();
    await expect(page.getByTestId('war-status')).toHaveText('Resolved');

    // No review yet: one click writes the draft from the record.
    await review.open();
    await expect(page.getByTestId('review-empty')).toContainText('No review yet');
    await page.getByTestId('review-generate').click();
    await expect(review.editor).toHaveAttribute('data-state', 'draft');
    await expect(review.body).toHaveValue(/^# Post-incident review: Orders API returning 503s\n/);
    await expect(review.preview.locator('h1')).toHaveText('Post-incident review: Orders API returning 503s');
    await expect(review.preview.locator('h2', { hasText: 'Contributing factors' })).toBeVisible();

    // Due 48 hours after resolution, and not late.
    const resolvedAt = (await callApi(web, 'incidents.get', { id: incident.id })).milestones.resolved!;
    await expect(page.getByTestId('review-due-text')).toHaveText(`Due ${format(resolvedAt + 48 * 3_600_000, 'EEE d MMM HH:mm')}`);
    await expect(page.getByTestId('review-late')).toHaveCount(0);

    // Edited: the preview follows every keystroke, the text saves itself a moment later.
    const draft = await review.body.inputValue();
    await review.body.fill(`${draft}\n## Root cause\n\nThe **connection pool** of orders-api was exhausted by retries.\n`);
    await expect(review.preview.locator('strong', { hasText: 'connection pool' })).toBeVisible();
    await review.saved();
    expect((await callApi(web, 'reviews.get', { incidentId: incident.id })).review?.body).toContain('The **connection pool** of orders-api was exhausted by retries.');
    // Ctrl+S saves at once.
    await review.body.press('Control+End');
    await review.body.pressSequentially('Retries had no backoff.');
    await expect(review.saveStatus).toHaveText('Unsaved changes');
    await review.body.press('Control+s');
    await review.saved();
    expect((await callApi(web, 'reviews.get', { incidentId: incident.id })).review?.body).toMatch(/Retries had no backoff\.$/);

    // Contributing factors, with what each means.
    await expect(page.getByTestId('factor-monitoring-gap')).toContainText('Alerting or observability missed or delayed the problem');
    await review.factor('monitoring-gap').check();
    await review.factor('change-management').check();
    await review.saved();
    expect((await callApi(web, 'reviews.get', { incidentId: incident.id })).review?.factors).toEqual(['change-management', 'monitoring-gap']);

    // Sent for review; the due date moved into the past makes it late; back to the default.
    await page.getByTestId('review-state-in-review').click();
    await expect(review.editor).toHaveAttribute('data-state', 'in-review');
    await page.getByTestId('review-due-move').click();
    await page.getByTestId('review-due-input').fill(format(Date.now() - day, "yyyy-MM-dd'T'HH:mm"));
    await page.getByTestId('review-due-set').click();
    await expect(page.getByTestId('review-late')).toHaveText('Late');
    await page.getByTestId('review-due-move').click();
    await page.getByTestId('review-due-default').click();
    await expect(page.getByTestId('review-late')).toHaveCount(0);
    await expect(page.getByTestId('review-due-text')).toHaveText(`Due ${format(resolvedAt + 48 * 3_600_000, 'EEE d MMM HH:mm')}`);

    // Action items: one already overdue, one on time, one done at once.
    await review.addAction({
      title: 'Alert on a 5xx rate above 2% for 2 minutes',
      owner: 'dmitri',
      due: dateInput(Date.now() - 2 * day),
      priority: 'P1',
      type: 'detect',
    });
    await review.addAction({
      title: 'Raise the connection pool limit and load-test it',
      owner: 'sam',
      due: dateInput(Date.now() + 14 * day),
      priority: 'P2',
      type: 'prevent',
    });
    await review.addAction({ title: 'Runbook: shed load from orders-api', owner: 'sam', due: dateInput(Date.now() + 30 * day), priority: 'P3', type: 'mitigate' });
    const overdue = review.actionRow('Alert on a 5xx rate above 2% for 2 minutes');
    await expect(overdue).toHaveAttribute('data-overdue', 'true');
    await expect(overdue.getByTestId('action-overdue')).toHaveText('Overdue');
    await expect(overdue.getByTestId('action-owner')).toHaveText('dmitri');
    await expect(review.actionRow('Raise the connection pool limit and load-test it')).toHaveAttribute('data-overdue', 'false');
    await review.actionRow('Runbook: shed load from orders-api').getByTestId('action-status').selectOption('done');
    await expect(review.actionRow('Runbook: shed load from orders-api')).toHaveAttribute('data-status', 'done');
    await expect(page.getByTestId('review-action-items').locator('h3')).toContainText('2 open of 3');

    // Published: the record, read-only until moved back.
    await page.getByTestId('review-state-published').click();
    await expect(review.editor).toHaveAttribute('data-state', 'published');
    await expect(page.getByTestId('review-published')).toBeVisible();
    await expect(review.body).not.toBeEditable();

    // The reviews page: this review published with two open actions, and the items of both incidents.
    const reviews = new ReviewsPage(page);
    await reviews.open();
    const row = reviews.reviewRow('Orders API returning 503s');
    await expect(row.getByTestId('review-row-state')).toHaveText('Published');
    await expect(row.getByTestId('review-row-actions')).toHaveText('2');
    await expect(row).toHaveAttribute('data-late', 'false');
    await expect(reviews.reviewRow('Cache stampede on product pages')).toHaveCount(0); // not resolved yet

    // Open items by default, the overdue one first and flagged.
    await expect(reviews.actionRows).toHaveCount(3);
    await expect(reviews.actionRows.first()).toHaveAttribute('data-overdue', 'true');
    await expect(reviews.actionRows.first().getByTestId('action-incident')).toHaveText('Orders API returning 503s');
    await expect(reviews.actions.getByTestId('action-overdue')).toHaveCount(1);
    await expect(reviews.actionRow('Coalesce requests in the product cache').getByTestId('action-incident')).toHaveText('Cache stampede on product pages');
    await expect(page.getByTestId('action-count')).toContainText('3 shown, 1 overdue');
    // Filters: overdue only, by owner, any status.
    await page.getByTestId('filter-overdue').check();
    await expect(reviews.actionRows).toHaveCount(1);
    await expect(reviews.actionRows.getByTestId('action-title')).toHaveText('Alert on a 5xx rate above 2% for 2 minutes');
    await page.getByTestId('filter-overdue').uncheck();
    await page.getByTestId('filter-owner').fill('sam');
    await expect(reviews.actionRows).toHaveCount(1);
    await page.getByTestId('filter-status').selectOption('');
    await expect(reviews.actionRows).toHaveCount(2);
    // Changed in place.
    await reviews.actionRow('Raise the connection pool limit and load-test it').getByTestId('action-status').selectOption('wont-do');
    await expect(reviews.actionRow('Raise the connection pool limit and load-test it')).toHaveAttribute('data-status', 'wont-do');
    const items = await callApi(web, 'actions.list', { incidentId: incident.id });
    expect(items.find((i) => i.title === 'Raise the connection pool limit and load-test it')?.status).toBe('wont-do');
    await page.getByTestId('filter-owner').fill('');
    await page.getByTestId('filter-status').selectOption('open');
    await expect(reviews.actionRows).toHaveCount(2);

    // The incident link opens its war room on the review.
    await reviews.actionRow('Alert on a 5xx rate above 2% for 2 minutes').getByTestId('action-incident').click();
    await expect(page.getByTestId('war-title')).toHaveText('Orders API returning 503s');
    await expect(review.pane).toBeVisible();
    await expect(page.getByTestId('pane-review')).toHaveAttribute('aria-selected', 'true');

    // Legal hold from the palette: a reason is required; the header says so; lifted from the badge.
    await room.runFromPalette('legal hold');
    await expect(room.dialog.locator('h2')).toHaveText('Place on legal hold');
    await room.dialog.getByTestId('action-submit').click();
    await expect(room.dialog.getByTestId('action-error')).toContainText('say why');
    await room.submitDialog({ reason: 'Litigation hold requested by legal, matter 2025-114' });
    const badge = page.getByTestId('legal-hold-badge');
    await expect(badge).toHaveText('Legal hold');
    await expect(badge).toHaveAttribute('title', /matter 2025-114/);
    expect((await callApi(web, 'incidents.get', { id: incident.id })).isLegalHold).toBe(true);
    await badge.click();
    await expect(room.dialog.locator('h2')).toHaveText('Lift the legal hold');
    await room.submitDialog({ reason: 'Matter 2025-114 closed by counsel' });
    await expect(badge).toHaveCount(0);

    // "Correct a time" offers the impact start, though it was never recorded.
    await page.getByTestId('correct-milestone').click();
    await expect(room.dialog.getByTestId('field-milestone').locator('option')).toContainText(['Impact started (not recorded yet)', 'Detected']);
    await room.dialog.getByTestId('field-milestone').selectOption('started');
    const startedAt = Math.floor((incident.declaredAt - 15 * 60_000) / 1000) * 1000;
    await room.submitDialog({ at: format(startedAt, "yyyy-MM-dd'T'HH:mm:ss"), reason: 'Error graphs show the 503s began 15 minutes before the page' });
    await expect(page.getByTestId('milestone-started')).toContainText(format(startedAt, 'HH:mm:ss'));
    expect((await callApi(web, 'incidents.get', { id: incident.id })).milestones.started).toBe(startedAt);
  } finally {
    await web.stop();
  }
});

test('the incident report downloads as Markdown and opens for printing from a Blob URL', async ({ page, context }) => {
  const web = await startHoldfastWeb(tempDataDir());
  try {
    const incidents = new IncidentsPage(page);
    const review = new ReviewPane(page);
    await incidents.open(web.openUrl);
    await incidents.declare({ title: 'Payments webhook backlog', severity: 'SEV2', services: 'payments' });
    await review.open();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-incident-md').click()]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    expect(readFileSync(await download.path(), 'utf8')).toContain('Payments webhook backlog');

    const [audit] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-audit-md').click()]);
    expect(audit.suggestedFilename()).toMatch(/\.md$/);
    expect(readFileSync(await audit.path(), 'utf8')).toContain('Payments webhook backlog');

    const [popup] = await Promise.all([context.waitForEvent('page'), page.getByTestId('report-incident-print').click()]);
    await popup.waitForLoadState();
    expect(popup.url()).toMatch(/^blob:/);
    await expect(popup.locator('body')).toContainText('Payments webhook backlog');
    await expect(page.getByTestId('report-error')).toHaveCount(0);
  } finally {
    await web.stop();
  }
});

test('retention: closed incidents past the period are purged with a reason; the one on legal hold is kept', async ({ page }) => {
  test.setTimeout(90_000);
  const web = await startShiftedWeb(tempDataDir());
  try {
    const now = Date.now();
    const ids = await seedIncidents(web, now, [
      { title: 'Old DNS outage', severity: 'SEV2', services: ['dns'], daysAgo: 200, detectedBefore: 0, mitigatedAfter: 20, resolvedAfter: 60 },
      { title: 'Old data export incident', severity: 'SEV1', services: ['exports'], daysAgo: 150, detectedBefore: 0, mitigatedAfter: 30, resolvedAfter: 90 },
      { title: 'Recent cache incident', severity: 'SEV3', services: ['cache'], daysAgo: 5, detectedBefore: 0, mitigatedAfter: 10, resolvedAfter: 20 },
    ]);
    // Closed a day after each was resolved.
    for (const [title, daysAgo] of [
      ['Old DNS outage', 199],
      ['Old data export incident', 149],
      ['Recent cache incident', 4],
    ] as const) {
      await web.setClock(now - daysAgo * day);
      await callApi(web, 'incidents.setStatus', { id: ids[title], status: 'closed' });
    }
    await web.realClock();
    await callApi(web, 'incidents.setLegalHold', { incidentId: ids['Old data export incident'], isHeld: true, reason: 'Regulator inquiry 7731' });

    const incidents = new IncidentsPage(page);
    await incidents.open(web.openUrl);
    await page.getByTestId('nav-settings').click();
    const retention = page.getByTestId('retention-settings');
    await expect(retention.getByTestId('retention-forever')).toBeChecked();
    await expect(retention.getByTestId('retention-candidates-empty')).toBeVisible();

    // Too short a period is refused with the engine's reason.
    await retention.getByTestId('retention-limited').check();
    await retention.getByTestId('retention-days').fill('10');
    await retention.getByTestId('retention-save').click();
    await expect(retention.getByTestId('retention-save-error')).toContainText('at least 30 days');
    await retention.getByTestId('retention-days').fill('90');
    await retention.getByTestId('retention-save').click();
    await expect(retention.getByTestId('retention-save-error')).toHaveCount(0);

    // Past 90 days: the DNS outage may be purged; the export incident is held; the recent one stays.
    await expect(retention.getByTestId('retention-candidate')).toHaveCount(1);
    await expect(retention.getByTestId('retention-candidate')).toContainText('Old DNS outage');
    await expect(retention.getByTestId('retention-held-row')).toHaveCount(1);
    await expect(retention.getByTestId('retention-held-row')).toContainText('Old data export incident');
    await expect(retention.getByTestId('purge-start')).toBeDisabled();

    await retention.getByTestId('retention-choose').check();
    await retention.getByTestId('purge-start').click();
    await expect(retention.getByTestId('purge-confirm')).toContainText('Purge 1 incident for good?');
    await retention.getByTestId('purge-confirmed').click();
    await expect(retention.getByTestId('purge-error')).toContainText('say why');
    await retention.getByTestId('purge-reason').fill('Retention policy: closed incidents are kept 90 days');
    await retention.getByTestId('purge-confirmed').click();

    await expect(retention.getByTestId('retention-candidates-empty')).toBeVisible();
    await expect(retention.getByTestId('purge-log-row')).toHaveCount(1);
    await expect(retention.getByTestId('purge-log-row')).toContainText('Old DNS outage');
    await expect(retention.getByTestId('purge-log-row')).toContainText('Retention policy: closed incidents are kept 90 days');
    await expect(retention.getByTestId('retention-held-row')).toContainText('Old data export incident');
  } finally {
    await web.stop();
  }
});
