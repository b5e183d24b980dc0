// Ctrl/Cmd+K: every war-room action by name. Type a few letters of any words, arrows to choose,
// Enter to run, Escape to close. Its foot lists the war room's keys (./war-room-keys).
import { useEffect, useMemo, useRef, useState } from 'react';
import { useStore } from '../../store';
import type { Action } from './actions';

/** Actions the user may take whose label (or group) contains every typed word, in catalogue order. */
export function matchActions(actions: Action[], query: string): Action[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return actions.filter((action) => {
    if (action.disabledWhy) return false;
    const haystack = `${action.group} ${action.label}`.toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

export function CommandPalette({ actions }: { actions: Action[] }) {
  const isOpen = useStore((s) => s.isPaletteOpen);
  const setOpen = useStore((s) => s.setPaletteOpen);
  const dialog = useRef<HTMLDialogElement>(null);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState(0);
  const matches = useMemo(() => matchActions(actions, query), [actions, query]);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (isOpen && !element.open) {
      setQuery('');
      setSelected(0);
      element.showModal();
    } else if (!isOpen && element.open) {
      element.close();
    }
  }, [isOpen]);

  const run = (action: Action | undefined) => {
    if (!action) return;
    // Closed before the action runs: closing gives focus back to where it was when the palette
    // opened, which would undo an action that puts the cursor somewhere to type.
    dialog.current?.close();
    setOpen(false);
    action.run();
  };

  return (
    <dialog ref={dialog} className="dialog palette" aria-label="Command palette" data-testid="command-palette" onClose={() => setOpen(false)}>
      <input
        autoFocus
        className="palette-input"
        data-testid="palette-input"
        placeholder="Type an action: status, assign, hand over, freeze, task, pinned…"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setSelected(0);
        }}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            setSelected((i) => Math.min(i + 1, matches.length - 1));
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            setSelected((i) => Math.max(i - 1, 0));
          } else if (e.key === 'Enter') {
            e.preventDefault();
            run(matches[selected]);
          }
        }}
      />
      <ul className="palette-list" aria-label="Matching actions">
        {matches.length === 0 && <li className="muted">No action matches.</li>}
        {matches.map((action, index) => (
          <li key={action.id} data-selected={index === selected}>
            <button
              type="button"
              data-testid="palette-item"
              aria-current={index === selected ? 'true' : undefined}
              onMouseEnter={() => setSelected(index)}
              onClick={() => run(action)}
            >
              <span className="muted small palette-group">{action.group}</span> {action.label}
            </button>
          </li>
        ))}
      </ul>
      <p className="palette-keys muted small" data-testid="palette-keys">
        In the war room: <kbd>E</kbd> entry box · <kbd>/</kbd> search · <kbd>Ctrl</kbd>+<kbd>K</kbd> this palette · <kbd>Esc</kbd> close
      </p>
    </dialog>
  );
}
