// Importing runbooks from the library page: pick a folder (a git checkout of the team's runbooks) or
// some Markdown files; they are read as teams write them (numbered or heading steps, no front matter
// needed) unless "CI rules" is ticked, and the import says what became of each file. A runbook
// already in the library gets a new version; an unchanged file adds nothing.
import { useRef, useState } from 'react';
import { maxImportFiles, type RunbookImportReport } from '@shared/domain/runbook';
import { maxRunbookChars } from '@shared/domain/runbook-format';
import { messageOf } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import './runbook-import.css';

interface Picked {
  path: string;
  source: string;
}

/** The Markdown files of a pick, each with the path it has inside the folder; hidden folders left out. */
async function readPicked(list: FileList): Promise<{ files: Picked[]; skipped: string[] }> {
  const files: Picked[] = [];
  const skipped: string[] = [];
  for (const file of Array.from(list)) {
    const path = file.webkitRelativePath || file.name;
    // A folder pick includes its top folder's name: the paths inside it are what the CLI reports.
    const inside = file.webkitRelativePath ? path.split('/').slice(1).join('/') : path;
    if (inside.split('/').some((part) => part.startsWith('.') || part === 'node_modules')) continue;
    if (!/\.md$/i.test(file.name)) continue;
    if (file.size > maxRunbookChars * 4) {
      skipped.push(`${inside}: larger than ${maxRunbookChars} characters`);
      continue;
    }
    files.push({ path: inside, source: (await file.text()).replace(/^\uFEFF/, '') });
  }
  return { files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)), skipped };
}

export function RunbookImport({ onOpen }: { onOpen: (runbookId: string) => void }) {
  const folderInput = useRef<HTMLInputElement>(null);
  const filesInput = useRef<HTMLInputElement>(null);
  const [isStrict, setStrict] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [report, setReport] = useState<RunbookImportReport | null>(null);
  const [skipped, setSkipped] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);

  const importPicked = async (list: FileList | null) => {
    if (!list || list.length === 0) return;
    setBusy(true);
    setError(null);
    setReport(null);
    try {
      const { files, skipped: tooLarge } = await readPicked(list);
      setSkipped(tooLarge);
      if (files.length === 0) throw new Error('The pick holds no Markdown (.md) files: choose the folder of your runbooks, or .md files.');
      if (files.length > maxImportFiles) throw new Error(`The pick holds ${files.length} Markdown files; import at most ${maxImportFiles} at a time.`);
      setReport(await client().call('runbooks.import', { files, strict: isStrict }));
    } catch (caught) {
      setError(messageOf(caught));
    } finally {
      setBusy(false);
      if (folderInput.current) folderInput.current.value = '';
      if (filesInput.current) filesInput.current.value = '';
    }
  };

  return (
    <section className="rb-import" aria-labelledby="rb-import-heading" data-testid="runbook-import">
      <h2 id="rb-import-heading" className="rb-import-heading">
        Import runbooks
      </h2>
      <p className="small muted">
        Markdown files as your team writes them: numbered or one heading per step, front matter optional. A runbook already here gets a new version.
      </p>
      <div className="rb-import-actions">
        <button type="button" className="button button-small" disabled={isBusy} data-testid="import-folder" onClick={() => folderInput.current?.click()}>
          Choose a folder…
        </button>
        <button type="button" className="button button-small" disabled={isBusy} data-testid="import-files" onClick={() => filesInput.current?.click()}>
          Choose files…
        </button>
        <label className="small">
          <input type="checkbox" checked={isStrict} data-testid="import-strict" onChange={(e) => setStrict(e.target.checked)} /> CI rules (marked steps only)
        </label>
        <input
          ref={folderInput}
          type="file"
          hidden
          multiple
          data-testid="import-folder-input"
          aria-label="Folder of runbooks"
          {...{ webkitdirectory: '' }}
          onChange={(e) => void importPicked(e.target.files)}
        />
        <input
          ref={filesInput}
          type="file"
          hidden
          multiple
          accept=".md,text/markdown"
          data-testid="import-files-input"
          aria-label="Runbook files"
          onChange={(e) => void importPicked(e.target.files)}
        />
      </div>
      {isBusy && (
        <p className="small muted" role="status">
          Importing…
        </p>
      )}
      {error && (
        <p className="banner banner-bad" role="alert" data-testid="import-error">
          {error}
        </p>
      )}
      {report && (
        <div className="rb-import-report" role="status" data-testid="import-report">
          <p className="small" data-testid="import-summary">
            <strong>
              {report.created} created, {report.updated} updated, {report.unchanged} unchanged, {report.rejected + skipped.length} rejected
            </strong>
          </p>
          <ul className="rb-import-files">
            {report.files.map((file) => (
              <li key={file.path} className={`rb-import-file is-${file.outcome}`} data-testid="import-file" data-outcome={file.outcome}>
                <span className="mono">{file.path}</span> — {file.outcome}
                {file.runbookId && file.outcome !== 'rejected' && (
                  <>
                    {' '}
                    as{' '}
                    <button type="button" className="link-button" onClick={() => onOpen(file.runbookId as string)}>
                      {file.runbookId}
                    </button>
                  </>
                )}
                {file.errors.length > 0 && (
                  <ul className="rb-import-errors">
                    {file.errors.map((e) => (
                      <li key={e}>{e}</li>
                    ))}
                  </ul>
                )}
                {file.notes.length > 0 && (
                  <ul className="rb-import-notes muted">
                    {file.notes.map((n) => (
                      <li key={n}>{n}</li>
                    ))}
                  </ul>
                )}
              </li>
            ))}
            {skipped.map((s) => (
              <li key={s} className="rb-import-file is-rejected" data-testid="import-file" data-outcome="rejected">
                {s}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
