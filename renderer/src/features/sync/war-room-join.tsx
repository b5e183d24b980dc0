// Joining a war room: paste the link the host shared (or scanned), or type what the host reads out:
// the address, the join code and the certificate's fingerprint. The fingerprint is how this laptop
// knows it reached the host's laptop before it sends the code. The form is checked by the engine's
// own request schemas (a link, or an address with its code and fingerprint) before it is sent.
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { z } from 'zod';
import { joinByCodeRequest, joinByLinkRequest } from '@shared/domain/sync-status';
import { formProblems, problemsLine } from '../../lib/form-problems';
import { useAction } from '../../lib/use-action';
import { NearbyWarRooms } from '../outage/nearby-war-rooms';
import { joinWarRoom } from './sync-queries';

/** The form as typed, read into the request of the way chosen (an address is https:// unless it says so). */
const joinForm = z.object({ isTyped: z.boolean(), link: z.string(), address: z.string(), code: z.string(), fingerprint: z.string() }).transform((form, ctx) => {
  const address = form.address.trim();
  const parsed = form.isTyped
    ? joinByCodeRequest.safeParse({ url: /^https:\/\//.test(address) ? address : `https://${address}`, code: form.code, fingerprint: form.fingerprint })
    : joinByLinkRequest.safeParse({ link: form.link });
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  return z.NEVER;
});
type JoinForm = z.input<typeof joinForm>;

const emptyForm: JoinForm = { isTyped: false, link: '', address: '', code: '', fingerprint: '' };
/** The request's fields as the form labels them. */
const labels = { link: 'Join link', url: 'Address', code: 'Join code', fingerprint: 'Certificate fingerprint' };

export function WarRoomJoin() {
  const { register, handleSubmit, watch, setValue, clearErrors, formState } = useForm<JoinForm, unknown, z.output<typeof joinForm>>({
    resolver: zodResolver(joinForm),
    defaultValues: emptyForm,
    reValidateMode: 'onSubmit',
  });
  const isTyped = watch('isTyped');
  const room = useAction();
  const problems = formProblems(formState.errors);
  const problemAt = (path: string) => problems.find((p) => p.path === path)?.message;
  const problem = problemsLine(problems, labels) ?? room.error;

  const join = handleSubmit(async (request) => {
    room.clearError();
    if (await room.run(() => joinWarRoom(request))) {
      setValue('link', '');
      setValue('code', '');
    }
  });

  const field = (name: 'link' | 'address' | 'code' | 'fingerprint', path: string, props: { label: string; placeholder: string; className?: string }) => {
    const fieldProblem = problemAt(path);
    return (
      <>
        <input
          aria-label={props.label}
          placeholder={props.placeholder}
          className={props.className}
          aria-invalid={fieldProblem ? true : undefined}
          aria-describedby={fieldProblem ? `join-${name}-problem` : undefined}
          {...register(name)}
        />
        {fieldProblem && (
          <small className="settings-field-problem" id={`join-${name}-problem`} data-testid={`join-${name}-problem`}>
            {fieldProblem}
          </small>
        )}
      </>
    );
  };

  return (
    <>
      <NearbyWarRooms />
      <form className="inline-form" noValidate onSubmit={(event) => void join(event)} data-testid="war-room-join">
        <h3>Join a war room on this network</h3>
        {isTyped ? (
          <>
            {field('address', 'url', { label: 'Address', placeholder: '192.168.1.20:7440' })}
            {field('code', 'code', { label: 'Join code', placeholder: '7KQ2-M9XD-…', className: 'code-input' })}
            {field('fingerprint', 'fingerprint', {
              label: 'Certificate fingerprint',
              placeholder: "SHA-256 fingerprint: 64 hex digits, as the host's screen shows",
              className: 'fingerprint-input',
            })}
          </>
        ) : (
          field('link', 'link', { label: 'Join link', placeholder: 'https://192.168.1.20:7440/join#code=…&sha256=…' })
        )}
        <button type="submit" className="button" disabled={room.isBusy}>
          Join
        </button>
        <button
          type="button"
          className="link-button small"
          onClick={() => {
            // The other way has other fields: what was said about these no longer holds.
            clearErrors();
            setValue('isTyped', !isTyped);
          }}
        >
          {isTyped ? 'Paste a link instead' : 'No link? Type what the host reads out'}
        </button>
        {problem && (
          <p className="form-error" role="alert">
            {problem}
          </p>
        )}
      </form>
    </>
  );
}
