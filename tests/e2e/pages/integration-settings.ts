// Page module for Settings › Integrations (targets and their secrets) and a directory team's paging
// targets. Tests speak in user terms through it.
import { expect, type Locator, type Page } from '@playwright/test';

export class IntegrationSettingsPage {
  readonly section: Locator;
  readonly rows: Locator;
  readonly form: Locator;
  readonly problems: Locator;
  readonly formError: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByTestId('integration-settings');
    this.rows = this.section.getByTestId('target-row');
    this.form = this.section.getByTestId('target-form');
    this.problems = this.form.getByTestId('target-problems');
    this.formError = this.form.getByTestId('target-error');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-settings').click();
    await expect(this.section).toBeVisible();
  }

  row(name: string): Locator {
    return this.rows.filter({ hasText: name });
  }

  /** Opens the add form and fills it (kind by its value, fields by name); does not save. */
  async fillNew(kind: string, name: string, fields: Record<string, string>): Promise<void> {
    await this.section.getByTestId('add-target').click();
    await this.form.getByTestId('target-kind').selectOption(kind);
    await this.form.getByTestId('target-name').fill(name);
    await this.fill(fields);
  }

  async fill(fields: Record<string, string>): Promise<void> {
    for (const [field, value] of Object.entries(fields)) await this.form.getByTestId(`target-field-${field}`).fill(value);
  }

  async save(): Promise<void> {
    await this.form.getByTestId('target-save').click();
  }

  async edit(name: string): Promise<void> {
    await this.row(name).getByTestId('target-edit').click();
    await expect(this.form).toBeVisible();
  }

  async remove(name: string): Promise<void> {
    this.page.once('dialog', (dialog) => void dialog.accept());
    await this.row(name).getByTestId('target-remove').click();
    await expect(this.row(name)).toHaveCount(0);
  }

  /** In the directory: gives the team its paging targets by name. */
  async setTeamPaging(teamName: string, targetNames: string[]): Promise<void> {
    const card = this.page.getByTestId('team-card').filter({ hasText: teamName });
    const form = card.getByTestId('team-paging-form');
    if (!(await form.isVisible())) await card.getByTestId('team-paging-edit').click();
    for (const box of await form.getByRole('checkbox').all()) await box.setChecked(false);
    for (const name of targetNames) await form.getByRole('checkbox', { name }).check();
    await form.getByTestId('team-paging-save').click();
    await expect(card.getByTestId('team-paging-names')).toHaveText(targetNames.join(', '));
  }
}
