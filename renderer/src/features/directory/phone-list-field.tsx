// Editing a list of labelled numbers (a person's phones, a bridge's dial-ins): a row each, added
// and removed in place, each row's problem beneath it. Rows left blank are dropped on save
// (directory-forms.ts).
import type { Phone } from '@shared/domain/directory';
import { FieldProblem } from './field-problem';

interface PhoneListFieldProps {
  legend: string;
  phones: Phone[];
  max: number;
  labelPlaceholder: string;
  testId: string;
  onChange: (phones: Phone[]) => void;
  /** The problem of a row's label or number, by its index: `problemOf(index, 'number')`. */
  problemOf: (index: number, part: keyof Phone) => string | undefined;
}

export function PhoneListField({ legend, phones, max, labelPlaceholder, testId, onChange, problemOf }: PhoneListFieldProps) {
  const update = (index: number, change: Partial<Phone>) => onChange(phones.map((phone, i) => (i === index ? { ...phone, ...change } : phone)));
  return (
    <fieldset className="field" data-testid={testId}>
      <legend>{legend}</legend>
      {phones.map((phone, index) => {
        const labelProblem = problemOf(index, 'label');
        const numberProblem = problemOf(index, 'number');
        return (
          <div className="phone-edit-row" key={index}>
            <input
              aria-label={`${legend}: label ${index + 1}`}
              className="phone-edit-label"
              placeholder={labelPlaceholder}
              maxLength={40}
              value={phone.label}
              aria-invalid={labelProblem ? true : undefined}
              data-testid={`${testId}-label`}
              onChange={(e) => update(index, { label: e.target.value })}
            />
            <input
              aria-label={`${legend}: number ${index + 1}`}
              type="tel"
              placeholder="+1 415 555 0100"
              maxLength={40}
              value={phone.number}
              aria-invalid={numberProblem ? true : undefined}
              data-testid={`${testId}-number`}
              onChange={(e) => update(index, { number: e.target.value })}
            />
            <button
              type="button"
              className="button button-small"
              aria-label={`Remove number ${index + 1}`}
              onClick={() => onChange(phones.filter((_, i) => i !== index))}
            >
              ×
            </button>
            <FieldProblem problem={[labelProblem && `Label: ${labelProblem}`, numberProblem].filter(Boolean).join('; ') || undefined} testId={`${testId}-${index + 1}`} />
          </div>
        );
      })}
      {phones.length < max && (
        <button type="button" className="button button-small add-row" data-testid={`${testId}-add`} onClick={() => onChange([...phones, { label: '', number: '' }])}>
          Add number
        </button>
      )}
    </fieldset>
  );
}
