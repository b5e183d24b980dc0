// Importing an evidence bundle (the ZIP `holdfast evidence bundle` writes) from the incident list: pick
// the file, the engine checks every file against SHA256SUMS, every op and custody chain, every derived
// file and the signature before it writes anything, then loads the incident as it was exported. The
// report shows what came in: the incident, its artifacts with their hashes and custody, who signed
// the bundle. A bundle that does not verify is answered with each problem, and nothing changes.
// It lives on the incident list, not in an incident: the bundle brings an incident this replica
// does not hold (one it holds is refused), often into an empty data folder kept for examining it.
// The incident and its evidence are read through the query layer once imported (and read again if
// they change meanwhile).
import { useRef, useState } from 'react';
import type { BundleImportReport } from '@shared/domain/bundle-import';
import type { EvidenceView } from '@shared/domain/evidence';
import type { Incident } from '@shared/domain/incident';
import { useEngineQuery } from '../../data/use-engine-query';
import { messageOf } from '../../lib/use-action';
import { useStore } from '../../store';
import { rereadIncidents } from '../incidents/incident-queries';
import { client } from '../../store/client-ref';
import { formatBytes } from '../war-room/evidence-actions';
import { bundleRequest, refusalHint } from './bundle-file';
import './evidence-bundle-import.css';

interface Imported {
  fileName: string;
  report: BundleImportReport;
}

export function EvidenceBundleImport({ onClose }: { onClose: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [allowUnsigned, setAllowUnsigned] = useState(false);
  const [isBusy, setBusy] = useState(false);
  const [result, setResult] = useState<Imported | null>(null);
  const [error, setError] = useState<string | null>(null);
  const openIncident = useStore((s) => s.openIncident);

  const importFile = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const report = await client().call('evidence.importBundle', await bundleRequest(file, allowUnsigned));
      if (report.ok && report.incidentId) rereadIncidents();
      setResult({ fileName: file.name, report });
    } catch (caught) {
      setError(`${file.name} was not imported; nothing was changed. ${messageOf(caught)}`);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <section className="bundle-import" aria-labelledby="bundle-import-heading" data-testid="bundle-import">
      <div className="bundle-import-head">
        <h2 id="bundle-import-heading">Import an evidence bundle</h2>
        <button type="button" className="link-button small" data-testid="bundle-import-close" onClick={onClose}>
          Close
        </button>
      </div>
      <p className="small muted">
        The .zip written by <code>holdfast evidence bundle</code> on another laptop. Every file, hash, op and custody chain is checked before anything is written; the
        incident then appears here as it was exported.
      </p>
      <div className="bundle-import-actions">
        <button type="button" className="button button-small" disabled={isBusy} data-testid="bundle-import-choose" onClick={() => input.current?.click()}>
          Choose a bundle…
        </button>
        <label className="small">
          <input type="checkbox" checked={allowUnsigned} data-testid="bundle-import-unsigned" onChange={(e) => setAllowUnsigned(e.target.checked)} /> Accept a bundle not
          signed under a certificate (--allow-unsigned)
        </label>
        <input
          ref={input}
          type="file"
          hidden
          accept=".zip,application/zip"
          data-testid="bundle-import-input"
          aria-label="Evidence bundle file"
          onChange={(e) => void importFile(e.target.files?.[0])}
        />
      </div>
      {isBusy && (
        <p className="small muted" role="status">
          Checking the bundle…
        </p>
      )}
      {error && (
        <p className="banner banner-bad" role="alert" data-testid="bundle-import-error">
          {error}
        </p>
      )}
      {result && !result.report.ok && <Refused result={result} allowUnsigned={allowUnsigned} />}
      {result?.report.ok && <ImportedReport result={result} onOpen={openIncident} />}
    </section>
  );
}

function Refused({ result, allowUnsigned }: { result: Imported; allowUnsigned: boolean }) {
  const { report } = result;
  const hint = refusalHint(report, allowUnsigned);
  return (
    <div className="bundle-import-refused" role="alert" data-testid="bundle-import-refused">
      <p>
        <strong>
          {result.fileName} did not verify: nothing was imported ({report.problems.length} problem{report.problems.length === 1 ? '' : 's'}).
        </strong>
      </p>
      <ul className="bundle-import-problems" data-testid="bundle-import-problems">
        {report.problems.map((problem) => (
          <li key={problem} data-testid="bundle-import-problem">
            {problem}
          </li>
        ))}
      </ul>
      {hint && (
        <p className="small" data-testid="bundle-import-hint">
          {hint}
        </p>
      )}
    </div>
  );
}

