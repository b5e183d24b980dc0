// War room state: which incident is open, its header and side panels (one `incidents.room` read),
// its runbook executions and suggested runbooks and its evidence (read with the room), the
// timeline's filter and change counter, the open action dialog, the open drawer (a runbook
// execution or an evidence artifact, one at a time), the engine's hashing jobs and the palette,
// and its stakeholder updates (`comms.room`, read with the room) with which pane shows: the
// timeline or the comms lead's updates.
import type { StateCreator } from 'zustand';
import type { CommsRoom, UpdateDraft } from '@shared/domain/comms-api';
import type { EvidenceView, HashJob } from '@shared/domain/evidence';
import type { WarRoom } from '@shared/domain/incident';
import type { RunbookRun, RunbookSummary } from '@shared/domain/runbook';
import type { TimelineEntry, TimelineFilter, TimelineKind } from '@shared/domain/timeline';
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
  /** Whether that kind stays after an entry; otherwise the box goes back to note. */
  isEntryKindPinned: boolean;
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
  /** The open incident's update clocks, drafts, published updates, channels and outbox. */
  comms: CommsRoom | null;
  commsError: string | null;
  /** What the war room's main pane shows: the timeline, the stakeholder updates or the post-incident review. */
  warPane: WarPane;
  /** Opens an incident's war room, on the timeline unless `pane` says otherwise (the reviews page opens its review). */
  openIncident: (id: string, pane?: WarPane) => void;
  closeIncident: () => void;
  loadRoom: () => Promise<void>;
  /** Reads the open incident's executions and suggestions again (after a run or library change). */
  loadRuns: () => Promise<void>;
  setOpenRun: (runId: string | null) => void;
  /** Reads the open incident's evidence again (after an artifact or custody change). */
  loadEvidence: () => Promise<void>;
  setOpenArtifact: (artifactId: string | null) => void;
  /** Reads the open incident's stakeholder updates again (after a save, a decision or a delivery). */
  loadComms: () => Promise<void>;
  /** Puts a draft as the engine returned it into the room at once, before the next read. */
  noteDraft: (draft: UpdateDraft) => void;
  setWarPane: (pane: WarPane) => void;
  /** Keeps the furthest state of a hashing job of the open artifact (progress events and reads may cross). */
  noteHashJob: (job: HashJob) => void;
  setTimelineFilter: (filter: TimelineFilter) => void;
  bumpTimeline: () => void;
  setFocusEntry: (id: string | null) => void;
  setEntryKind: (kind: Exclude<TimelineKind, 'system'>) => void;
  setEntryKindPinned: (isPinned: boolean) => void;
  requestFollowLatest: () => void;
  openDialog: (dialog: DialogSpec | null) => void;
  setPaletteOpen: (isOpen: boolean) => void;
  setShownEntry: (entry: TimelineEntry | null) => void;
}

export type WarPane = 'timeline' | 'updates' | 'review';

let runsReads = 0;
let evidenceReads = 0;
let commsReads = 0;
/**
 * Drafts as a call (a save, a decision) returned them, with the read count when they came: a read
 * that started before them carries an older draft and must not undo what the person sees (an
 * autosave's text would flicker back under their cursor).
 */
const notedDrafts = new Map<string, { read: number; draft: UpdateDraft }>();
const isOpenDraft = (draft: UpdateDraft) => draft.state !== 'published' && draft.state !== 'discarded';

