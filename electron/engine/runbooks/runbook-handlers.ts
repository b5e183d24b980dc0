// Runbook calls: the versioned library (save, merge, archive, search, import and export as
// Markdown files) and runbook executions inside incidents, where every step change is written
// together with the timeline entry that records it.
import type { Handlers } from '@shared/contract';
import type { RunbookDeps } from './runbook-deps';
import { archiveRunbook, exportRunbooks, importRunbooks, runbookDetail, saveRunbook, suggestRunbooks } from './runbook-library';
import { assignRun, listRuns, setStep, startRun, stopRun } from './runbook-runs';

export type { RunbookDeps } from './runbook-deps';

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

export function runbookHandlers(deps: RunbookDeps): RunbookHandlers {
  const { runbooks } = deps;
  return {
    'runbooks.list': (request) => runbooks.summaries(request.includeArchived),
    'runbooks.get': (request) => runbookDetail(runbooks, request.id, request.versionId),
    'runbooks.save': (request) => saveRunbook(deps, request),
    'runbooks.archive': (request) => archiveRunbook(deps, request),
    'runbooks.search': (request) => runbooks.search(request.text, request.limit),
    'runbooks.suggest': (request) => suggestRunbooks(deps, request),
    'runbooks.import': (request) => importRunbooks(deps, request),
    'runbooks.export': () => exportRunbooks(runbooks),

    'runs.start': (request) => startRun(deps, request),
    'runs.list': (request) => listRuns(deps, request),
    'runs.setStep': (request) => setStep(deps, request),
    'runs.assign': (request) => assignRun(deps, request),
    'runs.stop': (request) => stopRun(deps, request),
  };
}
