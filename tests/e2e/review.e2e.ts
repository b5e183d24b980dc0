// The reviewer's work in Chromium against a real `holdfast web`, one behaviour a test, each from its
// own state set up through the API (pages/review-seed.ts): a post-incident review generated from the
// record of a resolved incident, due 48 hours after resolution; edited with a live preview and
// saved as typed or at once with Ctrl+S; contributing factors picked; its state and due date moved;
// action items added with one overdue and one done; published read-only; a legal hold placed and
// lifted; an impact start recorded afterwards; the reports exported. On the reviews page, across
// incidents: the reviews with their state, the open action items with the overdue one first, the
// filters, a status changed in place, the link to the war room. Retention: forever by default,
// a short period refused, closed incidents past it listed and purged with a reason, the held one kept.
//
// The tests of one incident share a `holdfast web` per worker (starting one takes seconds), each
// with its own incident; the reviews page and retention read every incident, so they get their own.
import { expect, test } from '@playwright/test';
import { format } from 'date-fns';
import { startHoldfastWeb, tempDataDir, type RunningWeb } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { IncidentsPage } from './pages/incidents-page';
import { actionPart, ReviewPane, ReviewsPage } from './pages/review';
import { acrossIncidents, day, openRetention, openReview, resolvedIncident, retentionSeed, seedActionsAcrossIncidents } from './pages/review-seed';
import { WarRoomPage } from './pages/war-room-page';

const dateInput = (ms: number) => format(ms, 'yyyy-MM-dd');
const dueText = (resolvedAt: number) => `Due ${format(resolvedAt + 48 * 3_600_000, 'EEE d MMM HH:mm')}`;
const reviewOf = async (web: RunningWeb, incidentId: string) => (await callApi(web, 'reviews.get', { incidentId })).review;

// Generous for a loaded machine: starting `holdfast web` and loading the app can take tens of seconds there.
test.describe.configure({ timeout: 120_000 });

let web: RunningWeb;
test.beforeAll(async () => {
  test.setTimeout(120_000);
  web = await startHoldfastWeb(tempDataDir('holdfast-review-'));
});
test.afterAll(async () => {
  await web?.stop();
});

