// Who owns a service and how to reach them, from the directory on this replica: the team with its
// escalation number and pager, then its people with click-to-call numbers and e-mail links, so a
// war room can call the owners with chat and SSO down.
import type { ServiceOwners as Owners } from '@shared/domain/catalog';
import { PhoneLink } from '../directory/phone-link';

interface ServiceOwnersProps {
  owners: Owners;
  /** Most people listed; the rest are counted. */
  maxPeople?: number;
  /** One phone per person (the first), for narrow panels. */
  isCompact?: boolean;
}

export function ServiceOwners({ owners, maxPeople = 20, isCompact = false }: ServiceOwnersProps) {
  const { team, teamId, people } = owners;
  if (!team) {
    return (
      <p className="muted small service-owners-none" data-testid="service-owners">
        {teamId === null ? 'No owner team set.' : `Owner team ${teamId} is not in the directory on this replica.`}
      </p>
    );
  }
  const shown = people.slice(0, maxPeople);
  return (
    <div className="service-owners" data-testid="service-owners">
      <div className="service-owner-team">
        <strong data-testid="owner-team">{team.name}</strong>
        {team.escalationPhone && <PhoneLink phone={{ label: 'escalation', number: team.escalationPhone }} />}
        {team.pager && (
          <span className="small">
            <span className="muted">pager</span> <span className="mono">{team.pager}</span>
          </span>
        )}
      </div>
      {people.length === 0 ? (
        <p className="muted small">Nobody in the directory is in this team yet.</p>
      ) : (
        <ul className={isCompact ? 'owner-people is-compact' : 'owner-people'}>
          {shown.map((person) => (
            <li key={person.id} className="owner-person" data-testid="owner-person">
              <span className="owner-name">
                {person.name}
                {person.title && <span className="muted small"> · {person.title}</span>}
              </span>
              <span className="owner-contacts">
                {(isCompact ? person.phones.slice(0, 1) : person.phones).map((phone) => (
                  <PhoneLink key={`${phone.label}:${phone.number}`} phone={phone} />
                ))}
                {person.email && (
                  <a className="owner-email" href={`mailto:${person.email}`} data-testid="owner-email">
                    {person.email}
                  </a>
                )}
              </span>
            </li>
          ))}
          {people.length > shown.length && <li className="muted small">and {people.length - shown.length} more in the directory</li>}
        </ul>
      )}
    </div>
  );
}
