// The runbook library while it is on screen: the list, one runbook's detail and search results,
// each read from the engine and read again whenever it says the `library` stream changed (a save
// here, an import from the CLI, or versions that arrived by sync).
import { useEffect, useState } from 'react';
import type { RunbookDetail, RunbookSearchHit, RunbookSummary } from '@shared/domain/runbook';
import { libraryStream } from '@shared/entities';
import { messageOf } from '../../lib/use-action';
import { onStreamsChanged } from '../../lib/use-engine-value';
import { client } from '../../store/client-ref';

const libraryStreams = [libraryStream];

export interface Live<T> {
  /** The answer for the current key, or null while it loads (or when it failed). */
  value: T | null;
  error: string | null;
  isLoading: boolean;
  /** While another key loads: the answer for the previous key, to keep on screen meanwhile. */
  stale: T | null;
}

interface Answer<T> {
  key: string;
  value: T | null;
  error: string | null;
}

/** Answers kept from a save, so the runbook it opens shows at once instead of "Loading…". */
const primed = new Map<string, unknown>();

/**
 * Reads `load()` for `key` now and again on every library change, keeping only the newest answer
 * (a slow read never overwrites a later one). A null key reads nothing.
 */
function useLive<T>(key: string | null, load: () => Promise<T>): Live<T> {
  const [answer, setAnswer] = useState<Answer<T> | null>(null);
  useEffect(() => {
    if (key === null) return;
    if (primed.has(key)) {
      setAnswer({ key, value: primed.get(key) as T, error: null });
      primed.delete(key);
    }
    let isCurrent = true;
    let asked = 0;
    const read = () => {
      const mine = ++asked;
      load().then(
        (value) => {
          if (isCurrent && mine === asked) setAnswer({ key, value, error: null });
        },
        (error: unknown) => {
          if (isCurrent && mine === asked) setAnswer((old) => ({ key, value: old?.key === key ? old.value : null, error: messageOf(error) }));
        },
      );
    };
    read();
    const off = onStreamsChanged(libraryStreams, read);
    return () => {
      isCurrent = false;
      off();
    };
    // `load` is a fresh closure each render; what it reads is fixed by `key`.
    // eslint-disable-next-line react-hooks/exhaustive-deps -- see above
  }, [key]);
  const isForKey = key !== null && answer?.key === key;
  if (!isForKey && key !== null && primed.has(key)) return { value: primed.get(key) as T, error: null, isLoading: false, stale: null };
  return {
    value: isForKey ? answer.value : null,
    error: isForKey ? answer.error : null,
    isLoading: key !== null && !isForKey,
    stale: isForKey ? null : (answer?.value ?? null),
  };
}

/** Every runbook of the library, archived ones included (the page hides those unless asked). */
export function useRunbookList(): Live<RunbookSummary[]> {
  return useLive('list', () => client().call('runbooks.list', { includeArchived: true }));
}

const detailKey = (id: string, versionId: string | null) => `detail:${id}:${versionId ?? 'current'}`;

/** One runbook as the library holds it: the version asked for (or the current one), siblings, history. */
export function useRunbookDetail(id: string | null, versionId: string | null): Live<RunbookDetail> {
  return useLive(id === null ? null : detailKey(id, versionId), () =>
    client().call('runbooks.get', versionId === null ? { id: id as string } : { id: id as string, versionId }),
  );
}

/** Shows `detail` as the current version of its runbook at once (the answer of a save). */
export function primeRunbookDetail(detail: RunbookDetail): void {
  primed.set(detailKey(detail.summary.id, null), detail);
}

/** Full-text search of the library; null when there is nothing to search for. */
export function useRunbookSearch(text: string): Live<RunbookSearchHit[]> {
  return useLive(text === '' ? null : `search:${text}`, () => client().call('runbooks.search', { text, limit: 50 }));
}
