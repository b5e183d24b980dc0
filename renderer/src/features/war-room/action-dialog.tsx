// The one dialog every war-room action uses: fields from its spec, the engine's message on a refusal
// (it says what to fix), Enter or Ctrl/Cmd+Enter to submit, Escape to cancel. Times are typed in
// local time and shown in UTC beside them.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { fromLocalInput, utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useStore } from '../../store';
import type { FieldSpec, FieldValue } from './dialog-spec';
import { PersonHint } from './person-hint';
import { usePeople } from './use-people';

function initialValues(fields: FieldSpec[]): Record<string, FieldValue> {
  return Object.fromEntries(fields.map((f) => [f.name, f.initial ?? (f.kind === 'checkbox' ? false : f.kind === 'select' ? (f.options?.[0]?.value ?? '') : '')]));
}

export function ActionDialog() {
  const spec = useStore((s) => s.dialog);
  const openDialog = useStore((s) => s.openDialog);
  const dialog = useRef<HTMLDialogElement>(null);
  const [values, setValues] = useState<Record<string, FieldValue>>({});
  const { error, isBusy: isSubmitting, run, clearError } = useAction();
  const people = usePeople();

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (spec) {
      setValues(initialValues(spec.fields));
      clearError();
      if (!element.open) element.showModal();
    } else if (element.open) {
      element.close();
    }
  }, [spec, clearError]);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!spec || isSubmitting) return;
    await run(async () => {
      await spec.submit(values);
      openDialog(null);
    });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit(event);
  };
  const setValue = (name: string, value: FieldValue) => setValues((current) => ({ ...current, [name]: value }));

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="action-title" data-testid="action-dialog" onClose={() => openDialog(null)} onKeyDown={onKeyDown}>
      {spec && (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <h2 id="action-title">{spec.title}</h2>
          {spec.description && <p className="muted">{spec.description}</p>}
          {spec.items && spec.items.length > 0 && (
            <ul className="dialog-items" data-testid="dialog-items">
              {spec.items.map((item) => (
                <li key={item}>{item}</li>
              ))}
            </ul>
          )}
          {spec.fields.map((field, index) => (
            <Field key={field.name} field={field} value={values[field.name] ?? ''} isFirst={index === 0} people={people} onChange={(v) => setValue(field.name, v)} />
          ))}
          {error && (
            <p className="form-error" role="alert" data-testid="action-error">
              {error}
            </p>
          )}
          <div className="dialog-actions">
            <span className="muted small">
              <kbd>Ctrl</kbd>+<kbd>Enter</kbd> · <kbd>Esc</kbd> to cancel
            </span>
            <button type="button" className="button" onClick={() => openDialog(null)}>
              Cancel
            </button>
            <button type="submit" className={`button ${spec.isDanger ? 'button-danger' : 'button-primary'}`} data-testid="action-submit" disabled={isSubmitting}>
              {spec.submitLabel}
            </button>
          </div>
        </form>
      )}
    </dialog>
  );
}

function Field(props: { field: FieldSpec; value: FieldValue; isFirst: boolean; people: string[]; onChange: (value: FieldValue) => void }) {
  const { field, value, isFirst, people, onChange } = props;
  const testId = `field-${field.name}`;
  if (field.kind === 'checkbox') {
    return (
      <label className="field field-check">
        <input type="checkbox" data-testid={testId} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
        <span>{field.label}</span>
      </label>
    );
  }
  const text = typeof value === 'string' ? value : '';
  let control;
  if (field.kind === 'textarea') {
    control = <textarea data-testid={testId} rows={3} autoFocus={isFirst} placeholder={field.placeholder} value={text} onChange={(e) => onChange(e.target.value)} />;
  } else if (field.kind === 'select') {
    control = (
      <select data-testid={testId} autoFocus={isFirst} value={text} onChange={(e) => onChange(e.target.value)}>
        {field.options?.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    );
  } else if (field.kind === 'datetime') {
    const ms = fromLocalInput(text);
    control = (
      <>
        <input type="datetime-local" step={1} data-testid={testId} autoFocus={isFirst} value={text} onChange={(e) => onChange(e.target.value)} />
        <span className="muted small mono">{ms === null ? 'local time' : `= ${utcTime(ms)}`}</span>
      </>
    );
  } else {
    const listId = field.kind === 'person' ? `people-${field.name}` : undefined;
    control = (
      <>
        <input
          data-testid={testId}
          autoFocus={isFirst}
          autoComplete="off"
          list={listId}
          placeholder={field.placeholder}
          value={text}
          onChange={(e) => onChange(e.target.value)}
        />
        {listId && (
          <datalist id={listId}>
            {people.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        )}
      </>
    );
  }
  return (
    <>
      <label className="field">
        <span>{field.label}</span>
        {control}
        {field.hint && <span className="muted small">{field.hint}</span>}
      </label>
      {field.kind === 'person' && <PersonHint typed={text} onPick={onChange} />}
    </>
  );
}
