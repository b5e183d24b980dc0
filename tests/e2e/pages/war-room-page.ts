// Page module for the war room: header, timeline, quick entry, roles, palette and action dialogs.
import { expect, type Locator, type Page } from '@playwright/test';

export class WarRoomPage {
  readonly header: Locator;
  readonly rows: Locator;
  readonly entryBox: Locator;
  readonly dialog: Locator;
  readonly palette: Locator;

  constructor(readonly page: Page) {
    this.header = page.getByTestId('war-header');
    this.rows = page.getByTestId('timeline-row');
    this.entryBox = page.getByTestId('quick-entry-text');
    this.dialog = page.getByTestId('action-dialog');
    this.palette = page.getByTestId('command-palette');
  }

  row(text: string | RegExp): Locator {
    return this.rows.filter({ has: this.page.getByTestId('entry-text').getByText(text, { exact: typeof text === 'string' }) });
  }

  /** Types entries one after another the way a scribe does: Enter, keep typing, never touching the mouse. */
  async typeEntries(...texts: string[]): Promise<void> {
    await this.entryBox.click();
    for (const text of texts) {
      await expect(this.entryBox).toBeFocused();
      await this.page.keyboard.type(text);
      await this.page.keyboard.press('Enter');
      await expect(this.entryBox).toHaveValue('');
    }
  }

  /** This replica's user name, as the engine writes it on the timeline (the commander who declared). */
  async me(): Promise<string> {
    const holder = this.seat('commander').getByTestId('seat-holder');
    await expect(holder).not.toHaveText('vacant');
    return (await holder.textContent()) ?? '';
  }

  seat(role: string): Locator {
    return this.page.getByTestId(`seat-${role}`);
  }

  get title(): Locator {
    return this.page.getByTestId('war-title');
  }

  /** A field of the open action dialog, by name. */
  dialogField(name: string): Locator {
    return this.dialog.getByTestId(`field-${name}`);
  }

  /** The header's status, and the button that moves the incident to another. */
  get status(): Locator {
    return this.page.getByTestId('war-status');
  }

  async setStatus(to: 'mitigated' | 'resolved' | 'closed'): Promise<void> {
    await this.page.getByTestId(`status-to-${to}`).click();
  }

  /** The header's "Legal hold" badge (its title says why; a click offers to lift it). */
  get legalHoldBadge(): Locator {
    return this.page.getByTestId('legal-hold-badge');
  }

  /** A milestone's time in the header. */
  milestone(name: string): Locator {
    return this.page.getByTestId(`milestone-${name}`);
  }

  /** Opens the "Correct a time" dialog. */
  async correctTime(): Promise<void> {
    await this.page.getByTestId('correct-milestone').click();
    await expect(this.dialog).toBeVisible();
  }

  /** Submits the open action dialog as it is and expects the engine's refusal. */
  async submitDialogRefused(message: string): Promise<void> {
    await this.dialog.getByTestId('action-submit').click();
    await expect(this.dialog.getByTestId('action-error')).toContainText(message);
  }

  /** Runs an action from the command palette (Ctrl+K), by a few words of its name. */
  async runFromPalette(words: string): Promise<void> {
    await this.page.keyboard.press('Control+k');
    await expect(this.palette).toBeVisible();
    await this.page.getByTestId('palette-input').fill(words);
    await this.page.keyboard.press('Enter');
    await expect(this.palette).toBeHidden();
  }

  /** The quick-entry box's kind picker and its "keep this kind" toggle. */
  get kindPicker(): Locator {
    return this.page.getByTestId('quick-entry-kind');
  }

  get kindPin(): Locator {
    return this.page.getByTestId('quick-entry-kind-pin');
  }

  /** Moves focus off any field, the way a click on an empty part of the page does. */
  async leaveFields(): Promise<void> {
    await this.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await expect(this.page.locator('input:focus, textarea:focus, select:focus')).toHaveCount(0);
  }

  /** Fills the open action dialog's fields by name and submits it. */
  async submitDialog(values: Record<string, string>): Promise<void> {
    await expect(this.dialog).toBeVisible();
    for (const [name, value] of Object.entries(values)) await this.dialogField(name).fill(value);
    await this.dialog.getByTestId('action-submit').click();
    await expect(this.dialog).toBeHidden();
  }
}
