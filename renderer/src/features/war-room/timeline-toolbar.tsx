// Above the timeline: filter by kind and person, pinned only, and full-text search of this incident
// with the matched words highlighted; choosing a hit scrolls the timeline to it.
import { useEffect, useState } from 'react';
import type { SearchHit } from '@shared/domain/search';
import { timelineKinds, type TimelineKind } from '@shared/domain/timeline';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';
import { Highlighted } from './highlighted';
import { usePeople } from './use-people';

export function TimelineToolbar({ incidentId }: { incidentId: string }) {
  const filter = useStore((s) => s.timelineFilter);
  const setFilter = useStore((s) => s.setTimelineFilter);
  const setFocusEntry = useStore((s) => s.setFocusEntry);
  const people = usePeople();
  const [query, setQuery] = useState('');
  const [hits, setHits] = useState<SearchHit[] | null>(null);

  useEffect(() => {
    if (!query.trim()) {
      setHits(null);
      return;
    }
    let isCurrent = true;
    const timer = window.setTimeout(() => {
      void client()
        .call('search.query', { text: query, incidentId, limit: 50 })
        .then((found) => isCurrent && setHits(found))
        .catch((error: unknown) => useStore.setState({ roomError: `Search failed: ${error instanceof Error ? error.message : String(error)}` }));
    }, 120);
    return () => {
      isCurrent = false;
      window.clearTimeout(timer);
    };
  }, [query, incidentId]);

  const kinds = filter.kinds ?? [];
  const toggleKind = (kind: TimelineKind) => {
    const next = kinds.includes(kind) ? kinds.filter((k) => k !== kind) : [...kinds, kind];
    setFilter({ ...filter, kinds: next.length > 0 ? next : undefined });
  };

  return (
    <div className="timeline-toolbar">
      <div className="chips" role="group" aria-label="Filter by kind">
        {timelineKinds.map((kind) => (
          <button
            key={kind}
            type="button"
            className={`chip kind-badge-${kind}`}
            aria-pressed={kinds.includes(kind)}
            data-testid={`filter-kind-${kind}`}
            onClick={() => toggleKind(kind)}
          >
            {kind}
          </button>
        ))}
        <button
          type="button"
          className="chip"
          aria-pressed={filter.isPinnedOnly === true}
          data-testid="filter-pinned"
          onClick={() => setFilter({ ...filter, isPinnedOnly: filter.isPinnedOnly ? undefined : true })}
        >
          ★ pinned
        </button>
      </div>
      <select
        aria-label="Filter by person"
        data-testid="filter-person"
        value={filter.authorId ?? ''}
        onChange={(e) => setFilter({ ...filter, authorId: e.target.value || undefined })}
      >
        <option value="">Everyone</option>
        {people.map((p) => (
          <option key={p} value={p}>
            {p}
          </option>
        ))}
      </select>
      <div className="timeline-search">
        <input
          type="search"
          placeholder="Search this timeline"
          aria-label="Search this timeline"
          data-testid="timeline-search"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setQuery('');
          }}
        />
        {hits && (
          <ul className="search-hits" data-testid="search-hits">
            {hits.length === 0 && <li className="muted">No entries match.</li>}
            {hits.map((hit) => (
              <li key={hit.rowId}>
                <button
                  type="button"
                  data-testid="search-hit"
                  onClick={() => {
                    setFocusEntry(hit.rowId);
                    setQuery('');
                  }}
                >
                  <Highlighted text={hit.snippet} />
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
