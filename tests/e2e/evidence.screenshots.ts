// Refreshes docs/screenshots/evidence.png (`npm run screenshots`): the war room of a database
// incident with an artifact open in its drawer: collected by hashing a real file in the engine,
// verified against the stored copy and handed to the forensics team, with its collection record
// and its chain of custody; the timeline beside it says the same.
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { tempDir } from '../support/temp';
import { importRunbooks, startHoldfastWeb, tempDataDir } from './holdfast-web';
import { EvidencePage } from './pages/evidence';
import { IncidentsPage } from './pages/incidents-page';
import { WarRoomPage } from './pages/war-room-page';
import { declareOrdersDbOutage } from './pages/scenes';

test('screenshot of evidence preserved in the war room', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir('holdfast-docs-');
  importRunbooks(dataDir);
  const web = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  const evidence = new EvidencePage(page);
  const file = join(tempDir('holdfast-evidence-'), 'orders-db-1-config.tar');
  const bytes = randomBytes(18 * 1024 * 1024 + 4096);
  writeFileSync(file, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  try {
    await incidents.open(web.openUrl);
    await declareOrdersDbOutage(page, room);
    await room.typeEntries('/o checkout-api: 100% of order writes failing with "connection refused" since 09:12 UTC', '/d Preserve evidence before any failover');

    await evidence.startChecklist('database-outage');
    await expect(evidence.artifacts).toHaveCount(6);

    await evidence.open('Configuration snapshot');
    await evidence.drawer.getByTestId('artifact-start-collecting').click();
    await evidence.drawer.getByTestId('artifact-collect').click();
    await evidence.fillCollection({
      role: 'Ops lead',
      contact: 'dmitri@example.com',
      hosts: 'orders-db-1, 10.0.4.17, i-0a3f9c21',
      start: '2025-03-14T05:20:00',
      end: '2025-03-14T05:24:30',
      tool: 'GNU tar 1.35',
      command: 'tar -cf orders-db-1-config.tar /etc/postgresql /etc/patroni',
      storage: 'Evidence share //forensics/INC-orders/',
    });
    await evidence.hashWithHoldfast(file);
    await evidence.collectForm.getByTestId('collect-submit').click();
    await expect(evidence.drawer).toHaveAttribute('data-state', 'collected');

    await evidence.drawer.getByTestId('artifact-verify').click();
    await evidence.verifyForm.getByTestId('verify-path').fill(file);
    await evidence.verifyForm.getByTestId('verify-start').click();
    await expect(evidence.verifyForm.getByTestId('verify-result')).toHaveAttribute('data-result', 'match');
    await evidence.verifyForm.getByTestId('verify-close').click();

    await evidence.drawer.getByTestId('custody-add').click();
    await evidence.submitDialog({ from: 'dmitri', to: 'Forensics locker EV-2291', purpose: 'Analysis by the forensics team' });
    await expect(evidence.custodyRows).toHaveCount(4);
    await expect(evidence.drawer.getByTestId('artifact-sha256')).toHaveText(sha256);

    await page.mouse.move(0, 0);
    // From the collection record down: the hashes and the chain of custody.
    await evidence.drawer.getByTestId('collection-record').evaluate((record) => record.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: 'docs/screenshots/evidence.png' });
  } finally {
    await web.stop();
  }
});
