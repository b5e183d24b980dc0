// Page module for the incident list and the declare dialog: tests speak in user terms through it.
import { expect, type Locator, type Page } from '@playwright/test';
import type { Severity } from '@shared/domain/incident';

export class IncidentsPage {
  readonly rows: Locator;
  readonly dialog: Locator;
  readonly connection: Locator;

  constructor(readonly page: Page) {
    this.rows = page.getByTestId('incident-row');
    this.dialog = page.getByTestId('declare-dialog');
    this.connection = page.getByTestId('connection-indicator');
  }

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    // The first load of the app: generous, for a machine busy with other work.
    await expect(this.page.getByTestId('view-incidents')).toBeVisible({ timeout: 30_000 });
    await expect(this.connection).not.toContainText(/Connecting|Not connected|unreachable/);
  }

  /** Opens the app and, from the list, the war room of the incident with this title. */
  async openIncident(url: string, title: string): Promise<void> {
    await this.open(url);
    await this.row(title).click();
    await expect(this.page.getByTestId('war-title')).toHaveText(title);
  }

  /** Declares an incident through the dialog's fields, and waits for its war room. */
  async declare(fields: { title: string; severity: Severity; type?: string; services?: string }): Promise<void> {
    await this.page.getByTestId('declare-button').click();
    await this.dialog.getByTestId('declare-title').fill(fields.title);
    await this.dialog.getByTestId(`declare-${fields.severity}`).check();
    if (fields.type !== undefined) await this.dialog.getByTestId('declare-type').selectOption(fields.type);
    if (fields.services !== undefined) await this.dialog.getByTestId('declare-services').fill(fields.services);
    await this.dialog.getByTestId('declare-submit').click();
    await expect(this.page.getByTestId('war-title')).toHaveText(fields.title);
  }

  /** Declares an incident the way a commander in a hurry does: from the keyboard only. */
  async declareWithKeyboard(title: string, severity: Severity, summary: string): Promise<void> {
    await this.page.locator('body').press('n');
    await expect(this.dialog).toBeVisible();
    await expect(this.dialog.getByTestId('declare-title')).toBeFocused();
    await this.page.keyboard.type(title);
    await this.dialog.getByTestId(`declare-${severity}`).check();
    await this.dialog.getByTestId('declare-summary').fill(summary);
    await this.page.keyboard.press('Control+Enter');
    await expect(this.dialog).toBeHidden();
    // Declaring opens the new incident's war room.
    await expect(this.page.getByTestId('war-title')).toHaveText(title);
  }

  /** From a war room back to the list of incidents. */
  async backToList(): Promise<void> {
    await this.page.getByTestId('back-to-incidents').click();
    await expect(this.page.getByTestId('incident-table')).toBeVisible();
  }

  row(title: string): Locator {
    return this.rows.filter({ hasText: title });
  }
}
