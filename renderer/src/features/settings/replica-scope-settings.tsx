// Which incidents this laptop holds (docs/replica-scope.md): closed incidents of the last N days
// besides open ones and those its user worked on, or everything (an archive machine). Kept on this
// laptop, not shared; the next sync with the service pulls what came into the scope and drops what left.
import { useEffect, useState } from 'react';
import { defaultKeepClosedDays, maxKeepClosedDays, type ReplicaScopeView } from '@shared/replica-scope';
import { useEngineQuery } from '../../data/use-engine-query';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';

function lastEvictionText(view: ReplicaScopeView): string | null {
  const last = view.lastEviction;
  if (!last || (last.evicted.length === 0 && last.keptUnsent.length === 0)) return null;
  const left = `${last.evicted.length} incident${last.evicted.length === 1 ? '' : 's'} left this laptop at the last sync`;
  return last.keptUnsent.length > 0 ? `${left}; ${last.keptUnsent.length} stay until the service has their last changes.` : `${left}.`;
}

export function ReplicaScopeSettings() {
  const scope = useEngineQuery('sync.scope', {});
  const [days, setDays] = useState(String(defaultKeepClosedDays));
  const [isKeepEverything, setKeepEverything] = useState(false);
  const action = useAction();
  const view = scope.value;
  useEffect(() => {
    if (!view) return;
    setDays(String(view.settings.keepClosedDays));
    setKeepEverything(view.settings.isKeepEverything);
  }, [view]);

  const save = () =>
    action.run(async () => {
      const keepClosedDays = Number(days);
      if (!/^\d+$/.test(days.trim()) || keepClosedDays < 1 || keepClosedDays > maxKeepClosedDays) {
        throw new Error(`Days: a whole number from 1 to ${maxKeepClosedDays}.`);
      }
      scope.show(await client().call('sync.setScope', { keepClosedDays, isKeepEverything }));
    });
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
          value={days}
          disabled={isKeepEverything}
          onChange={(e) => setDays(e.target.value)}
        />
      </label>
      <label className="field field-check">
        <input type="checkbox" data-testid="scope-keep-everything" checked={isKeepEverything} onChange={(e) => setKeepEverything(e.target.checked)} />
        <span>Keep every incident on this laptop (an archive machine; needs room on disk)</span>
      </label>
      <button type="button" className="button button-primary" data-testid="scope-save" disabled={action.isBusy || !view} onClick={() => void save()}>
        Save
      </button>
      {action.error && (
        <p className="form-error" role="alert" data-testid="scope-error">
          {action.error}
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
