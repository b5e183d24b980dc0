// "Import CSV": picks a file, reads it in the browser and hands its text to the engine, which
// imports all of it or none. The outcome is shown by ImportOutcome.
import { useStore } from '../../store';
import { FileImportButton } from '../shell/file-import-button';

export function ImportCsvButton() {
  const importDirectoryFile = useStore((s) => s.importDirectoryFile);
  return <FileImportButton label="Import CSV" accept=".csv,text/csv" testId="import-csv" onFile={importDirectoryFile} />;
}
