// The service catalog in Chromium against a real `holdfast web`: the sample catalog imported in the
// library (a bad file refused line by line with nothing changed), a service read with its owners
// and blast radius graph, a new service written in the editor (a dependency that would make a cycle
// cannot be picked), then an incident declared on a service: the dialog and the war room show its
// tier, objectives, owners with their contacts and its blast radius as a graph.
import { expect, test } from '@playwright/test';
import { importRunbooks, startHoldfastWeb, tempDataDir } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { CatalogPage, holdfastCli, sampleCatalog, sampleDirectoryFile, serviceIds } from './pages/catalog-page';
import { IncidentsPage } from './pages/incidents-page';

test('the catalog is imported and edited in the library, and declaring an incident on a service shows its tier, owners and blast radius', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir();
  // What a team has before its catalog: the people directory and the runbooks, loaded from files.
  holdfastCli(dataDir, 'directory', 'import', sampleDirectoryFile);
  importRunbooks(dataDir);
  const web = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  const catalog = new CatalogPage(page);
  try {
    await incidents.open(web.openUrl);
    await catalog.open();
    await expect(page.getByText('No services in the catalog')).toBeVisible();

    // A bad file: every problem with its line, and nothing imported.
    await catalog.importFile('bad.yaml', 'services:\n  - id: search\n    tier: 7\n    owner_team: Paymnts\n    depends_on: [catalog-db]\n');
    await expect(catalog.importReport).toContainText('nothing was imported: the file has 3 problems');
    await expect(catalog.importReport.getByTestId('catalog-import-problems').locator('li')).toHaveText([
      'line 3 tier: 7 is not a tier: use 1 (critical, customer-facing), 2 (important), 3 (internal) or 4 (best effort)',
      'line 4 owner_team: no team "Paymnts" in the directory; did you mean "Payments"?',
      'line 5 depends_on: unknown service "catalog-db": it is neither in this file nor in the catalog',
    ]);
    await expect(catalog.items).toHaveCount(0);

    // The sample: twelve services, critical ones first.
    await catalog.importFile('catalog.yaml', sampleCatalog);
    await expect(catalog.importReport).toContainText('catalog.yaml: 12 added, 0 updated, 0 unchanged.');
    await expect(catalog.items).toHaveCount(12);
    await expect(catalog.itemNames.first()).toHaveText('Checkout API');
    await expect(catalog.item('Orders database').getByTestId('tier-badge')).toHaveText('T1');
    await expect(catalog.item('Orders database').getByTestId('service-item-meta')).toHaveText('Platform SRE · RTO 30 min · 5 depend on it');

    // Importing it again changes nothing.
    await catalog.importFile('catalog.yaml', sampleCatalog);
    await expect(catalog.importReport).toContainText('0 added, 0 updated, 12 unchanged.');

    // One service: its owners to call and everything that fails with it.
    await catalog.select('Orders database');
    await expect(catalog.detail.getByTestId('service-rto')).toHaveText('RTO 30 min');
    await expect(catalog.detail.getByTestId('owner-team')).toHaveText('Platform SRE');
    await expect(catalog.detail.getByTestId('owner-person')).toHaveCount(4);
    await expect(catalog.detail.getByTestId('owner-person').first().getByTestId('phone-link').first()).toHaveAttribute('href', 'tel:+447700900123');
    await expect(catalog.detail.getByTestId('service-blast-summary')).toContainText(
      '8 services may fail with it: 5 depend on it directly, the rest through others (up to 2 steps away)',
    );
    await expect(catalog.detail.getByTestId('blast-root')).toHaveAttribute('data-service-id', 'orders-db');
    expect(await serviceIds(catalog.graphNodes(catalog.detail, 1))).toEqual(['checkout-api', 'ledger', 'notifications', 'admin-console', 'reporting']);
    expect(await serviceIds(catalog.graphNodes(catalog.detail, 2))).toEqual(['payments-gateway', 'storefront', 'mobile-api']);
    await expect(catalog.detail.getByTestId('service-runbooks')).toContainText('Fail over the orders database to a streaming replica');

    // A new service in the editor; a service that depends on it cannot become its dependency.
    await page.getByTestId('new-service').click();
    await expect(catalog.editor).toBeVisible();
    await catalog.editor.getByTestId('service-name-input').fill('Search');
    await catalog.editor.getByTestId('service-tier-2').check();
    await catalog.editor.getByTestId('service-owner').selectOption({ label: 'Payments' });
    await catalog.editor.getByTestId('service-rto-input').fill('1h');
    await expect(catalog.editor.getByText('= 1 h')).toBeVisible();
    await catalog.editor.locator('[data-testid="deps-option"][data-id="orders-db"]').check();
    await catalog.editor.getByTestId('service-save').click();
    await expect(catalog.editor).toBeHidden();
    await expect(catalog.detail.getByTestId('service-name')).toContainText('Search');
    await expect(catalog.items).toHaveCount(13);
    await catalog.select('Orders database');
    await catalog.detail.getByTestId('edit-service').click();
    await expect(catalog.editor.locator('[data-testid="deps-option"][data-id="search"]')).toBeDisabled();
    await expect(catalog.editor.locator('[data-testid="deps-option"][data-id="status-page"]')).toBeEnabled();
    await catalog.editor.getByTestId('service-cancel').click();
    await expect(catalog.editor).toBeHidden();

    // Declaring an incident on a service: its tier, owners and blast radius before declaring.
    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('declare-button').click();
    await incidents.dialog.getByTestId('declare-title').fill('Checkout returns 502 for card payments');
    await incidents.dialog.getByTestId('declare-SEV1').check();
    await incidents.dialog.locator('[data-testid="declare-service-chip"][data-service-id="checkout-api"]').click();
    await expect(incidents.dialog.getByTestId('declare-services')).toHaveValue('checkout-api');
    const card = incidents.dialog.getByTestId('service-impact');
    await expect(card).toHaveCount(1);
    await expect(card.getByTestId('tier-badge').first()).toHaveText('T1');
    await expect(card.getByTestId('service-objectives')).toHaveText('RTO 15 minRPO 0 min');
    await expect(card.getByTestId('owner-team')).toHaveText('Payments');
    await expect(card.getByTestId('blast-summary')).toContainText('Blast radius: 2 services depend on it');
    expect(await serviceIds(catalog.graphNodes(card))).toEqual(['storefront', 'mobile-api']);
    await incidents.dialog.getByTestId('declare-services').fill('checkout-api, payments-api');
    await expect(incidents.dialog.getByTestId('declare-unmatched')).toHaveText('Not in the catalog: payments-api');
    await incidents.dialog.getByTestId('declare-submit').click();
    await expect(page.getByTestId('war-title')).toHaveText('Checkout returns 502 for card payments');

    // The war room keeps them at hand: whom to call, and what else is going down.
    const panel = page.getByTestId('services-panel');
    const impact = panel.getByTestId('service-impact');
    await expect(impact).toHaveCount(1);
    await expect(impact.getByTestId('service-tier-meaning')).toHaveText('Tier 1 · critical');
    await expect(impact.getByTestId('owner-person').filter({ hasText: 'Elena García' }).getByTestId('phone-link')).toHaveAttribute('href', 'tel:+12125550147');
    await expect(impact.getByTestId('owner-person').filter({ hasText: 'Elena García' }).getByTestId('owner-email')).toHaveAttribute(
      'href',
      'mailto:elena.garcia@example.com',
    );
    await expect(impact.getByTestId('blast-root')).toHaveAttribute('data-service-id', 'checkout-api');
    expect(await serviceIds(catalog.graphNodes(impact, 1))).toEqual(['storefront', 'mobile-api']);
    await expect(panel.getByTestId('services-unmatched')).toHaveText('Not in the catalog: payments-api');

    // A change to the catalog (here through the API, as from another window) reaches the open war room.
    await callApi(web, 'catalog.save', { id: 'partner-api', name: 'Partner API', tier: 2, dependsOn: ['checkout-api'] });
    await expect(catalog.graphNodes(impact, 1)).toHaveCount(3);
  } finally {
    await web.stop();
  }
});
