// "Import CSV": picks a file, reads it in the browser and hands its text to the engine, which
// imports all of it or none. The outcome is shown by ImportOutcome.
import { useRef, useState, type ChangeEvent } from 'react';
import { useStore } from '../../store';

export function ImportCsvButton() {
  const importDirectoryFile = useStore((s) => s.importDirectoryFile);
  const input = useRef<HTMLInputElement>(null);
  const [isImporting, setImporting] = useState(false);

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared at once so choosing the same file again (after fixing it) fires another change.
    event.target.value = '';
    if (!file) return;
    setImporting(true);
    try {
      await importDirectoryFile(file);
    } finally {
      setImporting(false);
    }
  };

  return (
    <>
      <button type="button" className="button" data-testid="import-csv" disabled={isImporting} onClick={() => input.current?.click()}>
        {isImporting ? 'Importing…' : 'Import CSV'}
      </button>
      <input ref={input} type="file" accept=".csv,text/csv" hidden data-testid="import-csv-input" onChange={(e) => void onFile(e)} />
    </>
  );
}
