// Following a runbook in the war room, in Chromium against a real `holdfast web` whose library was
// filled by the real `holdfast runbooks import` of docs/runbooks: the matching runbook is suggested
// with why, started and followed step by step (done, skipped with a reason, failed with a note, a
// decision with its branch, a step done out of order), every change is on the incident timeline,
// deviations are listed for the review, and all of it is still there after a reload.
import { expect, test } from '@playwright/test';
import { importRunbooks, startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { RunbookRunPage } from './pages/runbook-run';
import { WarRoomPage } from './pages/war-room-page';

const failover = 'Fail over the orders database to a streaming replica';
const incidentTitle = 'Orders database primary not accepting writes';
const skipReason = 'Patroni list shows orders-db-2 streaming with 0 MB lag; no need to compare LSNs';
const failNote = 'ssh to orders-db-1 timed out: no logs captured, dashboard screenshot only';

test('a responder follows the database failover runbook from the war room', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir();
  expect(importRunbooks(dataDir)).toContain('created database-failover.md → database-failover');
  const web = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  const runbooks = new RunbookRunPage(page);
  try {
    await incidents.open(web.openUrl);
    await incidents.declare({ title: incidentTitle, severity: 'SEV1', type: 'outage', services: 'orders-db' });

    // Suggested, with why it matches; the best match first.
    const suggestion = runbooks.suggestion('database-failover');
    await expect(suggestion).toContainText(failover);
    await expect(suggestion.getByTestId('runbook-matches')).toContainText('matches service orders-db · type outage · 9 steps');
    await expect(runbooks.panel.getByTestId('runbook-suggestion').first()).toHaveAttribute('data-runbook', 'database-failover');

    await runbooks.start('database-failover');
    await expect(runbooks.drawer.getByTestId('run-title')).toHaveText(failover);
    await expect(runbooks.drawer.getByTestId('run-version')).toHaveText('v1');
    await expect(runbooks.drawer.getByTestId('run-newer')).toHaveCount(0);
    await expect(runbooks.steps).toHaveCount(9);
    await expect(runbooks.step(1)).toHaveClass(/is-next/);
    await expect(runbooks.step(1).getByTestId('step-title')).toHaveText('Confirm the primary is really down');
    await expect(runbooks.step(1).getByTestId('step-body')).toContainText('pg_isready -h orders-db-1.internal');
    await expect(runbooks.step(3).getByTestId('step-type')).toHaveText('Command');
    await expect(runbooks.step(4).getByTestId('step-type')).toHaveText('Decision');
    await expect(runbooks.step(5).getByTestId('step-type')).toHaveText('Recovery action');
    // Only the next step is unfolded; any other opens to read ahead.
    await expect(runbooks.step(5).getByTestId('step-body')).toHaveCount(0);
    await runbooks.step(5).getByTestId('step-toggle').click();
    await expect(runbooks.step(5).getByTestId('step-recovery')).toContainText('changes production');
    await expect(runbooks.step(5).getByTestId('step-body')).toContainText('patronictl -c /etc/patroni/patroni.yml failover orders');
    await expect(room.row(`${await actor(page)} started runbook "${failover}" (version 1 of 1)`)).toBeVisible();
    // The timeline stays in view beside the drawer.
    await expect(page.getByTestId('quick-entry-text')).toBeVisible();
    await expect(runbooks.drawer.getByTestId('run-progress')).toHaveText('0 of 9 steps settled');
    await expect(runbooks.drawer.getByTestId('run-assignees')).toHaveText(await actor(page));

    // Step 1 done: on the timeline, and step 2 becomes the next one.
    await runbooks.markDone(1);
    await expect(room.row(new RegExp(`did step 1 "Confirm the primary is really down" of "${failover}"$`))).toBeVisible();
    await expect(runbooks.step(1).getByTestId('step-record')).toContainText(`done by ${await actor(page)} at`);
    await expect(runbooks.step(2)).toHaveClass(/is-next/);

    // Skipping needs a reason: the engine refuses without one and the dialog says so.
    await runbooks.step(2).getByTestId('step-skip').click();
    await runbooks.dialog.getByTestId('action-submit').click();
    await expect(runbooks.dialog.getByTestId('action-error')).toContainText('say why the step is skipped');
    await runbooks.dialog.getByTestId('field-reason').fill(skipReason);
    await runbooks.dialog.getByTestId('action-submit').click();
    await expect(runbooks.dialog).toBeHidden();
    await expect(runbooks.step(2)).toHaveAttribute('data-state', 'skipped');
    await expect(runbooks.step(2).getByTestId('step-note')).toHaveText(`: ${skipReason}`);
    await expect(room.row(`${await actor(page)} skipped step 2 "Find the most up-to-date replica" of "${failover}": ${skipReason}`)).toBeVisible();

    // A failed step, with what failed.
    await runbooks.markFailed(3, failNote);
    await expect(room.row(`${await actor(page)} marked step 3 "Capture evidence before changing anything" of "${failover}" failed: ${failNote}`)).toBeVisible();

    // The decision: one button per branch; "manual" goes to step 6 and passes over step 5.
    await expect(runbooks.step(4).getByTestId('step-branch')).toHaveText(['patroni → 5', 'manual → 6', 'wait → 1']);
    await runbooks.decide(4, 'manual');
    await expect(runbooks.step(4).getByTestId('step-state')).toHaveText('decided: manual');
    await expect(runbooks.step(4).getByTestId('step-branch-taken')).toContainText('branch manual → step 6');
    await expect(room.row(`${await actor(page)} decided at step 4 "Which failover path?" of "${failover}": manual → step 6`)).toBeVisible();
    await expect(runbooks.step(5)).toHaveClass(/is-bypassed/);
    await expect(runbooks.step(5).getByTestId('step-state')).toHaveText('not on this path');
    await expect(runbooks.step(5).getByTestId('step-done')).toHaveCount(0);
    await expect(runbooks.step(6)).toHaveClass(/is-next/);

    // Step 7 before step 6: done, flagged out of order, and said so on the timeline.
    await runbooks.markDone(7);
    await expect(runbooks.step(7).getByTestId('step-out-of-order')).toBeVisible();
    await expect(
      room.row(`${await actor(page)} did step 7 "Repoint the applications" (recovery action) of "${failover}" (out of order: step 6 still open)`),
    ).toBeVisible();
    await expect(runbooks.step(6)).toHaveClass(/is-next/);

    // The deviations, for the review.
    await expectDeviations(runbooks);
    await expect(runbooks.drawer.getByTestId('run-progress')).toHaveText('6 of 9 steps settled');

    // Closed, the side panel lists the run with its version, progress, deviations and who works it.
    await runbooks.close();
    const item = runbooks.runItem(failover);
    await expect(item.getByTestId('run-version')).toHaveText('v1');
    await expect(item.getByTestId('run-progress')).toHaveText('6/9 steps');
    await expect(item.getByTestId('run-deviation-count')).toHaveText('· 3 deviations');
    await expect(item.getByTestId('run-status')).toHaveText('active');
    await expect(item.getByTestId('run-assignees')).toHaveText(await actor(page));
    await expect(runbooks.suggestion('database-failover').getByTestId('runbook-open-running')).toBeVisible();

    // The palette reaches runs too.
    await room.runFromPalette('open runbook fail over');
    await expect(runbooks.drawer.getByTestId('run-title')).toHaveText(failover);

    // All of it is kept on the replica.
    await page.reload();
    await expect(incidents.connection).not.toContainText(/Connecting|Not connected|unreachable/);
    await incidents.row(incidentTitle).click();
    await expect(page.getByTestId('war-title')).toHaveText(incidentTitle);
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
    await expect(runbooks.step(4).getByTestId('step-state')).toHaveText('decided: manual');
    await expect(runbooks.step(5)).toHaveClass(/is-bypassed/);
    await expect(runbooks.step(6)).toHaveClass(/is-next/);
    await expect(runbooks.step(3).getByTestId('step-note')).toHaveText(`: ${failNote}`);
    await expectDeviations(runbooks);
    await expect(room.row(/\(out of order: step 6 still open\)$/)).toBeVisible();

    // Only the people assigned change steps; the commander can hand the run over and back.
    await runbooks.drawer.getByTestId('run-assign').click();
    await runbooks.submitDialog({ assignees: 'priya' });
    await expect(runbooks.drawer.getByTestId('run-assignees')).toHaveText('priya');
    await expect(room.row(`${await actor(page)} assigned runbook "${failover}" to priya`)).toBeVisible();
    await expect(runbooks.drawer.getByTestId('run-readonly')).toContainText('not assigned to this runbook');
    await expect(runbooks.drawer.getByTestId('step-done')).toHaveCount(0);
    await runbooks.drawer.getByTestId('run-add-me').click();
    await expect(runbooks.drawer.getByTestId('run-assignees')).toHaveText(`priya, ${await actor(page)}`);
    await expect(runbooks.step(6).getByTestId('step-done')).toBeVisible();

    // Reopening a step takes it back to open (and its out-of-order flag with it).
    await runbooks.step(7).getByTestId('step-reopen').click();
    await expect(runbooks.step(7)).toHaveAttribute('data-state', 'pending');
    await expect(room.row(`${await actor(page)} reopened step 7 "Repoint the applications" (recovery action) of "${failover}"`)).toBeVisible();
    await expect(runbooks.deviations).toHaveCount(2);

    // Stopping needs a reason and leaves the run read-only.
    await runbooks.drawer.getByTestId('run-stop').click();
    await runbooks.submitDialog({ reason: 'Old primary came back; failing back to it instead' });
    await expect(runbooks.drawer.getByTestId('run-stopped')).toContainText('Old primary came back; failing back to it instead');
    await expect(runbooks.drawer.getByTestId('step-done')).toHaveCount(0);
    await runbooks.close();
    await expect(runbooks.runItem(failover).getByTestId('run-status')).toHaveText('stopped');
    await expect(room.row(`${await actor(page)} stopped runbook "${failover}" at 5 of 9 steps: Old primary came back; failing back to it instead`)).toBeVisible();
  } finally {
    await web.stop();
  }
});

