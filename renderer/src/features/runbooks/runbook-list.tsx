// The library's column of runbooks, or of search hits with the matched words marked. Each entry is
// a button; the arrow keys move through them and open the one reached.
import type { RunbookSearchHit, RunbookSummary } from '@shared/domain/runbook';
import { localTime, utcTime } from '../../lib/time';
import { EntryList } from '../library-shared/library-list';
import { Highlighted } from '../war-room/highlighted';
import { MetaChips, plural, RunbookFlags } from './runbook-meta';

export function RunbookList({ runbooks, selectedId, onSelect }: { runbooks: RunbookSummary[]; selectedId: string | null; onSelect: (id: string) => void }) {
  return (
    <EntryList testId="runbook-list" label="Runbooks" itemSelector=".rb-item">
      {runbooks.map((runbook) => (
        <li key={runbook.id}>
          <button
            type="button"
            className={runbook.isArchived ? 'rb-item is-archived' : 'rb-item'}
            data-testid="runbook-item"
            data-runbook-id={runbook.id}
            aria-current={runbook.id === selectedId ? 'true' : undefined}
            onClick={() => onSelect(runbook.id)}
          >
            <span className="rb-item-title" data-testid="runbook-item-title">
              {runbook.title}
            </span>
            <MetaChips meta={runbook} />
            {runbook.owner && <span className="rb-item-owner">{runbook.owner}</span>}
            <span className="rb-item-meta">
              <span>
                {plural(runbook.stepCount, 'step')} · {plural(runbook.versionCount, 'version')}
              </span>
              <span title={`Last saved by ${runbook.updatedBy} at ${utcTime(runbook.updatedAt)}`}>
                {runbook.updatedBy} · {localTime(runbook.updatedAt)}
              </span>
            </span>
            <RunbookFlags summary={runbook} />
          </button>
        </li>
      ))}
    </EntryList>
  );
}

interface SearchResultsProps {
  hits: RunbookSearchHit[];
  /** The library, for the flags of each runbook found. */
  library: RunbookSummary[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function SearchResults({ hits, library, selectedId, onSelect }: SearchResultsProps) {
  const byId = new Map(library.map((summary) => [summary.id, summary]));
  return (
    <EntryList testId="search-results" label="Runbooks found" itemSelector=".rb-item">
      {hits.map((hit) => (
        <li key={hit.runbookId}>
          <button
            type="button"
            className="rb-item"
            data-testid="search-result"
            data-runbook-id={hit.runbookId}
            aria-current={hit.runbookId === selectedId ? 'true' : undefined}
            onClick={() => onSelect(hit.runbookId)}
          >
            <span className="rb-item-title">{hit.title}</span>
            <span className="rb-snippet" data-testid="search-snippet">
              <Highlighted text={hit.snippet} />
            </span>
            {byId.has(hit.runbookId) && <RunbookFlags summary={byId.get(hit.runbookId) as RunbookSummary} />}
          </button>
        </li>
      ))}
    </EntryList>
  );
}
