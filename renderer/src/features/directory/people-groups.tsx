// People grouped by team, teams in name order and people without a team last; each group heading
// carries the team's escalation number, the first call when nobody named answers.
import type { Person, Team } from '@shared/domain/directory';
import { useNow } from '../../lib/use-now';
import { PersonCard } from './person-card';
import { PhoneLink } from './phone-link';

export function PeopleGroups({ people, teams, onEdit }: { people: Person[]; teams: Team[]; onEdit: (person: Person) => void }) {
  // Local times only change by the minute.
  const now = useNow(30_000);
  const groups = [...teams, null].map((team) => ({ team, members: people.filter((p) => p.teamId === (team?.id ?? null)) })).filter((group) => group.members.length > 0);

  return (
    <>
      {groups.map(({ team, members }) => (
        <section key={team?.id ?? 'none'} className="people-group" data-testid="people-group" aria-label={team?.name ?? 'No team'}>
          <h2 className="group-title">
            <span>{team?.name ?? 'No team'}</span>
            <span className="group-count">{members.length}</span>
            {team?.escalationPhone && <PhoneLink phone={{ label: 'escalation', number: team.escalationPhone }} />}
          </h2>
          <div className="people-grid">
            {members.map((person) => (
              <PersonCard key={person.id} person={person} now={now} onEdit={() => onEdit(person)} />
            ))}
          </div>
        </section>
      ))}
    </>
  );
}
