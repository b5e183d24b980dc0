// Page module for the runbook library: the list and search, one runbook's steps and history, and
// the editor with its live checks. Tests speak in user terms through it.
import { expect, type Locator, type Page } from '@playwright/test';

export class RunbooksPage {
  readonly items: Locator;
  readonly search: Locator;
  readonly searchResults: Locator;
  readonly detail: Locator;
  readonly title: Locator;
  readonly version: Locator;
  readonly steps: Locator;
  readonly history: Locator;
  readonly editor: Locator;
  readonly source: Locator;
  readonly editorErrors: Locator;
  readonly save: Locator;
  readonly preview: Locator;
  readonly importReport: Locator;
  readonly importedFiles: Locator;

  constructor(readonly page: Page) {
    this.items = page.getByTestId('runbook-item');
    this.search = page.getByTestId('runbook-search');
    this.searchResults = page.getByTestId('search-result');
    this.detail = page.getByTestId('runbook-detail');
    this.title = this.detail.getByTestId('runbook-title');
    this.version = this.detail.getByTestId('runbook-version');
    this.steps = this.detail.getByTestId('runbook-step');
    this.history = page.getByTestId('version-row');
    this.editor = page.getByTestId('runbook-editor');
    this.source = page.getByTestId('editor-source');
    this.editorErrors = page.getByTestId('editor-error-item');
    this.save = page.getByTestId('editor-save');
    this.preview = page.getByTestId('editor-preview');
    this.importReport = page.getByTestId('import-report');
    this.importedFiles = page.getByTestId('import-file');
  }

  /** Opens the import panel from the header (it is open already while the library is empty). */
  async openImport(): Promise<void> {
    if (!(await this.page.getByTestId('runbook-import').isVisible())) await this.page.getByTestId('import-runbooks').click();
    await expect(this.page.getByTestId('runbook-import')).toBeVisible();
  }

  /** Imports Markdown files picked one by one (paths on this machine), as "Choose files…" does. */
  async importFiles(paths: string[], options: { strict?: boolean } = {}): Promise<void> {
    await this.openImport();
    await this.page.getByTestId('import-strict').setChecked(options.strict === true);
    await this.page.getByTestId('import-files-input').setInputFiles(paths);
    await expect(this.importReport).toBeVisible();
  }

  /** Imports a whole folder, as "Choose a folder…" does. */
  async importFolder(dir: string): Promise<void> {
    await this.openImport();
    await this.page.getByTestId('import-strict').setChecked(false);
    await this.page.getByTestId('import-folder-input').setInputFiles(dir);
    await expect(this.importReport).toBeVisible();
  }

  /** "path — outcome …" lines of the last import. */
  importedFile(path: string): Locator {
    return this.importedFiles.filter({ hasText: path });
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-runbooks').click();
    await expect(this.page.getByTestId('view-runbooks')).toBeVisible();
  }

  item(title: string): Locator {
    return this.items.filter({ has: this.page.getByTestId('runbook-item-title').getByText(title, { exact: true }) });
  }

  async select(title: string): Promise<void> {
    await this.item(title).click();
    await expect(this.title).toHaveText(title);
  }

  step(number: number): Locator {
    return this.steps.nth(number - 1);
  }

  async showHistory(): Promise<void> {
    await this.page.getByTestId('tab-history').click();
    await expect(this.page.getByTestId('version-history')).toBeVisible();
  }

  async showSteps(): Promise<void> {
    await this.page.getByTestId('tab-steps').click();
  }

  /** The history row of version `number` ("v2"). */
  historyRow(number: number): Locator {
    return this.history.filter({ has: this.page.locator('.version-number', { hasText: new RegExp(`^v${number}$`) }) });
  }

  async edit(): Promise<void> {
    await this.detail.getByTestId('edit-runbook').click();
    await expect(this.editor).toBeVisible();
  }

  async newRunbook(): Promise<void> {
    await this.page.getByTestId('new-runbook').click();
    await expect(this.editor).toBeVisible();
  }

  /** Replaces the first occurrence of `from` in the editor's text by `to`. */
  async replaceInSource(from: string, to: string): Promise<void> {
    const text = await this.source.inputValue();
    expect(text, `the editor's text has no "${from}"`).toContain(from);
    await this.source.fill(text.replace(from, to));
  }

  async saveEdit(note = ''): Promise<void> {
    if (note) await this.page.getByTestId('editor-note').fill(note);
    await expect(this.save).toBeEnabled();
    await this.save.click();
    await expect(this.editor).toBeHidden();
  }
}
