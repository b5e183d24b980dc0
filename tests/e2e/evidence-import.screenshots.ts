// Refreshes docs/screenshots/evidence-import.png (`npm run screenshots`): a bundle exported on
// another laptop, imported from the incident list of an empty replica kept for examining it: what
// was checked, who signed it, the artifacts with their hashes and custody.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { bundleConfigSha, bundleFromAnotherLaptop, pickBundle } from './pages/evidence-bundle';
import { IncidentsPage } from './pages/incidents-page';

test('screenshot of an evidence bundle imported from the incident list', async ({ page }) => {
  test.setTimeout(120_000);
  const { zip } = await bundleFromAnotherLaptop();
  const web = await startHoldfastWeb(tempDataDir('holdfast-docs-'));
  try {
    await page.setViewportSize({ width: 1360, height: 940 });
    await new IncidentsPage(page).open(web.openUrl);
    await page.getByTestId('bundle-import-button').click();
    await page.getByTestId('bundle-import-unsigned').check();
    await pickBundle(page, 'orders-db-evidence.zip', readFileSync(zip));
    await expect(page.getByTestId('bundle-import-artifact-hash').getByText(bundleConfigSha)).toBeVisible();
    await expect(page.getByTestId('incident-row')).toHaveCount(1);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/evidence-import.png' });
  } finally {
    await web.stop();
  }
});
