// Following a runbook in the war room, in Chromium against a real `holdfast web` whose library was
// filled by the real `holdfast runbooks import` of docs/runbooks, one behaviour a test, each on its
// own incident set up through the API (pages/runbook-seed.ts), the run started and followed there as
// far as the behaviour needs: the matching runbook suggested with why; started, with the next step
// unfolded and the rest folded to read ahead; a step done, skipped with a reason, failed with a
// note; a decision with its branch; a step done out of order; every change on the incident
// timeline; the deviations listed for the review and the run in the side panel; the palette
// opening the run; all of it kept after a reload; the run handed over and back, a step reopened,
// and the run stopped with a reason.
//
// The import and `holdfast web` take seconds each: one per worker, shared by tests that each
// declare their own incident (a run, its steps and its timeline belong to one incident).
import { expect, test } from '@playwright/test';
import { type RunningWeb } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { RunbookRunPage } from './pages/runbook-run';
import { failNote, failover, openFailoverRun, openOutage, skipReason, startLibraryWeb } from './pages/runbook-seed';
import { WarRoomPage } from './pages/war-room-page';

const outage = 'Orders database primary not accepting writes';

// Generous for a loaded machine: the import, starting `holdfast web` and loading the app can take tens of seconds there.
test.describe.configure({ timeout: 120_000 });

let web: RunningWeb;
let imported: string;
test.beforeAll(async () => {
  test.setTimeout(180_000);
  ({ web, imported } = await startLibraryWeb());
});
test.afterAll(async () => {
  await web?.stop();
});

test('the imported failover runbook is suggested first for a database outage, with why it matches', async ({ page }) => {
  expect(imported).toContain('created database-failover.md → database-failover');
  await openOutage(page, web, `${outage}: suggested`);
  const runbooks = new RunbookRunPage(page);
  await expect(runbooks.suggestion('database-failover')).toContainText(failover);
  await expect(runbooks.suggestionMatches('database-failover')).toContainText('matches service orders-db · type outage · 9 steps');
  await expect(runbooks.suggestions.first()).toHaveAttribute('data-runbook', 'database-failover');
});

test('starting the runbook opens its drawer at step 1 beside the timeline, and the start is on the timeline', async ({ page }) => {
  await openOutage(page, web, `${outage}: started`);
  const room = new WarRoomPage(page);
  const runbooks = new RunbookRunPage(page);
  const me = await room.me();

  await runbooks.start('database-failover');
  await expect(runbooks.run('title')).toHaveText(failover);
  await expect(runbooks.run('version')).toHaveText('v1');
  await expect(runbooks.run('newer')).toHaveCount(0);
  await expect(runbooks.steps).toHaveCount(9);
  await expect(runbooks.step(1)).toHaveClass(/is-next/);
  await expect(runbooks.stepPart(1, 'title')).toHaveText('Confirm the primary is really down');
  await expect(runbooks.stepPart(1, 'body')).toContainText('pg_isready -h orders-db-1.internal');
  await expect(runbooks.stepPart(3, 'type')).toHaveText('Command');
  await expect(runbooks.stepPart(4, 'type')).toHaveText('Decision');
  await expect(runbooks.stepPart(5, 'type')).toHaveText('Recovery action');
  await expect(room.row(`${me} started runbook "${failover}" (version 1 of 1)`)).toBeVisible();
  // The timeline stays in view beside the drawer.
  await expect(room.entryBox).toBeVisible();
  await expect(runbooks.run('progress')).toHaveText('0 of 9 steps settled');
  await expect(runbooks.run('assignees')).toHaveText(me);
});

test('only the next step is unfolded; any other opens to read ahead, a recovery action saying it changes production', async ({ page }) => {
  const runbooks = await openFailoverRun(page, web, `${outage}: read ahead`, 0);
  await expect(runbooks.stepPart(1, 'body')).toBeVisible();
  await expect(runbooks.stepPart(5, 'body')).toHaveCount(0);
  await runbooks.unfold(5);
  await expect(runbooks.stepPart(5, 'recovery')).toContainText('changes production');
  await expect(runbooks.stepPart(5, 'body')).toContainText('patronictl -c /etc/patroni/patroni.yml failover orders');
});

test('a step marked done says who did it and when, is on the timeline, and the next step moves on', async ({ page }) => {
  const runbooks = await openFailoverRun(page, web, `${outage}: done`, 0);
  const room = new WarRoomPage(page);
  const me = await room.me();

  await runbooks.markDone(1);
  await expect(room.row(new RegExp(`did step 1 "Confirm the primary is really down" of "${failover}"$`))).toBeVisible();
  await expect(runbooks.stepPart(1, 'record')).toContainText(`done by ${me} at`);
  await expect(runbooks.step(2)).toHaveClass(/is-next/);
});

