// Keyboard shortcuts that work anywhere outside a text field: N declares, Alt+1…7 switch views.
import { useEffect } from 'react';
import { useStore } from '../../store';
import { views } from './shell-slice';

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

export function useGlobalShortcuts(): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const { isDeclareOpen, setDeclareOpen, setView, link } = useStore.getState();
      if (link.kind === 'web-no-token' || isDeclareOpen) return;
      if (event.altKey && !event.ctrlKey && !event.metaKey && /^Digit[1-9]$/.test(event.code) && Number(event.code.slice(5)) <= views.length) {
        event.preventDefault();
        setView(views[Number(event.code.slice(5)) - 1]);
        return;
      }
      if (isTyping(event.target) || event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.key === 'n' || event.key === 'N') {
        event.preventDefault();
        setView('incidents');
        setDeclareOpen(true);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
