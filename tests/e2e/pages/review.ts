// Page modules for the reviewer: the review pane of the war room, the reviews page with action
// items across incidents, and the metrics dashboard.
import { readFileSync } from 'node:fs';
import { expect, type Locator, type Page } from '@playwright/test';

export class ReviewPane {
  readonly pane: Locator;
  readonly editor: Locator;
  readonly body: Locator;
  readonly preview: Locator;
  readonly saveStatus: Locator;
  readonly actionRows: Locator;
  readonly addForm: Locator;

  constructor(readonly page: Page) {
    this.pane = page.getByTestId('review-pane');
    this.editor = page.getByTestId('review-editor');
    this.body = page.getByTestId('review-body');
    this.preview = page.getByTestId('review-preview');
    this.saveStatus = page.getByTestId('review-save-status');
    this.actionRows = this.pane.getByTestId('action-row');
    this.addForm = page.getByTestId('action-add');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('pane-review').click();
    await expect(this.pane).toBeVisible();
  }

  factor(key: string): Locator {
    return this.pane.getByTestId(`factor-${key}`).locator('input');
  }

  /** Waits until everything typed is saved (autosave). */
  async saved(): Promise<void> {
    await expect(this.saveStatus).toHaveAttribute('data-dirty', 'false');
    await expect(this.saveStatus).toHaveText(/^Saved/);
  }

  async addAction(fields: { title: string; owner?: string; due?: string; priority?: 'P1' | 'P2' | 'P3'; type?: 'detect' | 'mitigate' | 'prevent' }): Promise<void> {
    const before = await this.actionRows.count();
    await this.addForm.getByTestId('action-add-title').fill(fields.title);
    if (fields.owner !== undefined) await this.addForm.getByTestId('action-add-owner').fill(fields.owner);
    if (fields.due !== undefined) await this.addForm.getByTestId('action-add-due').fill(fields.due);
    if (fields.priority !== undefined) await this.addForm.getByTestId('action-add-priority').selectOption(fields.priority);
    if (fields.type !== undefined) await this.addForm.getByTestId('action-add-type').selectOption(fields.type);
    await this.addForm.getByTestId('action-add-submit').click();
    await expect(this.actionRows).toHaveCount(before + 1);
    await expect(this.addForm.getByTestId('action-add-title')).toHaveValue('');
  }

  actionRow(title: string): Locator {
    return this.actionRows.filter({ has: this.page.getByTestId('action-title').getByText(title, { exact: true }) });
  }
}

export class ReviewsPage {
  readonly reviewRows: Locator;
  readonly actions: Locator;
  readonly actionRows: Locator;

  constructor(readonly page: Page) {
    this.reviewRows = page.getByTestId('review-row');
    this.actions = page.getByTestId('action-items');
    this.actionRows = this.actions.getByTestId('action-row');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-reviews').click();
    await expect(this.page.getByTestId('view-reviews')).toBeVisible();
  }

  reviewRow(title: string): Locator {
    return this.reviewRows.filter({ hasText: title });
  }

  actionRow(title: string): Locator {
    return this.actionRows.filter({ has: this.page.getByTestId('action-title').getByText(title, { exact: true }) });
  }
}

export class MetricsPage {
  readonly dashboard: Locator;

  constructor(readonly page: Page) {
    this.dashboard = page.getByTestId('metrics-dashboard');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-metrics').click();
    await expect(this.dashboard).toBeVisible();
  }

  headline(metric: string): Locator {
    return this.page.getByTestId(`headline-${metric}`);
  }

  row(table: 'severity' | 'service', key: string): Locator {
    return this.page.getByTestId(`table-${table}`).locator(`[data-testid="metrics-row"][data-key="${key}"]`);
  }

  /** Clicks a "Download CSV" button and answers the file's name and text. */
  async csv(button: string): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(button).click()]);
    return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
  }
}
