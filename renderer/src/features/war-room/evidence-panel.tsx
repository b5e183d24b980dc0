// The incident's evidence: how many artifacts are in each state, how many required ones still hold up
// recovery actions, whether the custody chains are intact, the artifacts in their order of
// volatility (most volatile first) with their state, hash and warnings, and the exports. Opening one
// shows it in the artifact drawer.
import { artifactStates, type Artifact, type ArtifactState, type ExportFormat } from '@shared/domain/evidence';
import type { WarRoom } from '@shared/domain/incident';
import { useAction } from '../../lib/use-action';
import { useStore } from '../../store';
import { useEvidence } from './war-room-queries';
import { addArtifactDialog, download, exportEvidence, exportLabels, shortHash, startChecklistDialog, stateLabels } from './evidence-actions';
import './evidence.css';

const panelExports: ExportFormat[] = ['manifest-json', 'manifest-csv', 'timesketch-jsonl', 'timesketch-csv'];

export function EvidencePanel({ room }: { room: WarRoom }) {
  const { value: evidence, error: evidenceError } = useEvidence(room.incident.id);
  const openArtifactId = useStore((s) => s.openArtifactId);
  const setOpenArtifact = useStore((s) => s.setOpenArtifact);
  const openDialog = useStore((s) => s.openDialog);
  const { error, isBusy, run } = useAction();
  const incidentId = room.incident.id;
  const artifacts = evidence?.artifacts ?? [];
  const missing = evidence?.gate.missing.length ?? 0;
  const counts = new Map<ArtifactState, number>();
  for (const a of artifacts) counts.set(a.state, (counts.get(a.state) ?? 0) + 1);

  const pickChecklist = () =>
    void run(async () => {
      openDialog(await startChecklistDialog(room));
    });
  const exportAs = (format: ExportFormat) =>
    void run(async () => {
      download(await exportEvidence(incidentId, format));
    });

  return (
    <section className="panel side-panel evidence-panel" aria-labelledby="evidence-heading" data-testid="evidence-panel">
      <h2 id="evidence-heading">
        Evidence{' '}
        <span className="muted small" data-testid="evidence-total">
          {artifacts.length} artifact{artifacts.length === 1 ? '' : 's'}
        </span>
      </h2>
      {evidenceError && (
        <p className="form-error" role="alert" data-testid="evidence-error">
          {evidenceError}
        </p>
      )}
      {artifacts.length > 0 && (
        <ul className="evidence-counts small" data-testid="evidence-counts">
          {artifactStates
            .filter((state) => counts.has(state))
            .map((state) => (
              <li key={state} className={`evidence-count count-${state}`} data-testid="evidence-count" data-state={state}>
                <strong>{counts.get(state)}</strong> {stateLabels[state]}
              </li>
            ))}
        </ul>
      )}
      {evidence && (
        <div className="evidence-status small">
          <p className={missing > 0 ? 'evidence-gate is-open' : 'evidence-gate'} data-testid="evidence-gate" data-missing={missing}>
            {missing > 0 ? (
              <>
                <strong>{missing}</strong> required not collected or waived: recovery actions wait for them
              </>
            ) : (
              'No required evidence outstanding'
            )}
          </p>
          {evidence.chainProblem === null ? (
            <p className="evidence-chain is-intact" data-testid="evidence-chain" data-intact="true">
              ✓ Custody chains intact
            </p>
          ) : (
            <p className="evidence-chain is-broken" role="alert" data-testid="evidence-chain" data-intact="false">
              ✗ Custody chain broken: {evidence.chainProblem}
            </p>
          )}
        </div>
      )}
      {artifacts.length > 0 && (
        <ol className="artifacts" data-testid="artifacts">
          {artifacts.map((a) => (
            <ArtifactItem key={a.id} artifact={a} isOpen={a.id === openArtifactId} onOpen={() => setOpenArtifact(a.id)} />
          ))}
        </ol>
      )}
      {evidence && artifacts.length === 0 && <p className="muted small">Nothing to collect yet. Start a checklist for this kind of incident, or add an artifact.</p>}
      {error && (
        <p className="form-error" role="alert" data-testid="evidence-action-error">
          {error}
        </p>
      )}
      {room.incident.status !== 'closed' && (
        <div className="evidence-buttons">
          <button type="button" className="button button-small" data-testid="evidence-start-checklist" disabled={isBusy} onClick={pickChecklist}>
            Start checklist…
          </button>
          <button type="button" className="button button-small" data-testid="evidence-add" onClick={() => openDialog(addArtifactDialog(incidentId))}>
            Add artifact…
          </button>
        </div>
      )}
      {artifacts.length > 0 && (
        <div className="evidence-exports small">
          <span className="muted">Export:</span>
          {panelExports.map((format) => (
            <button key={format} type="button" className="link-button" data-testid={`evidence-export-${format}`} disabled={isBusy} onClick={() => exportAs(format)}>
              {exportLabels[format]}
            </button>
          ))}
        </div>
      )}
    </section>
  );
}

function ArtifactItem({ artifact: a, isOpen, onOpen }: { artifact: Artifact; isOpen: boolean; onOpen: () => void }) {
  return (
    <li className={`artifact artifact-${a.state}${isOpen ? ' is-open' : ''}`} data-testid="artifact-item" data-artifact={a.id} data-state={a.state}>
      <div className="artifact-head">
        <span className="artifact-what" data-testid="artifact-what">
          {a.what}
        </span>
        <StateBadge state={a.state} />
      </div>
      <div className="artifact-meta muted small">
        <span className="artifact-type" data-testid="artifact-type" title={`Order of volatility ${a.volatility} (1 = most volatile)`}>
          {a.artifactType}
        </span>
        {a.asset && <span data-testid="artifact-asset">{a.asset}</span>}
        {a.isRequired ? (
          <span className="artifact-required" data-testid="artifact-required">
            required
          </span>
        ) : (
          <span>optional</span>
        )}
        {a.sha256 && (
          <span className="mono" data-testid="artifact-hash" title={`SHA-256 ${a.sha256}`}>
            sha256 {shortHash(a.sha256)}…
          </span>
        )}
      </div>
      {a.hashWarning && (
        <p className="artifact-warning small" role="alert" data-testid="artifact-warning">
          ⚠ {a.hashWarning}
        </p>
      )}
      <div className="task-actions">
        <button type="button" className="button button-small" data-testid="artifact-open" onClick={onOpen}>
          {isOpen ? 'Opened' : 'Open'}
        </button>
      </div>
    </li>
  );
}

export function StateBadge({ state }: { state: ArtifactState }) {
  return (
    <span className={`state-badge artifact-state artifact-state-${state}`} data-testid="artifact-state">
      {stateLabels[state]}
    </span>
  );
}
