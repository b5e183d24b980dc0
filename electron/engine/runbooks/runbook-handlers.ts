// Runbook calls: the versioned library (save, merge, archive, search, import and export as
// Markdown files) and runbook executions inside incidents, where every step change is written
// together with the timeline entry that records it.
import type { Handlers } from '@shared/contract';
import type { Incident } from '@shared/domain/incident';
import { commandOf } from '@shared/domain/incident-roles';
import {
  bypassedSteps,
  maxParents,
  type RunbookDetail,
  type RunbookFileReport,
  type RunbookImportReport,
  type RunbookRun,
  type RunbookSummary,
  type RunbookVersion,
} from '@shared/domain/runbook';
import { parseRunbook, runbookSlug, type ParsedRunbook } from '@shared/domain/runbook-format';
import { incidentRowId } from '@shared/entities';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import type { OpDraft } from '@shared/ops';
import type { EvidenceStore } from '../evidence/evidence-store';
import type { IncidentStore } from '../incidents/incident-store';
import type { Replica } from '../core/replica';
import type { RunbookStore } from './runbook-store';
import { mustGetIncident, mustGetOpenIncident, systemEntry } from '../incidents/incident-handlers';

type RunbookHandlers = Pick<
  Handlers,
  | 'runbooks.list'
  | 'runbooks.get'
  | 'runbooks.save'
  | 'runbooks.archive'
  | 'runbooks.search'
  | 'runbooks.suggest'
  | 'runbooks.import'
  | 'runbooks.export'
  | 'runs.start'
  | 'runs.list'
  | 'runs.setStep'
  | 'runs.assign'
  | 'runs.stop'
>;

/** Files from Windows checkouts read the same as their LF twins, so re-importing them changes nothing. */
const normalize = (source: string) => source.replace(/\r\n?/g, '\n');

const versionDraft = (runbookId: string, parents: string[], source: string, note: string): OpDraft => ({
  entity: 'runbook_version',
  rowId: '',
  fields: { runbookId, parents, source, note },
});

function parsedOrThrow(source: string): ParsedRunbook {
  const parsed = parseRunbook(source);
  if (!parsed.ok) throw new ApiError('bad_request', `The runbook cannot be saved: ${parsed.errors.join('; ')}`);
  return parsed.runbook;
}

/** The runbook file name a path stands for: its last segment without `.md`. */
const baseName = (path: string) => (path.split(/[\\/]/).pop() ?? path).replace(/\.md$/i, '');

