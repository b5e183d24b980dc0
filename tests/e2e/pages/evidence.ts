// Page module for evidence in the war room: the side panel (checklists, artifacts, exports), the
// artifact drawer with its collection and verification forms, hashing progress and chain of
// custody, and the action dialogs it opens (waive, fail, custody events).
import { readFileSync } from 'node:fs';
import { expect, type Download, type Locator, type Page } from '@playwright/test';

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
  /** The panel's headline figures: artifacts in all, required ones still missing (data-missing), chain intact (data-intact). */
  readonly total: Locator;
  readonly gate: Locator;
  readonly chain: Locator;
  /** The drawer's title and its warning line. */
  readonly title: Locator;
  readonly warning: Locator;
  /** The checklist picker in the start dialog. */
  readonly picker: Locator;
  /** The action buttons of each custody row, as their words read ("collected", "hashed"…). */
  readonly custodyActions: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('evidence-panel');
    this.artifacts = this.panel.getByTestId('artifact-item');
    this.drawer = page.getByTestId('artifact-drawer');
    this.collectForm = this.drawer.getByTestId('collect-form');
    this.verifyForm = this.drawer.getByTestId('verify-form');
    this.custodyRows = this.drawer.getByTestId('custody-row');
    this.dialog = page.getByTestId('action-dialog');
    this.total = this.panel.getByTestId('evidence-total');
    this.gate = this.panel.getByTestId('evidence-gate');
    this.chain = this.panel.getByTestId('evidence-chain');
    this.title = this.drawer.getByTestId('artifact-title');
    this.warning = this.drawer.getByTestId('artifact-drawer-warning');
    this.picker = this.dialog.getByTestId('field-template');
    this.custodyActions = this.custodyRows.locator('[data-testid="custody-action"] .custody-action');
  }

  /** The type of every artifact in the side panel, in the panel's order. */
  get artifactTypes(): Locator {
    return this.artifacts.getByTestId('artifact-type');
  }

  /** The panel's count of artifacts in a state ("6 planned"). */
  count(state: string): Locator {
    return this.panel.locator(`[data-testid="evidence-count"][data-state="${state}"]`);
  }

  /** Opens the checklist picker (the library must have checklists: says so rather than time out). */
  async openChecklistPicker(): Promise<void> {
    await this.panel.getByTestId('evidence-start-checklist').click();
    await expect(this.panel.getByTestId('evidence-action-error'), 'the evidence checklist library is empty').toHaveCount(0);
    await expect(this.picker.locator('option').first(), 'no evidence checklist in the library').toBeAttached();
  }

  pickerOption(templateId: string): Locator {
    return this.picker.locator(`option[value="${templateId}"]`);
  }

  /** A part of the collection form by name: collect-<name> (sha256, size, file-name, error…). */
  collect(name: string): Locator {
    return this.collectForm.getByTestId(`collect-${name}`);
  }

  /** The collection form's hashing progress (percent, bytes) and the verification form's. */
  hashProgress(part: 'percent' | 'bytes' | 'progress', of: 'collect' | 'verify' = 'collect'): Locator {
    return (of === 'collect' ? this.collectForm : this.verifyForm).getByTestId(`hash-${part}`);
  }

  /** A line of the drawer's collection record: record-<name> (collector, hosts, acquired, size, hash-source). */
  record(name: string): Locator {
    return this.drawer.getByTestId(`record-${name}`);
  }

  /** The drawer's notice about how the artifact was hashed (shown only when something needs saying). */
  get modeNotice(): Locator {
    return this.drawer.getByTestId('artifact-mode-notice');
  }

  /** The SHA-256 the drawer shows for the artifact. */
  get sha256(): Locator {
    return this.drawer.getByTestId('artifact-sha256');
  }

  /** A part of a custody row: custody-<name> (hash, by, result, from-to, purpose). */
  custodyPart(action: string, name: string): Locator {
    return this.custodyRow(action).getByTestId(`custody-${name}`);
  }

  /** The short hash, or the warning, an artifact shows in the side panel. */
  artifactPart(what: string, name: 'hash' | 'warning'): Locator {
    return this.artifact(what).getByTestId(`artifact-${name}`);
  }

  async startCollecting(): Promise<void> {
    await this.drawer.getByTestId('artifact-start-collecting').click();
    await expect(this.drawer).toHaveAttribute('data-state', 'collecting');
  }

  async openCollectForm(): Promise<void> {
    await this.drawer.getByTestId('artifact-collect').click();
    await expect(this.collectForm).toBeVisible();
  }

  /** Submits the collection form; `refusedWith` expects the engine's refusal instead of a record. */
  async submitCollection(refusedWith?: string): Promise<void> {
    await this.collect('submit').click();
    if (refusedWith !== undefined) await expect(this.collect('error')).toContainText(refusedWith);
    else await expect(this.collectForm).toBeHidden();
  }

  /** The whole collection of the open artifact with Holdfast hashing `file`: form, hash, record. */
  async collectWithHoldfast(file: string, collection: Collection): Promise<void> {
    await this.openCollectForm();
    await this.fillCollection(collection);
    await this.hashWithHoldfast(file);
    await this.submitCollection();
    await expect(this.drawer).toHaveAttribute('data-state', 'collected');
  }

  /** Verifies the open artifact against a stored copy: the engine re-hashes it; the form stays open. */
  async verifyAgainst(path: string): Promise<void> {
    await this.drawer.getByTestId('artifact-verify').click();
    await this.verifyForm.getByTestId('verify-path').fill(path);
    await this.verifyForm.getByTestId('verify-start').click();
    await expect(this.hashProgress('percent', 'verify')).toHaveText('100%');
  }

  get verifyResult(): Locator {
    return this.verifyForm.getByTestId('verify-result');
  }

  async closeVerifyForm(): Promise<void> {
    await this.verifyForm.getByTestId('verify-close').click();
    await expect(this.verifyForm).toBeHidden();
  }

  /** Opens the dialog of a drawer action: a custody event or a waiver. */
  async openDrawerDialog(action: 'custody-add' | 'artifact-waive'): Promise<void> {
    await this.drawer.getByTestId(action).click();
    await expect(this.dialog).toBeVisible();
  }

  dialogField(name: string): Locator {
    return this.dialog.getByTestId(`field-${name}`);
  }

  /** Submits the open dialog with what is filled so far and expects the engine's refusal. */
  async submitDialogRefused(message: string): Promise<void> {
    await this.dialog.getByTestId('action-submit').click();
    await expect(this.dialog.getByTestId('action-error')).toContainText(message);
  }

  /** The text of the waiver the drawer shows. */
  get waived(): Locator {
    return this.drawer.getByTestId('artifact-waived');
  }

  /** Downloads the open artifact's custody form (HTML): its file name and text. */
  async downloadCustodyForm(): Promise<{ name: string; text: string }> {
    return read(await this.download(this.drawer.getByTestId('custody-export')));
  }

  /** Downloads the incident's evidence manifest (JSON): its file name and text. */
  async downloadManifest(): Promise<{ name: string; text: string }> {
    return read(await this.download(this.panel.getByTestId('evidence-export-manifest-json')));
  }

  private async download(button: Locator): Promise<Download> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), button.click()]);
    return download;
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

async function read(download: Download): Promise<{ name: string; text: string }> {
  return { name: download.suggestedFilename(), text: readFileSync(await download.path(), 'utf8') };
}