test('skipping a step needs a reason: the engine refuses without one and the dialog says so; the reason is shown and on the timeline', async ({ page }) => {
  const runbooks = await openFailoverRun(page, web, `${outage}: skipped`, 1);
  const room = new WarRoomPage(page);
  const me = await room.me();

  await runbooks.skip(2);
  await runbooks.submitDialogRefused('say why the step is skipped');
  await runbooks.submitDialog({ reason: skipReason });
  await expect(runbooks.step(2)).toHaveAttribute('data-state', 'skipped');
  await expect(runbooks.stepPart(2, 'note')).toHaveText(`: ${skipReason}`);
  await expect(room.row(`${me} skipped step 2 "Find the most up-to-date replica" of "${failover}": ${skipReason}`)).toBeVisible();
});

test('a failed step is recorded with what failed, on the step and on the timeline', async ({ page }) => {
  const runbooks = await openFailoverRun(page, web, `${outage}: failed`, 2);
  const room = new WarRoomPage(page);
  const me = await room.me();

  await runbooks.markFailed(3, failNote);
  await expect(runbooks.stepPart(3, 'note')).toHaveText(`: ${failNote}`);
  await expect(room.row(`${me} marked step 3 "Capture evidence before changing anything" of "${failover}" failed: ${failNote}`)).toBeVisible();
});

test('a decision offers one button per branch; the branch taken jumps ahead and the step it passes over is not on the path', async ({ page }) => {
  const runbooks = await openFailoverRun(page, web, `${outage}: decided`, 3);
  const room = new WarRoomPage(page);
  const me = await room.me();

  await expect(runbooks.stepPart(4, 'branch')).toHaveText(['patroni → 5', 'manual → 6', 'wait → 1']);
  await runbooks.decide(4, 'manual');
  await expect(runbooks.stepPart(4, 'state')).toHaveText('decided: manual');
  await expect(runbooks.stepPart(4, 'branch-taken')).toContainText('branch manual → step 6');
  await expect(room.row(`${me} decided at step 4 "Which failover path?" of "${failover}": manual → step 6`)).toBeVisible();
  await expect(runbooks.step(5)).toHaveClass(/is-bypassed/);
  await expect(runbooks.stepPart(5, 'state')).toHaveText('not on this path');
  await expect(runbooks.stepPart(5, 'done')).toHaveCount(0);
  await expect(runbooks.step(6)).toHaveClass(/is-next/);
});

test('a step done before an open one is flagged out of order, and said so on the timeline', async ({ page }) => {
  const runbooks = await openFailoverRun(page, web, `${outage}: out of order`, 4);
  const room = new WarRoomPage(page);
  const me = await room.me();

  await expect(runbooks.step(6)).toHaveClass(/is-next/);
  await runbooks.markDone(7);
  await expect(runbooks.stepPart(7, 'out-of-order')).toBeVisible();
  await expect(room.row(`${me} did step 7 "Repoint the applications" (recovery action) of "${failover}" (out of order: step 6 still open)`)).toBeVisible();
  await expect(runbooks.step(6)).toHaveClass(/is-next/);
});

test('the drawer lists the deviations for the review: the skip and the failure with their notes, the step out of order', async ({ page }) => {
  const runbooks = await openFailoverRun(page, web, `${outage}: deviations`, 5);
  await expectDeviations(runbooks);
  await expect(runbooks.run('progress')).toHaveText('6 of 9 steps settled');
});

test('the side panel lists the run with its version, progress, deviations and who works it; its suggestion offers to open it', async ({ page }) => {
  await openOutage(page, web, `${outage}: side panel`, { follow: 5 });
  const room = new WarRoomPage(page);
  const runbooks = new RunbookRunPage(page);
  const me = await room.me();

  await expect(runbooks.runItemPart(failover, 'version')).toHaveText('v1');
  await expect(runbooks.runItemPart(failover, 'progress')).toHaveText('6/9 steps');
  await expect(runbooks.runItemPart(failover, 'deviation-count')).toHaveText('· 3 deviations');
  await expect(runbooks.runItemPart(failover, 'status')).toHaveText('active');
  await expect(runbooks.runItemPart(failover, 'assignees')).toHaveText(me);
  await expect(runbooks.openRunning('database-failover')).toBeVisible();
});

test('the palette opens a run', async ({ page }) => {
  await openOutage(page, web, `${outage}: palette`, { follow: 0 });
  const room = new WarRoomPage(page);
  const runbooks = new RunbookRunPage(page);
  await expect(runbooks.drawer).toBeHidden();
  await room.runFromPalette('open runbook fail over');
  await expect(runbooks.run('title')).toHaveText(failover);
});

