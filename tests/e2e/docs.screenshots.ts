// Refreshes the screenshots in docs/ (`npm run screenshots`): a realistic war-room morning.
import { expect, test } from '@playwright/test';
import { startHoldfastServer } from './holdfast-server';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { SettingsPage } from './pages/settings-page';

test('screenshots for docs and README', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir('holdfast-docs-'));
  const server = await startHoldfastServer({ 'dana.ops': 'commander' });
  const incidents = new IncidentsPage(page);
  try {
    await incidents.open(web.openUrl);
    await incidents.declareWithKeyboard('Search latency p99 above 4 s', 'SEV3', 'Elevated latency on the search cluster after the index rebuild.');
    await incidents.declareWithKeyboard('Payments webhook deliveries delayed', 'SEV2', 'Stripe webhooks queueing; merchants see late confirmations.');
    await incidents.declareWithKeyboard('Checkout API returns 502 for EU customers', 'SEV1', 'Error rate 40% in eu-west-1 since the 14:02 UTC deploy. Orders failing.');
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