test('an incident resolved in the war room has no review yet; one click writes the draft from the record, due 48 hours after resolution', async ({ page }) => {
  const title = 'Orders API returning 503s';
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  const review = new ReviewPane(page);
  await incidents.open(web.openUrl);
  await incidents.declare({ title, severity: 'SEV2', services: 'orders-api' });
  await room.setStatus('resolved');
  await expect(room.status).toHaveText('Resolved');

  await review.open();
  await expect(review.empty).toContainText('No review yet');
  await review.generate();
  await expect(review.editor).toHaveAttribute('data-state', 'draft');
  await expect(review.body).toHaveValue(/^# Post-incident review: Orders API returning 503s\n/);
  await expect(review.preview.locator('h1')).toHaveText('Post-incident review: Orders API returning 503s');
  await expect(review.preview.locator('h2', { hasText: 'Contributing factors' })).toBeVisible();

  const incident = (await callApi(web, 'incidents.list', {})).find((i) => i.title === title)!;
  await expect(review.dueText).toHaveText(dueText(incident.milestones.resolved!));
  await expect(review.late).toHaveCount(0);
});

test('the preview follows every keystroke and the text saves itself a moment later; Ctrl+S saves at once', async ({ page }) => {
  const incidentId = await resolvedIncident(web, 'Checkout latency over 4 seconds', { review: 'draft' });
  const review = await openReview(page, web, 'Checkout latency over 4 seconds');

  const draft = await review.body.inputValue();
  await review.body.fill(`${draft}\n## Root cause\n\nThe **connection pool** of orders-api was exhausted by retries.\n`);
  await expect(review.preview.locator('strong', { hasText: 'connection pool' })).toBeVisible();
  await review.saved();
  expect((await reviewOf(web, incidentId))?.body).toContain('The **connection pool** of orders-api was exhausted by retries.');

  await review.body.press('Control+End');
  await review.body.pressSequentially('Retries had no backoff.');
  await expect(review.saveStatus).toHaveText('Unsaved changes');
  await review.body.press('Control+s');
  await review.saved();
  expect((await reviewOf(web, incidentId))?.body).toMatch(/Retries had no backoff\.$/);
});

test('contributing factors say what each means, and the ones ticked are saved', async ({ page }) => {
  const incidentId = await resolvedIncident(web, 'Search index rebuild stalled', { review: 'draft' });
  const review = await openReview(page, web, 'Search index rebuild stalled');

  await expect(review.factorLabel('monitoring-gap')).toContainText('Alerting or observability missed or delayed the problem');
  await review.factor('monitoring-gap').check();
  await review.factor('change-management').check();
  await review.saved();
  expect((await reviewOf(web, incidentId))?.factors).toEqual(['change-management', 'monitoring-gap']);
});

test('a review sent for review is late once its due date is moved into the past, and on time again with the default', async ({ page }) => {
  const incidentId = await resolvedIncident(web, 'Login tokens rejected after key rotation', { review: 'draft' });
  const resolvedAt = (await callApi(web, 'incidents.get', { id: incidentId })).milestones.resolved!;
  const review = await openReview(page, web, 'Login tokens rejected after key rotation');

  await review.setState('in-review');
  await review.moveDue(format(Date.now() - day, "yyyy-MM-dd'T'HH:mm"));
  await expect(review.late).toHaveText('Late');
  await review.defaultDue();
  await expect(review.late).toHaveCount(0);
  await expect(review.dueText).toHaveText(dueText(resolvedAt));
});

test('action items added in the pane: one past its due date is flagged overdue, one marked done leaves the open count', async ({ page }) => {
  await resolvedIncident(web, 'Inventory sync dropping updates', { review: 'draft' });
  const review = await openReview(page, web, 'Inventory sync dropping updates');

  await review.addAction({ title: acrossIncidents.overdue, owner: 'dmitri', due: dateInput(Date.now() - 2 * day), priority: 'P1', type: 'detect' });
  await review.addAction({ title: acrossIncidents.onTime, owner: 'sam', due: dateInput(Date.now() + 14 * day), priority: 'P2', type: 'prevent' });
  await review.addAction({ title: acrossIncidents.done, owner: 'sam', due: dateInput(Date.now() + 30 * day), priority: 'P3', type: 'mitigate' });
  const overdue = review.actionRow(acrossIncidents.overdue);
  await expect(overdue).toHaveAttribute('data-overdue', 'true');
  await expect(actionPart(overdue, 'overdue')).toHaveText('Overdue');
  await expect(actionPart(overdue, 'owner')).toHaveText('dmitri');
  await expect(review.actionRow(acrossIncidents.onTime)).toHaveAttribute('data-overdue', 'false');
  await actionPart(review.actionRow(acrossIncidents.done), 'status').selectOption('done');
  await expect(review.actionRow(acrossIncidents.done)).toHaveAttribute('data-status', 'done');
  await expect(review.actionsHeading).toContainText('2 open of 3');
});

test('a published review is the record: read-only until moved back', async ({ page }) => {
  await resolvedIncident(web, 'Mail relay queueing for an hour', { review: 'draft' });
  const review = await openReview(page, web, 'Mail relay queueing for an hour');

  await expect(review.body).toBeEditable();
  await review.setState('published');
  await expect(review.published).toBeVisible();
  await expect(review.body).not.toBeEditable();
});

test('a legal hold is placed from the palette only with a reason, shown in the header, and lifted from its badge', async ({ page }) => {
  const incidentId = await resolvedIncident(web, 'Customer export sent to the wrong tenant');
  const room = new WarRoomPage(page);
  await new IncidentsPage(page).openIncident(web.openUrl, 'Customer export sent to the wrong tenant');

  await room.runFromPalette('legal hold');
  await expect(room.dialog.locator('h2')).toHaveText('Place on legal hold');
  await room.submitDialogRefused('say why');
  await room.submitDialog({ reason: 'Litigation hold requested by legal, matter 2025-114' });
  await expect(room.legalHoldBadge).toHaveText('Legal hold');
  await expect(room.legalHoldBadge).toHaveAttribute('title', /matter 2025-114/);
  expect((await callApi(web, 'incidents.get', { id: incidentId })).isLegalHold).toBe(true);

  await room.legalHoldBadge.click();
  await expect(room.dialog.locator('h2')).toHaveText('Lift the legal hold');
  await room.submitDialog({ reason: 'Matter 2025-114 closed by counsel' });
  await expect(room.legalHoldBadge).toHaveCount(0);
  expect((await callApi(web, 'incidents.get', { id: incidentId })).isLegalHold).toBe(false);
});

test('"Correct a time" offers the impact start though it was never recorded, and records it', async ({ page }) => {
  const incidentId = await resolvedIncident(web, 'Payment retries double-charging cards');
  const incident = await callApi(web, 'incidents.get', { id: incidentId });
  const room = new WarRoomPage(page);
  await new IncidentsPage(page).openIncident(web.openUrl, 'Payment retries double-charging cards');

  await room.correctTime();
  await expect(room.dialogField('milestone').locator('option')).toContainText(['Impact started (not recorded yet)', 'Detected']);
  await room.dialogField('milestone').selectOption('started');
  const startedAt = Math.floor((incident.declaredAt - 15 * 60_000) / 1000) * 1000;
  await room.submitDialog({ at: format(startedAt, "yyyy-MM-dd'T'HH:mm:ss"), reason: 'Error graphs show the 503s began 15 minutes before the page' });
  await expect(room.milestone('started')).toContainText(format(startedAt, 'HH:mm:ss'));
  expect((await callApi(web, 'incidents.get', { id: incidentId })).milestones.started).toBe(startedAt);
});

test('the incident report downloads as Markdown and opens for printing from a Blob URL', async ({ page }) => {
  await callApi(web, 'incidents.create', { title: 'Payments webhook backlog', severity: 'SEV2', services: ['payments'] });
  const review = await openReview(page, web, 'Payments webhook backlog');

  const report = await review.downloadReport('incident');
  expect(report.name).toMatch(/\.md$/);
  expect(report.text).toContain('Payments webhook backlog');
  const audit = await review.downloadReport('audit');
  expect(audit.name).toMatch(/\.md$/);
  expect(audit.text).toContain('Payments webhook backlog');

  const popup = await review.printReport();
  expect(popup.url()).toMatch(/^blob:/);
  await expect(popup.locator('body')).toContainText('Payments webhook backlog');
  await expect(review.reportError).toHaveCount(0);
});

test.describe('the reviews page, across incidents', () => {
  // Read only: every test here leaves the seeded reviews and action items as they are.
  let seeded: RunningWeb;
  test.beforeAll(async () => {
    test.setTimeout(120_000);
    seeded = await startHoldfastWeb(tempDataDir('holdfast-reviews-'));
    await seedActionsAcrossIncidents(seeded);
  });
  test.afterAll(async () => {
    await seeded?.stop();
  });

  test('lists the resolved incident’s review, published, with its open action items; an unresolved incident has none', async ({ page }) => {
    const reviews = new ReviewsPage(page);
    await new IncidentsPage(page).open(seeded.openUrl);
    await reviews.open();
    await expect(reviews.reviewPart(acrossIncidents.reviewed, 'state')).toHaveText('Published');
    await expect(reviews.reviewPart(acrossIncidents.reviewed, 'actions')).toHaveText('2');
    await expect(reviews.reviewRow(acrossIncidents.reviewed)).toHaveAttribute('data-late', 'false');
    await expect(reviews.reviewRow(acrossIncidents.unresolved)).toHaveCount(0);
  });

  test('the open action items of every incident are listed, the overdue one first and flagged', async ({ page }) => {
    const reviews = new ReviewsPage(page);
    await new IncidentsPage(page).open(seeded.openUrl);
    await reviews.open();
    await expect(reviews.actionRows).toHaveCount(3);
    await expect(reviews.actionRows.first()).toHaveAttribute('data-overdue', 'true');
    await expect(actionPart(reviews.actionRows.first(), 'incident')).toHaveText(acrossIncidents.reviewed);
    await expect(actionPart(reviews.actionRows, 'overdue')).toHaveCount(1);
    await expect(actionPart(reviews.actionRow(acrossIncidents.otherIncident), 'incident')).toHaveText(acrossIncidents.unresolved);
    await expect(reviews.actionCount).toContainText('3 shown, 1 overdue');
  });

  test('the action items filter to the overdue ones, to one owner, and to any status', async ({ page }) => {
    const reviews = new ReviewsPage(page);
    await new IncidentsPage(page).open(seeded.openUrl);
    await reviews.open();
    await expect(reviews.actionRows).toHaveCount(3);
    await reviews.overdueOnly.check();
    await expect(reviews.actionRows).toHaveCount(1);
    await expect(actionPart(reviews.actionRows, 'title')).toHaveText(acrossIncidents.overdue);
    await reviews.overdueOnly.uncheck();
    await reviews.ownerFilter.fill('sam');
    await expect(reviews.actionRows).toHaveCount(1);
    await expect(actionPart(reviews.actionRows, 'title')).toHaveText(acrossIncidents.onTime);
    await reviews.statusFilter.selectOption('');
    await expect(reviews.actionRows).toHaveCount(2);
  });

  test('an action item’s incident link opens its war room on the review', async ({ page }) => {
    const reviews = new ReviewsPage(page);
    const review = new ReviewPane(page);
    await new IncidentsPage(page).open(seeded.openUrl);
    await reviews.open();
    await actionPart(reviews.actionRow(acrossIncidents.overdue), 'incident').click();
    await expect(new WarRoomPage(page).title).toHaveText(acrossIncidents.reviewed);
    await expect(review.pane).toBeVisible();
    await expect(review.tab).toHaveAttribute('aria-selected', 'true');
  });
});

test('an action item’s status is changed in place on the reviews page, and a closed item leaves the open list', async ({ page }) => {
  const own = await startHoldfastWeb(tempDataDir('holdfast-reviews-'));
  try {
    const { reviewed } = await seedActionsAcrossIncidents(own);
    const reviews = new ReviewsPage(page);
    await new IncidentsPage(page).open(own.openUrl);
    await reviews.open();
    await reviews.statusFilter.selectOption('');
    await expect(reviews.actionRows).toHaveCount(4);
    await actionPart(reviews.actionRow(acrossIncidents.onTime), 'status').selectOption('wont-do');
    await expect(reviews.actionRow(acrossIncidents.onTime)).toHaveAttribute('data-status', 'wont-do');
    const items = await callApi(own, 'actions.list', { incidentId: reviewed });
    expect(items.find((i) => i.title === acrossIncidents.onTime)?.status).toBe('wont-do');
    await reviews.statusFilter.selectOption('open');
    await expect(reviews.actionRows).toHaveCount(2);
    await expect(reviews.actionRow(acrossIncidents.onTime)).toHaveCount(0);
  } finally {
    await own.stop();
  }
});

test('retention is forever by default with nothing to purge; a period under 30 days is refused with the engine’s reason', async ({ page }) => {
  const { web: shifted, retention } = await openRetention(page);
  try {
    await expect(retention.forever).toBeChecked();
    await expect(retention.noCandidates).toBeVisible();

    await retention.keepDays('10');
    await expect(retention.saveError).toContainText('at least 30 days');
    await retention.keepDays('90');
    await expect(retention.saveError).toHaveCount(0);
    await expect(retention.candidates).toHaveCount(1);
    expect((await callApi(shifted, 'retention.get', {})).setting).toMatchObject({ keepDays: 90 });
  } finally {
    await shifted.stop();
  }
});

test('past the retention period a closed incident may be purged, the one on legal hold is listed apart, the recent one stays', async ({ page }) => {
  const { web: shifted, retention } = await openRetention(page, 90);
  try {
    await expect(retention.candidates).toHaveCount(1);
    await expect(retention.candidates).toContainText(retentionSeed.old);
    await expect(retention.heldRows).toHaveCount(1);
    await expect(retention.heldRows).toContainText(retentionSeed.held);
    await expect(retention.purgeButton).toBeDisabled();
  } finally {
    await shifted.stop();
  }
});

test('a purge needs a reason, is logged with it, and keeps the incident on legal hold', async ({ page }) => {
  const { web: shifted, retention } = await openRetention(page, 90);
  try {
    await expect(retention.candidates).toHaveCount(1);
    await retention.startPurge();
    await expect(retention.purgeConfirm).toContainText('Purge 1 incident for good?');
    await retention.confirmPurge('');
    await expect(retention.purgeError).toContainText('say why');
    await retention.confirmPurge('Retention policy: closed incidents are kept 90 days');

    await expect(retention.noCandidates).toBeVisible();
    await expect(retention.purgeLog).toHaveCount(1);
    await expect(retention.purgeLog).toContainText(retentionSeed.old);
    await expect(retention.purgeLog).toContainText('Retention policy: closed incidents are kept 90 days');
    await expect(retention.heldRows).toContainText(retentionSeed.held);
  } finally {
    await shifted.stop();
  }
});
