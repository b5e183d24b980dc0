// Declaring an incident: title, severity and summary, fast from the keyboard. Enter in the title
// or Ctrl/Cmd+Enter anywhere declares; Escape cancels. The engine's validation message is shown
// as it is, since it says what to fix.
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { severities, severityMeaning, type Severity } from '../../../../shared/domain/incident';
import { useStore } from '../../store';

export function DeclareIncidentDialog() {
  const isOpen = useStore((s) => s.isDeclareOpen);
  const setOpen = useStore((s) => s.setDeclareOpen);
  const declareIncident = useStore((s) => s.declareIncident);
  const dialog = useRef<HTMLDialogElement>(null);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('SEV2');
  const [summary, setSummary] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [isSubmitting, setSubmitting] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (isOpen && !element.open) {
      setTitle('');
      setSeverity('SEV2');
      setSummary('');
      setError(null);
      element.showModal();
    } else if (!isOpen && element.open) {
      element.close();
    }
  }, [isOpen]);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (isSubmitting) return;
    setSubmitting(true);
    try {
      await declareIncident({ title, severity, summary });
      setOpen(false);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setSubmitting(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit(event);
  };

  return (
    <dialog
      ref={dialog}
      className="dialog"
      aria-labelledby="declare-title"
      data-testid="declare-dialog"
      onClose={() => setOpen(false)}
      onKeyDown={onKeyDown}
    >
      <form onSubmit={submit} noValidate>
        <h2 id="declare-title">Declare an incident</h2>
        <label className="field">
          <span>What is broken?</span>
          <input
            name="title"
            data-testid="declare-title"
            autoFocus
            autoComplete="off"
            maxLength={200}
            placeholder="Checkout API returns 502 for EU customers"
            value={title}
            onChange={(e) => setTitle(e.target.value)}
          />
        </label>
        <fieldset className="field">
          <legend>Severity</legend>
          <div className="severity-picker" role="radiogroup">
            {severities.map((value) => (
              <label key={value} className={`severity-option sev-${value.toLowerCase()}`} title={severityMeaning[value]}>
                <input
                  type="radio"
                  name="severity"
                  value={value}
                  data-testid={`declare-${value}`}
                  checked={severity === value}
                  onChange={() => setSeverity(value)}
                />
                <span className="severity-name">{value}</span>
                <span className="severity-meaning">{severityMeaning[value].split(':')[0]}</span>
              </label>
            ))}
          </div>
        </fieldset>
        <label className="field">
          <span>Summary (optional)</span>
          <textarea
            name="summary"
            data-testid="declare-summary"
            rows={4}
            placeholder="Impact so far, who noticed, what changed recently"
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
          />
        </label>
        {error && (
          <p className="form-error" role="alert" data-testid="declare-error">
            {error}
          </p>
        )}
        <div className="dialog-actions">
          <span className="muted small">
            <kbd>Ctrl</kbd>+<kbd>Enter</kbd> to declare · <kbd>Esc</kbd> to cancel
          </span>
          <button type="button" className="button" onClick={() => setOpen(false)}>
            Cancel
          </button>
          <button type="submit" className="button button-danger" data-testid="declare-submit" disabled={isSubmitting}>
            {isSubmitting ? 'Declaring…' : 'Declare'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
