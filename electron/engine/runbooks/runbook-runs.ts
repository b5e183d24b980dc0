// Runbook executions inside an incident: start one on a pinned version, set its steps (through the
// evidence gate before a recovery action), change who works it, stop it. Every change is written
// together with the timeline entry that records it.
import type { ParsedRequest } from '@shared/contract';
import type { Incident } from '@shared/domain/incident';
import { commandOf } from '@shared/domain/incident-roles';
import { bypassedSteps, type RunbookRun } from '@shared/domain/runbook';
import { incidentRowId } from '@shared/entities';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import { mustGetIncident, mustGetOpenIncident, systemEntry } from '../incidents/incident-handlers';
import type { EvidenceStore } from '../evidence/evidence-store';
import type { RunbookDeps } from './runbook-deps';
import { mustGetSummary } from './runbook-library';
import type { RunbookStore } from './runbook-store';

export function startRun({ replica, incidents, runbooks, now }: RunbookDeps, request: ParsedRequest<'runs.start'>): RunbookRun {
  const incident = mustGetOpenIncident(incidents, request.incidentId);
  const summary = mustGetSummary(runbooks, request.runbookId);
  if (summary.isArchived) throw new ApiError('conflict', `"${summary.title}" is archived; restore it in the library before following it.`);
  const versionId = request.versionId ?? summary.currentVersionId;
  const version = runbooks.version(versionId);
  if (!version || version.runbookId !== summary.id) throw new ApiError('not_found', `Runbook ${summary.id} has no version ${versionId} on this replica.`);
  const content = runbooks.content(version);
  if (content.steps.length === 0)
    throw new ApiError('conflict', `Version ${version.number} of "${summary.title}" cannot be read by this Holdfast (${content.errors.join('; ')}).`);
  const at = now();
  const actor = replica.actorId;
  const runId = incidentRowId(incident.id, uuidv7(at));
  const siblings = summary.headIds.length > 1 ? `; ${summary.headIds.length} unmerged versions, following the newest` : '';
  replica.commitLocal([
    {
      entity: 'runbook_run',
      rowId: runId,
      fields: {
        incidentId: incident.id,
        runbookId: summary.id,
        versionId: version.id,
        title: summary.title,
        startedAt: at,
        startedBy: actor,
        assignees: [actor],
        status: 'active',
        stopReason: '',
      },
    },
    systemEntry(incident.id, `${actor} started runbook "${summary.title}" (version ${version.number} of ${summary.versionCount}${siblings})`, at),
  ]);
  return mustGetRun(runbooks, runId);
}

export function listRuns({ incidents, runbooks }: RunbookDeps, request: ParsedRequest<'runs.list'>): RunbookRun[] {
  mustGetIncident(incidents, request.incidentId);
  return runbooks.runs(request.incidentId);
}

export function setStep({ replica, incidents, runbooks, evidence, now }: RunbookDeps, request: ParsedRequest<'runs.setStep'>): RunbookRun {
  const run = mustGetRun(runbooks, request.runId);
  mustBeActive(run, mustGetOpenIncident(incidents, run.incidentId));
  const actor = replica.actorId;
  if (!run.assignees.includes(actor)) {
    throw new ApiError(
      'conflict',
      `Only the people assigned to "${run.title}" (${run.assignees.join(', ')}) can change its steps; ask one of them or the incident commander to add you.`,
    );
  }
  if (run.steps.length === 0) {
    throw new ApiError(
      'unavailable',
      `The version of "${run.title}" this execution follows has not reached this replica yet, or this Holdfast cannot read it; sync, then try again.`,
    );
  }
  const step = run.steps.find((s) => s.number === request.step);
  if (!step) throw new ApiError('bad_request', `"${run.title}" has steps 1 to ${run.steps.length}; there is no step ${request.step}.`);
  let branch: string | null = null;
  if (step.type === 'decision' && request.state === 'done') {
    const chosen = step.branches.find((b) => b.name.toLowerCase() === (request.branch ?? '').trim().toLowerCase());
    if (!chosen) throw new ApiError('bad_request', `Step ${step.number} is a decision: say which branch was taken (${step.branches.map((b) => b.name).join(', ')}).`);
    branch = chosen.name;
  } else if (request.branch !== undefined) {
    throw new ApiError('bad_request', `Only a decision that is done takes a branch; step ${step.number} is a ${step.type} step being marked ${request.state}.`);
  }
  if (step.state === request.state && step.note === request.note && step.branch === branch) return run;
  if (step.state === 'pending' && request.state === 'pending') return run;
  const { override, gateNote } = evidenceGate(evidence, run, step, request);
  const at = now();
  const label = `step ${step.number} "${step.title}"${step.type === 'recovery' ? ' (recovery action)' : ''} of "${run.title}"`;
  let text: string;
  if (request.state === 'done' && branch !== null) {
    const goTo = step.branches.find((b) => b.name === branch)?.goTo;
    text = `${actor} decided at ${label}: ${branch}${goTo ? ` → step ${goTo}` : ''}`;
  } else if (request.state === 'done') text = `${actor} did ${label}`;
  else if (request.state === 'skipped') text = `${actor} skipped ${label}`;
  else if (request.state === 'failed') text = `${actor} marked ${label} failed`;
  else text = `${actor} reopened ${label}`;
  if (request.note) text += `: ${request.note}`;
  if (request.state === 'done' || request.state === 'failed') {
    // Said on the record when it happens; the review reads deviations from the merged steps.
    const bypassed = bypassedSteps(run.steps, (n) => run.steps.find((s) => s.number === n));
    const open = run.steps.filter((s) => s.number < step.number && s.state === 'pending' && !bypassed.has(s.number)).map((s) => s.number);
    if (open.length > 0) text += ` (out of order: step${open.length > 1 ? 's' : ''} ${open.join(', ')} still open)`;
  }
  text += gateNote;
  replica.commitLocal([
    {
      entity: 'runbook_step',
      rowId: `${run.id}/${step.number}`,
      // A new note on a settled step keeps who settled it and when (the order of steps depends on it).
      fields:
        step.state === request.state && step.at !== null
          ? { incidentId: run.incidentId, runId: run.id, step: step.number, note: request.note, branch }
          : { incidentId: run.incidentId, runId: run.id, step: step.number, state: request.state, note: request.note, branch, by: actor, at, override },
    },
    systemEntry(run.incidentId, text, at),
  ]);
  const after = mustGetRun(runbooks, run.id);
  if (after.status === 'completed' && run.status !== 'completed') {
    // The last step settled: the run is complete, and the timeline says so with how it went.
    const count = (state: string) => after.steps.filter((s) => s.state === state).length;
    const how = [`${count('done')} done`, count('skipped') && `${count('skipped')} skipped`, count('failed') && `${count('failed')} failed`]
      .concat(after.steps.some((s) => s.isBypassed) ? [`${after.steps.filter((s) => s.isBypassed).length} passed over`] : [])
      .filter(Boolean)
      .join(', ');
    replica.commitLocal([systemEntry(run.incidentId, `runbook "${run.title}" completed: every step settled (${how})`, at)]);
    return mustGetRun(runbooks, run.id);
  }
  return after;
}

