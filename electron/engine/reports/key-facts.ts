// What the incident report leads with: the key (pinned) timeline as it now stands, the impact
// stakeholders were last told of, and the impact window.
import type { Incident } from '@shared/domain/incident';
import { formatDuration } from '@shared/domain/metrics';
import type { TimelineEntry } from '@shared/domain/timeline';
import { utcStamp } from '@shared/time';
import { byClock, str, type ReportRecord } from './report-record';

/** Pinned entries as they now stand: a corrected entry by its latest correction, each once. */
export function keyTimeline(timeline: readonly TimelineEntry[]): { entry: TimelineEntry; isCorrected: boolean }[] {
  const byId = new Map(timeline.map((e) => [e.id, e]));
  const rootOf = (e: TimelineEntry): TimelineEntry => {
    let current = e;
    for (let hops = 0; current.corrects && byId.has(current.corrects) && hops < 100; hops += 1) current = byId.get(current.corrects)!;
    return current;
  };
  const latestOf = (e: TimelineEntry): TimelineEntry => {
    let current = e;
    for (let hops = 0; current.correctedBy.length > 0 && hops < 100; hops += 1) {
      const next = byId.get(current.correctedBy[current.correctedBy.length - 1]);
      if (!next) break;
      current = next;
    }
    return current;
  };
  const seen = new Set<string>();
  const key: { entry: TimelineEntry; isCorrected: boolean }[] = [];
  for (const e of timeline.filter((t) => t.isPinned)) {
    const root = rootOf(e);
    if (seen.has(root.id)) continue;
    seen.add(root.id);
    const latest = latestOf(root);
    key.push({ entry: latest, isCorrected: latest.id !== root.id });
  }
  return key.sort((a, b) => a.entry.eventAt - b.entry.eventAt);
}

/** The impact statement of the latest published update that had one (what stakeholders were told). */
export function impactStatement(r: Pick<ReportRecord, 'ops' | 'published'>): string {
  const values = new Map<string, Record<string, unknown>>();
  for (const op of [...r.ops].sort(byClock)) {
    if (op.entity !== 'comms_update' || typeof op.fields.values !== 'object' || op.fields.values === null) continue;
    values.set(op.rowId.slice(op.rowId.indexOf('/') + 1), op.fields.values as Record<string, unknown>);
  }
  const newestFirst = [...r.published].sort((a, b) => b.publishedAt - a.publishedAt);
  for (const p of newestFirst) {
    const impact = str(values.get(p.updateId)?.impact)?.trim();
    if (impact) return impact;
  }
  return '';
}
export const impactWindow = (incident: Incident) => {
  const start = incident.milestones.started ?? incident.milestones.detected ?? incident.declaredAt;
  const end = incident.milestones.resolved ?? incident.milestones.mitigated;
  const from = incident.milestones.started !== null ? 'impact started' : 'detected';
  const until = incident.milestones.resolved !== null ? 'resolved' : incident.milestones.mitigated !== null ? 'mitigated' : null;
  return until
    ? `From ${utcStamp(start)} (${from}) to ${utcStamp(end!)} (${until}): ${formatDuration(end! - start)}.`
    : `Since ${utcStamp(start)} (${from}); not yet mitigated.`;
};
