// Copies one value (a dial-in number, a PIN, a link) and says whether it worked.
import { useCopy } from '../shell/use-copy';

export function CopyButton({ value, what }: { value: string; what: string }) {
  const { state, copy } = useCopy(value);
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
