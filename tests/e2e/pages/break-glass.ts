// The break-glass kit and outage mode, driven in a browser against a real `holdfast web` connected to
// a real `holdfast server`: the kit opens from the sidebar with what it holds, a template is marked
// as a pre-approved holding statement, the kit is saved as one HTML file; health checks are set,
// then the service and the checks go down and the war-room header says "Outage mode" and offers the
// kit and the hub.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Browser, type Page } from '@playwright/test';
import { startHoldfastServer } from '../holdfast-server';
import { importRunbooks, holdfastBin, startHoldfastWeb, tempDataDir } from '../holdfast-web';
import { spawnSync } from 'node:child_process';
import { IncidentsPage } from './incidents-page';
import { SettingsPage } from './settings-page';

const breakGlassRunbook = `---
title: Run the incident without Holdfast's service
tags: [break-glass]
owner: sre
---

## [check] Confirm the service, SSO and chat are all down from two networks

## [action] Open the bridge and read out the phone tree

## [action] Host a war room on the commander's laptop

\`\`\`sh
holdfast web --host
\`\`\`
`;

export class BreakGlassKit {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-break-glass').click();
    await expect(this.dialog).toBeVisible();
    await expect(this.page.getByTestId('kit-info')).toContainText('signed by');
  }

  get dialog() {
    return this.page.getByTestId('kit-dialog');
  }

  async markHolding(templateId: string): Promise<void> {
    await this.page.getByTestId(`kit-holding-${templateId}`).click();
    await expect(this.page.getByTestId(`kit-holding-${templateId}`)).toBeChecked();
  }

  /** Saves the kit; the downloaded file's text. */
  async save(): Promise<{ name: string; html: string }> {
    const download = this.page.waitForEvent('download');
    await this.page.getByTestId('kit-save').click();
    const file = await download;
    const path = await file.path();
    return { name: file.suggestedFilename(), html: readFileSync(path, 'utf8') };
  }

  async setHealthCheck(name: string, url: string): Promise<void> {
    await this.page.getByTestId('kit-add-check').click();
    await this.dialog.getByLabel('Check 1 name').fill(name);
    await this.dialog.getByLabel('Check 1 URL').fill(url);
    await this.page.getByTestId('kit-save-checks').click();
    await expect(this.page.getByTestId('kit-save-checks')).toBeHidden();
  }

  async checkNow(): Promise<string> {
    await this.page.getByTestId('kit-check-now').click();
    const result = this.page.getByTestId('kit-check-result');
    await expect(result).toBeVisible({ timeout: 20_000 });
    return (await result.textContent()) ?? '';
  }

  async close(): Promise<void> {
    await this.dialog.getByRole('button', { name: 'Close' }).click();
    await expect(this.dialog).toBeHidden();
  }
}

export async function breakGlassScene(browser: Browser, shoot: (page: Page, name: string) => Promise<void>): Promise<void> {
  const server = await startHoldfastServer({ 'dana.ops': 'commander' });
  const dataDir = tempDataDir('holdfast-kit-');
  const runbooks = join(tempDataDir('holdfast-kit-runbooks-'), 'runbooks');
  mkdirSync(runbooks);
  writeFileSync(join(runbooks, 'no-service.md'), breakGlassRunbook);
  importRunbooks(dataDir, runbooks);
  const directory = spawnSync(
    process.execPath,
    [holdfastBin, 'directory', 'import', join(import.meta.dirname, '../../../docs/samples/directory.csv'), '--data', dataDir],
    { encoding: 'utf8' },
  );
  if (directory.status !== 0) throw new Error(`directory import failed: ${directory.stderr}`);
  const web = await startHoldfastWeb(dataDir, { env: { HOLDFAST_OUTAGE_CHECK_MS: '0' } });
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  let isServerUp = true;
  try {
    await new IncidentsPage(page).open(web.openUrl);
    const settings = new SettingsPage(page);
    await settings.open();
    await settings.connect(server.url, server.tokens['dana.ops']);

    const kit = new BreakGlassKit(page);
    await kit.open();
    await kit.markHolding('builtin-customers');
    await expect(page.getByTestId('kit-info')).toContainText('1 holding statements', { timeout: 10_000 });
    await expect(page.getByTestId('kit-info')).toContainText('1 runbooks');
    await shoot(page, 'break-glass-kit-dialog');
    const saved = await kit.save();
    expect(saved.name).toMatch(/^holdfast-break-glass-kit-\d{4}-\d\d-\d\d\.html$/);
    expect(saved.html).toContain('Run the incident without Holdfast');
    expect(saved.html).toContain('Pre-approved holding statements');
    expect(saved.html).not.toMatch(/<link\b|\bsrc=/);

    // A health check that nothing answers, then the service goes down too: outage mode.
    await kit.setHealthCheck('SSO', 'http://127.0.0.1:9/health');
    expect(await kit.checkNow()).toMatch(/^Not an outage: service up, SSO down/);
    await kit.close();
    await page.getByTestId('nav-incidents').click();
    await new IncidentsPage(page).declareWithKeyboard('Payments failing in EU', 'SEV1', 'Card payments failing for EU customers since 14:02 UTC.');
    await expect(page.getByTestId('outage-banner')).toBeHidden();
    await server.stop();
    isServerUp = false;
    await kit.open();
    expect(await kit.checkNow()).toMatch(/^Outage mode: service down .*SSO down/);
    await kit.close();
    const banner = page.getByTestId('outage-banner');
    await expect(banner).toContainText('Outage mode');
    await expect(banner).toContainText('the Holdfast service, SSO cannot be reached');
    await expect(page.getByTestId('timeline-row').filter({ hasText: 'Outage mode began' })).toBeVisible({ timeout: 10_000 });
    await shoot(page, 'outage-mode-banner');
    await page.getByTestId('outage-open-kit').click();
    await expect(kit.dialog).toBeVisible();
  } finally {
    await context.close();
    await web.stop();
    if (isServerUp) await server.stop();
  }
}
