// The drawer of one artifact: its identity, what can be done in its state, the open form (collect or
// verify), the collection record and the chain of custody with its exports.
import { useEffect, useState } from 'react';
import type { DesktopApi } from '@shared/contract';
import type { Artifact, CustodyEvent } from '@shared/domain/evidence';
import { ApiError } from '@shared/errors';
import { desktopApi } from '../../../api';
import { When } from '../../../lib/when';
import { printInFrame, removePrintFrame } from '../../../lib/print-html';
import { useAction } from '../../../lib/use-action';
import { useStore } from '../../../store';
import { addCustodyDialog, download, exportEvidence, failArtifactDialog, startCollecting, waiveDialog } from '../evidence-actions';
import { StateBadge } from '../evidence-panel';
import { CollectForm } from './collect-form';
import { CollectionRecord } from './collection-record';
import { CustodyLog } from './custody-log';
import { StateExplanation } from './state-explanation';
import { VerifyForm } from './verify-form';

type Mode = 'idle' | 'collect' | 'verify';

export function ArtifactDrawer({ artifact: a, events, me, onClose }: { artifact: Artifact; events: CustodyEvent[]; me: string; onClose: () => void }) {
  const openDialog = useStore((s) => s.openDialog);
  const { error, isBusy, run } = useAction();
  const [mode, setMode] = useState<Mode>('idle');
  /** Why an open form was closed without being asked to (the artifact changed elsewhere). */
  const [modeNotice, setModeNotice] = useState<string | null>(null);
  const canCollect = a.state === 'planned' || a.state === 'collecting' || a.state === 'failed';
  const canVerify = a.state === 'collected' || a.state === 'verified';
  const canSettle = a.state === 'planned' || a.state === 'collecting' || a.state === 'failed';
  const openMode = (next: Mode) => {
    setModeNotice(null);
    setMode(next);
  };

  // The artifact's state can change underneath an open form: another replica collects or waives
  // it, someone marks it failed. A form that no longer fits the state closes (cancelling its
  // hashing) rather than offering to record what can no longer be recorded. Collecting and
  // verifying close their own form before the new state arrives, so this is news from elsewhere.
  const fits = mode === 'idle' || (mode === 'collect' ? canCollect : canVerify);
  useEffect(() => {
    if (fits) return;
    setMode('idle');
    setModeNotice(`This artifact is now ${a.state}: it changed while the ${mode === 'collect' ? 'collection' : 'verification'} form was open, so the form was closed.`);
  }, [fits, a.state, mode]);

  const exportCustody = () =>
    void run(async () => {
      download(await exportEvidence(a.incidentId, 'custody-html', a.id));
    });

  // The custody form as PDF: the desktop shell prints it to a file (main's print-pdf); a browser
  // (`holdfast web`) gets its own print dialog, whose Save as PDF does the same.
  const host = useStore((s) => s.appInfo?.host);
  const desktop = host === 'desktop' ? desktopApi() : null;
  const [savedPdf, setSavedPdf] = useState<string | null>(null);
  useEffect(() => removePrintFrame, []);
  const saveCustodyPdf = (api: DesktopApi) =>
    void run(async () => {
      setSavedPdf(null);
      // Main exports the custody form from the engine itself; only the artifact is named here.
      const result = await api.printPdf({ incidentId: a.incidentId, artifactId: a.id });
      if (!result.ok) throw new ApiError(result.error.code, result.error.message);
      setSavedPdf(result.value.path);
    });
  const printCustody = () =>
    void run(async () => {
      await printInFrame((await exportEvidence(a.incidentId, 'custody-html', a.id)).text, 'Custody form, for printing');
    });

  return (
    <aside
      className="run-drawer evidence-drawer"
      role="complementary"
      aria-labelledby="artifact-title"
      data-testid="artifact-drawer"
      data-artifact={a.id}
      data-state={a.state}
    >
      <header className="run-drawer-head">
        <div className="run-drawer-title-row">
          <span className="artifact-type" data-testid="artifact-type">
            {a.artifactType}
          </span>
          <h2 id="artifact-title" data-testid="artifact-title">
            {a.what}
          </h2>
          <StateBadge state={a.state} />
          <button type="button" className="icon-button run-close" aria-label="Close the artifact" title="Close (Esc)" data-testid="artifact-close" onClick={onClose}>
            ✕
          </button>
        </div>
        <div className="muted small artifact-ident" data-testid="artifact-ident">
          {a.asset ? <strong className="artifact-asset">{a.asset}</strong> : 'no asset named'}
          {' · '}
          {a.isRequired ? <span className="artifact-required">required</span> : 'optional'}
          {' · '}volatility {a.volatility}
          {a.templateId && ` · from checklist ${a.templateId}`}
          {' · '}added by {a.createdBy} at <When ms={a.createdAt} />
        </div>
        {a.hashWarning && (
          <p className="artifact-warning artifact-warning-big" role="alert" data-testid="artifact-drawer-warning">
            ⚠ {a.hashWarning}
          </p>
        )}
        {error && (
          <p className="form-error" role="alert" data-testid="artifact-error">
            {error}
          </p>
        )}
      </header>
      <div className="run-drawer-body evidence-drawer-body">
        {a.how && (
          <section className="artifact-section" aria-label="How to collect it">
            <h3>How to collect it</h3>
            <pre className="artifact-how mono" data-testid="artifact-how">
              {a.how}
            </pre>
          </section>
        )}

        <section className="artifact-section artifact-state-box" aria-label="State" data-testid="artifact-state-box">
          <StateExplanation artifact={a} />
          {mode === 'idle' && (
            <div className="run-step-actions artifact-actions">
              {a.state === 'planned' && (
                <button
                  type="button"
                  className="button button-small button-primary"
                  data-testid="artifact-start-collecting"
                  disabled={isBusy}
                  onClick={() => void run(async () => void (await startCollecting(a)))}
                >
                  Start collecting
                </button>
              )}
              {canCollect && (
                <button
                  type="button"
                  className={`button button-small${a.state === 'collecting' ? ' button-primary' : ''}`}
                  data-testid="artifact-collect"
                  onClick={() => openMode('collect')}
                >
                  Collect…
                </button>
              )}
              {canVerify && (
                <button
                  type="button"
                  className={`button button-small${a.state === 'collected' ? ' button-primary' : ''}`}
                  data-testid="artifact-verify"
                  onClick={() => openMode('verify')}
                >
                  {a.state === 'verified' ? 'Verify again…' : 'Verify…'}
                </button>
              )}
              {canSettle && (
                <button type="button" className="button button-small" data-testid="artifact-waive" onClick={() => openDialog(waiveDialog(a))}>
                  Waive…
                </button>
              )}
              {(a.state === 'planned' || a.state === 'collecting') && (
                <button type="button" className="button button-small" data-testid="artifact-fail" onClick={() => openDialog(failArtifactDialog(a))}>
                  Failed…
                </button>
              )}
            </div>
          )}
          {modeNotice && mode === 'idle' && (
            <p className="artifact-notice small" role="status" data-testid="artifact-mode-notice">
              {modeNotice}
            </p>
          )}
          {mode === 'collect' && fits && <CollectForm artifact={a} me={me} onDone={() => setMode('idle')} />}
          {mode === 'verify' && fits && <VerifyForm artifact={a} onDone={() => setMode('idle')} />}
        </section>

        {a.collector && <CollectionRecord artifact={a} />}

        <CustodyLog artifact={a} events={events} />
        <div className="evidence-buttons">
          <button type="button" className="button button-small" data-testid="custody-add" onClick={() => openDialog(addCustodyDialog(a, events))}>
            Add custody event…
          </button>
          <button type="button" className="button button-small" data-testid="custody-export" disabled={isBusy} onClick={exportCustody}>
            Custody form (HTML)
          </button>
          {desktop && (
            <button type="button" className="button button-small" data-testid="custody-pdf" disabled={isBusy} onClick={() => saveCustodyPdf(desktop)}>
              Save as PDF…
            </button>
          )}
          {host === 'web' && (
            <button type="button" className="button button-small" data-testid="custody-print" disabled={isBusy} onClick={printCustody}>
              Print…
            </button>
          )}
        </div>
        {savedPdf && (
          <p className="muted small" role="status" data-testid="custody-pdf-saved">
            Saved the custody form to <span className="mono">{savedPdf}</span>
          </p>
        )}
      </div>
    </aside>
  );
}
