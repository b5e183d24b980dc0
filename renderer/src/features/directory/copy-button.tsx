// Copies one value (a dial-in number, a PIN, a link) and says whether it worked.
import { useEffect, useState } from 'react';

type CopyState = 'idle' | 'copied' | 'failed';

export function CopyButton({ value, what }: { value: string; what: string }) {
  const [state, setState] = useState<CopyState>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = () => {
    // The clipboard can be refused (no permission, an insecure origin): say so, never fail silently.
    navigator.clipboard.writeText(value).then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <button
      type="button"
      className={`copy-button copy-${state}`}
      data-testid="copy-button"
      aria-label={`Copy ${what}`}
      title={state === 'failed' ? 'This browser refused the clipboard: select the text and copy it by hand' : `Copy ${what}`}
      onClick={copy}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : 'Copy'}
    </button>
  );
}
