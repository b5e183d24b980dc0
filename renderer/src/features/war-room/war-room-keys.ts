// The war room's keys, outside text fields: Ctrl/Cmd+K opens the command palette (anywhere), E
// puts the cursor in the quick-entry box and / in the timeline search. Focus helpers for actions
// that send the person somewhere to type: the place may only appear after the next render (the
// timeline pane was hidden, the palette was still closing).
import { useEffect } from 'react';
import { useStore } from '../../store';

/** The key that puts the cursor in the quick-entry box (README, sidebar hint and box placeholder say so). */
export const entryKey = 'e';
/** The key that puts the cursor in the timeline search. */
export const searchKey = '/';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/**
 * Focuses the element with `testId` as soon as it is on the page (within about half a second), and
 * puts the cursor at the end of its text. Returns whether it found one.
 */
export function focusWhenShown(testId: string, frames = 30): Promise<boolean> {
  return new Promise((resolve) => {
    const attempt = (left: number) => {
      const element = document.querySelector<HTMLElement>(`[data-testid="${testId}"]`);
      if (element && element.isConnected && !element.closest('dialog:not([open])')) {
        element.focus();
        if (element instanceof HTMLTextAreaElement || element instanceof HTMLInputElement) {
          const end = element.value.length;
          try {
            element.setSelectionRange(end, end);
          } catch {
            // Inputs without a text cursor (dates) keep theirs.
          }
        }
        resolve(document.activeElement === element);
        return;
      }
      if (left <= 0) resolve(false);
      else requestAnimationFrame(() => attempt(left - 1));
    };
    attempt(frames);
  });
}

/** Shows the timeline pane and puts the cursor in the quick-entry box. */
export function focusEntryBox(): Promise<boolean> {
  useStore.getState().setWarPane('timeline');
  return focusWhenShown('quick-entry-text');
}

/** Shows the timeline pane and puts the cursor in the timeline search. */
export function focusTimelineSearch(): Promise<boolean> {
  useStore.getState().setWarPane('timeline');
  return focusWhenShown('timeline-search');
}

export function useWarRoomKeys(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const state = useStore.getState();
      if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
        event.preventDefault();
        state.setPaletteOpen(!state.isPaletteOpen);
        return;
      }
      if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTyping(event.target)) return;
      // A dialog (palette, action, declare) has the keyboard while it is open.
      if (state.isPaletteOpen || state.dialog !== null || document.querySelector('dialog[open]')) return;
      if (event.key === entryKey || event.key === entryKey.toUpperCase()) {
        event.preventDefault();
        void focusEntryBox();
      } else if (event.key === searchKey) {
        event.preventDefault();
        void focusTimelineSearch();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
