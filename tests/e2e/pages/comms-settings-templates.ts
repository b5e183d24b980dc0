// Page module for the Library's update templates: the list grouped by audience, one template with
// its preview, and the editor with the placeholder reference.
import { expect, type Locator, type Page } from '@playwright/test';
import type { Audience } from '@shared/domain/comms';

export class UpdateTemplatesPage {
  readonly section: Locator;
  readonly items: Locator;
  readonly detail: Locator;
  readonly name: Locator;
  readonly editor: Locator;
  readonly save: Locator;
  readonly saveError: Locator;
  readonly nameInput: Locator;
  readonly titleInput: Locator;
  readonly bodyInput: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByTestId('library-templates');
    this.items = page.getByTestId('template-item');
    this.detail = page.getByTestId('template-detail');
    this.name = this.detail.getByTestId('template-name');
    this.editor = page.getByTestId('template-editor');
    this.save = this.editor.getByTestId('template-save');
    this.saveError = this.editor.getByTestId('template-save-error');
    this.nameInput = this.editor.getByTestId('template-name-input');
    this.titleInput = this.editor.getByTestId('template-title-input');
    this.bodyInput = this.editor.getByTestId('template-body-input');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-library').click();
    await expect(this.page.getByTestId('view-library')).toBeVisible();
    await this.page.getByTestId('library-tab-templates').click();
    await expect(this.section).toBeVisible();
  }

  group(audience: Audience): Locator {
    return this.section.getByTestId(`template-group-${audience}`);
  }

  /** A template in the list, by its whole name. */
  item(name: string): Locator {
    return this.items.filter({ has: this.page.getByTestId('template-item-name').getByText(name, { exact: true }) });
  }

  async select(name: string): Promise<void> {
    await this.item(name).click();
    await expect(this.name).toContainText(name);
  }

  async edit(): Promise<void> {
    await this.detail.getByTestId('edit-template').click();
    await expect(this.editor).toBeVisible();
  }

  async newTemplate(audience: Audience): Promise<void> {
    await this.section.getByTestId('new-template').click();
    await this.section.getByTestId(`new-template-${audience}`).click();
    await expect(this.editor).toBeVisible();
    await expect(this.editor.getByTestId('template-audience-input')).toHaveValue(audience);
  }

  /** Clicks a placeholder in the reference, inserting it at the cursor of the field last in use. */
  async insertPlaceholder(name: string): Promise<void> {
    await this.editor.locator(`[data-testid="placeholder-insert"][data-placeholder="${name}"]`).click();
  }

  /** Saves and waits for the editor to close on the saved template. */
  async saveTemplate(name: string): Promise<void> {
    await this.save.click();
    await expect(this.saveError).toHaveCount(0);
    await expect(this.editor).toBeHidden();
    await expect(this.name).toContainText(name);
  }
}