export function assignRun(deps: RunbookDeps, request: ParsedRequest<'runs.assign'>): RunbookRun {
  const { replica, runbooks, now } = deps;
  const run = mustGetSteerableRun(deps, request.runId, 'change who works it');
  const assignees = [...new Set(request.assignees)];
  if (assignees.join('\n') === run.assignees.join('\n')) return run;
  const at = now();
  replica.commitLocal([
    { entity: 'runbook_run', rowId: run.id, fields: { incidentId: run.incidentId, assignees } },
    systemEntry(run.incidentId, `${replica.actorId} assigned runbook "${run.title}" to ${assignees.join(', ')}`, at),
  ]);
  return mustGetRun(runbooks, run.id);
}

export function stopRun(deps: RunbookDeps, request: ParsedRequest<'runs.stop'>): RunbookRun {
  const { replica, runbooks, now } = deps;
  const run = mustGetSteerableRun(deps, request.runId, 'stop it');
  if (run.status === 'completed') throw new ApiError('conflict', `"${run.title}" is completed: every step is settled, there is nothing to stop.`);
  const at = now();
  replica.commitLocal([
    { entity: 'runbook_run', rowId: run.id, fields: { incidentId: run.incidentId, status: 'stopped', stopReason: request.reason } },
    systemEntry(run.incidentId, `${replica.actorId} stopped runbook "${run.title}" at ${run.progress.settled} of ${run.progress.total} steps: ${request.reason}`, at),
  ]);
  return mustGetRun(runbooks, run.id);
}

/**
 * The evidence gate: a recovery action changes production, so required evidence comes first. Only
 * going into done is gated: a note on a recovery step already done is not a new action. An override
 * gives the reason it cannot wait, and the timeline says what was skipped.
 */
function evidenceGate(
  evidence: EvidenceStore,
  run: RunbookRun,
  step: RunbookRun['steps'][number],
  request: ParsedRequest<'runs.setStep'>,
): { override: string; gateNote: string } {
  if (step.type !== 'recovery' || request.state !== 'done' || step.state === 'done') return { override: '', gateNote: '' };
  const missing = evidence.gate(run.incidentId).missing;
  if (missing.length === 0) return { override: '', gateNote: '' };
  const shown = missing.slice(0, 10).map((a) => `${a.what}${a.asset ? ` (${a.asset})` : ''}: ${a.state}`);
  const list = `${shown.join('; ')}${missing.length > shown.length ? `; and ${missing.length - shown.length} more` : ''}`;
  if (request.override === undefined) {
    throw new ApiError(
      'conflict',
      `Preserve the evidence first: ${missing.length} required artifact${missing.length > 1 ? 's are' : ' is'} neither collected nor waived (${list}). To go ahead anyway, give the reason it cannot wait.`,
    );
  }
  return {
    override: request.override,
    gateNote: ` — evidence gate overridden (${missing.length} required artifact${missing.length > 1 ? 's' : ''} not collected: ${list}): ${request.override}`,
  };
}

function mustGetRun(runbooks: RunbookStore, runId: string): RunbookRun {
  const run = runbooks.run(runId);
  if (!run) throw new ApiError('not_found', `No runbook execution ${runId} on this replica.`);
  return run;
}

/** An active run of an open incident that this user may steer (to `what`). */
function mustGetSteerableRun(deps: RunbookDeps, runId: string, what: string): RunbookRun {
  const run = mustGetRun(deps.runbooks, runId);
  mustBeActive(run, mustGetOpenIncident(deps.incidents, run.incidentId));
  mustSteer(deps, run, what);
  return run;
}

/** The people working a runbook, and the incident's commander and deputy, may steer it. */
function mustSteer({ replica, incidents }: RunbookDeps, run: RunbookRun, what: string): void {
  const actor = replica.actorId;
  const command = commandOf(incidents.seats(run.incidentId));
  if (run.assignees.includes(actor) || actor === command.commanderId || actor === command.deputyId) return;
  throw new ApiError('conflict', `Only the people assigned to "${run.title}" (${run.assignees.join(', ')}) or the incident commander can ${what}.`);
}

function mustBeActive(run: RunbookRun, incident: Incident): Incident {
  if (run.status === 'stopped') throw new ApiError('conflict', `"${run.title}" was stopped (${run.stopReason}); start it again to go on.`);
  return incident;
}