/** The report of an import that verified, once the incident it brought and its evidence are read. */
function ImportedReport({ result, onOpen }: { result: Imported; onOpen: (incidentId: string) => void }) {
  const incidentId = result.report.incidentId ?? '';
  const isKnown = incidentId !== '';
  const incident = useEngineQuery('incidents.get', { id: incidentId }, { enabled: isKnown });
  const evidence = useEngineQuery('evidence.list', { incidentId }, { enabled: isKnown });
  const readError = incident.error ?? evidence.error;
  if (readError) {
    return (
      <p className="banner banner-bad" role="alert" data-testid="bundle-import-error">
        {result.fileName} was imported, but the incident it brought could not be read: {readError}
      </p>
    );
  }
  if (isKnown && (incident.value === null || evidence.value === null)) return null;
  return <Report result={result} incident={incident.value} evidence={evidence.value} onOpen={onOpen} />;
}

function Report({
  result,
  incident,
  evidence,
  onOpen,
}: {
  result: Imported;
  incident: Incident | null;
  evidence: EvidenceView | null;
  onOpen: (incidentId: string) => void;
}) {
  const { report } = result;
  const artifacts = evidence?.artifacts ?? [];
  const custody = evidence?.custody ?? [];
  const eventsOf = (artifactId: string) => custody.filter((e) => e.artifactId === artifactId);
  return (
    <div className="bundle-import-report" role="status" data-testid="bundle-import-report">
      <p className="bundle-import-title">
        <strong>Imported {result.fileName}:</strong> <span className="mono">{report.incidentId}</span>
        {incident && <> — {incident.title}</>}{' '}
        {report.incidentId && (
          <button type="button" className="button button-small" data-testid="bundle-import-open" onClick={() => onOpen(report.incidentId as string)}>
            Open the incident
          </button>
        )}
      </p>
      <ul className="bundle-import-checks small">
        <li className="is-ok" data-testid="bundle-import-verified">
          ✓ Every file matches SHA256SUMS, every op its hash and chain, and every manifest, custody form and timeline file is what the ops hold
        </li>
        <li
          className={evidence?.chainProblem ? 'is-bad' : 'is-ok'}
          data-testid="bundle-import-chain"
          data-intact={evidence ? String(evidence.chainProblem === null) : 'unknown'}
        >
          {evidence?.chainProblem
            ? `✗ Custody chain broken: ${evidence.chainProblem}`
            : `✓ Custody chains intact: ${custody.length} event${custody.length === 1 ? '' : 's'}`}
        </li>
        <li data-testid="bundle-import-signature">{report.signatureLine}</li>
        <li className="muted">{report.trustSummary}</li>
        <li data-testid="bundle-import-ops">
          {report.accepted} op{report.accepted === 1 ? '' : 's'} applied, {report.duplicates} already here, {report.notApplied.length} kept but not applied,{' '}
          {report.rejected.length} rejected
          {report.evidenceOnly > 0 && `; ${report.evidenceOnly} delivery record(s) kept as evidence only (nothing is sent from here)`}
        </li>
      </ul>
      {[...report.rejected, ...report.notApplied].length > 0 && (
        <ul className="bundle-import-problems small" data-testid="bundle-import-ops-refused">
          {[...report.rejected, ...report.notApplied].map((r) => (
            <li key={`${r.opId}-${r.status}`}>
              op {r.opId} {r.status}: {r.reason}
            </li>
          ))}
        </ul>
      )}
      <h3 className="bundle-import-subhead">
        {artifacts.length} artifact{artifacts.length === 1 ? '' : 's'}
      </h3>
      {artifacts.length > 0 && (
        <table className="bundle-import-artifacts small" data-testid="bundle-import-artifacts">
          <thead>
            <tr>
              <th scope="col">Artifact</th>
              <th scope="col">State</th>
              <th scope="col">SHA-256</th>
              <th scope="col">Custody</th>
            </tr>
          </thead>
          <tbody>
            {artifacts.map((a) => {
              const events = eventsOf(a.id);
              return (
                <tr key={a.id} data-testid="bundle-import-artifact" data-artifact={a.id}>
                  <td>
                    {a.what}
                    <div className="muted">
                      {a.artifactType}
                      {a.size !== null ? ` · ${formatBytes(a.size)}` : ''}
                    </div>
                  </td>
                  <td data-testid="bundle-import-artifact-state">{a.state}</td>
                  <td className="mono bundle-import-hash" data-testid="bundle-import-artifact-hash">
                    {a.sha256 ?? <span className="muted">none recorded</span>}
                  </td>
                  <td data-testid="bundle-import-artifact-custody">
                    {events.length === 0 ? (
                      <span className="muted">no events</span>
                    ) : (
                      events.map((e) => (e.action === 'transferred' ? `transferred ${e.from} → ${e.to}` : e.action)).join(', ')
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </div>
  );
}
