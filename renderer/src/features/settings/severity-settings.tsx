// What each severity level means in this organisation, shown when declaring and in the war room.
// Stored in the `org` stream, so every replica shows the same wording; commanders may change it.
// Read through the query layer (read again when the org stream changes, here or by sync: a level
// typed over here is kept, the others follow); checked by the engine's own request schema.
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { severities, severityMeaningsRequest, type Severity } from '@shared/domain/incident';
import { useEngineQuery } from '../../data/use-engine-query';
import { formProblems, problemsLine } from '../../lib/form-problems';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';

type MeaningsForm = z.input<typeof severityMeaningsRequest>;

export function SeveritySettings() {
  const meanings = useEngineQuery('org.severityMeanings', {});
  if (!meanings.value) return null;
  return <MeaningsEditor meanings={meanings.value} onSaved={meanings.show} />;
}

function MeaningsEditor({ meanings, onSaved }: { meanings: Record<Severity, string>; onSaved: (meanings: Record<Severity, string>) => void }) {
  const [saved, setSaved] = useState(false);
  const { error, isBusy, run, clearError } = useAction();
  const { register, handleSubmit, formState } = useForm<MeaningsForm, unknown, z.output<typeof severityMeaningsRequest>>({
    resolver: zodResolver(severityMeaningsRequest),
    values: { meanings },
    resetOptions: { keepDirtyValues: true, keepErrors: true },
    reValidateMode: 'onSubmit',
  });
  const problems = formProblems(formState.errors);
  const problemOf = (severity: Severity) => problems.find((p) => p.path === `meanings.${severity}`)?.message;
  const problem = problemsLine(problems, Object.fromEntries(severities.map((s) => [`meanings.${s}`, s]))) ?? error;

  const save = handleSubmit(async (request) => {
    clearError();
    await run(async () => {
      onSaved(await client().call('org.setSeverityMeanings', request));
      setSaved(true);
    });
  });

  return (
    <section className="panel settings-panel" data-testid="severity-settings">
      <h2>Severity levels</h2>
      <p className="muted small">What each level means here. Everyone declaring an incident sees this wording.</p>
      <form
        noValidate
        onSubmit={(event) => {
          setSaved(false);
          void save(event);
        }}
      >
        {severities.map((severity) => (
          <label key={severity} className="field">
            <span>{severity}</span>
            <input data-testid={`meaning-${severity}`} aria-invalid={problemOf(severity) ? true : undefined} {...register(`meanings.${severity}`)} />
            {problemOf(severity) && (
              <small className="settings-field-problem" data-testid={`meaning-${severity}-problem`}>
                {problemOf(severity)}
              </small>
            )}
          </label>
        ))}
        {problem && (
          <p className="form-error" role="alert">
            {problem}
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