test('every step’s state, the path taken and the deviations are kept on the replica after a reload', async ({ page }) => {
  const title = `${outage}: reload`;
  await openFailoverRun(page, web, title, 5);
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  const runbooks = new RunbookRunPage(page);
  await expect(runbooks.step(7)).toHaveAttribute('data-state', 'done');

  await page.reload();
  await expect(incidents.connection).not.toContainText(/Connecting|Not connected|unreachable/);
  await incidents.row(title).click();
  await expect(room.title).toHaveText(title);
  await runbooks.open(failover);
  await expect(runbooks.steps).toHaveCount(9);
  for (const [step, state] of [
    [1, 'done'],
    [2, 'skipped'],
    [3, 'failed'],
    [4, 'done'],
    [5, 'pending'],
    [6, 'pending'],
    [7, 'done'],
    [8, 'pending'],
  ] as const) {
    await expect(runbooks.step(step)).toHaveAttribute('data-state', state);
  }
  await expect(runbooks.stepPart(4, 'state')).toHaveText('decided: manual');
  await expect(runbooks.step(5)).toHaveClass(/is-bypassed/);
  await expect(runbooks.step(6)).toHaveClass(/is-next/);
  await expect(runbooks.stepPart(3, 'note')).toHaveText(`: ${failNote}`);
  await expectDeviations(runbooks);
  await expect(room.row(/\(out of order: step 6 still open\)$/)).toBeVisible();
});

test('only the people assigned change steps: the run handed to someone else is read-only here until I add myself back', async ({ page }) => {
  const runbooks = await openFailoverRun(page, web, `${outage}: assigned`, 5);
  const room = new WarRoomPage(page);
  const me = await room.me();
  await expect(runbooks.stepPart(6, 'done')).toBeVisible();

  await runbooks.assign('priya');
  await expect(runbooks.run('assignees')).toHaveText('priya');
  await expect(room.row(`${me} assigned runbook "${failover}" to priya`)).toBeVisible();
  await expect(runbooks.run('readonly')).toContainText('not assigned to this runbook');
  await expect(runbooks.doneButtons).toHaveCount(0);

  await runbooks.addMe();
  await expect(runbooks.run('assignees')).toHaveText(`priya, ${me}`);
  await expect(runbooks.stepPart(6, 'done')).toBeVisible();
});

test('reopening a step takes it back to open, and its out-of-order deviation with it', async ({ page }) => {
  const runbooks = await openFailoverRun(page, web, `${outage}: reopened`, 5);
  const room = new WarRoomPage(page);
  const me = await room.me();
  await expect(runbooks.deviations).toHaveCount(3);

  await runbooks.reopen(7);
  await expect(room.row(`${me} reopened step 7 "Repoint the applications" (recovery action) of "${failover}"`)).toBeVisible();
  await expect(runbooks.deviations).toHaveCount(2);
  await expect(runbooks.deviation('out-of-order')).toHaveCount(0);
});

test('stopping a run needs a reason, leaves it read-only and stopped in the side panel, and says how far it got on the timeline', async ({ page }) => {
  const runbooks = await openFailoverRun(page, web, `${outage}: stopped`, 4);
  const room = new WarRoomPage(page);
  const me = await room.me();
  const reason = 'Old primary came back; failing back to it instead';

  await runbooks.stop();
  await runbooks.submitDialogRefused('say why the runbook is stopped');
  await runbooks.submitDialog({ reason });
  await expect(runbooks.run('stopped')).toContainText(reason);
  await expect(runbooks.doneButtons).toHaveCount(0);
  await runbooks.close();
  await expect(runbooks.runItemPart(failover, 'status')).toHaveText('stopped');
  await expect(room.row(`${me} stopped runbook "${failover}" at 5 of 9 steps: ${reason}`)).toBeVisible();
});

async function expectDeviations(runbooks: RunbookRunPage): Promise<void> {
  await expect(runbooks.deviations).toHaveCount(3);
  await expect(runbooks.deviation('skipped')).toContainText('Skipped step 2 “Find the most up-to-date replica”');
  await expect(runbooks.deviationNote('skipped')).toHaveText(`: ${skipReason}`);
  await expect(runbooks.deviation('failed')).toContainText('Failed step 3 “Capture evidence before changing anything”');
  await expect(runbooks.deviationNote('failed')).toHaveText(`: ${failNote}`);
  await expect(runbooks.deviation('out-of-order')).toContainText('Out of order step 7 “Repoint the applications”');
}
