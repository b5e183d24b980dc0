// Declaring an incident: title and severity first (fast from the keyboard), then type, services,
// summary, a drill flag and when it was detected if earlier. Services can be picked from the
// catalog, which then shows each one's tier, objectives, owners and blast radius. Enter in the
// title or Ctrl/Cmd+Enter anywhere declares and opens the war room; Escape cancels. The engine's
// validation message is shown as it is, since it says what to fix.
import { useLayoutEffect, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import { incidentTypes, severities, severityMeaning, type Severity } from '@shared/domain/incident';
import { fromLocalInput, utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';
import { DeclareServices } from '../catalog/declare-services';
import { splitList } from '../war-room/actions';

export function DeclareIncidentDialog() {
  const isOpen = useStore((s) => s.isDeclareOpen);
  const setOpen = useStore((s) => s.setDeclareOpen);
  const declareIncident = useStore((s) => s.declareIncident);
  const dialog = useRef<HTMLDialogElement>(null);
  const [title, setTitle] = useState('');
  const [severity, setSeverity] = useState<Severity>('SEV2');
  const [summary, setSummary] = useState('');
  const [type, setType] = useState('');
  const [services, setServices] = useState('');
  const [isDrill, setDrill] = useState(false);
  const [detectedAt, setDetectedAt] = useState('');
  const [isTakingCommand, setTakingCommand] = useState(true);
  const [meanings, setMeanings] = useState(severityMeaning);
  const openIncident = useStore((s) => s.openIncident);
  const { error, isBusy: isSubmitting, run, clearError } = useAction();

  // A layout effect: the emptied fields are drawn before the dialog takes keys. From a passive
  // effect the reset could land after the first letters typed right after N, which then followed
  // the previous incident's title.
  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (isOpen && !element.open) {
      setTitle('');
      setSeverity('SEV2');
      setSummary('');
      setType('');
      setServices('');
      setDrill(false);
      setDetectedAt('');
      setTakingCommand(true);
      clearError();
      // What each severity means here (an organisation setting), for the picker.
      client()
        .call('org.severityMeanings', {})
        .then(setMeanings, () => undefined);
      element.showModal();
    } else if (!isOpen && element.open) {
      element.close();
    }
  }, [isOpen, clearError]);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    if (isSubmitting) return;
    await run(async () => {
      const detected = detectedAt ? fromLocalInput(detectedAt) : undefined;
      if (detected === null) throw new Error('Detected at: give a complete date and time, or leave it empty for now.');
      const incident = await declareIncident({ title, severity, summary, type, services: splitList(services), isDrill, detectedAt: detected, isTakingCommand });
      setOpen(false);
      openIncident(incident.id);
    });
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void submit(event);
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="declare-title" data-testid="declare-dialog" onClose={() => setOpen(false)} onKeyDown={onKeyDown}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h2 id="declare-title">Declare an incident</h2>
        <div className="declare-layout">
          <div className="declare-fields">
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
                  <label key={value} className={`severity-option sev-${value.toLowerCase()}`} title={meanings[value]}>
                    <input type="radio" name="severity" value={value} data-testid={`declare-${value}`} checked={severity === value} onChange={() => setSeverity(value)} />
                    <span className="severity-name">{value}</span>
                    <span className="severity-meaning">{meanings[value].split(':')[0]}</span>
                  </label>
                ))}
              </div>
            </fieldset>
            <p className="muted small severity-detail">{meanings[severity]}</p>
            <div className="field-row">
              <label className="field">
                <span>Type</span>
                <select data-testid="declare-type" value={type} onChange={(e) => setType(e.target.value)}>
                  <option value="">(not sure yet)</option>
                  {incidentTypes.map((t) => (
                    <option key={t} value={t}>
                      {t}
                    </option>
                  ))}
                </select>
              </label>
              <label className="field field-grow">
                <span>Affected services (comma-separated)</span>
                <input
                  data-testid="declare-services"
                  autoComplete="off"
                  placeholder="checkout-api, payments"
                  value={services}
                  onChange={(e) => setServices(e.target.value)}
                />
              </label>
            </div>
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
            <div className="field-row">
              <label className="field">
                <span>Detected earlier? (your local time)</span>
                <input type="datetime-local" step={1} data-testid="declare-detected" value={detectedAt} onChange={(e) => setDetectedAt(e.target.value)} />
                {detectedAt && fromLocalInput(detectedAt) !== null && <span className="muted small mono">= {utcTime(fromLocalInput(detectedAt)!)}</span>}
              </label>
              <div className="field field-checks">
                <label className="field-check">
                  <input type="checkbox" data-testid="declare-command" checked={isTakingCommand} onChange={(e) => setTakingCommand(e.target.checked)} />
                  <span>I take incident command</span>
                </label>
                <label className="field-check">
                  <input type="checkbox" data-testid="declare-drill" checked={isDrill} onChange={(e) => setDrill(e.target.checked)} />
                  <span>This is a drill</span>
                </label>
              </div>
            </div>
          </div>
          <DeclareServices isOpen={isOpen} names={splitList(services)} onChange={(names) => setServices(names.join(', '))} />
        </div>
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
