// The record a report is made from, and how its values read in every report and format: times,
// op clocks, role titles, artifact labels and the header each report's JSON starts with.
import type { PublishedUpdate } from '@shared/domain/comms-api';
import type { Artifact, CustodyEvent } from '@shared/domain/evidence';
import type { Incident } from '@shared/domain/incident';
import { roleTitles, type IncidentRole, type RoleSeat } from '@shared/domain/incident-roles';
import { metricAbbreviations, type MetricName } from '@shared/domain/metrics';
import type { ActionItem, ReportKind, Review } from '@shared/domain/review';
import type { Deviation, RunbookRun } from '@shared/domain/runbook';
import type { TimelineEntry } from '@shared/domain/timeline';
import { decodeHlc } from '@shared/hlc';
import type { Op } from '@shared/ops';
import { utcStamp } from '@shared/time';
import type { RefusedRecord } from '../timeline/timeline-store';

/** Everything a report is made from: one incident as the replica holds it when the report is made. */
export interface ReportRecord {
  incident: Incident;
  /** What the incident's severity means in this organisation. */
  severityMeaning: string;
  seats: RoleSeat[];
  /** Every timeline entry, in event-time order. */
  timeline: TimelineEntry[];
  runs: RunbookRun[];
  artifacts: Artifact[];
  /** Every custody event of the incident, in the order they were written. */
  custody: CustodyEvent[];
  /** The incident stream's ops, as stored. */
  ops: Op[];
  /** Stakeholder updates published (any order). */
  published: PublishedUpdate[];
  review: Review | null;
  actions: ActionItem[];
  generatedAt: number;
  generatedBy: string;
  holdfastVersion: string;
  /** The incident's ops kept but refused: authentic, but their signer's role may not write them. */
  refused?: RefusedRecord[];
}

export const reportFormatNames = { incident: 'holdfast-incident-report', audit: 'holdfast-audit-report' } as const;
export const reportVersion = 1;

export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
export const stamp = (ms: number | null | undefined, missing = '—'): string => (ms === null || ms === undefined ? missing : utcStamp(ms));
export const opTime = (op: Op): number => decodeHlc(op.hlc).ms;
export const byClock = (a: Op, b: Op) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.opId < b.opId ? -1 : a.opId > b.opId ? 1 : 0);
export const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
export const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** Per incident the abbreviation drops the "mean": TTD, TTA, TTM, TTR. */
export const abbreviation = (name: MetricName) => metricAbbreviations[name].replace(/^M/, '');

export const seatTitle = (role: IncidentRole, label: string) => (role === 'sme' && label ? `${roleTitles.sme} (${label})` : roleTitles[role]);

export const artifactLabel = (a: Pick<Artifact, 'artifactType' | 'what' | 'asset'> | undefined, id: string) =>
  a ? `${a.what || a.artifactType}${a.asset ? ` (${a.asset})` : ''}` : `artifact ${id}`;

export const deviationLabels: Record<Deviation['kind'], string> = {
  skipped: 'Skipped',
  failed: 'Failed',
  'out-of-order': 'Done out of order',
  'evidence-gate': 'Evidence gate overridden',
};

/** Who wrote an entry, with what vouches for it: via a tool, a guest's own name, or unsigned. */
export const author = (e: TimelineEntry) => {
  const trust = e.trust === 'guest' ? 'unverified: named by themselves' : e.trust === 'unsigned' ? 'unsigned' : '';
  const notes = [e.source ? `via ${e.source}` : '', trust].filter(Boolean);
  return notes.length > 0 ? `${e.authorId} (${notes.join('; ')})` : e.authorId;
};

/** What both reports' JSON starts with: which report, and when, by whom and by which Holdfast it was made. */
export const jsonHeader = (r: ReportRecord, kind: ReportKind) => ({
  format: reportFormatNames[kind],
  version: reportVersion,
  generatedAt: iso(r.generatedAt),
  generatedBy: r.generatedBy,
  holdfastVersion: r.holdfastVersion,
});

/** What both reports' JSON says of an artifact first, in this order. */
export const artifactJson = (a: Artifact) => ({
  id: a.id,
  artifactType: a.artifactType,
  what: a.what,
  asset: a.asset,
  state: a.state,
  reason: a.reason,
  approvedBy: a.approvedBy,
});
