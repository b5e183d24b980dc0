// Adding or editing a delivery channel: its name, kind (a new channel only), the audiences it is
// for, and the form of its kind. Secrets show as '••••' and are kept when left as they are. The
// engine's schemas check the form before it is sent, and the engine checks it again (with the
// secrets it holds); either names every wrong field, shown below the form and beside each field.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import type { z } from 'zod';
import { channelKinds, redacted } from '@shared/domain/channels';
import { audienceLabels, audiences } from '@shared/domain/comms';
import type { ChannelView } from '@shared/domain/comms-api';
import { formProblems } from '../../lib/form-problems';
import { useAction } from '../../lib/use-action';
import { client } from '../../store/client-ref';
import { ConfirmDiscard } from '../shell/confirm-discard';
import { channelFormSchema, channelProblems, editChannelForm, kindHints, kindLabels, newChannelForm, type ChannelForm } from './channel-form';
import { fieldProblems, problemAt } from './field-problems';

const fieldRoots = [
  'name',
  'audiences',
  'isEnabled',
  'kind',
  'url',
  'secretHeader',
  'host',
  'port',
  'secure',
  'user',
  'password',
  'from',
  'to',
  'baseUrl',
  'pageId',
  'apiKey',
  'incidentId',
  'componentIds',
];

interface ChannelDialogProps {
  /** The channel edited; null adds one. */
  channel: ChannelView | null;
  onClose: () => void;
  onSaved: (channel: ChannelView) => void;
  /** Typing the secrets of `channel` on a laptop that does not hold them, rather than editing it. */
  isSettingSecret?: boolean;
}

