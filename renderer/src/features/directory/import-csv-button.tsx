// "Import CSV": picks a file, reads it in the browser and hands its text to the engine, which
// imports all of it or none. The outcome is shown by ImportOutcome.
import { useStore } from '../../store';
import { FileImportButton } from '../shell/file-import-button';
import { useEditGate } from './directory-gate';
import { importDirectoryFile } from './directory-queries';

export function ImportCsvButton() {
  const showImport = useStore((s) => s.showImport);
  const gate = useEditGate();
  if (gate.disabled) {
    return (
      <button type="button" className="button" data-testid="import-csv" disabled title={gate.title}>
        Import CSV
      </button>
    );
  }
  return <FileImportButton label="Import CSV" accept=".csv,text/csv" testId="import-csv" onFile={async (file) => showImport(await importDirectoryFile(file))} />;
}
