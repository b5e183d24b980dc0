// The library's evidence checklists: what to preserve for each kind of incident, started from the
// war room's Evidence panel. The checklists on the left, the chosen one on the right with its items
// most volatile first; the editor takes the section while a checklist is written or changed.
import type { ChecklistTemplate } from '../../../../shared/domain/evidence';
import { EmptyState } from '../shell/empty-state';
import { isBuiltIn, newChecklistDraft } from './checklist-draft';
import { ChecklistDetail } from './checklist-detail';
import { ChecklistEditor } from './checklist-editor';
import { ChecklistList } from './checklist-list';
import { plural } from './checklist-meta';
import { useLibraryView } from './library-view-store';
import { useChecklists } from './use-checklists';

export function ChecklistsSection() {
  const checklistId = useLibraryView((s) => s.checklistId);
  const draft = useLibraryView((s) => s.draft);
  const { selectChecklist, openEditor, closeEditor } = useLibraryView.getState();
  const { templates, error, isLoading, showSaved, showRemaining } = useChecklists();
  const list = templates ?? [];
  // None chosen yet, or the one chosen was removed (here or on another replica): the first opens.
  const selected = list.find((t) => t.id === checklistId) ?? list[0] ?? null;

  const onSaved = (saved: ChecklistTemplate) => {
    showSaved(saved);
    selectChecklist(saved.id);
    closeEditor();
  };

  const builtIns = list.filter(isBuiltIn).length;

  return (
    <section className="lib-section" aria-labelledby="lib-checklists-heading" data-testid="library-checklists">
      <header className="lib-section-head">
        <div>
          <h2 id="lib-checklists-heading">Evidence checklists</h2>
          <p className="muted lib-section-subtitle" data-testid="checklists-summary">
            What to preserve before recovery, per kind of incident, started from the war room&apos;s Evidence panel.{' '}
            {templates && (
              <>
                {plural(list.length, 'checklist')}
                {builtIns > 0 && `, ${builtIns} built in`}.
              </>
            )}
          </p>
        </div>
        {!draft && (
          <button type="button" className="button button-primary" data-testid="new-checklist" onClick={() => openEditor(newChecklistDraft())}>
            New checklist
          </button>
        )}
      </header>

      {error && (
        <div className="banner banner-bad" role="alert" data-testid="checklists-error">
          Could not read the evidence checklists: {error}
        </div>
      )}
      {draft ? (
        <ChecklistEditor takenIds={new Set(list.map((t) => t.id))} onCancel={closeEditor} onSaved={onSaved} />
      ) : isLoading ? (
        <p className="muted">Reading the library…</p>
      ) : list.length === 0 ? (
        !error && (
          <EmptyState title="No evidence checklists">
            <p>
              Write one with <strong>New checklist</strong>: what to collect, from which asset and how, most volatile first. The war room offers it
              when an incident starts.
            </p>
          </EmptyState>
        )
      ) : (
        <div className="lib-layout">
          <aside className="lib-list-pane" aria-label="Evidence checklists">
            <ChecklistList templates={list} selectedId={selected?.id ?? null} onSelect={selectChecklist} />
          </aside>
          <div className="lib-detail-pane">
            {selected && (
              <ChecklistDetail
                key={selected.id}
                template={selected}
                onEdit={openEditor}
                onRemoved={(remaining) => {
                  showRemaining(remaining);
                  selectChecklist(null);
                }}
              />
            )}
          </div>
        </div>
      )}
    </section>
  );
}
