// The versioned runbook library: save a version (new runbook, edit or merge of siblings), archive,
// suggest runbooks for an incident, and import and export the library as Markdown files.
import type { ParsedRequest } from '@shared/contract';
import {
  maxParents,
  type RunbookDetail,
  type RunbookExportFile,
  type RunbookFileReport,
  type RunbookImportReport,
  type RunbookSummary,
  type RunbookVersion,
} from '@shared/domain/runbook';
import { canonicalRunbookSource, runbookIdOf } from '@shared/domain/runbook-canonical';
import { parseRunbook, type ParsedRunbook } from '@shared/domain/runbook-format';
import { ApiError } from '@shared/errors';
import type { OpDraft } from '@shared/ops';
import { mustGetIncident } from '../incidents/incident-handlers';
import type { RunbookDeps } from './runbook-deps';
import type { RunbookStore } from './runbook-store';

export function saveRunbook({ replica, runbooks }: RunbookDeps, request: ParsedRequest<'runbooks.save'>): RunbookDetail {
  const parsed = parsedOrThrow(normalize(request.source));
  const declared = parsed.meta.id;
  // One id rule for the editor and for import: the front matter's id, else the slug of the title.
  const source = canonicalRunbookSource(request.source, parsed.meta, request.runbookId ?? runbookIdOf(parsed.meta));
  if (request.runbookId === undefined) {
    const id = runbookIdOf(parsed.meta);
    if (!id) throw new ApiError('bad_request', 'Give the runbook an id in its front matter (id: lower-case-words): its title has no letters or digits to make one from.');
    if (request.parents.length > 0) throw new ApiError('bad_request', 'A new runbook has no parents; give runbookId to save a new version of an existing one.');
    if (runbooks.heads(id).length > 0) {
      throw new ApiError('conflict', `A runbook with id "${id}" exists already: edit that one, or give this one another id in its front matter.`);
    }
    replica.commitLocal([versionDraft(id, [], source, request.note)]);
    return runbookDetail(runbooks, id);
  }
  const id = request.runbookId;
  mustGetSummary(runbooks, id);
  if (declared !== null && declared !== id) {
    throw new ApiError('bad_request', `The front matter says id "${declared}" but this is runbook "${id}": a runbook's id cannot change; create a new runbook instead.`);
  }
  if (request.parents.length === 0)
    throw new ApiError('bad_request', 'Say which version the edit started from (parents): the version you opened, or every sibling when merging.');
  const parents = [...new Set(request.parents)];
  for (const parentId of parents) {
    const parent = runbooks.version(parentId);
    if (!parent || parent.runbookId !== id) throw new ApiError('bad_request', `Version ${parentId} is not a version of runbook "${id}" on this replica.`);
  }
  // Saving what is already there (one parent, same text) records nothing.
  if (parents.length === 1 && runbooks.version(parents[0])?.source === source) return runbookDetail(runbooks, id);
  replica.commitLocal([versionDraft(id, parents, source, request.note)]);
  return runbookDetail(runbooks, id);
}

export function archiveRunbook({ replica, runbooks }: RunbookDeps, request: ParsedRequest<'runbooks.archive'>): RunbookSummary {
  const summary = mustGetSummary(runbooks, request.id);
  if (summary.isArchived !== request.isArchived) replica.commitLocal([{ entity: 'runbook', rowId: request.id, fields: { isArchived: request.isArchived } }]);
  return mustGetSummary(runbooks, request.id);
}

export function suggestRunbooks({ incidents, runbooks }: RunbookDeps, request: ParsedRequest<'runbooks.suggest'>): RunbookSummary[] {
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
}

export function importRunbooks({ replica, runbooks }: RunbookDeps, request: ParsedRequest<'runbooks.import'>): RunbookImportReport {
  // Code-point order, the same on every machine whatever its locale.
  const files = [...request.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const reports: RunbookFileReport[] = [];
  const drafts: OpDraft[] = [];
  const claimed = new Map<string, string>();
  for (const file of files) {
    const report: RunbookFileReport = { path: file.path, runbookId: null, outcome: 'rejected', errors: [], notes: [], mergedSiblings: 0 };
    reports.push(report);
    const parsed = parseRunbook(normalize(file.source), { strict: request.strict });
    if (!parsed.ok) {
      report.errors = parsed.errors;
      continue;
    }
    report.notes = parsed.runbook.notes;
    // The same rule as the editor's: a runbook saved there and the same file imported are one runbook.
    const id = runbookIdOf(parsed.runbook.meta);
    if (!id) {
      report.errors = ['the title gives no runbook id (it has no letters or digits): add id: to the front matter, such as id: database-failover'];
      continue;
    }
    report.runbookId = id;
    const source = canonicalRunbookSource(file.source, parsed.runbook.meta, id);
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
}

export function exportRunbooks(runbooks: RunbookStore): RunbookExportFile[] {
  return runbooks.summaries(false).map((summary) => {
    const version = runbooks.version(summary.currentVersionId);
    if (!version) throw new Error(`current version ${summary.currentVersionId} of ${summary.id} cannot be read`);
    return { runbookId: summary.id, fileName: `${summary.id}.md`, source: version.source, versionId: version.id, unmergedSiblings: summary.headIds.length - 1 };
  });
}

export function runbookDetail(runbooks: RunbookStore, id: string, versionId?: string): RunbookDetail {
  const summary = mustGetSummary(runbooks, id);
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
}

export function mustGetSummary(runbooks: RunbookStore, id: string): RunbookSummary {
  const summary = runbooks.summary(id);
  if (!summary) throw new ApiError('not_found', `No runbook ${id} in this replica's library; it may not have synced here yet.`);
  return summary;
}

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
