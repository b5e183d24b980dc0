// Page module for Settings: connecting this replica to the central sync service.
import { expect, type Page } from '@playwright/test';

export class SettingsPage {
  constructor(readonly page: Page) {}

  async open(): Promise<void> {
    await this.page.getByTestId('nav-settings').click();
    await expect(this.page.getByTestId('sync-settings')).toBeVisible();
  }

  async connect(url: string, token: string): Promise<void> {
    await this.page.getByTestId('server-url').fill(url);
    await this.page.getByTestId('server-token').fill(token);
    await this.page.getByTestId('server-connect').click();
    await expect(this.page.getByTestId('peer-central').getByTestId('peer-state')).toContainText('connected', { timeout: 15_000 });
  }
}
