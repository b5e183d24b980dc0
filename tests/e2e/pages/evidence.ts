// Page module for evidence in the war room: the side panel (checklists, artifacts, exports), the
// artifact drawer with its collection and verification forms, hashing progress and chain of
// custody, and the action dialogs it opens (waive, fail, custody events).
import { expect, type Locator, type Page } from '@playwright/test';

export interface Collection {
  role?: string;
  contact?: string;
  zone?: string;
  /** Times typed in the collector's zone (default) or in UTC. */
  timesIn?: 'collector' | 'utc';
  hosts: string;
  start: string;
  end: string;
  tool: string;
  command?: string;
  storage: string;
  fileName?: string;
}

export class EvidencePage {
  readonly panel: Locator;
  readonly artifacts: Locator;
  readonly drawer: Locator;
  readonly collectForm: Locator;
  readonly verifyForm: Locator;
  readonly custodyRows: Locator;
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('evidence-panel');
    this.artifacts = this.panel.getByTestId('artifact-item');
    this.drawer = page.getByTestId('artifact-drawer');
    this.collectForm = this.drawer.getByTestId('collect-form');
    this.verifyForm = this.drawer.getByTestId('verify-form');
    this.custodyRows = this.drawer.getByTestId('custody-row');
    this.dialog = page.getByTestId('action-dialog');
  }

  /** An artifact in the side panel, by a part of what is collected. */
  artifact(what: string): Locator {
    return this.artifacts.filter({ has: this.page.getByTestId('artifact-what').getByText(what) });
  }

  /** Opens the checklist picker and starts the checklist whose id is given. */
  async startChecklist(templateId: string): Promise<void> {
    await this.panel.getByTestId('evidence-start-checklist').click();
    // No checklist in the library means the picker never opens: say so rather than time out.
    await expect(this.panel.getByTestId('evidence-action-error'), 'the evidence checklist library is empty').toHaveCount(0);
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByTestId('field-template').selectOption(templateId);
    await this.dialog.getByTestId('action-submit').click();
    await expect(this.dialog).toBeHidden();
  }

  async open(what: string): Promise<void> {
    await this.artifact(what).getByTestId('artifact-open').click();
    await expect(this.drawer).toBeVisible();
    await expect(this.drawer.getByTestId('artifact-title')).toContainText(what);
  }

  async close(): Promise<void> {
    await this.drawer.getByTestId('artifact-close').click();
    await expect(this.drawer).toBeHidden();
  }

  state(): Locator {
    return this.drawer.getByTestId('artifact-state').first();
  }

  /** Fills the collection form's record (not the hash part). */
  async fillCollection(c: Collection): Promise<void> {
    const form = this.collectForm;
    if (c.role !== undefined) await form.getByTestId('collect-role').fill(c.role);
    if (c.contact !== undefined) await form.getByTestId('collect-contact').fill(c.contact);
    if (c.zone !== undefined) await form.getByTestId('collect-zone').fill(c.zone);
    await form.getByTestId(c.timesIn === 'utc' ? 'collect-times-utc' : 'collect-times-collector').check();
    await form.getByTestId('collect-hosts').fill(c.hosts);
    await form.getByTestId('collect-start').fill(c.start);
    await form.getByTestId('collect-end').fill(c.end);
    await form.getByTestId('collect-tool').fill(c.tool);
    if (c.command !== undefined) await form.getByTestId('collect-command').fill(c.command);
    await form.getByTestId('collect-storage').fill(c.storage);
    if (c.fileName !== undefined) await form.getByTestId('collect-file-name').fill(c.fileName);
  }

  /**
   * Hashes a file with Holdfast from the collection form (with MD5 and SHA-1 too if asked) and
   * waits for the job to finish.
   */
  async hashWithHoldfast(path: string, options: { withLegacy?: boolean } = {}): Promise<void> {
    const form = this.collectForm;
    await form.getByTestId('collect-mode-holdfast').check();
    await form.getByTestId('collect-path').fill(path);
    await form.getByTestId('collect-legacy').setChecked(options.withLegacy ?? false);
    await form.getByTestId('collect-hash').click();
    await expect(form.getByTestId('hash-progress')).toHaveAttribute('data-state', 'done');
  }

  async submitDialog(values: Record<string, string>, selects: Record<string, string> = {}): Promise<void> {
    await expect(this.dialog).toBeVisible();
    for (const [name, value] of Object.entries(selects)) await this.dialog.getByTestId(`field-${name}`).selectOption(value);
    for (const [name, value] of Object.entries(values)) await this.dialog.getByTestId(`field-${name}`).fill(value);
    await this.dialog.getByTestId('action-submit').click();
    await expect(this.dialog).toBeHidden();
  }

  custodyRow(action: string): Locator {
    return this.custodyRows.and(this.page.locator(`[data-action="${action}"]`));
  }
}
