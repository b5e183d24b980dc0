// The library's column of runbooks, or of search hits with the matched words marked. Each entry is
// a button; the arrow keys move through them and open the one reached.
import type { KeyboardEvent } from 'react';
import type { RunbookSearchHit, RunbookSummary } from '../../../../shared/domain/runbook';
import { localTime, utcTime } from '../../lib/time';
import { Highlighted } from '../war-room/highlighted';
import { MetaChips, plural, RunbookFlags } from './runbook-meta';

/** ArrowUp/ArrowDown (and Home/End) move to the neighbouring entry and open it. */
function moveWithArrows(event: KeyboardEvent<HTMLUListElement>) {
  const items = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('.rb-item')];
  const at = items.findIndex((item) => item === document.activeElement);
  const next =
    event.key === 'ArrowDown' ? at + 1 : event.key === 'ArrowUp' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : null;
  if (next === null || at < 0 || next < 0 || next >= items.length) return;
  event.preventDefault();
  items[next].focus();
  items[next].click();
}

export function RunbookList({ runbooks, selectedId, onSelect }: { runbooks: RunbookSummary[]; selectedId: string | null; onSelect: (id: string) => void }) {
  return (
    <ul className="rb-list" data-testid="runbook-list" aria-label="Runbooks" onKeyDown={moveWithArrows}>
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
    </ul>
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
    <ul className="rb-list" data-testid="search-results" aria-label="Runbooks found" onKeyDown={moveWithArrows}>
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
    </ul>
  );
}
