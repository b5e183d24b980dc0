// Retention: how long closed incidents are kept (some number of days, or forever), the closed
// incidents past that period that may be purged (chosen with checkboxes, purged only with a reason
// and a confirmation), those kept past it because of a legal hold, and the log of what was purged.
import { useCallback, useEffect, useState } from 'react';
import type { RetentionCandidate, RetentionView } from '@shared/domain/review';
import { localTime, utcTime } from '../../lib/time';
import { messageOf, useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { DataTable } from '../shell/data-table';
import './retention.css';

const suggestedDays = 365;

export function RetentionSettings() {
  const [view, setView] = useState<RetentionView | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const reload = useCallback(() => {
    client()
      .call('retention.get', {})
      .then(
        (answer) => {
          setView(answer);
          setReadError(null);
        },
        (error: unknown) => setReadError(messageOf(error)),
      );
  }, []);
  useEffect(() => {
    reload();
    // Closing, holding or purging an incident anywhere (here or by sync) changes the lists.
    const offIncidents = client().on('incidents.changed', reload);
    const offStreams = client().on('stream.changed', reload);
    return () => {
      offIncidents();
      offStreams();
    };
  }, [reload]);

  return (
    <section className="panel settings-panel retention-settings" data-testid="retention-settings">
      <h2>Retention</h2>
      <p className="muted small">
        How long closed incidents are kept on every replica. Past that, they may be purged: by a person, with a reason, never by themselves. An incident on legal hold is
        kept whatever this says.
      </p>
      {readError && (
        <p className="form-error" role="alert" data-testid="retention-error">
          Could not read the retention setting: {readError}
        </p>
      )}
      {view && (
        <>
          <KeepForm keepDays={view.setting.keepDays} onSaved={setView} />
          <Candidates view={view} onPurged={setView} />
          <h3>On legal hold</h3>
          {view.held.length === 0 ? (
            <p className="muted small" data-testid="retention-held-empty">
              No incident past retention is on legal hold.
            </p>
          ) : (
            <DataTable className="retention-table" testId="retention-held" columns={['Incident', 'Closed', 'Past retention since']}>
              {view.held.map((c) => (
                <tr key={c.incidentId} data-testid="retention-held-row">
                  <td>
                    <span className="legal-hold-badge is-static">Legal hold</span> {c.title}
                  </td>
                  <td title={utcTime(c.closedAt)}>{localTime(c.closedAt)}</td>
                  <td title={utcTime(c.eligibleAt)}>{localTime(c.eligibleAt)}</td>
                </tr>
              ))}
            </DataTable>
          )}
          <h3>Purge log</h3>
          {view.purged.length === 0 ? (
            <p className="muted small" data-testid="purge-log-empty">
              Nothing has been purged.
            </p>
          ) : (
            <DataTable className="retention-table" testId="purge-log" columns={['Purged', 'Incident', 'Closed', 'By', 'Reason']}>
              {view.purged.map((p) => (
                <tr key={`${p.incidentId}-${p.purgedAt}`} data-testid="purge-log-row">
                  <td title={utcTime(p.purgedAt)}>{localTime(p.purgedAt)}</td>
                  <td>
                    <span className="mono small">{p.severity}</span> {p.title}
                    <div className="incident-id">{p.incidentId}</div>
                  </td>
                  <td title={utcTime(p.closedAt)}>{localTime(p.closedAt)}</td>
                  <td>{p.purgedBy}</td>
                  <td>{p.reason}</td>
                </tr>
              ))}
            </DataTable>
          )}
        </>
      )}
    </section>
  );
}

function KeepForm({ keepDays, onSaved }: { keepDays: number | null; onSaved: (view: RetentionView) => void }) {
  const [isForever, setForever] = useState(keepDays === null);
  const [days, setDays] = useState(String(keepDays ?? suggestedDays));
  const [saved, setSaved] = useState(false);
  const { error, isBusy, run } = useAction();
  // Follow a change made elsewhere (another replica, by sync).
  useEffect(() => {
    setForever(keepDays === null);
    if (keepDays !== null) setDays(String(keepDays));
  }, [keepDays]);

  return (
    <form
      className="retention-keep"
      data-testid="retention-keep"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        setSaved(false);
        void run(async () => {
          const value = isForever ? null : Number(days.trim());
          if (value !== null && (!/^\d+$/.test(days.trim()) || !Number.isFinite(value))) throw new Error('Days: give a whole number of days.');
          onSaved(await client().call('retention.set', { keepDays: value }));
          setSaved(true);
        });
      }}
    >
      <label className="field-check">
        <input type="radio" name="retention" data-testid="retention-forever" checked={isForever} onChange={() => setForever(true)} />
        <span>Keep closed incidents forever</span>
      </label>
      <label className="field-check">
        <input type="radio" name="retention" data-testid="retention-limited" checked={!isForever} onChange={() => setForever(false)} />
        <span>Keep closed incidents for</span>
        <input
          className="retention-days"
          type="number"
          min={30}
          max={36500}
          step={1}
          inputMode="numeric"
          aria-label="Days to keep closed incidents"
          data-testid="retention-days"
          value={days}
          disabled={isForever}
          onChange={(e) => setDays(e.target.value)}
        />
        <span>days after they are closed</span>
      </label>
      {error && (
        <p className="form-error" role="alert" data-testid="retention-save-error">
          {error}
        </p>
      )}
      <div>
        <button type="submit" className="button button-primary" data-testid="retention-save" disabled={isBusy}>
          Save retention
        </button>
        {saved && <span className="muted small"> Saved.</span>}
      </div>
    </form>
  );
}

