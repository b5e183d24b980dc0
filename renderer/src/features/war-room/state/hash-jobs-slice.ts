// Hashing jobs of the open artifact, by id, as the engine last reported them: progress the engine
// pushes as events (no call reads it as a list), kept here so a drawer closed and opened again
// still shows it. Only the artifact drawer follows jobs (and cancels its own when it closes), so
// jobs of other artifacts are not kept.
import type { StateCreator } from 'zustand';
import type { HashJob } from '@shared/domain/evidence';
import type { AppState } from '../../../store';

export interface HashJobsSlice {
  hashJobs: Record<string, HashJob>;
  /** Keeps the furthest state of a hashing job of the open artifact (progress events and reads may cross). */
  noteHashJob: (job: HashJob) => void;
}

/** Whether `next` tells more than `known` about the same job: an ended job never runs again. */
function isFurther(next: HashJob, known: HashJob | undefined): boolean {
  if (!known) return true;
  if (known.state !== 'running') return false;
  return next.state !== 'running' || next.bytesDone >= known.bytesDone;
}

/**
 * The hashing jobs worth keeping once `openArtifactId` is the open artifact: its own. Progress
 * events come for every job the engine runs (other people's too), so without this the map grew
 * with each one for as long as the app ran.
 */
export function hashJobsOf(jobs: Record<string, HashJob>, openArtifactId: string | null): Record<string, HashJob> {
  const kept = Object.entries(jobs).filter(([, job]) => job.artifactId === openArtifactId);
  return kept.length === Object.keys(jobs).length ? jobs : Object.fromEntries(kept);
}

export const createHashJobsSlice: StateCreator<AppState, [], [], HashJobsSlice> = (set, get) => ({
  hashJobs: {},
  noteHashJob: (job) => {
    if (job.artifactId !== get().openArtifactId) return;
    if (isFurther(job, get().hashJobs[job.id])) set((state) => ({ hashJobs: { ...state.hashJobs, [job.id]: job } }));
  },
});
