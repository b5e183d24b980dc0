// Copying text to the clipboard with feedback: 'copied' or 'failed' for two seconds, then back to
// 'idle'. The clipboard can be refused (no permission, an insecure origin): callers say so, never
// fail silently.
import { useEffect, useState } from 'react';

export type CopyState = 'idle' | 'copied' | 'failed';

export function useCopy(value: string): { state: CopyState; copy: () => void } {
  const [state, setState] = useState<CopyState>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  const copy = () => {
    navigator.clipboard.writeText(value).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return { state, copy };
}
