// The war room in Chromium against real `holdfast web` processes: declaring into the war room,
// a scribe typing continuously, correcting and pinning entries, filters and search, status and
// freeze from the header and the command palette, roles, and a two-person handoff of command
// between two laptops through the central service.
import { expect, test } from '@playwright/test';
import { startHoldfastServer } from './holdfast-server';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { SettingsPage } from './pages/settings-page';
import { WarRoomPage } from './pages/war-room-page';

test('a commander runs an incident from the war room', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  try {
    await incidents.open(web.openUrl);
    // Severity levels mean what the organisation says they mean.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('meaning-SEV1').fill('Critical: checkout or payments down for any region');
    await page.getByTestId('meanings-save').click();
    await expect(page.getByTestId('severity-settings')).toContainText('Saved.');
    await page.getByTestId('nav-incidents').click();
    await page.locator('body').press('n');
    await incidents.dialog.getByTestId('declare-SEV1').check();
    await expect(incidents.dialog).toContainText('Critical: checkout or payments down for any region');
    await page.keyboard.press('Escape');

    await page.getByTestId('declare-button').click();
    await incidents.dialog.getByTestId('declare-title').fill('Checkout API returns 502 for EU customers');
    await incidents.dialog.getByTestId('declare-SEV1').check();
    await incidents.dialog.getByTestId('declare-type').selectOption('outage');
    await incidents.dialog.getByTestId('declare-services').fill('checkout-api, payments');
    await incidents.dialog.getByTestId('declare-drill').check();
    await incidents.dialog.getByTestId('declare-submit').click();
    await expect(page.getByTestId('war-title')).toHaveText('Checkout API returns 502 for EU customers');
    await expect(room.header).toContainText('SEV1');
    await expect(room.header).toContainText('DRILL');
    await expect(room.header).toContainText('checkout-api');
    await expect(room.header).toContainText('Critical: checkout or payments down for any region');
    await expect(page.getByTestId('war-status')).toContainText('Investigating');
    await expect(room.seat('commander').getByTestId('seat-holder')).not.toHaveText('vacant');
    await expect(room.row(/declared a drill: SEV1 "Checkout API returns 502 for EU customers" affecting checkout-api, payments/)).toBeVisible();

    // The scribe types without touching the mouse; prefixes set the kind.
    await room.typeEntries('Error rate 38% on checkout-api, US unaffected', '/d Roll back release 4512', '/a Rolback started on eu-west-1');
    await expect(room.row('Roll back release 4512')).toHaveAttribute('data-kind', 'decision');
    await expect(room.row('Rolback started on eu-west-1')).toHaveAttribute('data-kind', 'action');

    // Correct a typo: the original stays, struck through, linked to the correction.
    await room.row('Rolback started on eu-west-1').hover();
    await room.row('Rolback started on eu-west-1').getByTestId('entry-correct').click();
    await room.submitDialog({ text: 'Rollback started on eu-west-1 canary' });
    await expect(room.row('Rolback started on eu-west-1')).toHaveClass(/is-corrected/);
    await expect(room.row('Rollback started on eu-west-1 canary')).toContainText('corrects an earlier entry');

    // Pin the decision, then show pinned entries only, then decisions only.
    await room.row('Roll back release 4512').getByTestId('entry-pin').click();
    await expect(room.row('Roll back release 4512')).toHaveClass(/is-pinned/);
    await page.getByTestId('filter-pinned').click();
    await expect(room.rows).toHaveCount(1);
    await page.getByTestId('filter-pinned').click();
    await page.getByTestId('filter-kind-action').click();
    await expect(room.rows).toHaveCount(2);
    await page.getByTestId('filter-kind-action').click();

    // Search this timeline; choosing a hit scrolls to the entry and marks it.
    await page.getByTestId('timeline-search').fill('unaffected');
    await expect(page.getByTestId('search-hit')).toHaveCount(1);
    await expect(page.getByTestId('search-hit').locator('mark')).toHaveText('unaffected');
    await page.getByTestId('search-hit').click();
    await expect(room.row('Error rate 38% on checkout-api, US unaffected')).toHaveClass(/is-focused/);

    // Status from the header: the milestone is stamped and the change is on the timeline.
    await page.getByTestId('status-to-mitigated').click();
    await expect(page.getByTestId('war-status')).toContainText('Mitigated');
    await expect(page.getByTestId('milestone-mitigated')).not.toHaveText('—');
    await expect(room.row(/moved status investigating → mitigated/)).toBeVisible();
    // Closing before resolving is not offered, and the palette cannot reach it either.
    await expect(page.getByTestId('status-to-closed')).toHaveCount(0);

    // Everything is reachable from the palette: a deployment freeze.
    await room.runFromPalette('freeze deploy');
    await room.submitDialog({ scope: 'checkout-api', reason: 'Rollback in progress' });
    await expect(page.getByTestId('freeze-banner')).toContainText('checkout-api — Rollback in progress');
    await page.getByTestId('lift-freeze').click();
    await room.submitDialog({ reason: 'Error rate stable' });
    await expect(page.getByTestId('freeze-banner')).toHaveCount(0);
    await expect(room.row(/lifted the deployment freeze \(checkout-api\): Error rate stable/)).toBeVisible();

    // Roles: assign a vacant role; a held one cannot be moved without a reason.
    await room.seat('comms').getByTestId('seat-assign').click();
    await room.submitDialog({ person: 'priya' });
    await expect(room.seat('comms').getByTestId('seat-holder')).toHaveText('priya');
    await room.seat('comms').getByTestId('seat-assign').click();
    await room.dialog.getByTestId('field-person').fill('omar');
    await room.dialog.getByTestId('action-submit').click();
    await expect(room.dialog.getByTestId('action-error')).toContainText('priya holds Comms lead: reassigning it without their acceptance needs a reason');
    await room.dialog.getByTestId('field-reason').fill('priya is off shift');
    await room.dialog.getByTestId('action-submit').click();
    await expect(room.seat('comms').getByTestId('seat-holder')).toHaveText('omar');
    await expect(room.row(/reassigned Comms lead from priya to omar: priya is off shift/)).toBeVisible();

    // A task from the side panel.
    await page.getByTestId('add-task').click();
    await room.submitDialog({ title: 'Capture heap dump of checkout-api pod 7', owner: 'omar' });
    await expect(page.getByTestId('task')).toContainText('Capture heap dump of checkout-api pod 7');
    await page.getByTestId('task-edit').click();
    await room.submitDialog({ owner: 'dmitri' });
    await expect(page.getByTestId('task')).toContainText('dmitri');
    await expect(room.row(/updated task "Capture heap dump of checkout-api pod 7": owner dmitri/)).toBeVisible();

    // The palette reaches the scribe's own last entry too.
    await room.typeEntries('Heap dump size 2.1 GB');
    await room.runFromPalette('correct my last');
    await room.submitDialog({ text: 'Heap dump size 2.4 GB' });
    await expect(room.row('Heap dump size 2.1 GB')).toHaveClass(/is-corrected/);
  } finally {
    await web.stop();
  }
});

