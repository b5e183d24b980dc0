// The library's column of evidence checklists: name, the incident types each is for, how many items
// and how many of them are required, and which are Holdfast's built-in samples.
import type { ChecklistTemplate } from '@shared/domain/evidence';
import { EntryList, LibraryItem, type EntryColumnProps } from '../library-shared/library-list';
import { isBuiltIn } from './checklist-draft';
import { BuiltInBadge, IncidentTypeChips, plural } from './checklist-meta';

export function ChecklistList({ entries, selectedId, onSelect }: EntryColumnProps<ChecklistTemplate>) {
  return (
    <EntryList testId="checklist-list" label="Evidence checklists">
      {entries.map((template) => (
        <LibraryItem
          key={template.id}
          kind="checklist"
          id={template.id}
          name={template.name}
          badge={isBuiltIn(template) && <BuiltInBadge />}
          isCurrent={template.id === selectedId}
          onSelect={onSelect}
        >
          <IncidentTypeChips types={template.incidentTypes} />
          <span className="lib-item-meta" data-testid="checklist-item-counts">
            {plural(template.items.length, 'item')} · {template.items.filter((i) => i.isRequired).length} required
          </span>
        </LibraryItem>
      ))}
    </EntryList>
  );
}