function Candidates({ view, onPurged }: { view: RetentionView; onPurged: (view: RetentionView) => void }) {
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [isConfirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const { error, isBusy, run, clearError } = useAction();
  const candidates = view.candidates;
  // Only incidents still listed may stay chosen (one may have been held or purged meanwhile).
  const selected = candidates.filter((c) => chosen.has(c.incidentId));
  const toggle = (c: RetentionCandidate, isOn: boolean) =>
    setChosen((current) => {
      const next = new Set(current);
      if (isOn) next.add(c.incidentId);
      else next.delete(c.incidentId);
      return next;
    });
  const isAll = candidates.length > 0 && selected.length === candidates.length;
  const chooseAll = (
    <input
      type="checkbox"
      aria-label="Choose all"
      data-testid="retention-choose-all"
      checked={isAll}
      onChange={(e) => setChosen(e.target.checked ? new Set(candidates.map((c) => c.incidentId)) : new Set())}
    />
  );

  return (
    <>
      <h3>
        May be purged{' '}
        <span className="muted small">
          · closed {view.setting.keepDays === null ? 'incidents are kept forever' : `more than ${view.setting.keepDays} days ago`}, not on legal hold
        </span>
      </h3>
      {candidates.length === 0 ? (
        <p className="muted small" data-testid="retention-candidates-empty">
          No closed incident is past retention.
        </p>
      ) : (
        <DataTable
          className="retention-table"
          testId="retention-candidates"
          columns={[{ head: chooseAll, className: 'check-col' }, 'Incident', 'Closed', 'Past retention since']}
        >
          {candidates.map((c) => (
            <tr key={c.incidentId} data-testid="retention-candidate" data-incident={c.incidentId}>
              <td className="check-col">
                <input
                  type="checkbox"
                  aria-label={`Choose ${c.title}`}
                  data-testid="retention-choose"
                  checked={chosen.has(c.incidentId)}
                  onChange={(e) => toggle(c, e.target.checked)}
                />
              </td>
              <td>
                {c.title}
                <div className="incident-id">{c.incidentId}</div>
              </td>
              <td title={utcTime(c.closedAt)}>{localTime(c.closedAt)}</td>
              <td title={utcTime(c.eligibleAt)}>{localTime(c.eligibleAt)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {candidates.length > 0 &&
        (isConfirming ? (
          <form
            className="purge-confirm"
            role="alertdialog"
            aria-label="Purge incidents"
            data-testid="purge-confirm"
            onSubmit={(event) => {
              event.preventDefault();
              void run(async () => {
                if (reason.trim().length < 3) throw new Error('Reason: say why these incidents are purged (at least 3 characters).');
                onPurged(await client().call('retention.purge', { incidentIds: selected.map((c) => c.incidentId), reason: reason.trim() }));
                setChosen(new Set());
                setReason('');
                setConfirming(false);
              });
            }}
          >
            <p>
              <strong>
                Purge {selected.length} incident{selected.length === 1 ? '' : 's'} for good?
              </strong>{' '}
              Their records (timeline, roles, tasks, evidence, updates, review) are removed here and on every replica the purge syncs to; only a line in the purge log
              stays. This cannot be undone.
            </p>
            <label className="field">
              <span>Reason (goes in the purge log)</span>
              <input
                data-testid="purge-reason"
                autoFocus
                value={reason}
                onChange={(e) => setReason(e.target.value)}
                placeholder="Retention policy: closed over a year ago"
              />
            </label>
            {error && (
              <p className="form-error" role="alert" data-testid="purge-error">
                {error}
              </p>
            )}
            <div className="dialog-actions">
              <button type="button" className="button" data-testid="purge-cancel" onClick={() => setConfirming(false)}>
                Cancel
              </button>
              <button type="submit" className="button button-danger" data-testid="purge-confirmed" disabled={isBusy || selected.length === 0}>
                Purge {selected.length} incident{selected.length === 1 ? '' : 's'}
              </button>
            </div>
          </form>
        ) : (
          <button
            type="button"
            className="button button-danger"
            data-testid="purge-start"
            disabled={selected.length === 0}
            onClick={() => {
              clearError();
              setConfirming(true);
            }}
          >
            Purge{selected.length > 0 ? ` ${selected.length}` : ''}…
          </button>
        ))}
    </>
  );
}
