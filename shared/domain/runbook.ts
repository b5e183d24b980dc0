// Runbooks: the versioned library of procedures (stream `library`) and their executions inside
// incidents. A runbook is Markdown with front matter (see runbook-format.ts); every save is an
// immutable version with its parents, so edits made offline at the same time become sibling
// versions that a person merges. An execution pins the version it follows, and each of its steps
// is its own record, so two responders working one execution offline merge step by step.
import { z } from 'zod';
import { maxRunbookChars, runbookIdPattern, type DecisionBranch, type RunbookMeta, type RunbookStep, type StepType } from './runbook-file';

export const stepStates = ['pending', 'done', 'skipped', 'failed'] as const;
export type StepState = (typeof stepStates)[number];
export const runStatuses = ['active', 'stopped'] as const;
/** What a run's record says: started (active) or stopped. */
export type RunStatus = (typeof runStatuses)[number];
/** What a run is: completed once every step is settled (done, skipped, failed or passed over), never written. */
export type RunState = RunStatus | 'completed';

/** The most parents a version may have: a merge of that many siblings. */
export const maxParents = 20;
/** The most files one import may carry. */
export const maxImportFiles = 500;

/** One saved version of a runbook: never changed after it is written. */
export interface RunbookVersion {
  id: string;
  runbookId: string;
  /** The version(s) this one was edited from; several for a merge, none for the first. */
  parents: string[];
  source: string;
  note: string;
  authorId: string;
  /** When it was saved (UTC ms, the saving device's clock). */
  createdAt: number;
  /** 1-based position among this runbook's versions, oldest first. */
  number: number;
}

/** A runbook as the library lists it: its current version's front matter, and its state. */
/** A version as the history lists it: everything but its text. */
export type RunbookVersionInfo = Omit<RunbookVersion, 'source'>;

export interface RunbookSummary extends Omit<RunbookMeta, 'id'> {
  id: string;
  /** The review-by date has passed. */
  isReviewOverdue: boolean;
  /** The version an execution started now would follow (the newest head). */
  currentVersionId: string;
  /** Versions nobody has built on yet; more than one means sibling edits waiting to be merged. */
  headIds: string[];
  versionCount: number;
  stepCount: number;
  updatedAt: number;
  updatedBy: string;
  isArchived: boolean;
  /** Why a suggested runbook matches an incident (services, incident type); empty elsewhere. */
  matches: string[];
}

/** A version with its parsed content, for reading and for following. */
export interface RunbookContent {
  version: RunbookVersion;
  intro: string;
  steps: RunbookStep[];
  /** Why the source could not be read (written by a newer Holdfast, say); steps are then empty. */
  errors: string[];
}

export interface RunbookDetail {
  summary: RunbookSummary;
  /** The version asked for, or the current one. */
  content: RunbookContent;
  /** Every head when there are siblings to merge (newest first), else empty. */
  siblings: RunbookContent[];
  /** Every version, newest first, without its text (ask for a version to read it). */
  history: RunbookVersionInfo[];
}

export interface RunbookSearchHit {
  runbookId: string;
  title: string;
  /** Matched words sit between highlightStart and highlightEnd (see search.ts). */
  snippet: string;
}

/** What became of one file of an import. */
export interface RunbookFileReport {
  path: string;
  runbookId: string | null;
  outcome: 'created' | 'updated' | 'unchanged' | 'rejected';
  /** Why the file was rejected; nothing of it was imported. */
  errors: string[];
  /** What was accepted but ignored (unknown front matter keys), each with its line. */
  notes: string[];
  /** Set when the import replaced sibling versions that were waiting to be merged. */
  mergedSiblings: number;
}

