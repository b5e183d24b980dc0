// Page module for runbooks in the war room: the side panel (suggestions, runs, the picker) and the
// run drawer with its steps, their buttons and dialogs, and the deviations list.
import { expect, type Locator, type Page } from '@playwright/test';

export class RunbookRunPage {
  readonly panel: Locator;
  readonly drawer: Locator;
  readonly steps: Locator;
  readonly deviations: Locator;
  readonly dialog: Locator;
  readonly suggestions: Locator;
  /** Every "Done" button of the drawer: none when the run is read-only here. */
  readonly doneButtons: Locator;

  constructor(readonly page: Page) {
    this.panel = page.getByTestId('runbooks-panel');
    this.drawer = page.getByTestId('run-drawer');
    this.steps = this.drawer.getByTestId('run-step');
    this.deviations = this.drawer.getByTestId('run-deviation');
    this.dialog = page.getByTestId('action-dialog');
    this.suggestions = this.panel.getByTestId('runbook-suggestion');
    this.doneButtons = this.drawer.getByTestId('step-done');
  }

  suggestion(runbookId: string): Locator {
    return this.panel.locator(`[data-testid="runbook-suggestion"][data-runbook="${runbookId}"]`);
  }

  /** Why a suggestion matches the incident ("matches service … · type … · N steps"). */
  suggestionMatches(runbookId: string): Locator {
    return this.suggestion(runbookId).getByTestId('runbook-matches');
  }

  /** A suggestion's "Open" of the run already going for it. */
  openRunning(runbookId: string): Locator {
    return this.suggestion(runbookId).getByTestId('runbook-open-running');
  }

  runItem(title: string): Locator {
    return this.panel.getByTestId('runbook-run-item').filter({ hasText: title });
  }

  /** A part of a run's item in the side panel. */
  runItemPart(title: string, part: 'version' | 'progress' | 'deviation-count' | 'status' | 'assignees'): Locator {
    return this.runItem(title).getByTestId(`run-${part}`);
  }

  /** A part of the open drawer: its title, version, "newer version" notice, progress, assignees, read-only and stopped notices. */
  run(part: 'title' | 'version' | 'newer' | 'progress' | 'assignees' | 'readonly' | 'stopped'): Locator {
    return this.drawer.getByTestId(`run-${part}`);
  }

  /** A deviation listed for the review, by kind. */
  deviation(kind: 'skipped' | 'failed' | 'out-of-order'): Locator {
    return this.deviations.and(this.page.locator(`[data-kind="${kind}"]`));
  }

  deviationNote(kind: 'skipped' | 'failed' | 'out-of-order'): Locator {
    return this.deviation(kind).getByTestId('deviation-note');
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

  /** A part of a step: its title, body, type, state, note, record, branches, flags and buttons. */
  stepPart(
    number: number,
    part: 'title' | 'body' | 'type' | 'state' | 'note' | 'record' | 'recovery' | 'branch' | 'branch-taken' | 'out-of-order' | 'toggle' | 'done' | 'reopen',
  ): Locator {
    return this.step(number).getByTestId(`step-${part}`);
  }

  /** Unfolds a step to read ahead. */
  async unfold(number: number): Promise<void> {
    await this.stepPart(number, 'toggle').click();
    await expect(this.stepPart(number, 'body')).toBeVisible();
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

  /** Opens a step's "Skip" dialog. */
  async skip(number: number): Promise<void> {
    await this.step(number).getByTestId('step-skip').click();
    await expect(this.dialog).toBeVisible();
  }

  async markSkipped(number: number, reason: string): Promise<void> {
    await this.skip(number);
    await this.submitDialog({ reason });
    await expect(this.step(number)).toHaveAttribute('data-state', 'skipped');
  }

  async reopen(number: number): Promise<void> {
    await this.stepPart(number, 'reopen').click();
    await expect(this.step(number)).toHaveAttribute('data-state', 'pending');
  }

  /** Hands the run to these people (comma-separated), from the drawer. */
  async assign(assignees: string): Promise<void> {
    await this.drawer.getByTestId('run-assign').click();
    await this.submitDialog({ assignees });
  }

  /** Adds this replica's user to the people assigned. */
  async addMe(): Promise<void> {
    await this.drawer.getByTestId('run-add-me').click();
  }

  /** Opens the drawer's "Stop" dialog. */
  async stop(): Promise<void> {
    await this.drawer.getByTestId('run-stop').click();
    await expect(this.dialog).toBeVisible();
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
