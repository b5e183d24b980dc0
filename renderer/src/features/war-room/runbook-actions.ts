// What can be done with runbooks from the war room: start one (a suggested runbook, or any from the
// library through a picker), open an execution, and the dialogs that need a reason or a name (skip,
// fail, assign, stop, a recovery action done before its evidence). The runbooks panel, the run
// drawer and the command palette use the same ones.
import type { EvidenceGate } from '@shared/domain/evidence';
import type { WarRoom } from '@shared/domain/incident';
import { commandOf } from '@shared/domain/incident-roles';
import type { RunbookRun, RunbookSummary, RunStepView, StepState } from '@shared/domain/runbook';
import { useStore } from '../../store';
import { rereadRuns } from './war-room-queries';
import { client } from '../../store/client-ref';
import type { Action } from './actions';
import type { DialogSpec, FieldValue } from './dialog-spec';

const text = (values: Record<string, FieldValue>, name: string) => String(values[name] ?? '').trim();

/** Names typed into one box, comma or space separated, without repeats. */
export function splitNames(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}

/** Reads the runs again and shows the one changed: the engine's event would too, a moment later. */
async function thenShow(promise: Promise<RunbookRun>): Promise<RunbookRun> {
  const run = await promise;
  await rereadRuns(run.incidentId);
  return run;
}

/** Starts a runbook in this incident and opens the new execution in the run drawer. */
export async function startRunbook(incidentId: string, runbookId: string): Promise<RunbookRun> {
  const run = await thenShow(client().call('runs.start', { incidentId, runbookId }));
  useStore.getState().setOpenRun(run.id);
  return run;
}

/**
 * Changes one step; a decision marked done takes the branch chosen. `override` says why a recovery
 * action goes ahead while required evidence is missing (the engine refuses it otherwise).
 */
export function setStep(run: RunbookRun, step: number, state: StepState, note = '', branch?: string, override?: string): Promise<RunbookRun> {
  return thenShow(
    client().call('runs.setStep', { runId: run.id, step, state, note, ...(branch === undefined ? {} : { branch }), ...(override === undefined ? {} : { override }) }),
  );
}

export function assignRun(run: RunbookRun, assignees: string[]): Promise<RunbookRun> {
  return thenShow(client().call('runs.assign', { runId: run.id, assignees }));
}

/** Whether `me` may change the run's assignees or stop it: an assignee, the commander or deputy. */
export function canSteer(run: RunbookRun, room: WarRoom, me: string): boolean {
  const command = commandOf(room.seats);
  return run.assignees.includes(me) || me === command.commanderId || me === command.deputyId;
}

/** The step to do next: the first one still open on the path taken. */
export function nextStep(run: RunbookRun): RunStepView | undefined {
  return run.status === 'active' ? run.steps.find((s) => s.state === 'pending' && !s.isBypassed) : undefined;
}

export const runLabel = (run: Pick<RunbookRun, 'title' | 'versionNumber'>) => `${run.title} (v${run.versionNumber})`;

export function skipDialog(run: RunbookRun, step: RunStepView): DialogSpec {
  return {
    title: `Skip step ${step.number}: ${step.title}`,
    description: 'A skipped step is a deviation from the runbook: the reason goes on the timeline and into the review.',
    fields: [{ name: 'reason', label: 'Why is it skipped?', kind: 'textarea', placeholder: 'Replica lag already checked on the dashboard' }],
    submitLabel: 'Skip step',
    submit: (v) => setStep(run, step.number, 'skipped', text(v, 'reason')),
  };
}

export function failDialog(run: RunbookRun, step: RunStepView): DialogSpec {
  return {
    title: `Step ${step.number} failed: ${step.title}`,
    description: 'Say what happened: the note goes on the timeline and into the review.',
    fields: [{ name: 'note', label: 'What failed?', kind: 'textarea', placeholder: 'pg_ctl promote timed out after 60 s' }],
    submitLabel: 'Mark failed',
    isDanger: true,
    submit: (v) => setStep(run, step.number, 'failed', text(v, 'note')),
  };
}

