// Refreshes docs/screenshots/catalog.png and docs/screenshots/blast-radius.png (`npm run
// screenshots`): the library's service catalog with the orders database open (owners, blast radius
// graph), and the declare dialog with the orders database picked: its tier, objectives, owners with
// their contacts and everything that fails with it.
import { expect, test } from '@playwright/test';
import { importRunbooks, startHoldfastWeb, tempDataDir } from './holdfast-web';
import { CatalogPage, holdfastCli, sampleCatalogFile, sampleDirectoryFile } from './pages/catalog-page';
import { IncidentsPage } from './pages/incidents-page';

test('screenshots of the service catalog and a blast radius', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir('holdfast-docs-');
  holdfastCli(dataDir, 'directory', 'import', sampleDirectoryFile);
  importRunbooks(dataDir);
  holdfastCli(dataDir, 'catalog', 'import', sampleCatalogFile);
  const web = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  const catalog = new CatalogPage(page);
  try {
    await incidents.open(web.openUrl);
    await catalog.open();
    await expect(catalog.items).toHaveCount(12);
    await catalog.select('Orders database');
    await expect(catalog.detail.getByTestId('blast-node')).toHaveCount(8);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/catalog.png' });

    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('declare-button').click();
    await incidents.dialog.getByTestId('declare-title').fill('Orders database primary unreachable');
    await incidents.dialog.getByTestId('declare-SEV1').check();
    await incidents.dialog.getByTestId('declare-type').selectOption('outage');
    await incidents.dialog.locator('[data-testid="declare-service-chip"][data-service-id="orders-db"]').click();
    const card = incidents.dialog.getByTestId('service-impact');
    await expect(card.getByTestId('blast-node')).toHaveCount(8);
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/blast-radius.png' });
  } finally {
    await web.stop();
  }
});
