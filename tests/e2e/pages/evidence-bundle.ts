// Page module for evidence bundles: a real bundle made on another laptop (its own `holdfast web`
// and data folder), exported by the real `holdfast evidence bundle`, and picking a file in the
// incident list's bundle import.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { tempDir } from '../../support/temp';
import { startHoldfastWeb, tempDataDir } from '../holdfast-web';
import { holdfastCli } from './catalog-page';
import { callApi } from './comms-room';

export const bundleIncidentTitle = 'Orders database primary not accepting writes';
export const bundleConfigSha = createHash('sha256').update('orders-db-1 postgresql.conf as it was at 09:14').digest('hex');

/** Another laptop's incident with one artifact collected and handed to legal, exported by the real CLI once its web has stopped. */
export async function bundleFromAnotherLaptop(): Promise<{ zip: string; incidentId: string; what: string }> {
  const dataDir = tempDataDir('holdfast-source-');
  const web = await startHoldfastWeb(dataDir);
  const made = await (async () => {
    try {
      const incident = await callApi(web, 'incidents.create', { title: bundleIncidentTitle, severity: 'SEV1', services: ['orders-db'], type: 'outage' });
      const view = await callApi(web, 'evidence.startChecklist', { incidentId: incident.id, templateId: 'database-outage' });
      const artifact = view.artifacts[0];
      await callApi(web, 'evidence.recordCollection', {
        artifactId: artifact.id,
        collector: { name: 'ana' },
        hostIds: ['orders-db-1'],
        acquisitionStart: Date.now() - 120_000,
        acquisitionEnd: Date.now() - 60_000,
        collectorTimeZone: 'Europe/Berlin',
        tool: 'tar',
        storageLocation: 's3://evidence/orders-db-1.tar',
        size: 47,
        sha256: bundleConfigSha,
      });
      await callApi(web, 'evidence.addCustody', { artifactId: artifact.id, action: 'transferred', from: 'ana', to: 'legal', purpose: 'litigation hold' });
      return { incidentId: incident.id, what: artifact.what };
    } finally {
      await web.stop();
    }
  })();
  const zip = join(tempDir('holdfast-bundle-'), 'orders-db-evidence.zip');
  expect(holdfastCli(dataDir, 'evidence', 'bundle', made.incidentId, '--out', zip)).toContain('wrote');
  return { zip, ...made };
}

/** Picks a file in the incident list's bundle import (its hidden file input, as the file chooser fills it). */
export async function pickBundle(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.getByTestId('bundle-import-input').setInputFiles({ name, mimeType: 'application/zip', buffer });
}

/** The serious and critical axe-core violations inside the bundle import, one line each (as a11y.e2e.ts counts them). */
export async function importViolations(page: Page): Promise<string[]> {
  const result = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .include('[data-testid="bundle-import"]')
    .analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`);
}
