// Which incidents this laptop holds (docs/replica-scope.md): closed incidents of the last N days
// besides open ones and those its user worked on, or everything (an archive machine). Kept on this
// laptop, not shared; the next sync with the service pulls what came into the scope and drops what left.
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { defaultKeepClosedDays, maxKeepClosedDays, scopeSettings, type ReplicaScopeView, type ScopeSettings } from '@shared/replica-scope';
import { formProblems, problemsLine } from '../../lib/form-problems';
import { useEngineQuery } from '../../data/use-engine-query';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';

function lastEvictionText(view: ReplicaScopeView): string | null {
  const last = view.lastEviction;
  if (!last || (last.evicted.length === 0 && last.keptUnsent.length === 0)) return null;
  const left = `${last.evicted.length} incident${last.evicted.length === 1 ? '' : 's'} left this laptop at the last sync`;
  return last.keptUnsent.length > 0 ? `${left}; ${last.keptUnsent.length} stay until the service has their last changes.` : `${left}.`;
}

/** The form as typed (days as text) read into the engine's own request schema, so its rules and words are the engine's. */
const scopeForm = z
  .object({ days: z.string(), isKeepEverything: z.boolean() })
  .transform(({ days, isKeepEverything }, ctx) => {
    const typed = days.trim();
    if (!/^\d+$/.test(typed)) {
      ctx.addIssue({ code: 'custom', path: ['keepClosedDays'], message: 'keepClosedDays must be a whole number of days' });
      return z.NEVER;
    }
    return { keepClosedDays: Number(typed), isKeepEverything };
  })
  .pipe(scopeSettings);
type ScopeForm = z.input<typeof scopeForm>;

export function ReplicaScopeSettings() {
  const scope = useEngineQuery('sync.scope', {});
  const action = useAction();
  const view = scope.value;
  const { register, handleSubmit, reset, watch, formState } = useForm<ScopeForm, unknown, ScopeSettings>({
    resolver: zodResolver(scopeForm),
    defaultValues: { days: String(defaultKeepClosedDays), isKeepEverything: false },
  });
  useEffect(() => {
    if (view) reset({ days: String(view.settings.keepClosedDays), isKeepEverything: view.settings.isKeepEverything });
  }, [view, reset]);
  const isKeepEverything = watch('isKeepEverything');
  const problem = problemsLine(formProblems(formState.errors), { keepClosedDays: 'Days' });

  const save = handleSubmit((settings) =>
    action.run(async () => {
      scope.show(await client().call('sync.setScope', settings));
    }),
  );
  const evictionText = view ? lastEvictionText(view) : null;

  return (
    <section className="panel settings-panel" data-testid="replica-scope-settings">
      <h2>Incidents on this laptop</h2>
      <p className="muted small">
        This laptop always holds open incidents and every incident you worked on. Older closed incidents stay on the service and open from there when it is reachable.
      </p>
      <label className="field">
        <span>Also keep incidents closed in the last (days)</span>
        <input
          type="number"
          min={1}
          max={maxKeepClosedDays}
          data-testid="scope-keep-days"
          aria-invalid={problem ? true : undefined}
          disabled={isKeepEverything}
          {...register('days')}
        />
      </label>
      <label className="field field-check">
        <input type="checkbox" data-testid="scope-keep-everything" {...register('isKeepEverything')} />
        <span>Keep every incident on this laptop (an archive machine; needs room on disk)</span>
      </label>
      <button type="button" className="button button-primary" data-testid="scope-save" disabled={action.isBusy || !view} onClick={() => void save()}>
        Save
      </button>
      {(problem ?? action.error) && (
        <p className="form-error" role="alert" data-testid="scope-error">
          {problem ?? action.error}
        </p>
      )}
      {scope.error && (
        <p className="form-error" role="alert">
          {scope.error}
        </p>
      )}
      {evictionText && (
        <p className="muted small" data-testid="scope-last-eviction">
          {evictionText}
        </p>
      )}
    </section>
  );
}