test('command is handed over between two laptops only when the receiver accepts', async ({ browser }) => {
  test.setTimeout(120_000); // three processes and two browsers
  const server = await startHoldfastServer({ alice: 'commander', bob: 'commander' });
  const webA = await startHoldfastWeb(tempDataDir());
  const webB = await startHoldfastWeb(tempDataDir());
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [pageA, pageB] = [await contexts[0].newPage(), await contexts[1].newPage()];
  try {
    const [alice, bob] = [new IncidentsPage(pageA), new IncidentsPage(pageB)];
    await alice.open(webA.openUrl);
    await bob.open(webB.openUrl);
    for (const [page, name] of [
      [pageA, 'alice'],
      [pageB, 'bob'],
    ] as const) {
      const settings = new SettingsPage(page);
      await settings.open();
      await settings.connect(server.url, server.tokens[name]);
      await page.getByTestId('nav-incidents').click();
    }
    await alice.declareWithKeyboard('Primary database failover', 'SEV1', 'db-eu-1 unreachable');
    const roomA = new WarRoomPage(pageA);
    await expect(roomA.seat('commander').getByTestId('seat-holder')).toHaveText('alice');

    await roomA.seat('commander').getByTestId('seat-offer-button').click();
    await roomA.submitDialog({ to: 'bob' });
    await expect(roomA.seat('commander').getByTestId('seat-offer')).toContainText('Offered to bob by alice');
    // Until bob accepts, alice still commands.
    await expect(roomA.seat('commander').getByTestId('seat-holder')).toHaveText('alice');

    await bob.row('Primary database failover').click({ timeout: 15_000 });
    const roomB = new WarRoomPage(pageB);
    await expect(roomB.seat('commander').getByTestId('seat-offer')).toContainText('Offered to bob', { timeout: 15_000 });
    await roomB.seat('commander').getByTestId('seat-accept').click();
    await expect(roomB.seat('commander').getByTestId('seat-holder')).toHaveText('bob');
    await expect(roomB.row('bob accepted Incident commander from alice')).toBeVisible();

    await expect(roomA.seat('commander').getByTestId('seat-holder')).toHaveText('bob', { timeout: 15_000 });
    await expect(roomA.row('bob accepted Incident commander from alice')).toBeVisible();
    await expect(roomA.row('alice offered Incident commander to bob')).toBeVisible();
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    await Promise.all([webA.stop(), webB.stop(), server.stop()]);
  }
});
