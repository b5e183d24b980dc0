// Hashing jobs: following one job's progress, and the job a form started (cancelled when the form
// closes or its path changes).
import { useEffect, useRef, useState } from 'react';
import type { HashJob } from '@shared/domain/evidence';
import { cancelHash, refreshHashJob } from '../evidence-actions';
import { knownHashJob, useHashJobState } from '../war-room-queries';

/**
 * Follows one job: progress events land in the query cache; a read every second covers a missed one. A
 * job the engine no longer knows ends as failed (refreshHashJob), which stops the reading; any
 * other failed read is shown and tried again.
 */
function useHashJob(jobId: string | null): { job: HashJob | undefined; pollError: string | null } {
  const job = useHashJobState(jobId);
  const [pollError, setPollError] = useState<{ jobId: string; message: string } | null>(null);
  const isRunning = job?.state === 'running';
  useEffect(() => {
    if (!jobId || !isRunning) return;
    let isFollowing = true;
    const read = () =>
      refreshHashJob(jobId).then(
        () => isFollowing && setPollError(null),
        (error: unknown) => isFollowing && setPollError({ jobId, message: error instanceof Error ? error.message : String(error) }),
      );
    const timer = setInterval(() => void read(), 1000);
    return () => {
      isFollowing = false;
      clearInterval(timer);
    };
  }, [jobId, isRunning]);
  return { job, pollError: isRunning && pollError?.jobId === jobId ? pollError.message : null };
}

/**
 * Cancels a job unless it is known to have ended (`lastState`, for when the cache has already
 * dropped it); a job the engine no longer knows needs nothing.
 */
function stopHashJob(jobId: string, lastState?: HashJob['state']): void {
  const state = knownHashJob(jobId)?.state ?? lastState;
  if (state !== undefined && state !== 'running') return;
  void cancelHash(jobId).catch(() => undefined);
}

/**
 * The hashing job a form started: followed while the form is open, cancelled when the form closes
 * (its Close button, the drawer's ✕ or Esc, another artifact or incident opened) or when `forget`
 * drops it (the path it hashed was changed). A job whose start is answered after that is
 * cancelled as soon as it is known, so no job keeps reading a file for a form that is gone.
 */
export function useOwnHashJob() {
  const [jobId, setJobId] = useState<string | null>(null);
  const { job, pollError } = useHashJob(jobId);
  const current = useRef<string | null>(null);
  const currentState = useRef<HashJob['state'] | undefined>(undefined);
  /** Bumped by `forget`: a start answered after it belongs to a path no longer wanted. */
  const generation = useRef(0);
  const isOpen = useRef(false);
  useEffect(() => {
    currentState.current = job?.state;
  }, [job?.state]);
  useEffect(() => {
    isOpen.current = true;
    return () => {
      isOpen.current = false;
      if (current.current) stopHashJob(current.current, currentState.current);
    };
  }, []);

  /** Starts a job with `begin`; resolves to it, or to null when it was no longer wanted. */
  const start = async (begin: () => Promise<HashJob>): Promise<HashJob | null> => {
    const token = ++generation.current;
    const started = await begin();
    if (!isOpen.current || token !== generation.current) {
      stopHashJob(started.id);
      return null;
    }
    current.current = started.id;
    currentState.current = started.state;
    setJobId(started.id);
    return started;
  };
  const forget = () => {
    generation.current += 1;
    if (current.current) stopHashJob(current.current, currentState.current);
    current.current = null;
    currentState.current = undefined;
    setJobId(null);
  };
  return { jobId, job, pollError, start, forget };
}
