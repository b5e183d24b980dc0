// Page module for the Library view's evidence checklists: the list, one checklist's items in their
// order of volatility, and the editor with its rows. Tests speak in user terms through it.
import { expect, type Locator, type Page } from '@playwright/test';
import type { ArtifactType } from '@shared/domain/evidence';

export interface ChecklistItemInput {
  type: ArtifactType;
  asset?: string;
  what: string;
  how?: string;
  isRequired?: boolean;
  /** Typed over the type's default. */
  volatility?: number;
  /** Typed over the key derived from `what`. */
  key?: string;
}

export interface ChecklistInput {
  name: string;
  /** Known incident types to tick. */
  types?: string[];
  /** Other incident types, comma-separated. */
  otherTypes?: string;
  items: ChecklistItemInput[];
}

export class LibraryPage {
  readonly section: Locator;
  readonly items: Locator;
  readonly itemNames: Locator;
  readonly detail: Locator;
  readonly name: Locator;
  readonly entries: Locator;
  readonly editor: Locator;
  readonly rows: Locator;
  readonly save: Locator;
  readonly saveError: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByTestId('library-checklists');
    this.items = page.getByTestId('checklist-item');
    this.itemNames = this.items.getByTestId('checklist-item-name');
    this.detail = page.getByTestId('checklist-detail');
    this.name = this.detail.getByTestId('checklist-name');
    this.entries = this.detail.getByTestId('checklist-entry');
    this.editor = page.getByTestId('checklist-editor');
    this.rows = this.editor.getByTestId('item-row');
    this.save = this.editor.getByTestId('checklist-save');
    this.saveError = this.editor.getByTestId('checklist-save-error');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-library').click();
    await expect(this.page.getByTestId('view-library')).toBeVisible();
    await expect(this.section).toBeVisible();
  }

  /** A checklist in the list, by its whole name. */
  item(name: string): Locator {
    return this.items.filter({ has: this.page.getByTestId('checklist-item-name').getByText(name, { exact: true }) });
  }

  async select(name: string): Promise<void> {
    await this.item(name).click();
    await expect(this.name).toContainText(name);
  }

  async newChecklist(): Promise<void> {
    await this.page.getByTestId('new-checklist').click();
    await expect(this.editor).toBeVisible();
  }

  async edit(): Promise<void> {
    await this.detail.getByTestId('edit-checklist').click();
    await expect(this.editor).toBeVisible();
  }

  async duplicate(): Promise<void> {
    await this.detail.getByTestId('duplicate-checklist').click();
    await expect(this.editor).toBeVisible();
  }

  row(index: number): Locator {
    return this.rows.nth(index);
  }

  /** The editor row whose "what to collect" is `what`. */
  async rowOf(what: string): Promise<Locator> {
    const values = await this.rows.getByTestId('item-what-input').evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
    const index = values.indexOf(what);
    expect(index, `no editor row collects "${what}" (rows: ${values.join(' | ')})`).toBeGreaterThanOrEqual(0);
    return this.row(index);
  }

  async fillItem(row: Locator, item: ChecklistItemInput): Promise<void> {
    await row.getByTestId('item-type-input').selectOption(item.type);
    await row.getByTestId('item-asset-input').fill(item.asset ?? '');
    await row.getByTestId('item-what-input').fill(item.what);
    await row.getByTestId('item-how-input').fill(item.how ?? '');
    await row.getByTestId('item-required-input').setChecked(item.isRequired ?? true);
    if (item.volatility !== undefined) await row.getByTestId('item-volatility-input').fill(String(item.volatility));
    if (item.key !== undefined) await row.getByTestId('item-key-input').fill(item.key);
  }

  /** Fills the open editor: name, incident types, and one row per item (rows added as needed). */
  async fill(checklist: ChecklistInput): Promise<void> {
    await this.editor.getByTestId('checklist-name-input').fill(checklist.name);
    for (const type of checklist.types ?? []) await this.editor.getByTestId(`checklist-type-${type}`).check();
    if (checklist.otherTypes !== undefined) await this.editor.getByTestId('checklist-other-types').fill(checklist.otherTypes);
    for (const [index, item] of checklist.items.entries()) {
      if ((await this.rows.count()) <= index) {
        await this.editor.getByTestId('add-item').click();
        await expect(this.rows).toHaveCount(index + 1);
      }
      await this.fillItem(this.row(index), item);
    }
  }

  /** Saves and waits for the editor to close on the saved checklist. */
  async saveChecklist(name: string): Promise<void> {
    await this.save.click();
    await expect(this.saveError).toHaveCount(0);
    await expect(this.editor).toBeHidden();
    await expect(this.name).toContainText(name);
  }

  /** Closes the editor, throwing away what was typed. */
  async discard(): Promise<void> {
    await this.editor.getByTestId('checklist-cancel').click();
    const discard = this.editor.getByTestId('checklist-discard');
    // Asked only when something was typed.
    await expect(discard.or(this.page.getByTestId('new-checklist'))).toBeVisible();
    if (await discard.isVisible()) await discard.click();
    await expect(this.editor).toBeHidden();
  }

  /** Removes (or, for a built-in one, hides) the checklist open, after the confirmation. */
  async removeOpen(): Promise<void> {
    await this.detail.getByTestId('remove-checklist').click();
    await this.detail.getByTestId('remove-confirm').click();
  }
}
