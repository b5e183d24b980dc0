// The war room's engine data, through the query layer (renderer/src/data): the room (header, roles,
// tasks, freezes), its runbook executions and the runbooks suggested for it, its evidence, its
// stakeholder updates and the names written on its timeline. Each is read while a view shows it and
// read again when an engine event says it changed (the rows of data/invalidation.ts); after a write
// the war room reads at once what it changed (`reread…`), so the change shows before the event.
import type { CommsRoom, UpdateDraft } from '@shared/domain/comms-api';
import type { RunbookRun, RunbookSummary } from '@shared/domain/runbook';
import { isFurtherHashJob, type HashJob } from '@shared/domain/evidence';
import { useQuery, type QueryKey } from '@tanstack/react-query';
import { engineQueries } from '../../data/query-client';
import { engineKey, useEngineQuery } from '../../data/use-engine-query';
import { useStore } from '../../store';
import { client } from '../../store/client-ref';

export const roomKey = (incidentId: string) => engineKey('incidents.room', { id: incidentId });
export const runsKey = (incidentId: string) => engineKey('runs.list', { incidentId });
export const suggestedKey = (incidentId: string) => engineKey('runbooks.suggest', { incidentId });
export const evidenceKey = (incidentId: string) => engineKey('evidence.list', { incidentId });
export const commsKey = (incidentId: string) => engineKey('comms.room', { incidentId });

/**
 * Many components of the war room show the same reads (the header, panels, drawers, the timeline):
 * an answer kept is shown as it is when another mounts, and read again only when an engine event
 * (or a write here) says it changed.
 */
const kept = { readOnMount: false } as const;

export const useRoom = (incidentId: string) => useEngineQuery('incidents.room', { id: incidentId }, kept);
export const useEvidence = (incidentId: string) => useEngineQuery('evidence.list', { incidentId }, kept);
export const useCommsRoom = (incidentId: string) => useEngineQuery('comms.room', { incidentId }, kept);

export interface Runbooks {
  /** The incident's runbook executions, oldest first. */
  runs: RunbookRun[];
  /** Runbooks whose services or incident types match the incident. */
  suggested: RunbookSummary[];
  error: string | null;
}

const noRuns: RunbookRun[] = [];
const noSuggestions: RunbookSummary[] = [];

export function useRunbooks(incidentId: string): Runbooks {
  const runs = useEngineQuery('runs.list', { incidentId }, kept);
  const suggested = useEngineQuery('runbooks.suggest', { incidentId }, kept);
  // The same empty lists until answered: views memoise on them.
  return { runs: runs.value ?? noRuns, suggested: suggested.value ?? noSuggestions, error: runs.error ?? suggested.error };
}

/** Reads `key` again now; resolves once the answer is in (a read on its way is dropped first). */
async function reread(key: QueryKey): Promise<void> {
  const queries = engineQueries();
  await queries.cancelQueries({ queryKey: key, exact: true });
  await queries.invalidateQueries({ queryKey: key, exact: true });
}

export const rereadRoom = (incidentId: string) => reread(roomKey(incidentId));
export const rereadRuns = (incidentId: string) => Promise.all([reread(runsKey(incidentId)), reread(suggestedKey(incidentId))]).then(() => undefined);
export const rereadEvidence = (incidentId: string) => reread(evidenceKey(incidentId));
export const rereadComms = (incidentId: string) => reread(commsKey(incidentId));

const isOpenDraft = (draft: UpdateDraft) => draft.state !== 'published' && draft.state !== 'discarded';

/**
 * Puts a draft as a call (a save, a decision) returned it into the incident's updates at once. A
 * read on its way was started before the call answered and carries an older draft: it is dropped,
 * so an autosave's text does not flicker back under the person's cursor.
 */
export function noteDraft(draft: UpdateDraft): void {
  const key = commsKey(draft.incidentId);
  const queries = engineQueries();
  // Before the first answer there is nothing to show it in: the first read goes on.
  if (!queries.getQueryData(key)) return;
  void queries.cancelQueries({ queryKey: key, exact: true });
  queries.setQueryData<CommsRoom>(key, (room) => {
    if (!room) return room;
    const others = room.drafts.filter((d) => d.id !== draft.id);
    const isKnown = room.drafts.some((d) => d.id === draft.id);
    const drafts = !isOpenDraft(draft) ? others : isKnown ? room.drafts.map((d) => (d.id === draft.id ? draft : d)) : [draft, ...others];
    return { ...room, drafts };
  });
}

/** A draft of the open incident's updates as last read or noted (for the comms actions). */
export function openDraft(updateId: string): UpdateDraft | undefined {
  const incidentId = useStore.getState().openIncidentId;
  if (!incidentId) return undefined;
  return engineQueries()
    .getQueryData<CommsRoom>(commsKey(incidentId))
    ?.drafts.find((d) => d.id === updateId);
}

/** The open incident's room: its people and seats (for suggestions of who to name). */
export function useOpenRoom() {
  const incidentId = useStore((s) => s.openIncidentId);
  return useEngineQuery('incidents.room', { id: incidentId ?? '' }, { ...kept, enabled: incidentId !== null });
}

/** The names written on the open incident's timeline. */
export function useOpenTimelineAuthors() {
  const incidentId = useStore((s) => s.openIncidentId);
  return useEngineQuery('timeline.authors', { incidentId: incidentId ?? '' }, { ...kept, enabled: incidentId !== null });
}

/** The open incident's stakeholder updates (for views outside the updates pane: the header's badge, the composer's clock). */
export function useOpenCommsRoom() {
  const incidentId = useStore((s) => s.openIncidentId);
  return useEngineQuery('comms.room', { incidentId: incidentId ?? '' }, { ...kept, enabled: incidentId !== null });
}

/** Reads the open incident's evidence again (after an artifact or custody change); resolves once it is in. */
export async function rereadOpenEvidence(): Promise<void> {
  const incidentId = useStore.getState().openIncidentId;
  if (incidentId) await rereadEvidence(incidentId);
}

/** The open incident's evidence (for the artifact drawer). */
export function useOpenEvidence() {
  const incidentId = useStore((s) => s.openIncidentId);
  return useEngineQuery('evidence.list', { incidentId: incidentId ?? '' }, { ...kept, enabled: incidentId !== null });
}

// Hashing jobs: progress the engine pushes (`evidence.hashProgress`, put in the cache by the
// table's `pushed` row) and what the calls that start, cancel or read a job answer, kept under the
// job's `evidence.hashJob` read. Only the artifact drawer follows jobs; those nobody follows are
// dropped by the cache a few minutes after their last change.

export const hashJobKey = (jobId: string) => engineKey('evidence.hashJob', { jobId });

/** The job as last known here, if at all. */
export const knownHashJob = (jobId: string): HashJob | undefined => engineQueries().getQueryData<HashJob>(hashJobKey(jobId));

/** Keeps the furthest state of a job (progress events and reads may cross). */
export function noteHashJob(job: HashJob): void {
  engineQueries().setQueryData<HashJob>(hashJobKey(job.id), (known) => (isFurtherHashJob(job, known) ? job : known));
}

/** Follows a job's state as it is noted, without reading it (its form reads it while it runs). */
export function useHashJobState(jobId: string | null): HashJob | undefined {
  const { data } = useQuery(
    { queryKey: hashJobKey(jobId ?? ''), queryFn: () => client().call('evidence.hashJob', { jobId: jobId ?? '' }), enabled: false },
    engineQueries(),
  );
  return jobId ? data : undefined;
}
