// Picks ids from a list (a service's dependencies, runbooks, checklists): a box to tick for each,
// the chosen ones first, a filter when the list is long. Ids chosen that the list does not have
// (not synced here yet) stay ticked and say so; options that cannot be chosen say why.
import { useState, type ReactNode } from 'react';

export interface PickerOption {
  id: string;
  label: string;
  badge?: ReactNode;
  /** Why it cannot be chosen (it would make a cycle), or undefined. */
  disabledReason?: string;
}

interface IdPickerProps {
  /** `deps` names the parts for tests: deps-picker, deps-filter, deps-option (data-id). */
  testId: string;
  legend: string;
  options: PickerOption[];
  chosen: string[];
  onChange: (chosen: string[]) => void;
  empty: string;
}

export function IdPicker({ testId, legend, options, chosen, onChange, empty }: IdPickerProps) {
  const [filter, setFilter] = useState('');
  const wanted = filter.trim().toLowerCase();
  const missing = chosen.filter((id) => !options.some((o) => o.id === id)).map((id): PickerOption => ({ id, label: `${id} (not on this replica)` }));
  const all = [...missing, ...options];
  const shown = all
    .filter((o) => wanted === '' || chosen.includes(o.id) || o.label.toLowerCase().includes(wanted) || o.id.includes(wanted))
    .sort((a, b) => Number(chosen.includes(b.id)) - Number(chosen.includes(a.id)));
  const toggle = (id: string, isOn: boolean) => onChange(isOn ? [...chosen, id] : chosen.filter((c) => c !== id));

  return (
    <fieldset className="field id-picker" data-testid={`${testId}-picker`}>
      <legend>
        {legend} <span className="muted small">{chosen.length === 0 ? 'none' : `${chosen.length} chosen`}</span>
      </legend>
      {all.length > 8 && (
        <input
          type="search"
          className="id-picker-filter"
          data-testid={`${testId}-filter`}
          placeholder="Filter…"
          value={filter}
          aria-label={`Filter ${legend.toLowerCase()}`}
          onChange={(e) => setFilter(e.target.value)}
        />
      )}
      {all.length === 0 ? (
        <p className="muted small">{empty}</p>
      ) : (
        <ul className="id-picker-list">
          {shown.map((option) => (
            <li key={option.id}>
              <label className={option.disabledReason && !chosen.includes(option.id) ? 'id-option is-disabled' : 'id-option'} title={option.disabledReason}>
                <input
                  type="checkbox"
                  data-testid={`${testId}-option`}
                  data-id={option.id}
                  checked={chosen.includes(option.id)}
                  disabled={option.disabledReason !== undefined && !chosen.includes(option.id)}
                  onChange={(e) => toggle(option.id, e.target.checked)}
                />
                {option.badge}
                <span className="id-option-label">{option.label}</span>
                {option.label !== option.id && <span className="mono muted small">{option.id}</span>}
              </label>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}
