// Page module for filing an action item in a tracker from the review pane of the war room.
import { expect, type Locator, type Page } from '@playwright/test';

export class FileInTrackerPage {
  constructor(readonly page: Page) {}

  row(title: string): Locator {
    return this.page.getByTestId('review-pane').getByTestId('action-row').filter({ hasText: title });
  }

  filing(title: string, tracker: string): Locator {
    return this.row(title).locator(`[data-testid="tracker-filing"][data-tracker="${tracker}"]`);
  }

  async file(title: string, tracker: string): Promise<void> {
    const button = this.filing(title, tracker).getByTestId('file-in-tracker-button');
    await expect(button).toHaveText(`File in ${tracker}`);
    await button.click();
  }

  link(title: string, tracker: string): Locator {
    return this.filing(title, tracker).getByTestId('tracker-link');
  }
}
