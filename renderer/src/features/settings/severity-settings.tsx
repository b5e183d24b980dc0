// What each severity level means in this organisation, shown when declaring and in the war room.
// Stored in the `org` stream, so every replica shows the same wording; commanders may change it.
import { useEffect, useState } from 'react';
import { severities, type Severity } from '@shared/domain/incident';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';

export function SeveritySettings() {
  const [meanings, setMeanings] = useState<Record<Severity, string> | null>(null);
  const [saved, setSaved] = useState(false);
  const { error, isBusy, run } = useAction();

  useEffect(() => {
    client()
      .call('org.severityMeanings', {})
      .then(setMeanings, () => undefined);
  }, []);

  if (!meanings) return null;
  return (
    <section className="panel settings-panel" data-testid="severity-settings">
      <h2>Severity levels</h2>
      <p className="muted small">What each level means here. Everyone declaring an incident sees this wording.</p>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          setSaved(false);
          void run(async () => {
            setMeanings(await client().call('org.setSeverityMeanings', { meanings }));
            setSaved(true);
          });
        }}
      >
        {severities.map((severity) => (
          <label key={severity} className="field">
            <span>{severity}</span>
            <input data-testid={`meaning-${severity}`} value={meanings[severity]} onChange={(e) => setMeanings({ ...meanings, [severity]: e.target.value })} />
          </label>
        ))}
        {error && (
          <p className="form-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" className="button button-primary" disabled={isBusy} data-testid="meanings-save">
          Save levels
        </button>
        {saved && <span className="muted small"> Saved.</span>}
      </form>
    </section>
  );
}
