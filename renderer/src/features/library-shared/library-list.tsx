// A library's column of entries (checklists, update templates, runbooks, search hits): each entry a
// button, the one open marked current; the arrow keys move through them and open the one reached.
import type { KeyboardEvent, ReactNode } from 'react';
import './library-shared.css';

/** ArrowUp/ArrowDown (and Home/End) move to the neighbouring entry (an element matching `itemSelector`) and open it. */
export const moveWithArrows = (itemSelector: string) => (event: KeyboardEvent<HTMLElement>) => {
  const items = [...event.currentTarget.querySelectorAll<HTMLButtonElement>(itemSelector)];
  const at = items.findIndex((item) => item === document.activeElement);
  const next = event.key === 'ArrowDown' ? at + 1 : event.key === 'ArrowUp' ? at - 1 : event.key === 'Home' ? 0 : event.key === 'End' ? items.length - 1 : null;
  if (next === null || at < 0 || next < 0 || next >= items.length) return;
  event.preventDefault();
  items[next].focus();
  items[next].click();
};

interface EntryListProps {
  testId: string;
  label: string;
  /** The entries' buttons, for the arrow keys: `.lib-item` unless the entries are drawn otherwise. */
  itemSelector?: string;
  children: ReactNode;
}

/** A plain list of entries; a list in groups puts `moveWithArrows` on its own container. */
export function EntryList({ testId, label, itemSelector = '.lib-item', children }: EntryListProps) {
  return (
    <ul className="lib-list" data-testid={testId} aria-label={label} onKeyDown={moveWithArrows(itemSelector)}>
      {children}
    </ul>
  );
}

/** A section's column of entries: which one is open, and what opening another does. */
export interface EntryColumnProps<T> {
  entries: T[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}

interface LibraryItemProps {
  /** `checklist` names the parts: data-testid checklist-item and checklist-item-name, data-checklist-id. */
  kind: string;
  id: string;
  name: string;
  /** Beside the name (built-in, customised). */
  badge?: ReactNode;
  isCurrent: boolean;
  onSelect: (id: string) => void;
  /** Below the name: chips, counts. */
  children: ReactNode;
}

export function LibraryItem({ kind, id, name, badge, isCurrent, onSelect, children }: LibraryItemProps) {
  return (
    <li>
      <button
        type="button"
        className="lib-item"
        data-testid={`${kind}-item`}
        {...{ [`data-${kind}-id`]: id }}
        aria-current={isCurrent ? 'true' : undefined}
        onClick={() => onSelect(id)}
      >
        <span className="lib-item-title">
          <span data-testid={`${kind}-item-name`}>{name}</span>
          {badge}
        </span>
        {children}
      </button>
    </li>
  );
}
