// The incident's runbooks: the executions under way (version, who works them, progress,
// deviations), the library's runbooks that match this incident with why they match, and a picker
// over the whole library. Starting one opens it in the run drawer.
import type { RunbookRun, RunbookSummary } from '@shared/domain/runbook';
import { useAction } from '../../lib/use-action';
import { useStore } from '../../store';
import { startAnotherDialog, startRunbook } from './runbook-actions';
import { useRoom, useRunbooks } from './war-room-queries';
import './runbook-run.css';

export function RunbooksPanel({ incidentId }: { incidentId: string }) {
  const { runs, suggested, error: runsError } = useRunbooks(incidentId);
  const openRunId = useStore((s) => s.openRunId);
  const setOpenRun = useStore((s) => s.setOpenRun);
  const { error, isBusy, run } = useAction();

  // A closed incident's record is final: its runs can be read, no new one started.
  const isClosed = useRoom(incidentId).value?.incident.status === 'closed';
  const activeByRunbook = new Map(runs.filter((r) => r.status === 'active').map((r) => [r.runbookId, r]));
  const active = runs.filter((r) => r.status === 'active').length;
  const start = (summary: RunbookSummary) =>
    void run(async () => {
      await startRunbook(incidentId, summary.id);
    });
  const pickAnother = () =>
    void run(async () => {
      useStore.getState().openDialog(await startAnotherDialog(incidentId));
    });

  return (
    <section className="panel side-panel runbooks-panel" aria-labelledby="runbooks-heading" data-testid="runbooks-panel">
      <h2 id="runbooks-heading">
        Runbooks{' '}
        <span className="muted small">
          {active} running{runs.length > active ? ` · ${runs.length - active} stopped` : ''}
        </span>
      </h2>
      {runsError && (
        <p className="form-error" role="alert" data-testid="runbooks-error">
          {runsError}
        </p>
      )}
      {runs.length > 0 && (
        <ul className="runbook-runs">
          {runs.map((r) => (
            <RunItem key={r.id} run={r} isOpen={r.id === openRunId} onOpen={() => setOpenRun(r.id)} />
          ))}
        </ul>
      )}
      {suggested.length > 0 && !isClosed && (
        <>
          <h3 className="runbooks-subhead muted small">Suggested for this incident</h3>
          <ul className="runbook-suggestions">
            {suggested.map((summary) => {
              const running = activeByRunbook.get(summary.id);
              return (
                <li key={summary.id} className="runbook-suggestion" data-testid="runbook-suggestion" data-runbook={summary.id}>
                  <div className="runbook-suggestion-title">{summary.title}</div>
                  <div className="muted small" data-testid="runbook-matches">
                    matches {summary.matches.join(' · ')} · {summary.stepCount} steps
                    {summary.isReviewOverdue && <strong className="overdue"> · review overdue</strong>}
                  </div>
                  <div className="task-actions">
                    {running ? (
                      <button
                        type="button"
                        className="button button-small"
                        data-testid="runbook-open-running"
                        aria-label={`Running · Open ${summary.title}`}
                        onClick={() => setOpenRun(running.id)}
                      >
                        Running · Open
                      </button>
                    ) : (
                      <button
                        type="button"
                        className="button button-small button-primary"
                        data-testid="runbook-start"
                        aria-label={`Start ${summary.title}`}
                        disabled={isBusy}
                        onClick={() => start(summary)}
                      >
                        Start
                      </button>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
      {suggested.length === 0 && runs.length === 0 && !runsError && <p className="muted small">No runbook in the library names this incident's services or type.</p>}
      {error && (
        <p className="form-error" role="alert" data-testid="runbooks-action-error">
          {error}
        </p>
      )}
      {!isClosed && (
        <button type="button" className="button button-small" data-testid="runbook-start-other" disabled={isBusy} onClick={pickAnother}>
          Start another runbook…
        </button>
      )}
    </section>
  );
}

function RunItem({ run, isOpen, onOpen }: { run: RunbookRun; isOpen: boolean; onOpen: () => void }) {
  const { settled, total } = run.progress;
  const deviations = run.deviations.length;
  return (
    <li className={`runbook-run run-${run.status}${isOpen ? ' is-open' : ''}`} data-testid="runbook-run-item" data-run={run.id}>
      <div className="runbook-run-head">
        <span className="runbook-run-title">{run.title}</span>
        <span
          className="run-version mono small"
          data-testid="run-version"
          title={run.isVersionCurrent ? 'The current version of this runbook' : 'The library has a newer version'}
        >
          v{run.versionNumber}
        </span>
      </div>
      {!run.isVersionCurrent && (
        <div className="run-newer small" data-testid="run-newer">
          newer version exists
        </div>
      )}
      <div
        className="run-progress"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={total}
        aria-valuenow={settled}
        aria-label={`${settled} of ${total} steps settled`}
      >
        <span style={{ width: `${total === 0 ? 0 : Math.round((settled / total) * 100)}%` }} />
      </div>
      <div className="muted small" data-testid="run-summary">
        <span data-testid="run-progress">
          {settled}/{total} steps
        </span>
        {deviations > 0 && (
          <span className="run-deviation-count" data-testid="run-deviation-count">
            {' '}
            · {deviations} deviation{deviations === 1 ? '' : 's'}
          </span>
        )}
        {' · '}
        <span data-testid="run-status">{run.status}</span>
        {' · '}
        <span data-testid="run-assignees">{run.assignees.join(', ')}</span>
      </div>
      <div className="task-actions">
        <button type="button" className="button button-small" data-testid="run-open" onClick={onOpen}>
          {isOpen ? 'Opened' : 'Open'}
        </button>
      </div>
    </li>
  );
}
