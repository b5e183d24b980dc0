// Hashing files in the engine: each job streams one file through SHA-256 (and MD5/SHA-1 when asked)
// with progress and cancel, never loading it whole. Jobs live in memory until the app restarts.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Artifact, HashJob } from '@shared/domain/evidence';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';

export interface JobResult {
  size: number;
  sha256: string;
  md5: string | null;
  sha1: string | null;
}

export interface RunningJob {
  job: HashJob;
  result: JobResult | null;
  cancel: () => void;
}

export interface HashJobs {
  start(artifact: Artifact, path: string, purpose: HashJob['purpose'], withLegacy: boolean): HashJob;
  find(jobId: string): RunningJob | undefined;
  mustGet(jobId: string): RunningJob;
  cancel(jobId: string): HashJob;
  closeAll(): void;
}

/** How often a running job reports progress. */
const progressEveryMs = 200;
/** Finished jobs kept for recordCollection to read; the oldest are forgotten first. */
const keptJobs = 200;
/** Files hashed at once: each reads from disk as fast as it can. */
const maxRunningJobs = 4;

export function createHashJobs(deps: {
  now: () => number;
  onProgress: (job: HashJob) => void;
  /** A verify job read the whole file: put the result on record (a throw fails the job). */
  onVerified: (job: HashJob, result: JobResult) => void;
}): HashJobs {
  const jobs = new Map<string, RunningJob>();
  const report = (entry: RunningJob) => deps.onProgress({ ...entry.job });

  const start = (artifact: Artifact, path: string, purpose: HashJob['purpose'], withLegacy: boolean): HashJob => {
    const size = mustBeLocalFile(path);
    const running = [...jobs.values()].filter((j) => j.job.state === 'running').length;
    if (running >= maxRunningJobs) throw new ApiError('conflict', `${running} files are being hashed already; wait for one to finish or cancel one.`);
    const job: HashJob = {
      id: uuidv7(deps.now()),
      artifactId: artifact.id,
      path,
      purpose,
      bytesDone: 0,
      bytesTotal: size,
      state: 'running',
      error: null,
      sha256: null,
      md5: null,
      sha1: null,
    };
    const hashes = { sha256: createHash('sha256'), md5: withLegacy ? createHash('md5') : null, sha1: withLegacy ? createHash('sha1') : null };
    const stream = createReadStream(path, { highWaterMark: 1024 * 1024 });
    const entry: RunningJob = { job, result: null, cancel: () => stream.destroy(new Error('cancelled')) };
    jobs.set(job.id, entry);
    // Finished jobs are forgotten oldest first; running ones are kept until they end.
    for (const [id, kept] of jobs) {
      if (jobs.size <= keptJobs) break;
      if (kept.job.state !== 'running') jobs.delete(id);
    }
    let lastReport = 0;
    stream.on('data', (chunk) => {
      const bytes = chunk as Buffer;
      hashes.sha256.update(bytes);
      hashes.md5?.update(bytes);
      hashes.sha1?.update(bytes);
      job.bytesDone += bytes.length;
      const at = Date.now();
      if (at - lastReport >= progressEveryMs) {
        lastReport = at;
        report(entry);
      }
    });
    stream.on('error', (error) => {
      if (job.state !== 'running') return;
      job.state = error.message === 'cancelled' ? 'cancelled' : 'failed';
      job.error = job.state === 'cancelled' ? null : error.message;
      report(entry);
    });
    stream.on('end', () => {
      if (job.state !== 'running') return;
      entry.result = { size: job.bytesDone, sha256: hashes.sha256.digest('hex'), md5: hashes.md5?.digest('hex') ?? null, sha1: hashes.sha1?.digest('hex') ?? null };
      job.sha256 = entry.result.sha256;
      job.md5 = entry.result.md5;
      job.sha1 = entry.result.sha1;
      try {
        if (purpose === 'verify') deps.onVerified(job, entry.result);
        job.state = 'done';
      } catch (error) {
        job.state = 'failed';
        job.error = error instanceof Error ? error.message : String(error);
      }
      report(entry);
    });
    return { ...job };
  };

  const mustGet = (jobId: string): RunningJob => {
    const entry = jobs.get(jobId);
    if (!entry) throw new ApiError('not_found', `No hashing job ${jobId} on this replica (jobs are kept until the app restarts).`);
    return entry;
  };

  return {
    start,
    find: (jobId) => jobs.get(jobId),
    mustGet,
    cancel: (jobId) => {
      const entry = mustGet(jobId);
      if (entry.job.state === 'running') entry.cancel();
      return { ...entry.job };
    },
    closeAll: () => {
      for (const entry of jobs.values()) if (entry.job.state === 'running') entry.cancel();
    },
  };
}

/** The size of a file on this machine, or why Holdfast will not read it. */
function mustBeLocalFile(path: string): number {
  if (!isAbsolute(path)) throw new ApiError('bad_request', `Give the file's full path (${path} is relative): it is read by Holdfast on this machine.`);
  // A network path would make this machine connect (and authenticate) to another host.
  if (/^(\\\\|\/\/)/.test(path)) throw new ApiError('bad_request', `${path} is a network path: copy the file to this machine, then hash it here.`);
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new ApiError('bad_request', `${path} is not a file.`);
    return stat.size;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError('bad_request', `Cannot read ${path}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'there is no such file' : (error as Error).message}.`);
  }
}
