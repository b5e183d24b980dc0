// A short list of names edited in place (approvers, internal domains): each a chip with a remove
// button, and a box to add more (Enter or Add; commas and spaces separate several at once). The
// engine's message about an entry marks that chip.
import { useState } from 'react';

interface ListFieldProps {
  label: string;
  hint: string;
  items: string[];
  onChange: (items: string[]) => void;
  testId: string;
  placeholder: string;
  /** What the engine said about the list (`undefined` key) or an entry (its index). */
  problems: { index: number | null; message: string }[];
  emptyText: string;
}

export function ListField({ label, hint, items, onChange, testId, placeholder, problems, emptyText }: ListFieldProps) {
  const [text, setText] = useState('');
  const add = () => {
    const added = text
      .split(/[\s,]+/)
      .map((t) => t.trim())
      .filter((t) => t !== '' && !items.includes(t));
    if (added.length > 0) onChange([...items, ...new Set(added)]);
    setText('');
  };
  const listProblem = problems.find((p) => p.index === null)?.message;

  return (
    <div className="cs-list-field" data-testid={testId}>
      <div className="cs-list-label" id={`${testId}-label`}>
        {label}
      </div>
      <p className="muted small cs-list-hint">{hint}</p>
      <ul className="cs-chips" aria-labelledby={`${testId}-label`} data-testid={`${testId}-items`}>
        {items.length === 0 && <li className="muted small cs-chips-empty">{emptyText}</li>}
        {items.map((item, index) => {
          const problem = problems.find((p) => p.index === index)?.message;
          return (
            <li key={item} className={problem ? 'cs-chip has-problem' : 'cs-chip'} title={problem} data-testid={`${testId}-item`}>
              <span className="mono">{item}</span>
              <button
                type="button"
                className="cs-chip-remove"
                aria-label={`Remove ${item}`}
                data-testid={`${testId}-remove`}
                onClick={() => onChange(items.filter((i) => i !== item))}
              >
                ✕
              </button>
            </li>
          );
        })}
      </ul>
      <div className="cs-list-add">
        <input
          type="text"
          autoComplete="off"
          spellCheck={false}
          aria-label={`Add to ${label.toLowerCase()}`}
          data-testid={`${testId}-input`}
          placeholder={placeholder}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="button button-small" data-testid={`${testId}-add`} disabled={text.trim() === ''} onClick={add}>
          Add
        </button>
      </div>
      {problems.length > 0 && (
        <ul className="cs-problems">
          {listProblem && <li>{listProblem}</li>}
          {problems
            .filter((p) => p.index !== null)
            .map((p) => (
              <li key={p.index}>
                <strong className="mono">{items[p.index as number] ?? `entry ${(p.index as number) + 1}`}</strong> {p.message}
              </li>
            ))}
        </ul>
      )}
    </div>
  );
}
