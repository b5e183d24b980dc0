// Importing an evidence bundle in the browser, as someone examining another laptop's evidence does:
// a real bundle written by `holdfast evidence bundle` from another `holdfast web`'s data folder (an
// artifact collected with its SHA-256 and handed to legal), picked in the incident list of an empty
// replica. A cut-off copy and a copy with a changed custody form are refused with what is wrong and
// change nothing; the real one without a certificate is refused until "accept unsigned" is ticked;
// then the report shows the incident, the artifacts with their hashes and the custody chain, and
// the incident opens with the same evidence.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { EvidencePage } from './pages/evidence';
import { bundleConfigSha as configSha, bundleFromAnotherLaptop, bundleIncidentTitle as title, pickBundle as pick, importViolations } from './pages/evidence-bundle';
import { IncidentsPage } from './pages/incidents-page';

test('a bundle exported on another laptop is checked and imported from the incident list; broken copies change nothing', async ({ page }) => {
  test.setTimeout(120_000);
  const { zip, incidentId, what } = await bundleFromAnotherLaptop();
  const bytes = readFileSync(zip);
  const web = await startHoldfastWeb(tempDataDir('holdfast-examine-'));
  const incidents = new IncidentsPage(page);
  const evidence = new EvidencePage(page);
  const refused = page.getByTestId('bundle-import-refused');
  try {
    await incidents.open(web.openUrl);
    await expect(page.getByTestId('incidents-empty')).toBeVisible();
    await page.getByTestId('bundle-import-button').click();
    await expect(page.getByTestId('bundle-import')).toBeVisible();

    // Cut off half way, as a failed copy leaves it.
    await pick(page, 'truncated.zip', bytes.subarray(0, Math.floor(bytes.length / 2)));
    await expect(refused).toContainText('truncated.zip did not verify: nothing was imported');
    await expect(refused.getByTestId('bundle-import-problem')).toContainText(['not a readable ZIP archive']);

    // A custody form edited after export: its hash no longer matches SHA256SUMS.
    const files = unzipSync(bytes);
    const form = Object.keys(files).find((name) => name.startsWith('custody/') && strFromU8(files[name]).includes('litigation hold'));
    expect(form).toBeDefined();
    files[form as string] = strToU8(strFromU8(files[form as string]).replace('litigation hold', 'routine copy'));
    await pick(page, 'edited.zip', Buffer.from(zipSync(files)));
    await expect(refused).toContainText('edited.zip did not verify');
    await expect(
      refused
        .getByTestId('bundle-import-problem')
        .filter({ hasText: form as string })
        .first(),
    ).toBeVisible();
    await expect(page.getByTestId('bundle-import-hint')).toHaveCount(0);

    // The real bundle: made on a laptop never connected to a service, so not signed under a certificate.
    await pick(page, 'orders-db-evidence.zip', bytes);
    await expect(refused).toContainText('orders-db-evidence.zip did not verify');
    await expect(page.getByTestId('bundle-import-hint')).toContainText('Accept a bundle not signed under a certificate');
    expect(await importViolations(page)).toEqual([]);
    // Nothing came in from any of the three.
    await expect(page.getByTestId('incidents-empty')).toBeVisible();
    expect(await callApi(web, 'incidents.list', {})).toEqual([]);

    await page.getByTestId('bundle-import-unsigned').check();
    await pick(page, 'orders-db-evidence.zip', bytes);
    const report = page.getByTestId('bundle-import-report');
    await expect(report).toContainText(`Imported orders-db-evidence.zip: ${incidentId} — ${title}`);
    await expect(report.getByTestId('bundle-import-verified')).toContainText('Every file matches SHA256SUMS');
    await expect(report.getByTestId('bundle-import-chain')).toHaveAttribute('data-intact', 'true');
    await expect(report.getByTestId('bundle-import-signature')).toContainText('ACCEPTED UNSIGNED');
    await expect(report.getByTestId('bundle-import-ops')).toContainText(/\d+ ops applied, 0 already here, 0 kept but not applied, 0 rejected/);
    const collected = report.getByTestId('bundle-import-artifact').filter({ hasText: what });
    await expect(collected.getByTestId('bundle-import-artifact-hash')).toHaveText(configSha);
    await expect(collected.getByTestId('bundle-import-artifact-state')).toHaveText('collected');
    await expect(collected.getByTestId('bundle-import-artifact-custody')).toContainText('transferred ana → legal');
    await expect(incidents.rows).toHaveCount(1);
    await expect(incidents.rows.first()).toContainText(title);
    expect(await importViolations(page)).toEqual([]);

    // Opened, the incident's evidence is the bundle's: the same hash, the chain intact.
    await report.getByTestId('bundle-import-open').click();
    await expect(page.getByTestId('war-title')).toHaveText(title);
    await expect(evidence.panel.getByTestId('evidence-chain')).toHaveAttribute('data-intact', 'true');
    await expect(evidence.artifact(what).getByTestId('artifact-state')).toHaveText('collected');
    await expect(evidence.artifact(what).getByTestId('artifact-hash')).toHaveAttribute('title', `SHA-256 ${configSha}`);

    // The same file again: this replica holds the incident now, and says so.
    await incidents.backToList();
    await page.getByTestId('bundle-import-button').click();
    await page.getByTestId('bundle-import-unsigned').check();
    await pick(page, 'orders-db-evidence.zip', bytes);
    await expect(page.getByTestId('bundle-import-error')).toContainText(`nothing was changed. this replica already holds incident ${incidentId}`);
    await expect(incidents.rows).toHaveCount(1);
  } finally {
    await web.stop();
  }
});
