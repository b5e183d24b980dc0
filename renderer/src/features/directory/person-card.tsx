// One person: how to reach them (every phone, e-mail), who they are, and what time it is for them.
// Their team is the heading of the group the card is shown in.
import type { Person } from '@shared/domain/directory';
import { useEditGate } from './directory-gate';
import { LocalTime } from './local-time';
import { PhoneLink } from './phone-link';

export function PersonCard({ person, now, onEdit }: { person: Person; now: number; onEdit: () => void }) {
  const gate = useEditGate();
  return (
    <article className="person-card" data-testid="person-card" aria-label={person.name}>
      <header className="card-head">
        <div>
          <h3 className="person-name">{person.name}</h3>
          {person.title && <div className="person-role">{person.title}</div>}
        </div>
        <button type="button" className="button button-small" data-testid="person-edit" onClick={onEdit} {...gate}>
          Edit
        </button>
      </header>
      {person.phones.length > 0 ? (
        <div className="phone-list">
          {person.phones.map((phone, index) => (
            <PhoneLink key={`${phone.number}-${index}`} phone={phone} />
          ))}
        </div>
      ) : (
        <p className="muted small">No phone number on record.</p>
      )}
      <dl className="card-facts">
        {person.email && (
          <>
            <dt>E-mail</dt>
            <dd>
              <a href={`mailto:${person.email}`}>{person.email}</a>
            </dd>
          </>
        )}
        {person.handle && (
          <>
            <dt>Holdfast</dt>
            <dd className="mono">{person.handle}</dd>
          </>
        )}
        <dt>Local time</dt>
        <dd>
          <LocalTime timeZone={person.timeZone} now={now} />
        </dd>
      </dl>
      {person.notes && <p className="card-notes">{person.notes}</p>}
    </article>
  );
}
