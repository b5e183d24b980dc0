// Refreshes docs/screenshots/runbook-run.png (`npm run screenshots`): the war room of a database
// incident with the failover runbook open in its drawer, half-way through: steps done, one skipped
// with its reason, the decision answered and the step it passed over, the next step highlighted.
import { expect, test } from '@playwright/test';
import { importRunbooks, startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { RunbookRunPage } from './pages/runbook-run';
import { WarRoomPage } from './pages/war-room-page';
import { declareOrdersDbOutage } from './pages/scenes';

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
    await declareOrdersDbOutage(page, room);
    await room.typeEntries(
      '/o checkout-api: 100% of order writes failing with "connection refused" since 09:12 UTC',
      '/o pg_isready fails from the VPN and from bastion-2: primary is really down',
    );

    await runbooks.start('database-failover');
    await runbooks.markDone(1);
    await runbooks.markSkipped(2, 'patronictl list shows orders-db-2 streaming with 0 MB lag; no LSN comparison needed');
    await runbooks.markDone(3);
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
