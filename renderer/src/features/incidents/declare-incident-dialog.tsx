// Declaring an incident: title and severity first (fast from the keyboard), then type, services,
// summary, a drill flag and when it was detected if earlier. Services can be picked from the
// catalog, which then shows each one's tier, objectives, owners and blast radius. Enter in the
// title or Ctrl/Cmd+Enter anywhere declares and opens the war room; Escape cancels. The form is
// checked by the engine's own request schema before anything is sent, so its messages are the
// engine's, and say what to fix.
import { useLayoutEffect, useRef, type KeyboardEvent } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { createIncidentRequest, incidentTypes, severities, severityMeaning, type CreateIncidentRequest } from '@shared/domain/incident';
import { formProblems, problemsLine } from '../../lib/form-problems';
import { fromLocalInput, utcTime } from '../../lib/time';
import { useAction } from '../../lib/use-action';
import { useStore } from '../../store';
import { useEngineQuery } from '../../data/use-engine-query';
import { DeclareServices } from '../catalog/declare-services';
import { splitList } from '../war-room/actions';

/** The dialog's fields as typed, read into the engine's request (which then checks them). */
const declareForm = z
  .object({
    title: z.string(),
    severity: z.enum(severities),
    summary: z.string(),
    type: z.string(),
    /** Comma-separated. */
    services: z.string(),
    isDrill: z.boolean(),
    /** A `datetime-local` value in this computer's zone; empty: now. */
    detectedAt: z.string(),
    isTakingCommand: z.boolean(),
  })
  .transform((form, ctx): CreateIncidentRequest => {
    const detected = form.detectedAt ? fromLocalInput(form.detectedAt) : undefined;
    if (detected === null) ctx.addIssue({ code: 'custom', path: ['detectedAt'], message: 'give a complete date and time, or leave it empty for now' });
    return { ...form, services: splitList(form.services), detectedAt: detected ?? undefined };
  })
  .pipe(createIncidentRequest);
type DeclareForm = z.input<typeof declareForm>;

const emptyForm: DeclareForm = { title: '', severity: 'SEV2', summary: '', type: '', services: '', isDrill: false, detectedAt: '', isTakingCommand: true };
const labels = { detectedAt: 'Detected at' };

export function DeclareIncidentDialog() {
  const isOpen = useStore((s) => s.isDeclareOpen);
  const setOpen = useStore((s) => s.setDeclareOpen);
  const declareIncident = useStore((s) => s.declareIncident);
  const dialog = useRef<HTMLDialogElement>(null);
  const { register, handleSubmit, reset, watch, setValue, formState } = useForm<DeclareForm, unknown, z.output<typeof declareForm>>({
    resolver: zodResolver(declareForm),
    defaultValues: emptyForm,
    reValidateMode: 'onSubmit',
  });
  const [severity, services, detectedAt] = watch(['severity', 'services', 'detectedAt']);
  // What each severity means here (an organisation setting), for the picker; the built-in wording until read.
  const meanings = useEngineQuery('org.severityMeanings', {}, { enabled: isOpen }).value ?? severityMeaning;
  const openIncident = useStore((s) => s.openIncident);
  const { error, isBusy: isSubmitting, run, clearError } = useAction();

  // A layout effect: the emptied fields are drawn before the dialog takes keys. From a passive
  // effect the reset could land after the first letters typed right after N, which then followed
  // the previous incident's title.
  useLayoutEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (isOpen && !element.open) {
      reset(emptyForm);
      clearError();
      element.showModal();
    } else if (!isOpen && element.open) {
      element.close();
    }
  }, [isOpen, clearError, reset]);

  const declare = handleSubmit(async (request) => {
    if (isSubmitting) return;
    clearError();
    await run(async () => {
      const incident = await declareIncident(request);
      setOpen(false);
      openIncident(incident.id);
    });
  });
  const problem = problemsLine(formProblems(formState.errors), labels) ?? error;

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) void declare(event);
  };

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="declare-title" data-testid="declare-dialog" onClose={() => setOpen(false)} onKeyDown={onKeyDown}>
      <form onSubmit={(event) => void declare(event)} noValidate>
        <h2 id="declare-title">Declare an incident</h2>
        <div className="declare-layout">
          <div className="declare-fields">
            <label className="field">
              <span>What is broken?</span>
              <input
                data-testid="declare-title"
                autoFocus
                autoComplete="off"
                maxLength={200}
                placeholder="Checkout API returns 502 for EU customers"
                {...register('title')}
              />
            </label>
            <fieldset className="field">
              <legend>Severity</legend>
              <div className="severity-picker" role="radiogroup">
                {severities.map((value) => (
                  <label key={value} className={`severity-option sev-${value.toLowerCase()}`} title={meanings[value]}>
                    <input type="radio" value={value} data-testid={`declare-${value}`} {...register('severity')} />
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
                <select data-testid="declare-type" {...register('type')}>
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
                <input data-testid="declare-services" autoComplete="off" placeholder="checkout-api, payments" {...register('services')} />
              </label>
            </div>
            <label className="field">
              <span>Summary (optional)</span>
              <textarea data-testid="declare-summary" rows={4} placeholder="Impact so far, who noticed, what changed recently" {...register('summary')} />
            </label>
            <div className="field-row">
              <label className="field">
                <span>Detected earlier? (your local time)</span>
                <input type="datetime-local" step={1} data-testid="declare-detected" {...register('detectedAt')} />
                {detectedAt && fromLocalInput(detectedAt) !== null && <span className="muted small mono">= {utcTime(fromLocalInput(detectedAt)!)}</span>}
              </label>
              <div className="field field-checks">
                <label className="field-check">
                  <input type="checkbox" data-testid="declare-command" {...register('isTakingCommand')} />
                  <span>I take incident command</span>
                </label>
                <label className="field-check">
                  <input type="checkbox" data-testid="declare-drill" {...register('isDrill')} />
                  <span>This is a drill</span>
                </label>
              </div>
            </div>
          </div>
          <DeclareServices isOpen={isOpen} names={splitList(services)} onChange={(names) => setValue('services', names.join(', '))} />
        </div>
        {problem && (
          <p className="form-error" role="alert" data-testid="declare-error">
            {problem}
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
