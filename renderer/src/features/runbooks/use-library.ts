// The runbook library while it is on screen: the list, one runbook's detail and search results,
// each read from the engine and read again whenever it says the `library` stream changed (a save
// here, an import from the CLI, or versions that arrived by sync: data/invalidation.ts).
import type { RunbookDetail, RunbookSearchHit, RunbookSummary } from '@shared/domain/runbook';
import { engineKey, showAnswer, useEngineQuery, type EngineQuery } from '../../data/use-engine-query';

export interface Live<T> {
  /** The answer for the current key, or null while it loads (or when it failed). */
  value: T | null;
  error: string | null;
  isLoading: boolean;
  /** While another key loads: the answer for the previous key, to keep on screen meanwhile. */
  stale: T | null;
}

/** A read as the runbook views take it: the last request's answer apart, as `stale`. */
function live<T>(read: EngineQuery<T>, isAsked: boolean): Live<T> {
  if (!isAsked) return { value: null, error: null, isLoading: false, stale: null };
  const value = read.isPrevious ? null : read.value;
  return { value, error: read.error, isLoading: value === null && read.error === null, stale: read.isPrevious ? read.value : null };
}

/** Every runbook of the library, archived ones included (the page hides those unless asked). */
export function useRunbookList(): Live<RunbookSummary[]> {
  return live(useEngineQuery('runbooks.list', { includeArchived: true }, { keepPrevious: true }), true);
}

/** One runbook as the library holds it: the version asked for (or the current one), siblings, history. */
export function useRunbookDetail(id: string | null, versionId: string | null): Live<RunbookDetail> {
  const request = versionId === null ? { id: id ?? '' } : { id: id ?? '', versionId };
  return live(useEngineQuery('runbooks.get', request, { enabled: id !== null, keepPrevious: true }), id !== null);
}

/** Shows `detail` as the current version of its runbook at once (the answer of a save). */
export function primeRunbookDetail(detail: RunbookDetail): void {
  showAnswer(engineKey('runbooks.get', { id: detail.summary.id }), detail);
}

/** Full-text search of the library; null when there is nothing to search for. */
export function useRunbookSearch(text: string): Live<RunbookSearchHit[]> {
  return live(useEngineQuery('runbooks.search', { text, limit: 50 }, { enabled: text !== '', keepPrevious: true }), text !== '');
}
