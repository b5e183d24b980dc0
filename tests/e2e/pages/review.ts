// Page modules for the reviewer: the review pane of the war room (draft, factors, state and due
// date, action items, the reports), the reviews page with action items across incidents and its
// filters, the retention settings, and the metrics dashboard.
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
  /** "No review yet", before the draft is generated. */
  readonly empty: Locator;
  readonly dueText: Locator;
  readonly late: Locator;
  readonly published: Locator;
  /** The heading of the action items, with how many are open. */
  readonly actionsHeading: Locator;
  readonly reportError: Locator;
  /** The war room's tab that shows this pane. */
  readonly tab: Locator;

  constructor(readonly page: Page) {
    this.pane = page.getByTestId('review-pane');
    this.editor = page.getByTestId('review-editor');
    this.body = page.getByTestId('review-body');
    this.preview = page.getByTestId('review-preview');
    this.saveStatus = page.getByTestId('review-save-status');
    this.actionRows = this.pane.getByTestId('action-row');
    this.addForm = page.getByTestId('action-add');
    this.empty = page.getByTestId('review-empty');
    this.dueText = page.getByTestId('review-due-text');
    this.late = page.getByTestId('review-late');
    this.published = page.getByTestId('review-published');
    this.actionsHeading = page.getByTestId('review-action-items').locator('h3');
    this.reportError = page.getByTestId('report-error');
    this.tab = page.getByTestId('pane-review');
  }

  async open(): Promise<void> {
    await this.tab.click();
    await expect(this.pane).toBeVisible();
  }

  /** One click writes the draft from the record. */
  async generate(): Promise<void> {
    await this.page.getByTestId('review-generate').click();
    await expect(this.editor).toBeVisible();
  }

  /** Moves the review to a state with its button, and waits for the editor to show it. */
  async setState(state: 'draft' | 'in-review' | 'published'): Promise<void> {
    await this.page.getByTestId(`review-state-${state}`).click();
    await expect(this.editor).toHaveAttribute('data-state', state);
  }

  /** Moves the due date to a local time typed as 'yyyy-MM-ddTHH:mm'. */
  async moveDue(localTime: string): Promise<void> {
    await this.page.getByTestId('review-due-move').click();
    await this.page.getByTestId('review-due-input').fill(localTime);
    await this.page.getByTestId('review-due-set').click();
  }

  /** Returns the due date to its default (hours after resolution). */
  async defaultDue(): Promise<void> {
    await this.page.getByTestId('review-due-move').click();
    await this.page.getByTestId('review-due-default').click();
  }

  /** A contributing factor's label, with what it means. */
  factorLabel(key: string): Locator {
    return this.pane.getByTestId(`factor-${key}`);
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

  /** Clicks a report's Markdown button and answers the file's name and text. */
  async downloadReport(report: 'incident' | 'audit'): Promise<{ name: string; text: string }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(`report-${report}-md`).click()]);
    return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
  }

  /** Clicks "Print" of the incident report and answers the page it opens, loaded. */
  async printReport(): Promise<Page> {
    const [popup] = await Promise.all([this.page.context().waitForEvent('page'), this.page.getByTestId('report-incident-print').click()]);
    await popup.waitForLoadState();
    return popup;
  }
}

/** An action item row's parts, in the pane or on the reviews page. */
export function actionPart(row: Locator, part: 'overdue' | 'owner' | 'status' | 'incident' | 'title'): Locator {
  return row.getByTestId(`action-${part}`);
}

export class ReviewsPage {
  readonly reviewRows: Locator;
  readonly actions: Locator;
  readonly actionRows: Locator;
  /** "N shown, M overdue". */
  readonly actionCount: Locator;
  readonly overdueOnly: Locator;
  readonly ownerFilter: Locator;
  readonly statusFilter: Locator;

  constructor(readonly page: Page) {
    this.reviewRows = page.getByTestId('review-row');
    this.actions = page.getByTestId('action-items');
    this.actionRows = this.actions.getByTestId('action-row');
    this.actionCount = page.getByTestId('action-count');
    this.overdueOnly = page.getByTestId('filter-overdue');
    this.ownerFilter = page.getByTestId('filter-owner');
    this.statusFilter = page.getByTestId('filter-status');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-reviews').click();
    await expect(this.page.getByTestId('view-reviews')).toBeVisible();
  }

  reviewRow(title: string): Locator {
    return this.reviewRows.filter({ hasText: title });
  }

  reviewPart(title: string, part: 'state' | 'actions'): Locator {
    return this.reviewRow(title).getByTestId(`review-row-${part}`);
  }

  actionRow(title: string): Locator {
    return this.actionRows.filter({ has: this.page.getByTestId('action-title').getByText(title, { exact: true }) });
  }
}

export class RetentionSettings {
  readonly section: Locator;
  readonly forever: Locator;
  readonly limited: Locator;
  readonly days: Locator;
  readonly saveError: Locator;
  readonly noCandidates: Locator;
  readonly candidates: Locator;
  readonly heldRows: Locator;
  readonly purgeButton: Locator;
  readonly purgeConfirm: Locator;
  readonly purgeError: Locator;
  readonly purgeLog: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByTestId('retention-settings');
    this.forever = this.section.getByTestId('retention-forever');
    this.limited = this.section.getByTestId('retention-limited');
    this.days = this.section.getByTestId('retention-days');
    this.saveError = this.section.getByTestId('retention-save-error');
    this.noCandidates = this.section.getByTestId('retention-candidates-empty');
    this.candidates = this.section.getByTestId('retention-candidate');
    this.heldRows = this.section.getByTestId('retention-held-row');
    this.purgeButton = this.section.getByTestId('purge-start');
    this.purgeConfirm = this.section.getByTestId('purge-confirm');
    this.purgeError = this.section.getByTestId('purge-error');
    this.purgeLog = this.section.getByTestId('purge-log-row');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-settings').click();
    await expect(this.section).toBeVisible();
  }

  /** Chooses "keep N days" and saves (the engine may refuse: see saveError). */
  async keepDays(days: string): Promise<void> {
    await this.limited.check();
    await this.days.fill(days);
    await this.section.getByTestId('retention-save').click();
  }

  /** Ticks every candidate and asks to purge them: the confirmation opens. */
  async startPurge(): Promise<void> {
    await this.section.getByTestId('retention-choose').check();
    await this.purgeButton.click();
    await expect(this.purgeConfirm).toBeVisible();
  }

  /** Confirms the purge with a reason typed so far (empty: none). */
  async confirmPurge(reason: string): Promise<void> {
    if (reason !== '') await this.section.getByTestId('purge-reason').fill(reason);
    await this.section.getByTestId('purge-confirmed').click();
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