/** The drafts of a room read, with the drafts noted since the read started kept as noted. */
function withNotedDrafts(drafts: UpdateDraft[], incidentId: string, read: number): UpdateDraft[] {
  const kept = drafts.flatMap((draft) => {
    const noted = notedDrafts.get(draft.id);
    if (!noted || noted.read <= read) return [draft];
    return isOpenDraft(noted.draft) ? [noted.draft] : [];
  });
  for (const [id, noted] of notedDrafts) {
    if (noted.read > read && noted.draft.incidentId === incidentId && isOpenDraft(noted.draft) && !kept.some((d) => d.id === id)) kept.unshift(noted.draft);
    // This read is newer than anything noted before it started.
    if (noted.read <= read) notedDrafts.delete(id);
  }
  return kept;
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
  comms: null,
  commsError: null,
  warPane: 'timeline',
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
  isEntryKindPinned: false,
  dialog: null,
  shownEntry: null,
  isPaletteOpen: false,
  ...noIncidentPanels,
  openIncident: (id, pane) => {
    const isSame = get().room?.incident.id === id;
    set({
      openIncidentId: id,
      view: 'incidents',
      room: isSame ? get().room : null,
      roomError: null,
      timelineFilter: {},
      focusEntryId: null,
      ...(isSame ? {} : noIncidentPanels),
      ...(pane ? { warPane: pane } : {}),
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
    const comms = get().loadComms();
    try {
      const room = await client().call('incidents.room', { id });
      // The person may have moved on to another incident while this was read.
      if (get().openIncidentId === id) set({ room, roomError: null });
    } catch (error) {
      if (get().openIncidentId === id) set({ roomError: error instanceof Error ? error.message : String(error) });
    }
    await Promise.all([runs, evidence, comms]);
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
  // A drawer opens beside the timeline: from the palette in the updates pane, it brings the timeline back.
  setOpenRun: (openRunId) => set(openRunId === null ? { openRunId } : { openRunId, openArtifactId: null, hashJobs: {}, warPane: 'timeline' }),
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
    set((state) => ({
      openArtifactId,
      hashJobs: jobsOf(state.hashJobs, openArtifactId),
      ...(openArtifactId === null ? {} : { openRunId: null, warPane: 'timeline' as const }),
    })),
  loadComms: async () => {
    const id = get().openIncidentId;
    if (!id) return;
    // Autosaves and deliveries each announce a change: only the newest read may land.
    const read = ++commsReads;
    const isLatest = () => read === commsReads && get().openIncidentId === id;
    try {
      const comms = await client().call('comms.room', { incidentId: id });
      if (isLatest()) set({ comms: { ...comms, drafts: withNotedDrafts(comms.drafts, id, read) }, commsError: null });
    } catch (error) {
      if (isLatest()) set({ commsError: error instanceof Error ? error.message : String(error) });
    }
  },
  noteDraft: (draft) => {
    // Reads from now on started after this draft was returned: numbered above every one so far.
    notedDrafts.set(draft.id, { read: commsReads + 1, draft });
    set((state) => {
      if (!state.comms || state.comms.incidentId !== draft.incidentId) return {};
      const others = state.comms.drafts.filter((d) => d.id !== draft.id);
      const known = state.comms.drafts.some((d) => d.id === draft.id);
      const drafts = !isOpenDraft(draft) ? others : known ? state.comms.drafts.map((d) => (d.id === draft.id ? draft : d)) : [draft, ...others];
      return { comms: { ...state.comms, drafts } };
    });
  },
  setWarPane: (warPane) => set({ warPane }),
  noteHashJob: (job) => {
    if (job.artifactId !== get().openArtifactId) return;
    if (isFurther(job, get().hashJobs[job.id])) set((state) => ({ hashJobs: { ...state.hashJobs, [job.id]: job } }));
  },
  setTimelineFilter: (timelineFilter) => set({ timelineFilter }),
  bumpTimeline: () => set((state) => ({ timelineVersion: state.timelineVersion + 1 })),
  setFocusEntry: (focusEntryId) => set(focusEntryId === null ? { focusEntryId } : { focusEntryId, warPane: 'timeline' }),
  setEntryKind: (entryKind) => set({ entryKind }),
  setEntryKindPinned: (isEntryKindPinned) => set({ isEntryKindPinned }),
  requestFollowLatest: () => set((state) => ({ followLatest: state.followLatest + 1 })),
  openDialog: (dialog) => set({ dialog, isPaletteOpen: false }),
  setPaletteOpen: (isPaletteOpen) => set({ isPaletteOpen }),
  setShownEntry: (shownEntry) => set({ shownEntry }),
});
