// War room state: which incident is open, its header and side panels (one `incidents.room` read),
// its runbook executions and suggested runbooks and its evidence (read with the room), the
// timeline's filter and change counter, the open action dialog, the open drawer (a runbook
// execution or an evidence artifact, one at a time), the engine's hashing jobs and the palette.
import type { StateCreator } from 'zustand';
import type { EvidenceView, HashJob } from '../../../../shared/domain/evidence';
import type { WarRoom } from '../../../../shared/domain/incident';
import type { RunbookRun, RunbookSummary } from '../../../../shared/domain/runbook';
import type { TimelineEntry, TimelineFilter, TimelineKind } from '../../../../shared/domain/timeline';
import type { AppState } from '../../store';
import { client } from '../../store/client-ref';
import type { DialogSpec } from './dialog-spec';

export interface WarRoomSlice {
  openIncidentId: string | null;
  room: WarRoom | null;
  roomError: string | null;
  timelineFilter: TimelineFilter;
  /** Bumped whenever the open incident's timeline changes (or sync acknowledges writes). */
  timelineVersion: number;
  /** An entry the timeline should scroll to and flash (a search hit, a correction link). */
  focusEntryId: string | null;
  /** Bumped when this person adds an entry: the timeline goes back to following the newest. */
  followLatest: number;
  /** The kind the quick-entry box writes next. */
  entryKind: Exclude<TimelineKind, 'system'>;
  dialog: DialogSpec | null;
  /** A timeline entry shown whole (rows clamp long text). */
  shownEntry: TimelineEntry | null;
  isPaletteOpen: boolean;
  /** The open incident's runbook executions, oldest first. */
  runs: RunbookRun[];
  /** Runbooks whose services or incident types match the open incident. */
  suggestedRunbooks: RunbookSummary[];
  runsError: string | null;
  /** The execution shown in the run drawer. */
  openRunId: string | null;
  /** The open incident's artifacts, custody events and evidence gate. */
  evidence: EvidenceView | null;
  evidenceError: string | null;
  /** The artifact shown in the evidence drawer (never at the same time as a run). */
  openArtifactId: string | null;
  /**
   * Hashing jobs of the open artifact, by id, as the engine last reported them. Only its drawer
   * follows jobs (and cancels its own when it closes), so jobs of other artifacts are not kept.
   */
  hashJobs: Record<string, HashJob>;
  openIncident: (id: string) => void;
  closeIncident: () => void;
  loadRoom: () => Promise<void>;
  /** Reads the open incident's executions and suggestions again (after a run or library change). */
  loadRuns: () => Promise<void>;
  setOpenRun: (runId: string | null) => void;
  /** Reads the open incident's evidence again (after an artifact or custody change). */
  loadEvidence: () => Promise<void>;
  setOpenArtifact: (artifactId: string | null) => void;
  /** Keeps the furthest state of a hashing job of the open artifact (progress events and reads may cross). */
  noteHashJob: (job: HashJob) => void;
  setTimelineFilter: (filter: TimelineFilter) => void;
  bumpTimeline: () => void;
  setFocusEntry: (id: string | null) => void;
  setEntryKind: (kind: Exclude<TimelineKind, 'system'>) => void;
  requestFollowLatest: () => void;
  openDialog: (dialog: DialogSpec | null) => void;
  setPaletteOpen: (isOpen: boolean) => void;
  setShownEntry: (entry: TimelineEntry | null) => void;
}

let runsReads = 0;
let evidenceReads = 0;

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
function jobsOf(jobs: Record<string, HashJob>, openArtifactId: string | null): Record<string, HashJob> {
  const kept = Object.entries(jobs).filter(([, job]) => job.artifactId === openArtifactId);
  return kept.length === Object.keys(jobs).length ? jobs : Object.fromEntries(kept);
}

/** The side panels and drawers of an incident, as they are before one is opened. */
const noIncidentPanels = {
  runs: [],
  suggestedRunbooks: [],
  runsError: null,
  openRunId: null,
  evidence: null,
  evidenceError: null,
  openArtifactId: null,
  hashJobs: {},
} satisfies Partial<WarRoomSlice>;

