// Settings › Integrations: the targets the war room pages, mirrors to and files action items in.
// Add, edit and remove each kind; a secret is typed once and only says whether this laptop holds it
// (it never syncs); a laptop without it can type it again to send as well. The list is read through
// the query layer: read again when a target changes, here or by sync.
import { useState } from 'react';
import { targetKindNames, targetKinds, type TargetKind, type TargetView } from '@shared/domain/integrations';
import { useEngineQuery } from '../../data/use-engine-query';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { configOf, draftOf, isSecretField, targetFields } from './target-fields';
import './integrations.css';

type Editing = { target: TargetView | null; secretOnly?: boolean } | null;
const purposeWords = { page: 'Paging', mirror: 'Chat mirror', track: 'Tracker' } as const;

export function IntegrationSettings() {
  const read = useEngineQuery('integrations.targets', {});
  const targets = read.value;
  const readError = read.error;
  const [editing, setEditing] = useState<Editing>(null);
  const { error, run } = useAction();
  const sorted = [...(targets ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return (
    <section className="panel settings-panel" data-testid="integration-settings" aria-labelledby="integrations-heading">
      <div className="cs-panel-title-row">
        <h2 id="integrations-heading">Integrations</h2>
        <button type="button" className="button button-primary button-small" data-testid="add-target" onClick={() => setEditing({ target: null })}>
          Add target
        </button>
      </div>
      <p className="muted small">
        Where the war room pages a team (PagerDuty, Opsgenie, Grafana OnCall, a webhook), mirrors an incident to chat (Slack, Microsoft Teams, Mattermost) and files
        action items (Jira, Linear, GitHub Issues). Secrets never sync: they stay on the laptop where they were typed, and only laptops holding them send. Give a team its
        paging targets in the directory.
      </p>
      {(error ?? readError) && (
        <div className="banner banner-bad" role="alert" data-testid="targets-error">
          {error ?? readError}
        </div>
      )}
      {targets && sorted.length === 0 && (
        <p className="muted" data-testid="targets-empty">
          No integration targets yet.
        </p>
      )}
      <ul className="integration-targets" data-testid="target-list">
        {sorted.map((target) => (
          <li key={target.id} className="integration-target" data-testid="target-row" aria-label={target.name}>
            <div>
              <strong>{target.name}</strong> <span className="muted small">{targetKindNames[target.kind]}</span>{' '}
              <span className="target-purpose">{purposeWords[target.purpose]}</span>
              {!target.isEnabled && <span className="target-purpose"> off</span>}
            </div>
            <div className="small" data-testid="target-secret">
              {target.isHeldHere ? 'Secret held on this laptop' : 'Secret not on this laptop: another laptop sends'}
            </div>
            <div className="integration-target-actions">
              <button type="button" className="button button-small" data-testid="target-edit" onClick={() => setEditing({ target })}>
                Edit
              </button>
              {!target.isHeldHere && (
                <button type="button" className="button button-small" data-testid="target-set-secret" onClick={() => setEditing({ target, secretOnly: true })}>
                  Keep secret here
                </button>
              )}
              <button
                type="button"
                className="button button-small"
                data-testid="target-remove"
                onClick={() => {
                  if (window.confirm(`Remove ${target.name}? Sends waiting for it fail.`))
                    void run(async () => read.show(await client().call('integrations.removeTarget', { id: target.id })));
                }}
              >
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      {editing && (
        <TargetForm
          key={editing.target?.id ?? 'new'}
          editing={editing}
          onDone={() => {
            setEditing(null);
            read.reload();
          }}
        />
      )}
    </section>
  );
}

function TargetForm({ editing, onDone }: { editing: NonNullable<Editing>; onDone: () => void }) {
  const { target, secretOnly } = editing;
  const [kind, setKind] = useState<TargetKind>(target?.kind ?? 'pagerduty');
  const [name, setName] = useState(target?.name ?? '');
  const [isEnabled, setEnabled] = useState(target?.isEnabled ?? true);
  const [values, setValues] = useState<Record<string, string>>(target ? draftOf(target.config) : {});
  const [problems, setProblems] = useState<string[]>([]);
  const { error, isBusy, run } = useAction();
  const save = () => {
    const found: string[] = [];
    if (!name.trim()) found.push('Name: give the target a name');
    const made = configOf(kind, values);
    if ('problems' in made) found.push(...made.problems);
    setProblems(found);
    if (found.length > 0 || !('config' in made)) return;
    void run(async () => {
      if (secretOnly && target) await client().call('integrations.setTargetSecret', { id: target.id, config: made.config });
      else await client().call('integrations.saveTarget', { ...(target ? { id: target.id } : {}), name: name.trim(), config: made.config, isEnabled });
      onDone();
    });
  };
  const title = secretOnly ? `Keep the secret of ${target?.name} on this laptop` : target ? `Edit ${target.name}` : 'Add an integration target';
  return (
    <form
      className="integration-target-form"
      data-testid="target-form"
      aria-label={title}
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
    >
      <h3>{title}</h3>
      {!secretOnly && (
        <>
          <label>
            Kind
            <select data-testid="target-kind" value={kind} disabled={target !== null} onChange={(e) => setKind(e.target.value as TargetKind)}>
              {targetKinds.map((k) => (
                <option key={k} value={k}>
                  {targetKindNames[k]}
                </option>
              ))}
            </select>
          </label>
          <label>
            Name
            <input data-testid="target-name" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        </>
      )}
      {targetFields[kind].map((field) => (
        <label key={field.name}>
          {field.label}
          {field.optional ? ' (optional)' : ''}
          <input
            data-testid={`target-field-${field.name}`}
            type={isSecretField(kind, field.name) ? 'password' : 'text'}
            autoComplete="off"
            placeholder={isSecretField(kind, field.name) && target ? 'type the secret again' : field.placeholder}
            value={values[field.name] ?? ''}
            onChange={(e) => setValues({ ...values, [field.name]: e.target.value })}
          />
        </label>
      ))}
      {!secretOnly && (
        <label className="integration-check">
          <input type="checkbox" data-testid="target-enabled" checked={isEnabled} onChange={(e) => setEnabled(e.target.checked)} /> In use
        </label>
      )}
      {problems.length > 0 && (
        <ul className="banner banner-bad" role="alert" data-testid="target-problems">
          {problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {error && (
        <div className="banner banner-bad" role="alert" data-testid="target-error">
          {error}
        </div>
      )}
      <div className="integration-target-actions">
        <button type="submit" className="button button-primary button-small" data-testid="target-save" disabled={isBusy}>
          Save
        </button>
        <button type="button" className="button button-small" data-testid="target-cancel" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