async function expectDeviations(runbooks: RunbookRunPage): Promise<void> {
  await expect(runbooks.deviations).toHaveCount(3);
  const skipped = runbooks.deviations.and(runbooks.page.locator('[data-kind="skipped"]'));
  const failed = runbooks.deviations.and(runbooks.page.locator('[data-kind="failed"]'));
  const outOfOrder = runbooks.deviations.and(runbooks.page.locator('[data-kind="out-of-order"]'));
  await expect(skipped).toContainText('Skipped step 2 “Find the most up-to-date replica”');
  await expect(skipped.getByTestId('deviation-note')).toHaveText(`: ${skipReason}`);
  await expect(failed).toContainText('Failed step 3 “Capture evidence before changing anything”');
  await expect(failed.getByTestId('deviation-note')).toHaveText(`: ${failNote}`);
  await expect(outOfOrder).toContainText('Out of order step 7 “Repoint the applications”');
}

/** This replica's user name, as the engine writes it on the timeline. */
let actorName: string | null = null;
async function actor(page: import('@playwright/test').Page): Promise<string> {
  if (actorName === null) {
    const holder = page.getByTestId('seat-commander').getByTestId('seat-holder');
    await expect(holder).not.toHaveText('vacant');
    actorName = (await holder.textContent()) ?? '';
  }
  return actorName;
}