export function runbookHandlers(deps: {
  replica: Replica;
  incidents: IncidentStore;
  runbooks: RunbookStore;
  evidence: EvidenceStore;
  now: () => number;
}): RunbookHandlers {
  const { replica, incidents, runbooks, evidence, now } = deps;

  const mustGetSummary = (id: string): RunbookSummary => {
    const summary = runbooks.summary(id);
    if (!summary) throw new ApiError('not_found', `No runbook ${id} in this replica's library; it may not have synced here yet.`);
    return summary;
  };

  const detail = (id: string, versionId?: string): RunbookDetail => {
    const summary = mustGetSummary(id);
    let version: RunbookVersion | undefined;
    if (versionId !== undefined) {
      version = runbooks.version(versionId);
      if (!version || version.runbookId !== id) throw new ApiError('not_found', `Runbook ${id} has no version ${versionId} on this replica.`);
    }
    const heads = runbooks.heads(id);
    return {
      summary,
      content: runbooks.content(version ?? heads[0]),
      siblings: heads.length > 1 ? heads.map(runbooks.content) : [],
      history: runbooks.versions(id),
    };
  };

  const mustGetRun = (runId: string): RunbookRun => {
    const run = runbooks.run(runId);
    if (!run) throw new ApiError('not_found', `No runbook execution ${runId} on this replica.`);
    return run;
  };

  /** The people working a runbook, and the incident's commander and deputy, may steer it. */
  const mustSteer = (run: RunbookRun, what: string) => {
    const actor = replica.actorId;
    const command = commandOf(incidents.seats(run.incidentId));
    if (run.assignees.includes(actor) || actor === command.commanderId || actor === command.deputyId) return;
    throw new ApiError('conflict', `Only the people assigned to "${run.title}" (${run.assignees.join(', ')}) or the incident commander can ${what}.`);
  };

  const mustBeActive = (run: RunbookRun, incident: Incident) => {
    if (run.status === 'stopped') throw new ApiError('conflict', `"${run.title}" was stopped (${run.stopReason}); start it again to go on.`);
    return incident;
  };

  return {
    'runbooks.list': (request) => runbooks.summaries(request.includeArchived),
    'runbooks.get': (request) => detail(request.id, request.versionId),
    'runbooks.save': (request) => {
      const source = normalize(request.source);
      const parsed = parsedOrThrow(source);
      const declared = parsed.meta.id;
      if (request.runbookId === undefined) {
        const id = declared ?? runbookSlug(parsed.meta.title);
        if (!id)
          throw new ApiError('bad_request', 'Give the runbook an id in its front matter (id: lower-case-words): its title has no letters or digits to make one from.');
        if (request.parents.length > 0) throw new ApiError('bad_request', 'A new runbook has no parents; give runbookId to save a new version of an existing one.');
        if (runbooks.heads(id).length > 0) {
          throw new ApiError('conflict', `A runbook with id "${id}" exists already: edit that one, or give this one another id in its front matter.`);
        }
        replica.commitLocal([versionDraft(id, [], source, request.note)]);
        return detail(id);
      }
      const id = request.runbookId;
      mustGetSummary(id);
      if (declared !== null && declared !== id) {
        throw new ApiError(
          'bad_request',
          `The front matter says id "${declared}" but this is runbook "${id}": a runbook's id cannot change; create a new runbook instead.`,
        );
      }
      if (request.parents.length === 0)
        throw new ApiError('bad_request', 'Say which version the edit started from (parents): the version you opened, or every sibling when merging.');
      const parents = [...new Set(request.parents)];
      for (const parentId of parents) {
        const parent = runbooks.version(parentId);
        if (!parent || parent.runbookId !== id) throw new ApiError('bad_request', `Version ${parentId} is not a version of runbook "${id}" on this replica.`);
      }
      // Saving what is already there (one parent, same text) records nothing.
      if (parents.length === 1 && runbooks.version(parents[0])?.source === source) return detail(id);
      replica.commitLocal([versionDraft(id, parents, source, request.note)]);
      return detail(id);
    },
    'runbooks.archive': (request) => {
      const summary = mustGetSummary(request.id);
      if (summary.isArchived !== request.isArchived) replica.commitLocal([{ entity: 'runbook', rowId: request.id, fields: { isArchived: request.isArchived } }]);
      return mustGetSummary(request.id);
    },
    'runbooks.search': (request) => runbooks.search(request.text, request.limit),
    'runbooks.suggest': (request) => {
      const incident = mustGetIncident(incidents, request.incidentId);
      const services = new Set(incident.services.map((s) => s.toLowerCase()));
      const type = incident.type.trim().toLowerCase();
      return runbooks
        .summaries(false)
        .map((summary) => ({
          ...summary,
          matches: [
            ...summary.services.filter((s) => services.has(s.toLowerCase())).map((s) => `service ${s}`),
            ...(type && summary.incidentTypes.some((t) => t.toLowerCase() === type) ? [`type ${incident.type}`] : []),
          ],
        }))
        .filter((summary) => summary.matches.length > 0)
        .sort((a, b) => b.matches.length - a.matches.length || a.title.localeCompare(b.title));
    },
    'runbooks.import': (request) => {
      // Code-point order, the same on every machine whatever its locale.
      const files = [...request.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      const reports: RunbookFileReport[] = [];
      const drafts: OpDraft[] = [];
      const claimed = new Map<string, string>();
      for (const file of files) {
        const report: RunbookFileReport = { path: file.path, runbookId: null, outcome: 'rejected', errors: [], mergedSiblings: 0 };
        reports.push(report);
        const source = normalize(file.source);
        const parsed = parseRunbook(source);
        if (!parsed.ok) {
          report.errors = parsed.errors;
          continue;
        }
        const id = parsed.runbook.meta.id ?? runbookSlug(baseName(file.path));
        if (!id) {
          report.errors = ['the file name gives no runbook id: add id: to the front matter'];
          continue;
        }
        report.runbookId = id;
        const earlier = claimed.get(id);
        if (earlier !== undefined) {
          report.errors = [`runbook id "${id}" is also the id of ${earlier}: each runbook must be in one file`];
          continue;
        }
        claimed.set(id, file.path);
        const heads = runbooks.heads(id);
        if (heads.length === 1 && heads[0].source === source) {
          report.outcome = 'unchanged';
          continue;
        }
        if (heads.length > maxParents) {
          report.errors = [`runbook "${id}" has ${heads.length} unmerged versions; merge them in the app first (a version may have at most ${maxParents} parents)`];
          continue;
        }
        // The file is the team's truth: it becomes the next version, built on every head (which
        // also settles sibling versions that were waiting for a merge).
        report.outcome = heads.length === 0 ? 'created' : 'updated';
        report.mergedSiblings = heads.length > 1 ? heads.length : 0;
        drafts.push(
          versionDraft(
            id,
            heads.map((h) => h.id),
            source,
            `imported from ${file.path}`.slice(0, 500),
          ),
        );
      }
      if (drafts.length > 0) replica.commitLocal(drafts);
      const count = (outcome: RunbookFileReport['outcome']) => reports.filter((r) => r.outcome === outcome).length;
      const result: RunbookImportReport = {
        files: reports,
        created: count('created'),
        updated: count('updated'),
        unchanged: count('unchanged'),
        rejected: count('rejected'),
      };
      return result;
    },
    'runbooks.export': () =>
      runbooks.summaries(false).map((summary) => {
        const version = runbooks.version(summary.currentVersionId);
        if (!version) throw new Error(`current version ${summary.currentVersionId} of ${summary.id} cannot be read`);
        return { runbookId: summary.id, fileName: `${summary.id}.md`, source: version.source, versionId: version.id, unmergedSiblings: summary.headIds.length - 1 };
      }),

    'runs.start': (request) => {
      const incident = mustGetOpenIncident(incidents, request.incidentId);
      const summary = mustGetSummary(request.runbookId);
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
      return mustGetRun(runId);
    },
    'runs.list': (request) => {
      mustGetIncident(incidents, request.incidentId);
      return runbooks.runs(request.incidentId);
    },
    'runs.setStep': (request) => {
      const run = mustGetRun(request.runId);
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
      // The evidence gate: a recovery action changes production, so required evidence comes first.
      let gateNote = '';
      let override = '';
      // Only going into done is gated: a note on a recovery step already done is not a new action.
      if (step.type === 'recovery' && request.state === 'done' && step.state !== 'done') {
        const missing = evidence.gate(run.incidentId).missing;
        if (missing.length > 0) {
          const shown = missing.slice(0, 10).map((a) => `${a.what}${a.asset ? ` (${a.asset})` : ''}: ${a.state}`);
          const list = `${shown.join('; ')}${missing.length > shown.length ? `; and ${missing.length - shown.length} more` : ''}`;
          if (request.override === undefined) {
            throw new ApiError(
              'conflict',
              `Preserve the evidence first: ${missing.length} required artifact${missing.length > 1 ? 's are' : ' is'} neither collected nor waived (${list}). To go ahead anyway, give the reason it cannot wait.`,
            );
          }
          override = request.override;
          gateNote = ` — evidence gate overridden (${missing.length} required artifact${missing.length > 1 ? 's' : ''} not collected: ${list}): ${request.override}`;
        }
      }

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
      return mustGetRun(run.id);
    },
    'runs.assign': (request) => {
      const run = mustGetRun(request.runId);
      mustBeActive(run, mustGetOpenIncident(incidents, run.incidentId));
      mustSteer(run, 'change who works it');
      const assignees = [...new Set(request.assignees)];
      if (assignees.join('\n') === run.assignees.join('\n')) return run;
      const at = now();
      replica.commitLocal([
        { entity: 'runbook_run', rowId: run.id, fields: { incidentId: run.incidentId, assignees } },
        systemEntry(run.incidentId, `${replica.actorId} assigned runbook "${run.title}" to ${assignees.join(', ')}`, at),
      ]);
      return mustGetRun(run.id);
    },
    'runs.stop': (request) => {
      const run = mustGetRun(request.runId);
      mustBeActive(run, mustGetOpenIncident(incidents, run.incidentId));
      mustSteer(run, 'stop it');
      const at = now();
      replica.commitLocal([
        { entity: 'runbook_run', rowId: run.id, fields: { incidentId: run.incidentId, status: 'stopped', stopReason: request.reason } },
        systemEntry(run.incidentId, `${replica.actorId} stopped runbook "${run.title}" at ${run.progress.settled} of ${run.progress.total} steps: ${request.reason}`, at),
      ]);
      return mustGetRun(run.id);
    },
  };
}
