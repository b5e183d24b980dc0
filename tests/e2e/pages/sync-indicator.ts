// Page module for sync as the UI tells it: the sidebar indicator (label, detail, the error in words,
// the raw error in its tooltip, "Sync now") and the war room header's sync line and warnings.
import { expect, type Locator, type Page } from '@playwright/test';

export class SyncIndicator {
  readonly box: Locator;
  readonly label: Locator;
  readonly detail: Locator;
  readonly problem: Locator;
  readonly syncNow: Locator;
  /** The war room header's sync line (only inside a war room). */
  readonly headerLine: Locator;
  readonly headerBar: Locator;

  constructor(readonly page: Page) {
    this.box = page.getByTestId('connection-indicator');
    this.label = page.getByTestId('sync-label');
    this.detail = page.getByTestId('sync-detail');
    this.problem = page.getByTestId('sync-problem');
    this.syncNow = page.getByTestId('sync-now');
    this.headerBar = page.getByTestId('war-sync');
    this.headerLine = page.getByTestId('war-sync-line');
  }

  /** The whole indicator as one line: "label · detail". */
  async line(): Promise<string> {
    const [label, detail] = await Promise.all([this.label.textContent(), this.detail.textContent()]);
    return detail ? `${label} · ${detail}` : (label ?? '');
  }

  async tone(): Promise<string | null> {
    return this.box.getAttribute('data-tone');
  }

  /** The tooltip: the error in words with advice, then the raw errors. */
  async tooltip(): Promise<string> {
    return (await this.box.getAttribute('title')) ?? '';
  }

  async expectSynced(timeout = 20_000): Promise<void> {
    await expect(this.box).toHaveAttribute('data-tone', 'ok', { timeout });
    await expect(this.label).toContainText('Synced with');
  }

  /** Clicks "Sync now" and waits for the pass it runs to end. */
  async clickSyncNow(): Promise<void> {
    await this.syncNow.click();
    await expect(this.syncNow).toHaveText('Sync now', { timeout: 30_000 });
  }
}
