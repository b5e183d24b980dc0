// A team: what it does and how to escalate to whoever is on call for it.
import type { Team } from '@shared/domain/directory';
import { useEditGate } from './directory-gate';
import { PhoneLink } from './phone-link';
import { TeamPagingTargets } from '../integrations/team-paging-targets';

export function TeamCard({ team, memberCount, onEdit }: { team: Team; memberCount: number; onEdit: () => void }) {
  const gate = useEditGate();
  return (
    <article className="side-card" data-testid="team-card" aria-label={team.name}>
      <header className="card-head">
        <div>
          <h3 className="side-card-title">{team.name}</h3>
          <div className="muted small">{memberCount === 1 ? '1 person' : `${memberCount} people`}</div>
        </div>
        <button type="button" className="button button-small" data-testid="team-edit" onClick={onEdit} {...gate}>
          Edit
        </button>
      </header>
      {team.description && <p className="card-notes">{team.description}</p>}
      {team.escalationPhone && <PhoneLink phone={{ label: 'escalation', number: team.escalationPhone }} />}
      {team.pager && (
        <div className="small">
          <span className="muted">Pager</span> <span className="mono">{team.pager}</span>
        </div>
      )}
      <TeamPagingTargets teamId={team.id} teamName={team.name} />
    </article>
  );
}
