// The placeholders a template may use, with what each is replaced by; choosing one inserts it at the
// cursor of the title or body (whichever was last in use). Those customers must not see are marked
// when the template is for customers.
import { templatePlaceholders, type Audience } from '@shared/domain/comms';
import { notForCustomers } from './template-meta';

const incidentPlaceholders = Object.keys(templatePlaceholders).filter((name) => name.startsWith('incident.'));
const writtenPlaceholders = Object.keys(templatePlaceholders).filter((name) => !name.startsWith('incident.'));

interface PlaceholderReferenceProps {
  audience: Audience;
  /** Where a placeholder goes when chosen. */
  target: 'title' | 'body';
  onInsert: (name: string) => void;
}

export function PlaceholderReference({ audience, target, onInsert }: PlaceholderReferenceProps) {
  const group = (heading: string, names: string[]) => (
    <>
      <h4 className="cs-ref-group">{heading}</h4>
      <ul className="cs-ref-list">
        {names.map((name) => {
          const isWarned = audience === 'customers' && notForCustomers(name);
          return (
            <li key={name}>
              <button
                type="button"
                className={isWarned ? 'cs-ref-item is-warned' : 'cs-ref-item'}
                data-testid="placeholder-insert"
                data-placeholder={name}
                title={`Insert {{${name}}} into the ${target}`}
                // Keeps the cursor where it is in the field, so the placeholder goes there.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => onInsert(name)}
              >
                <code className="cs-ref-name">{`{{${name}}}`}</code>
                <span className="cs-ref-description">{templatePlaceholders[name as keyof typeof templatePlaceholders]}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </>
  );

  return (
    <aside className="cs-ref" aria-label="Placeholders" data-testid="placeholder-reference">
      <h3 className="cs-pane-head">Placeholders</h3>
      <p className="muted small cs-ref-hint">
        Click one to insert it at the cursor in the <strong>{target}</strong>. Anything else in braces stays as typed.
      </p>
      {group('From the incident', incidentPlaceholders)}
      {group('Written by the author of the update', writtenPlaceholders)}
    </aside>
  );
}
