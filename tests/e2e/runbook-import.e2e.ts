// Importing runbooks as a team has them, in Chromium against `holdfast web`: files picked on the
// runbooks page (a plain numbered runbook with no front matter, one with a heading per step and
// camelCase keys, a marked one with snake_case keys), then a folder holding an edited copy, which
// becomes a new version of the same runbook; then the real CLI importing while the app runs, and
// the page showing the result without a reload.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { tempDir } from '../support/temp';
import { importRunbooks, startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { RunbooksPage } from './pages/runbooks-page';

const fixtures = resolve(import.meta.dirname, '../fixtures/runbooks');
const fixture = (name: string) => join(fixtures, `${name}.md`);

test.use({ timezoneId: 'UTC' });

test('runbooks as teams write them import from the page, and again as new versions', async ({ page }) => {
  const dataDir = tempDataDir();
  const web = await startHoldfastWeb(dataDir);
  const runbooks = new RunbooksPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await runbooks.open();
    // An empty library offers the import at once.
    await expect(page.getByTestId('runbook-import')).toBeVisible();

    // CI rules refuse the plain runbook and say what to change; nothing is imported.
    await runbooks.importFiles([fixture('orders-db-failover')], { strict: true });
    await expect(runbooks.importedFile('orders-db-failover.md')).toHaveAttribute('data-outcome', 'rejected');
    await expect(runbooks.importedFile('orders-db-failover.md')).toContainText('no front matter: start the file with a --- line');
    await expect(runbooks.items).toHaveCount(0);

    await runbooks.importFiles([fixture('orders-db-failover'), fixture('payments-queue-backlog'), fixture('edge-cert-renewal')]);
    await expect(page.getByTestId('import-summary')).toHaveText('3 created, 0 updated, 0 unchanged, 0 rejected');
    await expect(runbooks.importedFile('edge-cert-renewal.md')).toContainText('unknown key "last_reviewed_by"');
    await expect(runbooks.items.getByTestId('runbook-item-title')).toHaveText(['Orders DB failover', 'Payments queue backlog', 'Renew the edge TLS certificate']);

    // The plain numbered runbook reads as six steps, its inline code as their commands.
    await runbooks.importedFile('orders-db-failover.md').getByRole('button', { name: 'orders-db-failover' }).click();
    await expect(runbooks.title).toHaveText('Orders DB failover');
    await expect(runbooks.steps).toHaveCount(6);
    await expect(runbooks.step(4)).toContainText('patronictl -c /etc/patroni.yml failover orders --candidate orders-db-2 --force');
    await runbooks.select('Payments queue backlog');
    await expect(runbooks.steps).toHaveCount(4);
    await expect(runbooks.step(1)).toContainText('Check the queue depth and consumers');

    // A folder (a git checkout) with one runbook edited: a new version of it, the others unchanged.
    const folder = tempDir('holdfast-runbooks-');
    cpSync(fixtures, join(folder, 'runbooks'), { recursive: true });
    const edited = join(folder, 'runbooks', 'orders-db-failover.md');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace('from two hosts', 'from two hosts in different zones'));
    await runbooks.importFolder(join(folder, 'runbooks'));
    await expect(page.getByTestId('import-summary')).toHaveText('0 created, 1 updated, 2 unchanged, 0 rejected');
    await expect(runbooks.importedFile('orders-db-failover.md')).toHaveAttribute('data-outcome', 'updated');
    await expect(runbooks.items).toHaveCount(3);
    await runbooks.select('Orders DB failover');
    await expect(runbooks.version).toContainText('v2 of 2');
    await expect(runbooks.step(1)).toContainText('from two hosts in different zones');

    // The real CLI imports while this app has the data folder open; the page shows it without a reload.
    const more = tempDir('holdfast-more-');
    writeFileSync(join(more, 'cache-flush.md'), '# Flush the edge cache\n\n1. Purge: `curl -X POST https://cdn.example.com/purge/all`\n2. Watch the hit ratio recover\n');
    expect(importRunbooks(dataDir, more)).toContain('going through it');
    await expect(runbooks.item('Flush the edge cache')).toBeVisible();
  } finally {
    await web.stop();
  }
});
