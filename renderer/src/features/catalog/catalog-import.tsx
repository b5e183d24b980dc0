// Importing and exporting the catalog from the library: "Import file" picks a YAML or CSV file,
// reads it in the browser and hands its text to the engine, which imports all of it or none; the
// outcome lists every problem with its line. "Export" downloads the catalog as YAML.
import { useState } from 'react';
import { maxCatalogChars, type CatalogFormat, type CatalogImportReport } from '@shared/domain/catalog';
import { downloadText } from '../../lib/download';
import { messageOf } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { FileImportButton } from '../shell/file-import-button';

export type CatalogImportOutcome = { fileName: string; report: CatalogImportReport } | { fileName: string; error: string };

const formatOf = (name: string): CatalogFormat => (/\.csv$/i.test(name) ? 'csv' : 'yaml');

export function ImportCatalogButton({ onOutcome }: { onOutcome: (outcome: CatalogImportOutcome) => void }) {
  const importFile = async (file: File) => {
    const fileName = file.name;
    if (file.size > maxCatalogChars * 4) {
      onOutcome({ fileName, error: `Nothing was imported: the file is ${Math.round(file.size / 1e6)} MB; a catalog file may be at most ${maxCatalogChars / 1e6} MB.` });
      return;
    }
    try {
      onOutcome({ fileName, report: await client().call('catalog.import', { format: formatOf(fileName), text: await file.text() }) });
    } catch (error) {
      onOutcome({ fileName, error: messageOf(error) });
    }
  };
  return (
    <FileImportButton
      label="Import file"
      accept=".yaml,.yml,.csv,text/csv,application/yaml"
      testId="import-catalog"
      title="Import services from a YAML or CSV file (all or none)"
      onFile={importFile}
    />
  );
}

export function ExportCatalogButton() {
  const [error, setError] = useState<string | null>(null);
  const exportYaml = async () => {
    try {
      const exported = await client().call('catalog.export', { format: 'yaml' });
      downloadText(exported.fileName, 'application/yaml;charset=utf-8', exported.text);
      setError(null);
    } catch (failure) {
      setError(messageOf(failure));
    }
  };
  return (
    <button
      type="button"
      className="button"
      data-testid="export-catalog"
      title={error ?? 'Download the catalog as YAML, the import format'}
      onClick={() => void exportYaml()}
    >
      Export YAML
    </button>
  );
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function CatalogImportOutcomeBanner({ outcome, onDismiss }: { outcome: CatalogImportOutcome; onDismiss: () => void }) {
  const dismiss = (
    <button type="button" className="button button-small" onClick={onDismiss}>
      Dismiss
    </button>
  );
  if ('error' in outcome) {
    return (
      <div className="banner banner-bad catalog-outcome" role="alert" data-testid="catalog-import-error">
        <span>
          <strong>{outcome.fileName}</strong>: {outcome.error}
        </span>
        {dismiss}
      </div>
    );
  }
  const { report } = outcome;
  const problems = report.errors.length > 0 ? report.errors : report.warnings;
  return (
    <div
      className={`banner ${report.errors.length > 0 ? 'banner-bad' : 'banner-ok'} catalog-outcome`}
      role={report.errors.length > 0 ? 'alert' : 'status'}
      data-testid="catalog-import-report"
    >
      <div>
        <strong>{outcome.fileName}</strong>:{' '}
        {report.errors.length > 0
          ? `nothing was imported: the file has ${plural(report.errors.length, 'problem')}. Fix them and import it again.`
          : `${report.created} added, ${report.updated} updated, ${report.unchanged} unchanged${report.warnings.length > 0 ? `; ${plural(report.warnings.length, 'warning')}` : ''}.`}
        {problems.length > 0 && (
          <ul className="catalog-problems" data-testid="catalog-import-problems">
            {problems.slice(0, 50).map((p) => (
              <li key={`${p.line}:${p.message}`}>
                <span className="mono">line {p.line}</span> {p.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      {dismiss}
    </div>
  );
}