export const createWarRoomSlice: StateCreator<AppState, [], [], WarRoomSlice> = (set, get) => ({
  openIncidentId: null,
  room: null,
  roomError: null,
  timelineFilter: {},
  timelineVersion: 0,
  focusEntryId: null,
  followLatest: 0,
  entryKind: 'note',
  dialog: null,
  shownEntry: null,
  isPaletteOpen: false,
  ...noIncidentPanels,
  openIncident: (id) => {
    const isSame = get().room?.incident.id === id;
    set({
      openIncidentId: id,
      view: 'incidents',
      room: isSame ? get().room : null,
      roomError: null,
      timelineFilter: {},
      focusEntryId: null,
      ...(isSame ? {} : noIncidentPanels),
    });
    void get().loadRoom();
  },
  closeIncident: () =>
    set({
      openIncidentId: null,
      room: null,
      roomError: null,
      dialog: null,
      shownEntry: null,
      ...noIncidentPanels,
    }),
  loadRoom: async () => {
    const id = get().openIncidentId;
    if (!id) return;
    // Runs and evidence are incident records: the same `incidents.changed` that re-reads the room
    // re-reads them.
    const runs = get().loadRuns();
    const evidence = get().loadEvidence();
    try {
      const room = await client().call('incidents.room', { id });
      // The person may have moved on to another incident while this was read.
      if (get().openIncidentId === id) set({ room, roomError: null });
    } catch (error) {
      if (get().openIncidentId === id) set({ roomError: error instanceof Error ? error.message : String(error) });
    }
    await Promise.all([runs, evidence]);
  },
  loadRuns: async () => {
    const id = get().openIncidentId;
    if (!id) return;
    // Step clicks come fast and each announces a change: only the newest read may land.
    const read = ++runsReads;
    const isLatest = () => read === runsReads && get().openIncidentId === id;
    try {
      const [runs, suggestedRunbooks] = await Promise.all([client().call('runs.list', { incidentId: id }), client().call('runbooks.suggest', { incidentId: id })]);
      if (isLatest()) set({ runs, suggestedRunbooks, runsError: null });
    } catch (error) {
      if (isLatest()) set({ runsError: error instanceof Error ? error.message : String(error) });
    }
  },
  setOpenRun: (openRunId) => set(openRunId === null ? { openRunId } : { openRunId, openArtifactId: null, hashJobs: {} }),
  loadEvidence: async () => {
    const id = get().openIncidentId;
    if (!id) return;
    const read = ++evidenceReads;
    const isLatest = () => read === evidenceReads && get().openIncidentId === id;
    try {
      const evidence = await client().call('evidence.list', { incidentId: id });
      if (isLatest()) set({ evidence, evidenceError: null });
    } catch (error) {
      if (isLatest()) set({ evidenceError: error instanceof Error ? error.message : String(error) });
    }
  },
  setOpenArtifact: (openArtifactId) =>
    set((state) => ({ openArtifactId, hashJobs: jobsOf(state.hashJobs, openArtifactId), ...(openArtifactId === null ? {} : { openRunId: null }) })),
  noteHashJob: (job) => {
    if (job.artifactId !== get().openArtifactId) return;
    if (isFurther(job, get().hashJobs[job.id])) set((state) => ({ hashJobs: { ...state.hashJobs, [job.id]: job } }));
  },
  setTimelineFilter: (timelineFilter) => set({ timelineFilter }),
  bumpTimeline: () => set((state) => ({ timelineVersion: state.timelineVersion + 1 })),
  setFocusEntry: (focusEntryId) => set({ focusEntryId }),
  setEntryKind: (entryKind) => set({ entryKind }),
  requestFollowLatest: () => set((state) => ({ followLatest: state.followLatest + 1 })),
  openDialog: (dialog) => set({ dialog, isPaletteOpen: false }),
  setPaletteOpen: (isPaletteOpen) => set({ isPaletteOpen }),
  setShownEntry: (shownEntry) => set({ shownEntry }),
});