/** A recovery action marked done while required evidence is neither collected nor waived. */
export function overrideDialog(run: RunbookRun, step: RunStepView, missing: EvidenceGate['missing']): DialogSpec {
  const list = missing.map((m) => `${m.artifactType} ${m.asset ? `of ${m.asset}` : ''}: ${m.what} (${m.state})`.replace(' :', ':'));
  return {
    title: `Step ${step.number} done before the evidence: ${step.title}`,
    description: `${missing.length} required artifact${missing.length === 1 ? ' is' : 's are'} neither collected nor waived, and this recovery action may destroy ${
      missing.length === 1 ? 'it' : 'them'
    }: ${list.join('; ')}. The reason goes on the timeline and into the review.`,
    fields: [
      {
        name: 'override',
        label: 'Why can it not wait for the evidence?',
        kind: 'textarea',
        placeholder: 'Checkout down for 40 min; IC accepts losing the memory image of orders-db-1',
      },
    ],
    submitLabel: 'Mark done anyway',
    isDanger: true,
    submit: (v) => setStep(run, step.number, 'done', '', undefined, text(v, 'override')),
  };
}

export function assignDialog(run: RunbookRun, people: string[]): DialogSpec {
  return {
    title: `Who works "${run.title}"`,
    description: 'Only the people assigned can mark its steps. The incident commander or deputy, or anyone assigned, can change this.',
    fields: [
      {
        name: 'assignees',
        label: 'User names (comma separated)',
        kind: 'text',
        initial: run.assignees.join(', '),
        hint: people.length > 0 ? `People on this incident: ${people.join(', ')}` : undefined,
      },
    ],
    submitLabel: 'Assign',
    submit: (v) => assignRun(run, splitNames(text(v, 'assignees'))),
  };
}

export function stopDialog(run: RunbookRun): DialogSpec {
  return {
    title: `Stop "${run.title}"`,
    description: `${run.progress.settled} of ${run.progress.total} steps settled. A stopped runbook cannot be changed; start it again to go on.`,
    fields: [{ name: 'reason', label: 'Why is it stopped?', kind: 'text', placeholder: 'Primary recovered on its own; failover not needed' }],
    submitLabel: 'Stop runbook',
    isDanger: true,
    submit: (v) => thenShow(client().call('runs.stop', { runId: run.id, reason: text(v, 'reason') })),
  };
}

/** The picker over the whole library, read when it is opened so it is never stale. */
export async function startAnotherDialog(incidentId: string): Promise<DialogSpec> {
  const library = await client().call('runbooks.list', { includeArchived: false });
  if (library.length === 0) throw new Error('The runbook library on this replica is empty: import runbooks (holdfast runbooks import DIR) or write one under Runbooks.');
  return {
    title: 'Start a runbook',
    description: 'It is followed step by step in this incident; every step done, skipped or failed goes on the timeline.',
    fields: [
      {
        name: 'runbook',
        label: 'Runbook',
        kind: 'select',
        options: library.map((r) => ({ value: r.id, label: `${r.title}${r.services.length > 0 ? ` — ${r.services.join(', ')}` : ''} (${r.stepCount} steps)` })),
      },
    ],
    submitLabel: 'Start runbook',
    submit: (v) => startRunbook(incidentId, text(v, 'runbook')),
  };
}

const showError = (error: unknown) => useStore.getState().showRoomError(error);

/** The runbook entries of the war room's action catalogue (and so of the command palette). */
export function runbookActions(incidentId: string, runs: RunbookRun[], suggested: RunbookSummary[]): Action[] {
  const store = useStore.getState();
  const actions: Action[] = [];
  const active = new Set(runs.filter((r) => r.status === 'active').map((r) => r.runbookId));
  for (const summary of suggested) {
    if (active.has(summary.id)) continue;
    actions.push({
      id: `runbook-start:${summary.id}`,
      label: `Start runbook "${summary.title}" (matches ${summary.matches.join(', ')})`,
      group: 'Runbooks',
      run: () => void startRunbook(incidentId, summary.id).catch(showError),
    });
  }
  actions.push({
    id: 'runbook-start',
    label: 'Start runbook… (pick from the library)',
    group: 'Runbooks',
    run: () => void startAnotherDialog(incidentId).then(store.openDialog, showError),
  });
  for (const run of runs) {
    actions.push({
      id: `runbook-open:${run.id}`,
      label: `Open runbook "${run.title}" (${run.progress.settled}/${run.progress.total}${run.status === 'active' ? '' : `, ${run.status}`})`,
      group: 'Runbooks',
      run: () => store.setOpenRun(run.id),
    });
  }
  return actions;
}
