// Page module for Settings → Stakeholder updates: the cadence table, approval and wording checks,
// and the delivery channels with their dialog. Tests speak in user terms through it.
import { expect, type Locator, type Page } from '@playwright/test';
import type { ChannelKind } from '@shared/domain/channels';
import type { Audience } from '@shared/domain/comms';
import type { Severity } from '@shared/domain/incident';

export interface WebhookInput {
  name: string;
  audiences: Audience[];
  url: string;
  secretHeader?: { name: string; value: string };
}

export class CommsSettingsPage {
  readonly section: Locator;
  readonly cadence: Locator;
  readonly cadenceSave: Locator;
  readonly cadenceError: Locator;
  readonly cadenceProblems: Locator;
  readonly approval: Locator;
  readonly channels: Locator;
  readonly channelRows: Locator;
  readonly dialog: Locator;
  readonly dialogError: Locator;

  constructor(readonly page: Page) {
    this.section = page.getByTestId('stakeholder-settings');
    this.cadence = page.getByTestId('cadence-settings');
    this.cadenceSave = this.cadence.getByTestId('cadence-save');
    this.cadenceError = this.cadence.getByTestId('cadence-error');
    this.cadenceProblems = this.cadence.getByTestId('cadence-problems');
    this.approval = page.getByTestId('approval-settings');
    this.channels = page.getByTestId('channel-settings');
    this.channelRows = this.channels.getByTestId('channel-row');
    this.dialog = page.getByTestId('channel-dialog');
    this.dialogError = this.dialog.getByTestId('channel-error');
  }

  async open(): Promise<void> {
    await this.page.getByTestId('nav-settings').click();
    await expect(this.page.getByTestId('view-settings')).toBeVisible();
    await expect(this.cadence).toBeVisible();
    await expect(this.channels).toBeVisible();
  }

  /** Loads the page again (the engine's values, nothing the page kept) and opens Settings. */
  async reopen(): Promise<void> {
    await this.page.reload();
    await expect(this.page.getByTestId('view-incidents')).toBeVisible();
    await this.open();
  }

  cell(severity: Severity, audience: Audience): Locator {
    return this.cadence.getByTestId(`cadence-${severity}-${audience}`);
  }

  /** Types minutes into cells (empty for "as needed"), then saves. */
  async setCadence(cells: { severity: Severity; audience: Audience; minutes: string }[]): Promise<void> {
    for (const { severity, audience, minutes } of cells) await this.cell(severity, audience).fill(minutes);
    await this.cadenceSave.click();
  }

  channel(name: string): Locator {
    return this.channelRows.filter({ has: this.page.getByTestId('channel-name').getByText(name, { exact: true }) });
  }

  async addChannel(kind: ChannelKind): Promise<void> {
    await this.channels.getByTestId('add-channel').click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByTestId(`channel-kind-${kind}`).check();
  }

  async editChannel(name: string): Promise<void> {
    await this.channel(name).getByTestId('edit-channel').click();
    await expect(this.dialog).toBeVisible();
  }

  /** Fills the open dialog's webhook form. */
  async fillWebhook(input: WebhookInput): Promise<void> {
    await this.dialog.getByTestId('channel-name').fill(input.name);
    for (const audience of ['internal', 'executives', 'customers'] as const) {
      await this.dialog.getByTestId(`channel-audience-${audience}`).setChecked(input.audiences.includes(audience));
    }
    await this.dialog.getByTestId('channel-url').fill(input.url);
    await this.dialog.getByTestId('channel-secretName').fill(input.secretHeader?.name ?? '');
    await this.dialog.getByTestId('channel-secretValue').fill(input.secretHeader?.value ?? '');
  }

  /** Saves the dialog and waits for it to close. */
  async saveChannel(): Promise<void> {
    await this.dialog.getByTestId('channel-save').click();
    await expect(this.dialogError).toHaveCount(0);
    await expect(this.dialog).toBeHidden();
  }

  /** Closes the dialog, throwing away what was typed. */
  async discardChannel(): Promise<void> {
    await this.dialog.getByTestId('channel-cancel').click();
    const discard = this.dialog.getByTestId('channel-discard');
    if (await discard.isVisible()) await discard.click();
    await expect(this.dialog).toBeHidden();
  }
}
