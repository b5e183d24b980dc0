// Accessibility of every main screen, checked with axe-core in Chromium against a real `holdfast web`
// with a realistic library (runbooks, directory, catalog imported by the real CLI): no serious or
// critical violation on the incident list, the war room, the palette, a runbook run, evidence, the
// stakeholder updates, the review, Reviews, Metrics, Library, the service catalog, Directory,
// Settings and sync. Each failure names the rule, its help and the first elements it found.
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { importRunbooks, startHoldfastWeb, tempDataDir } from './holdfast-web';
import { holdfastCli, sampleCatalogFile, sampleDirectoryFile } from './pages/catalog-page';
import { EvidencePage } from './pages/evidence';
import { IncidentsPage } from './pages/incidents-page';
import { RunbookRunPage } from './pages/runbook-run';
import { WarRoomPage } from './pages/war-room-page';

/** The serious and critical violations on the page (or inside `within`), one line each. */
async function violations(page: Page, within?: string): Promise<string[]> {
  let builder = new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']);
  if (within) builder = builder.include(within);
  const result = await builder.analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(' | ')}`,
    );
}

test('every main screen has no serious or critical axe violation', async ({ page }) => {
  test.setTimeout(480_000);
  page.on('pageerror', (error) => console.log(`page error: ${error.message}`));
  const dataDir = tempDataDir('holdfast-a11y-');
  importRunbooks(dataDir);
  holdfastCli(dataDir, 'directory', 'import', sampleDirectoryFile);
  holdfastCli(dataDir, 'catalog', 'import', sampleCatalogFile);
  const web = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  const runbooks = new RunbookRunPage(page);
  const evidence = new EvidencePage(page);
  const found: Record<string, string[]> = {};
  const check = async (screen: string, within?: string) => {
    found[screen] = await violations(page, within);
    // Printed as it goes, so a run cut short still shows what it found.
    console.log(`axe: ${screen}: ${found[screen].length === 0 ? 'none' : `\n  ${found[screen].join('\n  ')}`}`);
  };
  try {
    await incidents.open(web.openUrl);
    await incidents.declare({ title: 'Orders database primary not accepting writes', severity: 'SEV1', type: 'outage', services: 'orders-db' });
    await room.typeEntries('/o Writes failing on orders-db-1 since 09:12', '/d Fail over to orders-db-2', 'Paged the database on-call');
    await incidents.backToList();
    await expect(incidents.rows).toHaveCount(1);
    await check('incident list');

    await incidents.rows.first().click();
    await expect(room.rows.first()).toBeVisible();
    await check('war room');

    await page.keyboard.press('Control+k');
    await expect(room.palette).toBeVisible();
    await check('command palette');
    await page.keyboard.press('Escape');
    await expect(room.palette).toBeHidden();

    await runbooks.start('database-failover');
    await check('runbook run');
    await runbooks.close();

    await evidence.startChecklist('database-outage');
    await evidence.open('Configuration snapshot');
    await check('evidence');
    await evidence.close();

    await page.getByTestId('pane-updates').click();
    await expect(page.getByTestId('pane-updates')).toHaveAttribute('aria-selected', 'true');
    await check('stakeholder updates');

    await page.getByTestId('pane-review').click();
    await expect(page.getByTestId('pane-review')).toHaveAttribute('aria-selected', 'true');
    await check('review');

    for (const [view, screen] of [
      ['reviews', 'Reviews'],
      ['metrics', 'Metrics'],
      ['library', 'Library'],
      ['directory', 'Directory'],
      ['settings', 'Settings'],
    ] as const) {
      await page.getByTestId(`nav-${view}`).click();
      await expect(page.getByTestId(`view-${view}`)).toBeVisible();
      await expect(page.getByText(/^Loading/)).toHaveCount(0);
      await page.waitForTimeout(300);
      await check(screen);
      if (view === 'library') {
        await page.getByTestId('library-tab-services').click();
        await expect(page.getByTestId('library-services')).toBeVisible();
        await check('service catalog');
      }
      if (view === 'settings') await check('sync', '[data-testid="sync-settings"]');
    }
  } finally {
    await web.stop();
  }
  const failures = Object.entries(found).filter(([, lines]) => lines.length > 0);
  expect(failures.map(([screen, lines]) => `${screen}:\n  ${lines.join('\n  ')}`).join('\n'), 'serious or critical axe violations').toBe('');
  expect(Object.keys(found)).toHaveLength(14);
});
