// Retention: how long closed incidents are kept (some number of days, or forever), the closed
// incidents past that period that may be purged (chosen with checkboxes, purged only with a reason
// and a confirmation), those kept past it because of a legal hold, and the log of what was purged.
// Read through the query layer: read again when an incident closes, is held or purged anywhere, or
// the setting changes (here or by sync). Both forms are checked by the engine's own request
// schemas before anything is sent, so their messages are the engine's.
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { purgeRequest, retentionSettingRequest, type RetentionCandidate, type RetentionView } from '@shared/domain/review';
import { useEngineQuery } from '../../data/use-engine-query';
import { formProblems, problemsLine } from '../../lib/form-problems';
import { localTime, utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { DataTable } from '../shell/data-table';
import './retention.css';

const suggestedDays = 365;

/** The keep form as typed: forever, or a number of days (text until read into the engine's request). */
const keepForm = z
  .object({ mode: z.enum(['forever', 'limited']), days: z.string().optional() })
  .transform(({ mode, days }, ctx) => {
    if (mode === 'forever') return { keepDays: null };
    const typed = (days ?? '').trim();
    if (!/^\d+$/.test(typed)) {
      ctx.addIssue({ code: 'custom', path: ['keepDays'], message: 'give a whole number of days' });
      return z.NEVER;
    }
    return { keepDays: Number(typed) };
  })
  .pipe(retentionSettingRequest);
type KeepForm = z.input<typeof keepForm>;

const formOf = (keepDays: number | null): KeepForm => ({ mode: keepDays === null ? 'forever' : 'limited', days: String(keepDays ?? suggestedDays) });

/** The purge confirmation checks its reason by the engine's rule; the chosen incidents are sent with it. */
const purgeForm = purgeRequest.pick({ reason: true });
type PurgeForm = z.input<typeof purgeForm>;

export function RetentionSettings() {
  const retention = useEngineQuery('retention.get', {});
  const view = retention.value;
  const readError = retention.error;

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
          <KeepSetting keepDays={view.setting.keepDays} onSaved={retention.show} />
          <Candidates view={view} onPurged={retention.show} />
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

function KeepSetting({ keepDays, onSaved }: { keepDays: number | null; onSaved: (view: RetentionView) => void }) {
  const [saved, setSaved] = useState(false);
  const { error, isBusy, run, clearError } = useAction();
  // `values` follows a change made elsewhere (another replica, by sync) into the form.
  const { register, handleSubmit, watch, formState } = useForm<KeepForm, unknown, z.output<typeof keepForm>>({
    resolver: zodResolver(keepForm),
    values: formOf(keepDays),
    resetOptions: { keepErrors: true },
    reValidateMode: 'onSubmit',
  });
  const isForever = watch('mode') === 'forever';
  const problems = formProblems(formState.errors);
  const daysProblem = problems.find((p) => p.path === 'keepDays')?.message;
  const problem = problemsLine(problems, { keepDays: 'Days' }) ?? error;

  const save = handleSubmit(async (request) => {
    clearError();
    await run(async () => {
      onSaved(await client().call('retention.set', request));
      setSaved(true);
    });
  });

  return (
    <form
      className="retention-keep"
      data-testid="retention-keep"
      noValidate
      onSubmit={(event) => {
        setSaved(false);
        void save(event);
      }}
    >
      <label className="field-check">
        <input type="radio" value="forever" data-testid="retention-forever" {...register('mode')} />
        <span>Keep closed incidents forever</span>
      </label>
      <label className="field-check">
        <input type="radio" value="limited" data-testid="retention-limited" {...register('mode')} />
        <span>Keep closed incidents for</span>
        <input
          className="retention-days"
          type="number"
          min={30}
          max={36500}
          step={1}
          inputMode="numeric"
          aria-label="Days to keep closed incidents"
          aria-invalid={daysProblem ? true : undefined}
          data-testid="retention-days"
          disabled={isForever}
          {...register('days')}
        />
        <span>days after they are closed</span>
      </label>
      {daysProblem && (
        <small className="settings-field-problem" data-testid="retention-days-problem">
          {daysProblem}
        </small>
      )}
      {problem && (
        <p className="form-error" role="alert" data-testid="retention-save-error">
          {problem}
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
  const { error, isBusy, run, clearError } = useAction();
  const { register, handleSubmit, reset, formState } = useForm<PurgeForm, unknown, z.output<typeof purgeForm>>({
    resolver: zodResolver(purgeForm),
    defaultValues: { reason: '' },
    reValidateMode: 'onSubmit',
  });
  const reasonProblem = formState.errors.reason?.message;
  const problem = reasonProblem ? `Reason: ${reasonProblem}` : error;
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
            noValidate
            onSubmit={(event) =>
              void handleSubmit(async ({ reason }) => {
                clearError();
                await run(async () => {
                  onPurged(await client().call('retention.purge', { incidentIds: selected.map((c) => c.incidentId), reason }));
                  setChosen(new Set());
                  reset({ reason: '' });
                  setConfirming(false);
                });
              })(event)
            }
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
                aria-invalid={reasonProblem ? true : undefined}
                placeholder="Retention policy: closed over a year ago"
                {...register('reason')}
              />
              {reasonProblem && (
                <small className="settings-field-problem" data-testid="purge-reason-problem">
                  {reasonProblem}
                </small>
              )}
            </label>
            {problem && (
              <p className="form-error" role="alert" data-testid="purge-error">
                {problem}
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
