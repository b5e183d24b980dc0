// Page module for runbooks in the war room: the side panel (suggestions, runs, the picker) and the
// run drawer with its steps, their buttons and dialogs, and the deviations list.
import { expect, type Locator, type Page } from '@playwright/test';

export class RunbookRunPage {
  readonly panel: Locator;
  readonly drawer: Locator;
  readonly steps: Locator;
  readonly deviations: Locator;
  readonly dialog: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('runbooks-panel');
    this.drawer = page.getByTestId('run-drawer');
    this.steps = this.drawer.getByTestId('run-step');
    this.deviations = this.drawer.getByTestId('run-deviation');
    this.dialog = page.getByTestId('action-dialog');
  }

  suggestion(runbookId: string): Locator {
    return this.panel.locator(`[data-testid="runbook-suggestion"][data-runbook="${runbookId}"]`);
  }

  runItem(title: string): Locator {
    return this.panel.getByTestId('runbook-run-item').filter({ hasText: title });
  }

  /** Starts a suggested runbook from the panel: its drawer opens. */
  async start(runbookId: string): Promise<void> {
    await this.suggestion(runbookId).getByTestId('runbook-start').click();
    await expect(this.drawer).toBeVisible();
  }

  async open(title: string): Promise<void> {
    await this.runItem(title).getByTestId('run-open').click();
    await expect(this.drawer).toBeVisible();
  }

  async close(): Promise<void> {
    await this.drawer.getByTestId('run-close').click();
    await expect(this.drawer).toBeHidden();
  }

  step(number: number): Locator {
    return this.drawer.locator(`[data-testid="run-step"][data-step="${number}"]`);
  }

  /** A recovery step's evidence gate: what is still missing before it may be done. */
  gate(number: number): Locator {
    return this.step(number).getByTestId('step-evidence-gate');
  }

  /** The artifacts a step's evidence gate lists as missing. */
  missingArtifacts(number: number): Locator {
    return this.gate(number).getByTestId('step-missing-artifact');
  }

  doneButton(number: number): Locator {
    return this.step(number).getByTestId('step-done');
  }

  doneAnywayButton(number: number): Locator {
    return this.step(number).getByTestId('step-done-anyway');
  }

  async markDone(number: number): Promise<void> {
    await this.step(number).getByTestId('step-done').click();
    await expect(this.step(number)).toHaveAttribute('data-state', 'done');
  }

  /** Answers a decision step with one of its branches. */
  async decide(number: number, branch: string): Promise<void> {
    await this.step(number).locator(`[data-testid="step-branch"][data-branch="${branch}"]`).click();
    await expect(this.step(number)).toHaveAttribute('data-state', 'done');
  }

  async markSkipped(number: number, reason: string): Promise<void> {
    await this.step(number).getByTestId('step-skip').click();
    await this.submitDialog({ reason });
    await expect(this.step(number)).toHaveAttribute('data-state', 'skipped');
  }

  async markFailed(number: number, note: string): Promise<void> {
    await this.step(number).getByTestId('step-fail').click();
    await this.submitDialog({ note });
    await expect(this.step(number)).toHaveAttribute('data-state', 'failed');
  }

  /** Submits the open dialog with what is filled so far and expects the engine's refusal. */
  async submitDialogRefused(message: string): Promise<void> {
    await this.dialog.getByTestId('action-submit').click();
    await expect(this.dialog.getByTestId('action-error')).toContainText(message);
  }

  async submitDialog(values: Record<string, string>): Promise<void> {
    await expect(this.dialog).toBeVisible();
    for (const [name, value] of Object.entries(values)) await this.dialog.getByTestId(`field-${name}`).fill(value);
    await this.dialog.getByTestId('action-submit').click();
    await expect(this.dialog).toBeHidden();
  }
}
