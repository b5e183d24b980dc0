// A hashing job's progress bar, bytes, state and errors, with Cancel while it runs.
import type { HashJob } from '@shared/domain/evidence';
import { formatBytes, hashPercent } from '../evidence-actions';

export function HashProgress({ job, pollError, onCancel }: { job: HashJob; pollError?: string | null; onCancel: () => void }) {
  const percent = hashPercent(job);
  return (
    <div className={`hash-progress hash-${job.state}`} data-testid="hash-progress" data-state={job.state}>
      <div className="hash-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label="Hashing progress">
        <span style={{ width: `${percent}%` }} />
      </div>
      <div className="hash-progress-row small">
        <span>
          <strong data-testid="hash-percent">{percent}%</strong>{' '}
          <span className="muted" data-testid="hash-bytes">
            {formatBytes(job.bytesDone)} of {formatBytes(job.bytesTotal)}
          </span>{' '}
          <span className={`hash-state-label hash-state-${job.state}`} data-testid="hash-state">
            {job.state === 'running' ? 'hashing…' : job.state}
          </span>
        </span>
        {job.state === 'running' && (
          <button type="button" className="button button-small" data-testid="hash-cancel" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
      {job.error && (
        <p className="form-error" role="alert" data-testid="hash-error">
          {job.error}
        </p>
      )}
      {pollError && (
        <p className="hash-poll-error small" role="status" data-testid="hash-poll-error">
          The progress could not be read: {pollError} Trying again…
        </p>
      )}
    </div>
  );
}
