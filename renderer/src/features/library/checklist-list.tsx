// The library's column of evidence checklists: name, the incident types each is for, how many items
// and how many of them are required, and which are Holdfast's built-in samples. Each entry is a
// button; the arrow keys move through them and open the one reached.
import type { KeyboardEvent } from 'react';
import type { ChecklistTemplate } from '../../../../shared/domain/evidence';
import { isBuiltIn } from './checklist-draft';
import { BuiltInBadge, IncidentTypeChips, plural } from './checklist-meta';

/** ArrowUp/ArrowDown (and Home/End) move to the neighbouring entry and open it. */
function moveWithArrows(event: KeyboardEvent<HTMLUListElement>) {
  const items = [...event.currentTarget.querySelectorAll<HTMLButtonElement>('.lib-item')];
  const at = items.findIndex((item) => item === document.activeElement);
  const next =
    event.key === 'ArrowDown' ? at + 1 : event.key === 'ArrowUp' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : null;
  if (next === null || at < 0 || next < 0 || next >= items.length) return;
  event.preventDefault();
  items[next].focus();
  items[next].click();
}

interface ChecklistListProps {
  templates: ChecklistTemplate[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

export function ChecklistList({ templates, selectedId, onSelect }: ChecklistListProps) {
  return (
    <ul className="lib-list" data-testid="checklist-list" aria-label="Evidence checklists" onKeyDown={moveWithArrows}>
      {templates.map((template) => {
        const required = template.items.filter((i) => i.isRequired).length;
        return (
          <li key={template.id}>
            <button
              type="button"
              className="lib-item"
              data-testid="checklist-item"
              data-checklist-id={template.id}
              aria-current={template.id === selectedId ? 'true' : undefined}
              onClick={() => onSelect(template.id)}
            >
              <span className="lib-item-title">
                <span data-testid="checklist-item-name">{template.name}</span>
                {isBuiltIn(template) && <BuiltInBadge />}
              </span>
              <IncidentTypeChips types={template.incidentTypes} />
              <span className="lib-item-meta" data-testid="checklist-item-counts">
                {plural(template.items.length, 'item')} · {required} required
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
