// A directory team's paging targets: which PagerDuty, Opsgenie, Grafana OnCall or webhook targets
// "Page <team>" goes through. Shown on the team's card; chosen with a checkbox per paging target.
// Read through the query layer: read again when a target or the team changes, here or by sync.
import { useState } from 'react';
import { useEngineQuery } from '../../data/use-engine-query';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';

export function TeamPagingTargets({ teamId, teamName }: { teamId: string; teamName: string }) {
  const all = useEngineQuery('integrations.targets', {});
  const team = useEngineQuery('integrations.teamTargets', { teamId });
  // What is ticked while editing; the team's targets as read otherwise.
  const [ticked, setTicked] = useState<string[] | null>(null);
  const { error, isBusy, run } = useAction();
  if (all.value === null || team.value === null) return null;
  const targets = all.value.filter((t) => t.purpose === 'page');
  const isEditing = ticked !== null;
  const chosen = ticked ?? team.value;
  const setChosen = setTicked;
  const setEditing = (isOn: boolean) => setTicked(isOn ? team.value : null);
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
                team.show(await client().call('integrations.setTeamTargets', { teamId, targetIds: chosen }));
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
