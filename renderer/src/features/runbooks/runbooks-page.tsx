// Runbooks: the versioned library of procedures, kept on every replica so it reads offline. The
// runbooks (or search hits) on the left, the chosen one on the right with its steps, history and
// sibling versions; the editor takes the whole page while a runbook is written, edited or merged.
import { useDeferredValue, useEffect, useRef, useState } from 'react';
import type { RunbookDetail as Detail } from '@shared/domain/runbook';
import { ListDetailLayout } from '../library-shared/library-section';
import { EmptyState } from '../shell/empty-state';
import { PageHeader } from '../shell/page-header';
import { newRunbookDraft } from './editor-draft';
import { RunbookDetail } from './runbook-detail';
import { RunbookEditor } from './runbook-editor';
import { RunbookImport } from './runbook-import';
import { RunbookList, SearchResults } from './runbook-list';
import { plural } from './runbook-meta';
import { useRunbooksView } from './runbooks-view-store';
import { primeRunbookDetail, useRunbookDetail, useRunbookList, useRunbookSearch } from './use-library';
import './runbooks.css';

const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export function RunbooksPage() {
  const includeArchived = useRunbooksView((s) => s.includeArchived);
  const query = useRunbooksView((s) => s.query);
  const selection = useRunbooksView((s) => s.selection);
  const draft = useRunbooksView((s) => s.draft);
  const { setIncludeArchived, setQuery, select: setSelection, openEditor: setDraft, closeEditor } = useRunbooksView.getState();
  const searchBox = useRef<HTMLInputElement>(null);
  const [isImporting, setImporting] = useState(false);

  // Archived runbooks are read too, and hidden here: the page knows whether there are any.
  const list = useRunbookList();
  const search = useRunbookSearch(useDeferredValue(query.trim()));
  // The hits of the previous text stay while the next ones load, so typing does not flicker.
  const hits = search.value ?? search.stale;
  const library = list.value ?? [];
  const runbooks = includeArchived ? library : library.filter((r) => !r.isArchived);
  const archivedCount = library.length - library.filter((r) => !r.isArchived).length;
  const firstId = runbooks[0]?.id ?? null;
  const selectedId = selection?.id ?? firstId;
  const versionId = selection?.versionId ?? null;

  // Nothing chosen yet: the first runbook opens, so the page never shows an empty half. Chosen for
  // good, so a runbook archived while open stays open with its Restore button.
  useEffect(() => {
    if (selection === null && firstId !== null) setSelection({ id: firstId, versionId: null });
  }, [selection, firstId, setSelection]);
  const detail = useRunbookDetail(selectedId, versionId);
  const shownDetail = detail.value ?? (detail.error ? null : detail.stale);

  // "/" jumps to the search box from anywhere on the page.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || isTyping(event.target)) return;
      if (!searchBox.current) return;
      event.preventDefault();
      searchBox.current.focus();
      searchBox.current.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const onSaved = (saved: Detail) => {
    // The save answers with the runbook as it now is: shown at once when it opens another view.
    if (selectedId !== saved.summary.id || versionId !== null) primeRunbookDetail(saved);
    setSelection({ id: saved.summary.id, versionId: null });
    closeEditor();
  };

  // An empty library opens the import at once; it stays open, with its report, after importing.
  const isLibraryEmpty = !list.isLoading && library.length === 0 && !list.error;
  useEffect(() => {
    if (isLibraryEmpty) setImporting(true);
  }, [isLibraryEmpty]);

  if (draft) {
    return (
      <div className="runbooks-page">
        <RunbookEditor draft={draft} onCancel={closeEditor} onSaved={onSaved} />
      </div>
    );
  }

  const overdue = library.filter((r) => !r.isArchived && r.isReviewOverdue).length;
  const unmerged = library.filter((r) => !r.isArchived && r.headIds.length > 1).length;
  const isSearching = query.trim() !== '';
  const isEmpty = !list.isLoading && library.length === 0 && !list.error;

  return (
    <div className="runbooks-page" data-testid="runbooks-page">
      <PageHeader
        title="Runbooks"
        subtitle={
          <>
            {plural(library.length - archivedCount, 'runbook')} on this replica, readable offline
            {overdue > 0 && <span className="rb-subtitle-flag"> · {overdue} due for review</span>}
            {unmerged > 0 && <span className="rb-subtitle-flag"> · {plural(unmerged, 'runbook')} with versions to merge</span>}
          </>
        }
        actions={
          <>
            <button type="button" className="button" data-testid="import-runbooks" aria-expanded={isImporting} onClick={() => setImporting(!isImporting)}>
              Import…
            </button>
            <button type="button" className="button button-primary" data-testid="new-runbook" onClick={() => setDraft(newRunbookDraft(Date.now()))}>
              New runbook
            </button>
          </>
        }
      />
      {isImporting && <RunbookImport onOpen={(id) => setSelection({ id, versionId: null })} />}
      {list.error && (
        <div className="banner banner-bad" role="alert">
          Could not read the runbook library: {list.error}
        </div>
      )}
      {isEmpty ? (
        <EmptyState title="No runbooks in the library yet">
          <p>
            Write one with <strong>New runbook</strong>: it starts from an example with one step of each kind. Or import your Markdown runbooks above, or a folder kept in
            git from the command line (it works while this app runs):
          </p>
          <p>
            <code className="rb-empty-command">holdfast runbooks import DIR</code>
          </p>
          <p>Every replica keeps the whole library, so runbooks stay readable when the network is down.</p>
        </EmptyState>
      ) : (
        <ListDetailLayout
          className="rb-layout"
          listLabel="Runbook library"
          list={
            <>
              <div className="rb-list-tools">
                <input
                  ref={searchBox}
                  type="search"
                  className="rb-search"
                  data-testid="runbook-search"
                  aria-label="Search runbooks"
                  placeholder="Search titles, steps, commands  ( / )"
                  value={query}
                  onChange={(e) => setQuery(e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape') setQuery('');
                  }}
                />
                <label className="rb-archived-toggle">
                  <input type="checkbox" data-testid="show-archived" checked={includeArchived} onChange={(e) => setIncludeArchived(e.target.checked)} />
                  Show archived{archivedCount > 0 && ` (${archivedCount})`}
                </label>
              </div>
              {isSearching ? (
                search.error ? (
                  <p className="muted" role="alert">
                    Search failed: {search.error}
                  </p>
                ) : hits === null ? (
                  <p className="muted">Searching…</p>
                ) : hits.length === 0 ? (
                  <p className="muted" data-testid="search-no-match">
                    No runbook mentions “{query.trim()}”.
                  </p>
                ) : (
                  <SearchResults hits={hits} library={library} selectedId={selectedId} onSelect={(id) => setSelection({ id, versionId: null })} />
                )
              ) : list.isLoading ? (
                <p className="muted">Loading the library…</p>
              ) : runbooks.length === 0 ? (
                <p className="muted" data-testid="all-archived">
                  Every runbook is archived: tick Show archived to see them.
                </p>
              ) : (
                <RunbookList runbooks={runbooks} selectedId={selectedId} onSelect={(id) => setSelection({ id, versionId: null })} />
              )}
            </>
          }
          detail={
            shownDetail ? (
              // While the next runbook loads the last one stays, dimmed and out of reach.
              <div className={detail.value ? undefined : 'rb-stale'} inert={!detail.value}>
                <RunbookDetail
                  key={shownDetail.summary.id}
                  detail={shownDetail}
                  onOpenVersion={(id) => setSelection({ id: shownDetail.summary.id, versionId: id })}
                  onEdit={setDraft}
                />
              </div>
            ) : detail.error ? (
              <div className="banner banner-bad" role="alert">
                Could not open the runbook: {detail.error}
              </div>
            ) : detail.isLoading ? (
              <p className="muted">Opening the runbook…</p>
            ) : null
          }
        />
      )}
    </div>
  );
}
