// Page module and scene for "what each responder could know": a `holdfast web` over the split war
// room of ./knowledge-seed, opened on the incident's review pane.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import { startHoldfastWeb, tempDataDir, type RunningWeb } from '../holdfast-web';
import { IncidentsPage } from './incidents-page';
import { knowledgeSeed } from './knowledge-values';

export class KnowledgePanel {
  readonly panel: Locator;
  readonly title: Locator;
  readonly person: Locator;
  readonly at: Locator;
  readonly splits: Locator;
  readonly decisions: Locator;
  readonly moments: Locator;
  readonly entries: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('knowledge-panel');
    this.title = page.getByTestId('knowledge-title');
    this.person = page.getByTestId('knowledge-person');
    this.at = page.getByTestId('knowledge-at');
    this.splits = page.getByTestId('knowledge-split');
    this.decisions = page.getByTestId('knowledge-decision');
    this.moments = page.getByTestId('knowledge-moment');
    this.entries = page.getByTestId('knowledge-entry');
  }

  entry(text: string): Locator {
    return this.entries.filter({ hasText: text });
  }
}

/** Lays the split war room down, starts `holdfast web` on it and opens the incident's review pane. */
export async function openSplitWarRoom(page: Page): Promise<{ web: RunningWeb; panel: KnowledgePanel; base: number }> {
  const dataDir = tempDataDir('holdfast-e2e-knowledge-');
  const seed = spawnSync(process.execPath, [resolve(import.meta.dirname, '../vite-seed.mjs'), 'tests/e2e/pages/knowledge-seed.ts', 'seedSplitWarRoom', dataDir], {
    encoding: 'utf8',
  });
  expect(seed.status, `seeding failed:\n${seed.stdout}\n${seed.stderr}`).toBe(0);
  const { base } = JSON.parse(seed.stdout.trim().split('\n').at(-1)!) as { base: number };
  const web = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  await incidents.open(web.openUrl);
  await incidents.row(knowledgeSeed.title).click();
  await expect(page.getByTestId('war-title')).toHaveText(knowledgeSeed.title);
  await page.getByTestId('pane-review').click();
  const panel = new KnowledgePanel(page);
  await expect(panel.panel).toBeVisible();
  return { web, panel, base };
}
