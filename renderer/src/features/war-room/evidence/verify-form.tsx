// Verifying a copy: the engine hashes the file and records the result in the chain of custody. The
// path is checked by the engine's own request schema before it is sent.
import { useEffect } from 'react';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { hashFileRequest, type Artifact } from '@shared/domain/evidence';
import { formProblems, problemsLine } from '../../../lib/form-problems';
import { useAction } from '../../../lib/use-action';
import { rereadOpenEvidence } from '../war-room-queries';
import { cancelHash, hashFile, shortHash } from '../evidence-actions';
import { Field } from './field';
import { HashProgress } from './hash-progress';
import { useOwnHashJob } from './use-own-hash-job';

const verifyValues = hashFileRequest.pick({ path: true });

export function VerifyForm({ artifact: a, onDone }: { artifact: Artifact; onDone: () => void }) {
  const { error, isBusy, run, clearError } = useAction();
  const { register, handleSubmit, watch, formState } = useForm({ resolver: zodResolver(verifyValues), defaultValues: { path: '' }, reValidateMode: 'onSubmit' });
  const path = watch('path');
  const { job, pollError, start: startJob, forget: forgetJob } = useOwnHashJob();
  // The result of this job: its hash against the recorded one. (The newest verification in the
  // chain of custody may be someone else's, synced in meanwhile.)
  const result: 'match' | 'mismatch' | null =
    job?.state === 'done' && job.sha256 && a.sha256 ? (job.sha256.toLowerCase() === a.sha256.toLowerCase() ? 'match' : 'mismatch') : null;

  // The engine records the verification itself when the job ends; the event tells the room, this
  // read makes sure the drawer shows it at once.
  const jobState = job?.state;
  useEffect(() => {
    if (jobState && jobState !== 'running') void rereadOpenEvidence();
  }, [jobState]);

  const start = handleSubmit(({ path: verified }) => {
    clearError();
    void run(async () => void (await startJob(() => hashFile(a, verified, 'verify', false))));
  });
  const cancel = () => {
    if (job) void run(async () => void (await cancelHash(job.id)));
  };
  // A result belongs to the file it was computed from.
  const changePath = () => {
    if (job) forgetJob();
  };
  const problem = problemsLine(formProblems(formState.errors), { path: 'Path' }) ?? error;

  return (
    <div className="evidence-form" data-testid="verify-form">
      <h3>Verify a copy</h3>
      <p className="small muted">
        Holdfast reads the file on the machine its engine runs on and compares its SHA-256 with the recorded one
        {a.sha256 && (
          <>
            {' '}
            (<span className="mono">{shortHash(a.sha256)}…</span>)
          </>
        )}
        . The result goes into the chain of custody.
      </p>
      <div className="evidence-path-row">
        <Field label="Path of the copy to verify">
          <input
            data-testid="verify-path"
            className="mono"
            placeholder="/mnt/evidence-locker/INC-2291/orders-db-1.mem.lime"
            {...register('path', { onChange: changePath })}
          />
        </Field>
        <button
          type="button"
          className="button button-small button-primary"
          data-testid="verify-start"
          disabled={isBusy || !path.trim() || job?.state === 'running'}
          onClick={(event) => void start(event)}
        >
          {job ? 'Verify again' : 'Verify'}
        </button>
      </div>
      {job && <HashProgress job={job} pollError={pollError} onCancel={cancel} />}
      {job && result && (
        <p className={`verify-result verify-${result}`} role="status" data-testid="verify-result" data-result={result}>
          {result === 'match' ? '✓ Match: the copy has the recorded SHA-256.' : `✗ Mismatch: the copy's SHA-256 is ${job.sha256}; it is not the evidence as collected.`}
        </p>
      )}
      {problem && (
        <p className="form-error" role="alert" data-testid="verify-error">
          {problem}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button button-small" data-testid="verify-close" onClick={onDone}>
          Close
        </button>
      </div>
    </div>
  );
}
