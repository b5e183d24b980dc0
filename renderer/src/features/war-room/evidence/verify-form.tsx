// Verifying a copy: the engine hashes the file and records the result in the chain of custody.
import { useEffect, useState } from 'react';
import type { Artifact } from '@shared/domain/evidence';
import { useAction } from '../../../lib/use-action';
import { rereadOpenEvidence } from '../war-room-queries';
import { cancelHash, hashFile, shortHash } from '../evidence-actions';
import { Field } from './field';
import { HashProgress } from './hash-progress';
import { useOwnHashJob } from './use-own-hash-job';

export function VerifyForm({ artifact: a, onDone }: { artifact: Artifact; onDone: () => void }) {
  const { error, isBusy, run } = useAction();
  const [path, setPath] = useState('');
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

  const start = () =>
    void run(async () => {
      const verified = path.trim();
      await startJob(() => hashFile(a, verified, 'verify', false));
    });
  const cancel = () => {
    if (job) void run(async () => void (await cancelHash(job.id)));
  };
  // A result belongs to the file it was computed from.
  const changePath = (next: string) => {
    setPath(next);
    if (job) forgetJob();
  };

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
            value={path}
            onChange={(e) => changePath(e.target.value)}
          />
        </Field>
        <button
          type="button"
          className="button button-small button-primary"
          data-testid="verify-start"
          disabled={isBusy || !path.trim() || job?.state === 'running'}
          onClick={start}
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
      {error && (
        <p className="form-error" role="alert" data-testid="verify-error">
          {error}
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
