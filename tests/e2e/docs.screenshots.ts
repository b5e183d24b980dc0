// Refreshes the screenshots in docs/ (`npm run screenshots`): a realistic war-room morning.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startHoldfastServer } from './holdfast-server';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { DirectoryPage } from './pages/directory-page';
import { holdfastCli, sampleCatalogFile, sampleDirectoryFile } from './pages/catalog-page';
import { IncidentsPage } from './pages/incidents-page';
import { SettingsPage } from './pages/settings-page';
import { WarRoomPage } from './pages/war-room-page';

test('screenshots for docs and README', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir('holdfast-docs-'));
  const server = await startHoldfastServer({ 'dana.ops': 'commander' });
  const incidents = new IncidentsPage(page);
  try {
    await incidents.open(web.openUrl);
    await incidents.declareWithKeyboard('Search latency p99 above 4 s', 'SEV3', 'Elevated latency on the search cluster after the index rebuild.');
    await incidents.declareWithKeyboard('Payments webhook deliveries delayed', 'SEV2', 'Stripe webhooks queueing; merchants see late confirmations.');
    await incidents.declareWithKeyboard('Checkout API returns 502 for EU customers', 'SEV1', 'Error rate 40% in eu-west-1 since the 14:02 UTC deploy. Orders failing.');
    await incidents.backToList();
    await expect(incidents.rows).toHaveCount(3);
    await page.waitForTimeout(2600); // let the "new row" highlight fade
    await page.screenshot({ path: 'docs/screenshots/incidents.png' });
    await page.locator('body').press('n');
    await page.keyboard.type('Login failures for SSO users');
    await page.getByTestId('declare-SEV2').check();
    await page.getByTestId('declare-summary').fill('Okta callback errors since 09:40 UTC.');
    await page.screenshot({ path: 'docs/screenshots/declare-incident.png' });
    await page.keyboard.press('Escape');

    const settings = new SettingsPage(page);
    await settings.open();
    await settings.connect(server.url, server.tokens['dana.ops']);
    await page.screenshot({ path: 'docs/screenshots/settings-sync.png', fullPage: true });
  } finally {
    await web.stop();
    await server.stop();
  }
});

test('screenshot of the people directory', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir('holdfast-docs-'));
  const directory = new DirectoryPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await directory.open();
    await directory.importCsv('directory.csv', readFileSync(join(import.meta.dirname, '../../docs/samples/directory.csv'), 'utf8'));
    await expect(directory.people).toHaveCount(11);
    await directory.addBridge({
      name: 'Major incident bridge',
      dialIn: { label: 'US', number: '+1 646 555 0100' },
      pin: '482 913#',
      meetingUrl: 'https://meet.example.com/major-incident',
    });
    await page.getByTestId('import-report').getByRole('button', { name: 'Dismiss' }).click();
    await page.screenshot({ path: 'docs/screenshots/directory.png' });
  } finally {
    await web.stop();
  }
});

test('screenshots of the war room and its command palette', async ({ page }) => {
  test.setTimeout(120_000);
  // The sample directory and service catalog, so the room shows the services' owners and blast radius.
  const dataDir = tempDataDir('holdfast-docs-');
  holdfastCli(dataDir, 'directory', 'import', sampleDirectoryFile);
  holdfastCli(dataDir, 'catalog', 'import', sampleCatalogFile);
  const web = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  try {
    await incidents.open(web.openUrl);
    await page.locator('body').press('n');
    await page.keyboard.type('Checkout API returns 502 for EU customers');
    await page.getByTestId('declare-SEV1').check();
    await page.getByTestId('declare-type').selectOption('outage');
    await page.getByTestId('declare-services').fill('checkout-api, payments-gateway');
    await page.getByTestId('declare-summary').fill('Error rate 40% in eu-west-1 since the 14:02 UTC deploy.');
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('war-title')).toBeVisible();
    for (const [role, person] of [
      ['comms', 'priya'],
      ['scribe', 'sam'],
      ['ops', 'omar'],
    ] as const) {
      await room.seat(role).getByTestId('seat-assign').click();
      await room.submitDialog({ person });
    }
    await page.getByTestId('add-expert').click();
    await room.submitDialog({ person: 'dmitri', label: 'Postgres' });
    await room.runFromPalette('freeze deploy');
    await room.submitDialog({ scope: 'checkout-api, payments', reason: 'Rollback in progress; no changes until error rate is stable' });
    await page.getByTestId('add-task').click();
    await room.submitDialog({ title: 'Capture heap dump of checkout-api pod 7 before restart', owner: 'dmitri' });
    await page.getByTestId('add-task').click();
    await room.submitDialog({ title: 'Confirm payment provider status', owner: 'priya' });
    await room.typeEntries(
      '/o Error rate on checkout-api at 38% in eu-west-1; US unaffected',
      'Paged payments on-call (Priya) and database on-call (Dmitri)',
      '/d Roll back release 2026.11.23-2 instead of hotfixing',
      '/a Rollback started on the eu-west-1 canary',
      '/c Status page: investigating elevated checkout errors in Europe',
      '/o Canary error rate back to 0.4% after the rollback',
    );
    await room.row('Roll back release 2026.11.23-2 instead of hotfixing').getByTestId('entry-pin').click();
    await room.row('Rollback started on the eu-west-1 canary').getByTestId('entry-correct').click();
    await room.submitDialog({ text: 'Rollback started on the eu-west-1 canary (pods 1-4)' });
    await page.getByTestId('status-to-identified').click();
    await expect(page.getByTestId('war-status')).toContainText('Identified');
    // The entry written, not half typed: the box the compact header leaves is one short line, and
    // empty it shows its key (E from anywhere).
    await room.typeEntries('/o Connection pool on db-eu-2 saturated before the rollback');
    await expect(room.row('Connection pool on db-eu-2 saturated before the rollback')).toBeVisible();
    await room.entryBox.blur();
    await page.mouse.move(0, 0);
    await page.locator('.war-side').evaluate((side) => side.scrollTo(0, 0));
    await page.screenshot({ path: 'docs/screenshots/war-room.png' });
    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill('assign');
    await page.screenshot({ path: 'docs/screenshots/command-palette.png' });
  } finally {
    await web.stop();
  }
});
