// Editing a list of labelled numbers (a person's phones, a bridge's dial-ins): a row each, added
// and removed in place. Rows left blank are dropped on save.
import type { Phone } from '@shared/domain/directory';

interface PhoneListFieldProps {
  legend: string;
  phones: Phone[];
  max: number;
  labelPlaceholder: string;
  testId: string;
  onChange: (phones: Phone[]) => void;
}

export function PhoneListField({ legend, phones, max, labelPlaceholder, testId, onChange }: PhoneListFieldProps) {
  const update = (index: number, change: Partial<Phone>) => onChange(phones.map((phone, i) => (i === index ? { ...phone, ...change } : phone)));
  return (
    <fieldset className="field" data-testid={testId}>
      <legend>{legend}</legend>
      {phones.map((phone, index) => (
        <div className="phone-edit-row" key={index}>
          <input
            aria-label={`${legend}: label ${index + 1}`}
            className="phone-edit-label"
            placeholder={labelPlaceholder}
            maxLength={40}
            value={phone.label}
            data-testid={`${testId}-label`}
            onChange={(e) => update(index, { label: e.target.value })}
          />
          <input
            aria-label={`${legend}: number ${index + 1}`}
            type="tel"
            placeholder="+1 415 555 0100"
            maxLength={40}
            value={phone.number}
            data-testid={`${testId}-number`}
            onChange={(e) => update(index, { number: e.target.value })}
          />
          <button type="button" className="button button-small" aria-label={`Remove number ${index + 1}`} onClick={() => onChange(phones.filter((_, i) => i !== index))}>
            ×
          </button>
        </div>
      ))}
      {phones.length < max && (
        <button type="button" className="button button-small add-row" data-testid={`${testId}-add`} onClick={() => onChange([...phones, { label: '', number: '' }])}>
          Add number
        </button>
      )}
    </fieldset>
  );
}

/** The rows worth saving: blank ones are left out rather than refused. */
export const filledPhones = (phones: Phone[]) => phones.map((p) => ({ label: p.label.trim(), number: p.number.trim() })).filter((p) => p.label !== '' || p.number !== '');
