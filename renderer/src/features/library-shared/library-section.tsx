// A section of the library (evidence checklists, update templates): its title and summary with New
// beside them, then its entries on the left and the one open on the right; the editor takes the
// section while an entry is written or changed. The entries are read from the engine and read again
// when the library changes; a save or a removal shows at once.
import type { ReactNode } from 'react';
import type { EngineQuery } from '../../data/use-engine-query';
import type { EntryViewStore } from './entry-view-store';
import './library-shared.css';

interface ListDetailLayoutProps {
  /** Added to the layout's classes (another width for the list). */
  className?: string;
  listLabel: string;
  list: ReactNode;
  detail: ReactNode;
}

/** The list on the left, the entry open on the right, each scrolling on its own. */
export function ListDetailLayout({ className, listLabel, list, detail }: ListDetailLayoutProps) {
  return (
    <div className={className ? `lib-layout ${className}` : 'lib-layout'}>
      <aside className="lib-list-pane" aria-label={listLabel}>
        {list}
      </aside>
      <div className="lib-detail-pane">{detail}</div>
    </div>
  );
}

interface LibrarySectionProps {
  /** `checklists` names the parts: library-checklists, checklists-summary, checklists-error, lib-checklists-heading. */
  name: string;
  title: string;
  /** Under the title: what the section holds, and how many. */
  summary: ReactNode;
  /** Beside the title while no editor is open. */
  actions: ReactNode;
  /** Under the title: the outcome of something just done (an import). */
  banner?: ReactNode;
  /** The entries as read from the engine: loading, failed (said after `errorPrefix`), none, or some. */
  read: Pick<EngineQuery<readonly unknown[]>, 'value' | 'error' | 'isLoading'>;
  errorPrefix: string;
  /** The editor, when one is open. */
  editor: ReactNode;
  /** Said when there are no entries (and no error). */
  empty: ReactNode;
  listLabel: string;
  list: ReactNode;
  detail: ReactNode;
}

export function LibrarySection({ name, title, summary, actions, banner, read, errorPrefix, editor, empty, listLabel, list, detail }: LibrarySectionProps) {
  const { error } = read;
  return (
    <section className="lib-section" aria-labelledby={`lib-${name}-heading`} data-testid={`library-${name}`}>
      <header className="lib-section-head">
        <div>
          <h2 id={`lib-${name}-heading`}>{title}</h2>
          <p className="muted lib-section-subtitle" data-testid={`${name}-summary`}>
            {summary}
          </p>
        </div>
        {!editor && actions}
      </header>
      {banner}

      {error && (
        <div className="banner banner-bad" role="alert" data-testid={`${name}-error`}>
          {errorPrefix}: {error}
        </div>
      )}
      {editor ? (
        editor
      ) : read.isLoading ? (
        <p className="muted">Reading the library…</p>
      ) : (read.value ?? []).length === 0 ? (
        !error && empty
      ) : (
        <ListDetailLayout listLabel={listLabel} list={list} detail={detail} />
      )}
    </section>
  );
}

/**
 * A section's entries in `order`, the one open (none chosen yet, or the one chosen was removed here
 * or on another replica: the first), and what to do when the engine answers a save or a removal.
 */
export function useLibraryEntries<T extends { id: string }, D>(useView: EntryViewStore<D>, entries: EngineQuery<T[]>, order: (a: T, b: T) => number) {
  const selectedId = useView((s) => s.selectedId);
  const draft = useView((s) => s.draft);
  const { select, openEditor, closeEditor } = useView.getState();
  const list = [...(entries.value ?? [])].sort(order);
  const selected = list.find((entry) => entry.id === selectedId) ?? list[0] ?? null;

  return {
    list,
    selected,
    draft,
    /** Ids in the library, so a new entry is never saved over another one. */
    takenIds: new Set(list.map((entry) => entry.id)),
    select,
    openEditor,
    closeEditor,
    /** Shows the saved entry at once, open, while the list is read again. */
    onSaved: (saved: T) => {
      entries.show([...list.filter((entry) => entry.id !== saved.id), saved].sort(order));
      entries.reload();
      select(saved.id);
      closeEditor();
    },
    /** Shows the entries the engine answered a removal with. */
    onRemoved: (remaining: T[]) => {
      entries.show(remaining);
      select(null);
    },
  };
}
