// How often each audience hears about an incident, per severity: minutes between updates, or "as
// needed" (no clock runs). The war room counts down to each audience's next update from this.
// Sent as typed: the engine's checks decide, and its message names the cell to fix.
import { useState } from 'react';
import { audienceLabels, audiences, defaultCadence, maxCadenceMin, minCadenceMin, type Audience, type Cadence } from '@shared/domain/comms';
import type { CommsSettings } from '@shared/domain/comms-api';
import { severities, type Severity } from '@shared/domain/incident';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { fieldProblems, problemAt } from './field-problems';
import { SettingsSaveBar } from './settings-save-bar';
import { sameJson, useSyncedForm } from './use-synced-form';

type CadenceForm = Record<Severity, Record<Audience, string>>;

const toForm = (cadence: Cadence): CadenceForm =>
  Object.fromEntries(severities.map((s) => [s, Object.fromEntries(audiences.map((a) => [a, cadence[s][a] === null ? '' : String(cadence[s][a])]))])) as CadenceForm;

/** Empty (or "as needed") is null; a number is sent as one; anything else as typed, for the engine to name. */
function minutesOf(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === '' || /^as needed$/i.test(trimmed)) return null;
  if (/^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed);
  return trimmed as unknown as number;
}

const toCadence = (form: CadenceForm): Cadence =>
  Object.fromEntries(severities.map((s) => [s, Object.fromEntries(audiences.map((a) => [a, minutesOf(form[s][a])]))])) as Cadence;

interface CadenceSettingsProps {
  settings: CommsSettings;
  severityMeanings: Record<Severity, string> | null;
  onSaved: (settings: CommsSettings) => void;
}

export function CadenceSettings({ settings, severityMeanings, onSaved }: CadenceSettingsProps) {
  const { form, setForm, isDirty } = useSyncedForm(settings.cadence, toForm, sameJson);
  const save = useAction();
  const [isSaved, setSaved] = useState(false);
  const problems = fieldProblems(save.error, ['cadence']);
  const isDefault = sameJson(form, toForm(defaultCadence));

  const submit = async () => {
    setSaved(false);
    const answer: { saved?: CommsSettings } = {};
    const ok = await save.run(async () => {
      answer.saved = await client().call('comms.saveSettings', { cadence: toCadence(form) });
    });
    if (ok && answer.saved) {
      setForm(toForm(answer.saved.cadence));
      onSaved(answer.saved);
      setSaved(true);
    }
  };

  const cellProblem = (severity: Severity, audience: Audience) => problemAt(problems, `cadence.${severity}.${audience}`);

  return (
    <section className="panel settings-panel cs-panel" data-testid="cadence-settings" aria-labelledby="cadence-heading">
      <h3 id="cadence-heading" className="cs-panel-head">
        Update cadence
      </h3>
      <p className="muted small cs-panel-intro">
        Minutes between updates for each audience, per severity ({minCadenceMin} to {maxCadenceMin}). Leave a cell empty for <strong>as needed</strong>: no clock runs,
        and updates go out when there is news. The war room counts down to each audience&apos;s next update.
      </p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
        noValidate
      >
        <table className="cs-cadence" data-testid="cadence-table">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              {audiences.map((audience) => (
                <th key={audience} scope="col">
                  {audienceLabels[audience]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {severities.map((severity) => (
              <tr key={severity} data-testid={`cadence-row-${severity}`}>
                <th scope="row">
                  <span className={`sev sev-${severity.toLowerCase()}`}>{severity}</span>
                  {severityMeanings && <span className="cs-sev-meaning">{severityMeanings[severity].split(':')[0]}</span>}
                </th>
                {audiences.map((audience) => {
                  const text = form[severity][audience];
                  const problem = cellProblem(severity, audience);
                  const isNone = text.trim() === '';
                  return (
                    <td key={audience} className={problem ? 'has-problem' : undefined}>
                      <label className="cs-cadence-cell">
                        <input
                          type="text"
                          inputMode="numeric"
                          autoComplete="off"
                          data-testid={`cadence-${severity}-${audience}`}
                          aria-label={`${severity}, ${audienceLabels[audience]}: minutes between updates`}
                          aria-invalid={problem ? true : undefined}
                          title={problem}
                          placeholder="as needed"
                          value={text}
                          onChange={(e) => {
                            setSaved(false);
                            setForm({ ...form, [severity]: { ...form[severity], [audience]: e.target.value } });
                          }}
                        />
                        <span className="cs-unit" aria-hidden="true">
                          {isNone ? '' : 'min'}
                        </span>
                      </label>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
        {problems.length > 0 && (
          <ul className="cs-problems" data-testid="cadence-problems">
            {problems.map((p) => {
              const [, severity, audience] = p.path.split('.');
              return (
                <li key={p.path}>
                  <strong>
                    {severity}
                    {audience && ` · ${audienceLabels[audience as Audience] ?? audience}`}
                  </strong>{' '}
                  {p.message}
                </li>
              );
            })}
          </ul>
        )}
        <SettingsSaveBar testIdPrefix="cadence" saveLabel="Save cadence" error={save.error} isBusy={save.isBusy} isDirty={isDirty} isSaved={isSaved}>
          <button
            type="button"
            className="button"
            data-testid="cadence-reset"
            disabled={isDefault}
            title="Fill the table with Holdfast's defaults; nothing is saved until you save"
            onClick={() => {
              save.clearError();
              setSaved(false);
              setForm(toForm(defaultCadence));
            }}
          >
            Reset to defaults
          </button>
        </SettingsSaveBar>
      </form>
    </section>
  );
}