export interface RunbookImportReport {
  files: RunbookFileReport[];
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface RunbookExportFile {
  runbookId: string;
  fileName: string;
  source: string;
  versionId: string;
  /** Other heads not written out (sibling versions still to be merged). */
  unmergedSiblings: number;
}

/** One step of an execution: the version's step and what was done with it. */
export interface RunStepView extends RunbookStep {
  state: StepState;
  note: string;
  /** The branch taken at a decision. */
  branch: string | null;
  by: string | null;
  at: number | null;
  /** Why a recovery action went ahead without its required evidence, or ''. */
  override: string;
  /** Passed over by a decision that jumped past it: not part of the path taken. */
  isBypassed: boolean;
  /** The step whose jump passed over this one, when it was. */
  bypassedBy: PassedOverBy | null;
  /** Done or failed while an earlier step on the path was still open, or before it was. */
  isOutOfOrder: boolean;
}

export interface Deviation {
  runId: string;
  runbookTitle: string;
  step: number;
  stepTitle: string;
  /** `evidence-gate`: a recovery action done while required evidence was missing (note: the reason given). */
  kind: 'skipped' | 'failed' | 'out-of-order' | 'evidence-gate';
  note: string;
  by: string | null;
  at: number | null;
}

export interface RunbookRun {
  id: string;
  incidentId: string;
  runbookId: string;
  versionId: string;
  /** The pinned version's number, and whether the library has moved on since. */
  versionNumber: number;
  isVersionCurrent: boolean;
  title: string;
  startedAt: number;
  startedBy: string;
  assignees: string[];
  /** Completed when every step is settled (reopening a step makes it active again); stopped when someone stopped it. */
  status: RunState;
  stopReason: string;
  steps: RunStepView[];
  /** Steps done, skipped or failed, or passed over, of all steps. */
  progress: { settled: number; total: number };
  deviations: Deviation[];
}

const text = (what: string, max: number) => z.string({ error: `must be ${what}` }).max(max, { error: `must be at most ${max} characters` });
export const runbookId = z.string({ error: 'must be a runbook id' }).regex(runbookIdPattern, { error: 'must be a runbook id: lower-case letters, digits and dashes' });
const versionId = z.string({ error: 'must be a version id' }).min(1).max(100, { error: 'must be at most 100 characters' });
const runId = z.string({ error: 'must be a runbook execution id' }).min(1).max(200, { error: 'must be at most 200 characters' });
const incidentId = z.string({ error: 'must be an incident id' }).min(1).max(100, { error: 'must be at most 100 characters' });
const userName = z.string({ error: 'must be a user name' }).trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' });
const source = z
  .string({ error: 'must be the runbook text (Markdown with front matter)' })
  .min(1, { error: 'must not be empty' })
  .max(maxRunbookChars, { error: `must be at most ${maxRunbookChars} characters` });

export const listRunbooksRequest = z.object({ includeArchived: z.boolean({ error: 'must be true or false' }).default(false) }).strict();

export const getRunbookRequest = z.object({ id: runbookId, versionId: versionId.optional() }).strict();

export const saveRunbookRequest = z
  .object({
    /** The runbook edited; absent for a new one (its id comes from front matter or title). */
    runbookId: runbookId.optional(),
    source,
    /** The version(s) the edit started from: several to merge siblings, none for a new runbook. */
    parents: z
      .array(versionId)
      .max(maxParents, { error: `at most ${maxParents} parents` })
      .default([]),
    note: text('text', 500).default(''),
  })
  .strict();

export const archiveRunbookRequest = z.object({ id: runbookId, isArchived: z.boolean({ error: 'must be true or false' }) }).strict();

export const searchRunbooksRequest = z.object({ text: text('text', 500), limit: z.number().int().min(1).max(200).default(50) }).strict();

export const suggestRunbooksRequest = z.object({ incidentId }).strict();

export const importRunbooksRequest = z
  .object({
    files: z
      .array(z.object({ path: text('a file path', 1000).min(1, { error: 'must name the file' }), source: z.string({ error: 'must be the file text' }) }).strict())
      .min(1, { error: 'give at least one file' })
      .max(maxImportFiles, { error: `at most ${maxImportFiles} files per import` }),
    /** Today's rules for CI (`holdfast runbooks import --strict`): marked steps, front matter, code blocks. */
    strict: z.boolean({ error: 'must be true or false' }).default(false),
  })
  .strict();

export const startRunRequest = z.object({ incidentId, runbookId, versionId: versionId.optional() }).strict();
export const listRunsRequest = z.object({ incidentId }).strict();

export const setStepRequest = z
  .object({
    runId,
    step: z.number({ error: 'must be a step number' }).int().min(1, { error: 'must be a step number' }).max(10_000),
    state: z.enum(stepStates, { error: `must be one of ${stepStates.join(', ')}` }),
    /** Why a step was skipped, what failed, or any remark. */
    note: text('text', 5000).trim().default(''),
    /** The branch taken, when a decision is done. */
    branch: text('a branch name', 200).optional(),
    /**
     * Why a recovery action goes ahead while required evidence of the incident is neither
     * collected nor waived (the evidence gate); recorded on the timeline.
     */
    override: text('text', 2000).trim().min(1, { error: 'say why the recovery action cannot wait for the evidence' }).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.state === 'skipped' && r.note === '') ctx.addIssue({ code: 'custom', path: ['note'], message: 'say why the step is skipped' });
    if (r.state === 'failed' && r.note === '') ctx.addIssue({ code: 'custom', path: ['note'], message: 'say what failed' });
  });

export const assignRunRequest = z
  .object({ runId, assignees: z.array(userName).min(1, { error: 'assign at least one person' }).max(20, { error: 'at most 20 people' }) })
  .strict();

export const stopRunRequest = z.object({ runId, reason: text('text', 2000).trim().min(1, { error: 'say why the runbook is stopped' }) }).strict();

/** Whether a review-by date ('YYYY-MM-DD') has passed at `now` (UTC): due on the day itself. */
export function isReviewOverdue(reviewBy: string | null, now: number): boolean {
  if (reviewBy === null) return false;
  return new Date(now).toISOString().slice(0, 10) > reviewBy;
}

/** The step whose jump passed over another: a decision's branch, or a "continue with step N". */
export interface PassedOverBy {
  step: number;
  goTo: number;
  isDecision: boolean;
}

/**
 * Steps passed over on the path taken, each with the step that jumped over it. A decision answered with a branch that jumps forward to
 * step G bypasses the steps between it and G; so does a step that is done and says where to go
 * next (how alternatives rejoin: "then continue with step 7"). A backward jump means "go round
 * again" and bypasses nothing. Steps are walked in order, so a bypassed step's jump counts for nothing.
 */
export function bypassedSteps(
  steps: Pick<RunbookStep, 'number' | 'type' | 'branches' | 'next'>[],
  settled: (step: number) => { state: StepState; branch: string | null } | undefined,
): Map<number, PassedOverBy> {
  const bypassed = new Map<number, PassedOverBy>();
  for (const step of steps) {
    if (bypassed.has(step.number)) continue;
    const s = settled(step.number);
    if (s?.state !== 'done') continue;
    const target = step.type === 'decision' ? (step.branches.find((b: DecisionBranch) => b.name === s.branch)?.goTo ?? null) : step.next;
    if (target !== null && target > step.number + 1) {
      const by = { step: step.number, goTo: target, isDecision: step.type === 'decision' };
      for (let n = step.number + 1; n < target; n += 1) if (!bypassed.has(n)) bypassed.set(n, by);
    }
  }
  return bypassed;
}

export const stepTypeLabels: Record<StepType, string> = {
  check: 'Check',
  command: 'Command',
  decision: 'Decision',
  recovery: 'Recovery action',
  step: 'Step',
};
