// A button that picks one file and hands it to an import: busy while the import runs, and ready
// for the same file again afterwards (after the person fixed it). The directory and the service
// catalog import through it.
import { useRef, useState, type ChangeEvent } from 'react';

export function FileImportButton(props: { label: string; accept: string; testId: string; title?: string; onFile: (file: File) => Promise<void> }) {
  const input = useRef<HTMLInputElement>(null);
  const [isImporting, setImporting] = useState(false);

  const onChange = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared at once so choosing the same file again fires another change.
    event.target.value = '';
    if (!file) return;
    setImporting(true);
    try {
      await props.onFile(file);
    } finally {
      setImporting(false);
    }
  };

  return (
    <>
      <button type="button" className="button" data-testid={props.testId} disabled={isImporting} title={props.title} onClick={() => input.current?.click()}>
        {isImporting ? 'Importing…' : props.label}
      </button>
      <input ref={input} type="file" accept={props.accept} hidden data-testid={`${props.testId}-input`} onChange={(e) => void onChange(e)} />
    </>
  );
}
