// The library's evidence checklists: what to preserve for each kind of incident, started from the
// war room's Evidence panel. The checklists on the left, the chosen one on the right with its items
// most volatile first; the editor takes the section while a checklist is written or changed.
import type { ChecklistTemplate } from '@shared/domain/evidence';
import { useEngineQuery } from '../../data/use-engine-query';
import { LibrarySection, useLibraryEntries } from '../library-shared/library-section';
import { EmptyState } from '../shell/empty-state';
import { isBuiltIn, newChecklistDraft } from './checklist-draft';
import { ChecklistDetail } from './checklist-detail';
import { ChecklistEditor } from './checklist-editor';
import { ChecklistList } from './checklist-list';
import { plural } from './checklist-meta';
import { useChecklistsView } from './library-view-store';

const byName = (a: ChecklistTemplate, b: ChecklistTemplate) => a.name.localeCompare(b.name);

export function ChecklistsSection() {
  const checklists = useEngineQuery('evidence.templates', {});
  const { list, selected, draft, takenIds, select, openEditor, closeEditor, onSaved, onRemoved } = useLibraryEntries(useChecklistsView, checklists, byName);
  const builtIns = list.filter(isBuiltIn).length;

  return (
    <LibrarySection
      name="checklists"
      title="Evidence checklists"
      summary={
        <>
          What to preserve before recovery, per kind of incident, started from the war room&apos;s Evidence panel.{' '}
          {checklists.value && (
            <>
              {plural(list.length, 'checklist')}
              {builtIns > 0 && `, ${builtIns} built in`}.
            </>
          )}
        </>
      }
      actions={
        <button type="button" className="button button-primary" data-testid="new-checklist" onClick={() => openEditor(newChecklistDraft())}>
          New checklist
        </button>
      }
      read={checklists}
      errorPrefix="Could not read the evidence checklists"
      editor={draft && <ChecklistEditor takenIds={takenIds} onCancel={closeEditor} onSaved={onSaved} />}
      empty={
        <EmptyState title="No evidence checklists">
          <p>
            Write one with <strong>New checklist</strong>: what to collect, from which asset and how, most volatile first. The war room offers it when an incident starts.
          </p>
        </EmptyState>
      }
      listLabel="Evidence checklists"
      list={<ChecklistList entries={list} selectedId={selected?.id ?? null} onSelect={select} />}
      detail={selected && <ChecklistDetail key={selected.id} template={selected} onEdit={openEditor} onRemoved={onRemoved} />}
    />
  );
}
