// A directory team's paging targets: which PagerDuty, Opsgenie, Grafana OnCall or webhook targets
// "Page <team>" goes through. Shown on the team's card; chosen with a checkbox per paging target.
import { useEffect, useState } from 'react';
import type { TargetView } from '@shared/domain/integrations';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';

export function TeamPagingTargets({ teamId, teamName }: { teamId: string; teamName: string }) {
  const [targets, setTargets] = useState<TargetView[]>([]);
  const [chosen, setChosen] = useState<string[] | null>(null);
  const [isEditing, setEditing] = useState(false);
  const { error, isBusy, run } = useAction();
  useEffect(() => {
    let live = true;
    const read = () =>
      Promise.all([client().call('integrations.targets', {}), client().call('integrations.teamTargets', { teamId })]).then(
        ([all, ids]) => {
          if (!live) return;
          setTargets(all.filter((t) => t.purpose === 'page'));
          setChosen(ids);
        },
        () => undefined,
      );
    void read();
    const off = client().on('stream.changed', () => void read());
    return () => {
      live = false;
      off();
    };
  }, [teamId]);
  if (chosen === null) return null;
  const names = chosen.map((id) => targets.find((t) => t.id === id)?.name ?? id);
  return (
    <div className="small team-paging" data-testid="team-paging">
      <span className="muted">Paging</span> <span data-testid="team-paging-names">{names.length ? names.join(', ') : 'none'}</span>{' '}
      {!isEditing && targets.length > 0 && (
        <button type="button" className="button button-small" data-testid="team-paging-edit" onClick={() => setEditing(true)}>
          Paging targets
        </button>
      )}
      {isEditing && (
        <fieldset data-testid="team-paging-form">
          <legend>Page {teamName} through</legend>
          {targets.map((t) => (
            <label key={t.id} className="integration-check">
              <input
                type="checkbox"
                checked={chosen.includes(t.id)}
                onChange={(e) => setChosen(e.target.checked ? [...chosen, t.id] : chosen.filter((id) => id !== t.id))}
              />{' '}
              {t.name}
            </label>
          ))}
          {error && (
            <div className="banner banner-bad" role="alert" data-testid="team-paging-error">
              {error}
            </div>
          )}
          <button
            type="button"
            className="button button-primary button-small"
            data-testid="team-paging-save"
            disabled={isBusy}
            onClick={() =>
              void run(async () => {
                setChosen(await client().call('integrations.setTeamTargets', { teamId, targetIds: chosen }));
                setEditing(false);
              })
            }
          >
            Save
          </button>
        </fieldset>
      )}
    </div>
  );
}
