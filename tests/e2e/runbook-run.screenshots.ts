// Refreshes docs/screenshots/runbook-run.png (`npm run screenshots`): the war room of a database
// incident with the failover runbook open in its drawer, half-way through: steps done, one skipped
// with its reason, the decision answered and the step it passed over, the next step highlighted.
import { expect, test } from '@playwright/test';
import { importRunbooks, startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { RunbookRunPage } from './pages/runbook-run';
import { WarRoomPage } from './pages/war-room-page';

test('screenshot of a runbook being followed in the war room', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir('holdfast-docs-');
  importRunbooks(dataDir);
  const web = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  const runbooks = new RunbookRunPage(page);
  try {
    await incidents.open(web.openUrl);
    await page.locator('body').press('n');
    await page.keyboard.type('Orders database primary not accepting writes');
    await page.getByTestId('declare-SEV1').check();
    await page.getByTestId('declare-type').selectOption('outage');
    await page.getByTestId('declare-services').fill('orders-db, checkout-api');
    await page.getByTestId('declare-summary').fill('orders-db-1 stopped answering at 09:12 UTC; checkout cannot create orders.');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('war-title')).toBeVisible();
    for (const [role, person] of [['ops', 'dmitri'], ['scribe', 'sam']] as const) {
      await room.seat(role).getByTestId('seat-assign').click();
      await room.submitDialog({ person });
    }
    await room.typeEntries(
      '/o checkout-api: 100% of order writes failing with "connection refused" since 09:12 UTC',
      '/o pg_isready fails from the VPN and from bastion-2: primary is really down',
    );

    await runbooks.start('database-failover');
    await runbooks.done(1);
    await runbooks.skip(2, 'patronictl list shows orders-db-2 streaming with 0 MB lag; no LSN comparison needed');
    await runbooks.done(3);
    await room.typeEntries('/d Fail over by hand: etcd lost quorum, Patroni cannot elect a leader');
    await runbooks.decide(4, 'manual');
    await expect(runbooks.step(6)).toHaveClass(/is-next/);
    await expect(room.row(/decided at step 4 "Which failover path\?"/)).toBeVisible();

    await page.mouse.move(0, 0);
    // From the skipped step down: the decision, the step it passed over and the next one.
    await runbooks.step(2).evaluate((step) => step.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: 'docs/screenshots/runbook-run.png' });
  } finally {
    await web.stop();
  }
});
