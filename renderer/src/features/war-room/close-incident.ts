// Closing an incident: its record becomes final, so the close asks once and says what is still
// open (tasks, runbook runs, required evidence not collected or waived, a freeze that must be lifted
// first). And what a closed incident still offers: the review, reports, pins, milestone
// corrections, legal hold, reading runs and evidence, search and filters.
import { isFreezeActive } from '@shared/domain/freeze';
import type { WarRoom } from '@shared/domain/incident';
import type { Artifact } from '@shared/domain/evidence';
import type { RunbookRun } from '@shared/domain/runbook';
import type { DialogSpec } from './dialog-spec';

export interface StillOpen {
  tasks: string[];
  runs: string[];
  evidence: string[];
  /** Active freezes: the engine refuses to close until they are lifted. */
  freezes: string[];
}

const settledArtifact = new Set<Artifact['state']>(['collected', 'verified', 'waived']);

export function stillOpen(room: WarRoom, runs: RunbookRun[], artifacts: Artifact[], now: number): StillOpen {
  return {
    tasks: room.tasks.filter((t) => t.status === 'open' || t.status === 'doing').map((t) => `${t.title}${t.ownerId ? ` (${t.ownerId})` : ''}`),
    runs: runs.filter((r) => r.incidentId === room.incident.id && r.status === 'active').map((r) => r.title),
    evidence: artifacts
      .filter((a) => a.incidentId === room.incident.id && a.isRequired && !settledArtifact.has(a.state))
      .map((a) => `${a.what}${a.asset ? ` (${a.asset})` : ''}, ${a.state}`),
    freezes: room.freezes.filter((f) => isFreezeActive(f, now)).map((f) => f.scope),
  };
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** The lines the close dialog lists, most pressing first. */
export function stillOpenLines(open: StillOpen): string[] {
  return [
    ...open.freezes.map((scope) => `Deployment freeze on ${scope}: lift it first (closing is refused while it is active)`),
    ...open.tasks.map((task) => `Open task: ${task}`),
    ...open.runs.map((run) => `Runbook run still active: ${run}`),
    ...open.evidence.map((item) => `Required evidence not collected or waived: ${item}`),
  ];
}

/** One question before the record becomes final, with what is still open. */
export function closeIncidentDialog(open: StillOpen, close: () => Promise<unknown>): DialogSpec {
  const lines = stillOpenLines(open);
  const counts = [
    open.tasks.length > 0 && count(open.tasks.length, 'open task', 'open tasks'),
    open.runs.length > 0 && count(open.runs.length, 'active runbook run', 'active runbook runs'),
    open.evidence.length > 0 && count(open.evidence.length, 'required artifact', 'required artifacts'),
  ].filter(Boolean);
  return {
    title: 'Close the incident',
    description:
      lines.length === 0
        ? 'Nothing is left open. Once closed, the record is final: no new entries, tasks, roles or freezes; pins, milestone corrections and the review stay possible.'
        : `Still open: ${counts.length > 0 ? counts.join(', ') : 'a deployment freeze'}. Once closed, the record is final and these stay as they are: no new entries, tasks, roles or freezes.`,
    items: lines,
    fields: [],
    submitLabel: lines.length === 0 ? 'Close incident' : 'Close anyway',
    isDanger: true,
    submit: close,
  };
}

/** Actions a closed incident still offers, by the part of their id before the first colon. */
const offeredWhenClosed = new Set([
  'correct-milestone',
  'legal-hold',
  'search',
  'pinned',
  'clear-filter',
  'pin-last',
  'review',
  'report-md',
  'report-print',
  'evidence-open',
  'evidence-export',
  'runbook-open',
  'updates',
]);

/** Whether a closed incident offers the action with `actionId` (the engine refuses the others). */
export function isOfferedWhenClosed(actionId: string): boolean {
  const [base, detail] = actionId.split(':');
  if (base === 'updates') return detail !== 'new';
  return base.startsWith('go-') || offeredWhenClosed.has(base);
}