export function ChannelDialog({ channel, onClose, onSaved, isSettingSecret = false }: ChannelDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [initial] = useState<ChannelForm>(() => (channel ? editChannelForm(channel) : newChannelForm()));
  const { register, handleSubmit, watch, setValue, clearErrors, formState } = useForm<ChannelForm, unknown, z.output<typeof channelFormSchema>>({
    resolver: zodResolver(channelFormSchema),
    defaultValues: initial,
    reValidateMode: 'onSubmit',
  });
  const form = watch();
  const [isConfirmingClose, setConfirmingClose] = useState(false);
  const save = useAction();
  const isDirty = JSON.stringify(form) !== JSON.stringify(initial);

  // Mounted only while open: a modal at once, so focus and Escape behave.
  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const refused = channelProblems(formProblems(formState.errors));
  const problems = refused ? refused.fields : fieldProblems(save.error, fieldRoots);
  const problem = (path: string) => problemAt(problems, path);
  const setKind = (kind: ChannelForm['kind']) => {
    // Another kind has other fields: what was said about the last one no longer holds.
    save.clearError();
    clearErrors();
    setValue('kind', kind);
  };

  const submit = handleSubmit(async (request) => {
    if (save.isBusy) return;
    save.clearError();
    const answer: { saved?: ChannelView } = {};
    const ok = await save.run(async () => {
      answer.saved =
        isSettingSecret && channel
          ? await client().call('comms.setChannelSecret', { id: channel.id, config: request.config })
          : await client().call('comms.saveChannel', request);
    });
    if (ok && answer.saved) onSaved(answer.saved);
  });
  const close = () => (isDirty ? setConfirmingClose(true) : onClose());

  const text = (
    label: string,
    key: 'name' | 'url' | 'secretName' | 'host' | 'port' | 'user' | 'from' | 'to' | 'baseUrl' | 'pageId' | 'incidentId' | 'componentIds',
    path: string,
    props: { placeholder?: string; hint?: ReactNode; type?: string; className?: string; mono?: boolean } = {},
  ) => {
    const fieldProblem = problem(path);
    return (
      <label className={`field cs-field ${props.className ?? ''}`}>
        <span>{label}</span>
        <input
          type={props.type ?? 'text'}
          className={props.mono ? 'mono' : undefined}
          data-testid={`channel-${key}`}
          placeholder={props.placeholder}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={fieldProblem ? true : undefined}
          {...register(key)}
        />
        {fieldProblem ? (
          <small className="lib-field-problem" data-testid={`channel-${key}-problem`}>
            {fieldProblem}
          </small>
        ) : (
          props.hint && <small className="muted small">{props.hint}</small>
        )}
      </label>
    );
  };

  const secret = (label: string, key: 'secretValue' | 'password' | 'apiKey', path: string, placeholder: string) => {
    const value = form[key];
    const isKept = value === redacted;
    const fieldProblem = problem(path);
    return (
      <label className="field cs-field">
        <span>{label}</span>
        <input
          type={isKept ? 'text' : 'password'}
          className={isKept ? 'mono cs-secret-kept' : 'mono'}
          data-testid={`channel-${key}`}
          placeholder={placeholder}
          autoComplete="new-password"
          spellCheck={false}
          aria-invalid={fieldProblem ? true : undefined}
          onFocus={(e) => isKept && e.currentTarget.select()}
          {...register(key)}
        />
        {fieldProblem ? (
          <small className="lib-field-problem" data-testid={`channel-${key}-problem`}>
            {fieldProblem}
          </small>
        ) : (
          isKept && <small className="muted small">Saved secret kept: leave {redacted} as it is, or type a new one.</small>
        )}
      </label>
    );
  };

  const redactedUrlHint = (value: string) => (value.includes(redacted) ? <>The saved address is kept while {redacted} stays as it is.</> : undefined);

  return (
    <dialog
      ref={dialog}
      className="dialog cs-channel-dialog"
      aria-label={isSettingSecret && channel ? `Set the secret of ${channel.name} on this laptop` : channel ? `Edit ${channel.name}` : 'Add a delivery channel'}
      data-testid="channel-dialog"
      onCancel={(event) => {
        // Escape: ask first when something was typed.
        event.preventDefault();
        if (isConfirmingClose) setConfirmingClose(false);
        else close();
      }}
      onClose={onClose}
    >
      <form noValidate onSubmit={(event) => void submit(event)}>
        <h2>{isSettingSecret && channel ? `Set the secret of “${channel.name}” on this laptop` : channel ? `Edit “${channel.name}”` : 'Add a delivery channel'}</h2>
        {isSettingSecret && (
          <p className="muted small" data-testid="channel-secret-intro">
            Type each secret where {redacted} shows (the whole address where it hides a token) and leave everything else as it is. Holdfast cannot compare it with the
            copy on other laptops, which never leaves them: a wrong secret shows as a failed delivery from here.
          </p>
        )}
        <div className="cs-form-row">
          {text('Name', 'name', 'name', { placeholder: 'Status webhook', className: 'cs-grow' })}
          <label className="field-check cs-enabled">
            <input type="checkbox" data-testid="channel-isEnabled" {...register('isEnabled')} />
            Enabled
          </label>
        </div>

        <fieldset className="field cs-kind-field">
          <legend>Kind</legend>
          <div className="cs-kinds" role="radiogroup" aria-label="Kind">
            {channelKinds.map((kind) => (
              <label
                key={kind}
                className={form.kind === kind ? 'cs-kind is-on' : 'cs-kind'}
                title={channel && kind !== form.kind ? 'The kind of a saved channel stays: add a new channel instead' : kindHints[kind]}
              >
                <input
                  type="radio"
                  name="channel-kind"
                  value={kind}
                  data-testid={`channel-kind-${kind}`}
                  checked={form.kind === kind}
                  disabled={channel !== null && kind !== form.kind}
                  onChange={() => setKind(kind)}
                />
                {kindLabels[kind]}
              </label>
            ))}
          </div>
          <small className="muted small">{kindHints[form.kind]}</small>
        </fieldset>

        <fieldset className="field">
          <legend>For updates to</legend>
          <div className="cs-checks">
            {audiences.map((audience) => (
              <label key={audience} className="field-check">
                <input
                  type="checkbox"
                  data-testid={`channel-audience-${audience}`}
                  checked={form.audiences.includes(audience)}
                  onChange={(e) =>
                    setValue(
                      'audiences',
                      e.target.checked ? audiences.filter((a) => a === audience || form.audiences.includes(a)) : form.audiences.filter((a) => a !== audience),
                    )
                  }
                />
                {audienceLabels[audience]}
              </label>
            ))}
          </div>
          {problem('audiences') && <small className="lib-field-problem">{problem('audiences')}</small>}
        </fieldset>

        <div className="cs-kind-form" data-testid={`channel-form-${form.kind}`}>
          {form.kind === 'webhook' && (
            <>
              {text('Address', 'url', 'url', {
                placeholder: 'https://hooks.example.com/holdfast',
                mono: true,
                hint: redactedUrlHint(form.url) ?? 'Receives each update as JSON (POST).',
              })}
              <div className="cs-form-row">
                {text('Secret header (optional)', 'secretName', 'secretHeader.name', { placeholder: 'X-Holdfast-Secret', mono: true, className: 'cs-grow' })}
                <div className="cs-grow">{secret('Shared secret', 'secretValue', 'secretHeader.value', 'what the receiver checks')}</div>
              </div>
            </>
          )}
          {form.kind === 'slack' &&
            text('Incoming webhook address', 'url', 'url', {
              placeholder: 'https://hooks.slack.com/services/T000/B000/XXXX',
              mono: true,
              hint: redactedUrlHint(form.url) ?? 'From Slack: Apps → Incoming Webhooks. Its path is the token.',
            })}
          {form.kind === 'email' && (
            <>
              {text('SMTP server', 'host', 'host', { placeholder: 'smtp.example.com', mono: true })}
              <div className="cs-form-row">
                {text('Port', 'port', 'port', { placeholder: '587', mono: true, className: 'cs-port' })}
                <label className="field-check cs-tls">
                  <input type="checkbox" data-testid="channel-secure" {...register('secure')} />
                  <span>
                    TLS from the start
                    <span className="muted small">Usually port 465. Otherwise STARTTLS is used when the server offers it (587, 25).</span>
                  </span>
                </label>
              </div>
              <div className="cs-form-row">
                {text('User (optional)', 'user', 'user', { placeholder: 'holdfast', mono: true, className: 'cs-grow' })}
                <div className="cs-grow">{secret('Password (optional)', 'password', 'password', 'SMTP password')}</div>
              </div>
              {text('From', 'from', 'from', { placeholder: 'status@example.com', mono: true })}
              {text('To', 'to', 'to', { placeholder: 'execs@example.com, ops@example.com', mono: true, hint: 'Comma-separated.' })}
            </>
          )}
          {form.kind === 'statuspage' && (
            <>
              {text('API address', 'baseUrl', 'baseUrl', { placeholder: 'https://api.statuspage.io/v1', mono: true })}
              <div className="cs-form-row">
                {text('Page id', 'pageId', 'pageId', { placeholder: 'kctbh9vrtdwd', mono: true, className: 'cs-grow' })}
                <div className="cs-grow">{secret('API key', 'apiKey', 'apiKey', 'from the status page API settings')}</div>
              </div>
              <div className="cs-form-row">
                {text('Status-page incident (optional)', 'incidentId', 'incidentId', {
                  placeholder: 'empty: each update opens a new incident',
                  mono: true,
                  className: 'cs-grow',
                })}
                {text('Components (optional)', 'componentIds', 'componentIds', { placeholder: 'comma-separated ids', mono: true, className: 'cs-grow' })}
              </div>
            </>
          )}
        </div>

        <p className="cs-secret-note small" data-testid="channel-secret-note">
          <strong>Secrets</strong> never sync: they stay on the laptop where they are typed
          {channel ? ` (kept ${channel.secret.protection})` : ''}, and only laptops holding them deliver to the channel. Everyone else sees {redacted}.
        </p>
        {(refused || save.error) && (
          <div className="form-error" role="alert" data-testid="channel-error">
            <ProblemList message={refused?.message ?? save.error ?? ''} />
          </div>
        )}
        {isConfirmingClose ? (
          <ConfirmDiscard className="dialog-actions" testIdPrefix="channel" onKeep={() => setConfirmingClose(false)} onDiscard={onClose} />
        ) : (
          <div className="dialog-actions">
            <button type="button" className="button" data-testid="channel-cancel" onClick={close}>
              Cancel
            </button>
            <button type="submit" className="button button-primary" data-testid="channel-save" disabled={save.isBusy}>
              {save.isBusy ? 'Saving…' : isSettingSecret ? 'Keep the secret here' : channel ? 'Save channel' : 'Add channel'}
            </button>
          </div>
        )}
      </form>
    </dialog>
  );
}

/** The engine's message; a list of problems ("…cannot be saved: a; b; c") one a line. */
function ProblemList({ message }: { message: string }) {
  const match = /^(The channel cannot be saved|Invalid request for [\w.]+): ([\s\S]*)$/.exec(message);
  const parts = match ? match[2].replace(/\.$/, '').split('; ') : [];
  if (!match || parts.length < 2) return <>{message}</>;
  return (
    <>
      <span>The channel cannot be saved:</span>
      <ul className="cs-error-list">
        {parts.map((part) => (
          <li key={part}>{part}</li>
        ))}
      </ul>
    </>
  );
}
