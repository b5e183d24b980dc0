// Under a person field: who the typed user name is in the directory (with their phone), who it may
// mean ("ben" → ben.tran, one click to take it), or a warning that nobody is called that.
import { useDirectoryPeople } from '../directory/directory-queries';
import { PhoneLink } from '../directory/phone-link';
import { matchPerson } from './person-match';
import './person-hint.css';

export function PersonHint({ typed, onPick }: { typed: string; onPick: (handle: string) => void }) {
  const people = useDirectoryPeople();
  const match = matchPerson(typed, people);
  if (match.kind === 'empty' || match.kind === 'no-directory') return null;
  if (match.kind === 'exact') {
    const phone = match.person.phones[0];
    return (
      <div className="person-hint is-match" data-testid="person-match">
        <span>✓ {match.person.name} in the directory</span>
        {phone && <PhoneLink phone={phone} />}
      </div>
    );
  }
  if (match.kind === 'suggest') {
    return (
      <div className="person-hint is-unsure" role="status" data-testid="person-suggest">
        <span>“{typed.trim()}” is not a user name in the directory. Did you mean </span>
        {match.people.map((person, index) => (
          <span key={person.handle}>
            {index > 0 && ', '}
            <button type="button" className="link-button" data-testid="person-suggestion" onClick={() => onPick(person.handle ?? '')}>
              {person.handle}
            </button>{' '}
            <span className="muted">({person.name})</span>
          </span>
        ))}
        ?
      </div>
    );
  }
  return (
    <div className="person-hint is-unknown" role="status" data-testid="person-none">
      Nobody called “{typed.trim()}” is in the directory: it goes to this user name as typed, with no phone to call. Check the spelling.
    </div>
  );
}
