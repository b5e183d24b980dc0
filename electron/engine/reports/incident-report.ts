// The incident report, for everyone: what happened, its impact, milestone times and durations, who
// held which role, the key timeline, runbook deviations, evidence, updates sent, review and actions.
import { audienceLabels } from '@shared/domain/comms';
import type { PublishedUpdate } from '@shared/domain/comms-api';
import type { Artifact } from '@shared/domain/evidence';
import { milestoneLabels, milestones } from '@shared/domain/lifecycle';
import { formatDuration, incidentDurations, metricLabels, metricNames } from '@shared/domain/metrics';
import { actionTypeLabels, contributingFactorLabels, type ContributingFactor, type Review } from '@shared/domain/review';
import { utcStamp } from '@shared/time';
import { impactStatement, impactWindow, keyTimeline } from './key-facts';
import { facts, flagsOf, h3, list, metaOf, mono, para, table, when, type Block, type Doc } from './report-document';
import { abbreviation, artifactJson, artifactLabel, author, deviationLabels, iso, jsonHeader, seatTitle, stamp, type ReportRecord } from './report-record';
import { roleChanges, type RoleChange } from './role-changes';
import { trustBlocks, trustJson } from './trust-section';

const artifactState = (a: Artifact) =>
  a.state === 'waived' ? `waived (approved by ${a.approvedBy ?? '—'}): ${a.reason}` : a.state === 'failed' ? `failed: ${a.reason}` : a.state;
const deliveriesOf = (p: PublishedUpdate) => (p.deliveries.length === 0 ? 'copied out by hand' : p.deliveries.map((d) => `${d.channelName}: ${d.state}`).join('; '));
const isHandoff = (c: RoleChange) => !['offered', 'offer withdrawn', 'offer declined', 'updated'].includes(c.change);

function reviewBlocks(review: Review | null): Block[] {
  if (!review) return [para('No review has been written for this incident yet.')];
  return [
    facts([
      ['State', review.state],
      ['Due', stamp(review.dueAt)],
      ['Published', stamp(review.publishedAt, 'not published')],
      ['Last edited', `${stamp(review.updatedAt)} by ${review.updatedBy}`],
    ]),
    review.body.trim() ? { type: 'markdown', source: review.body } : para('The review has no text yet.'),
    h3('Contributing factors'),
    review.factors.length > 0 ? list(review.factors.map((f: ContributingFactor) => contributingFactorLabels[f] ?? f)) : para('No contributing factors were chosen.'),
  ];
}

export function incidentDoc(r: ReportRecord): Doc {
  const { incident } = r;
  const durations = incidentDurations(incident).durations;
  const custodyCount = (id: string) => r.custody.filter((e) => e.artifactId === id).length;
  const handoffs = roleChanges(r.ops).filter(isHandoff);
  const published = [...r.published].sort((a, b) => a.publishedAt - b.publishedAt);
  const deviations = r.runs.flatMap((run) => run.deviations);
  return {
    heading: 'Incident report',
    title: incident.title,
    meta: metaOf(r),
    flags: flagsOf(incident),
    sections: [
      { title: 'Summary', blocks: [para(incident.summary.trim() || 'No summary was written.')] },
      {
        title: 'Impact',
        blocks: [
          facts([
            ['Severity', `${incident.severity}: ${r.severityMeaning}`],
            ['Services affected', incident.services.join(', ') || 'none recorded'],
            ['Impact window', impactWindow(incident)],
            ['Impact as last told to stakeholders', impactStatement(r) || 'No published update stated the impact.'],
          ]),
        ],
      },
      {
        title: 'Overview',
        blocks: [
          facts([
            ['Incident id', incident.id, true],
            ['Severity', incident.severity],
            ['Status', incident.status],
            ['Type', incident.type || '—'],
            ['Services', incident.services.join(', ') || '—'],
            ['Declared', utcStamp(incident.declaredAt)],
          ]),
        ],
      },
      {
        title: 'Milestones (UTC)',
        blocks: [
          table(
            ['Milestone', 'Time (UTC)'],
            milestones.map((m) => [milestoneLabels[m], when(incident.milestones[m], m === 'started' ? 'not recorded' : 'not reached')]),
            '',
          ),
          table(
            ['Duration', 'Value'],
            metricNames.map((name) => [`${metricLabels[name]} (${abbreviation(name)})`, formatDuration(durations[name])]),
            '',
          ),
          para('Durations run from the impact start (or the detection when the impact start is not recorded); time to detect needs the impact start.', 'note'),
        ],
      },
      {
        title: 'Roles',
        blocks: [
          table(
            ['Role', 'Held by', 'Since (UTC)'],
            r.seats.map((s) => [seatTitle(s.role, s.label), s.holderId ?? 'vacant', when(s.since)]),
            'No roles were filled.',
          ),
          ...(handoffs.length > 0 ? [h3('Handoffs'), list(handoffs.map((c) => `${utcStamp(c.at)}: ${c.description}`))] : []),
        ],
      },
      {
        title: 'Key timeline',
        blocks: [
          table(
            ['Time (UTC)', 'Kind', 'By', 'What happened'],
            keyTimeline(r.timeline).map(({ entry, isCorrected }) => [
              when(entry.eventAt),
              entry.kind,
              author(entry),
              isCorrected ? `${entry.text} (corrected)` : entry.text,
            ]),
            'No timeline entries were pinned as key moments.',
          ),
        ],
      },
      {
        title: 'Runbooks and deviations',
        blocks: [
          table(
            ['Runbook', 'Started (UTC)', 'By', 'Status', 'Progress'],
            r.runs.map((run) => [
              `${run.title} (v${run.versionNumber})`,
              when(run.startedAt),
              run.startedBy,
              run.status === 'stopped' ? `stopped: ${run.stopReason}` : run.status,
              `${run.progress.settled}/${run.progress.total} steps`,
            ]),
            'No runbooks were run.',
          ),
          ...(r.runs.length > 0
            ? [
                table(
                  ['Runbook', 'Step', 'Deviation', 'Note', 'By', 'When (UTC)'],
                  deviations.map((d) => [d.runbookTitle, `${d.step}. ${d.stepTitle}`, deviationLabels[d.kind], d.note, d.by ?? '—', when(d.at)]),
                  'Every runbook was followed as written.',
                ),
              ]
            : []),
        ],
      },
      {
        title: 'Evidence',
        blocks: [
          table(
            ['Artifact', 'Type', 'State', 'SHA-256', 'Custody events'],
            r.artifacts.map((a) => [artifactLabel(a, a.id), a.artifactType, artifactState(a), mono(a.sha256 ?? ''), String(custodyCount(a.id))]),
            'No evidence was listed.',
          ),
        ],
      },
      {
        title: 'Stakeholder updates sent',
        blocks: [
          table(
            ['Published (UTC)', 'Audience', 'Title', 'By', 'Approved by', 'Delivery'],
            published.map((p) => [
              when(p.publishedAt),
              audienceLabels[p.audience] ?? p.audience,
              p.title,
              p.publishedBy,
              p.approvedBy ?? 'no approval needed',
              deliveriesOf(p),
            ]),
            'No stakeholder updates were published.',
          ),
        ],
      },
      { title: 'Review', blocks: reviewBlocks(r.review) },
      {
        title: 'Action items',
        blocks: [
          table(
            ['Action', 'Type', 'Priority', 'Owner', 'Due (UTC)', 'Status'],
            r.actions.map((a) => [
              a.title,
              actionTypeLabels[a.type] ?? a.type,
              a.priority,
              a.ownerId ?? 'unassigned',
              when(a.dueAt),
              a.isOverdue ? `${a.status} (overdue)` : a.status,
            ]),
            'No action items were recorded.',
          ),
        ],
      },
      { title: 'Signatures and refused records', blocks: trustBlocks(r) },
    ],
  };
}

export function incidentJson(r: ReportRecord) {
  const { incident } = r;
  const durations = incidentDurations(incident).durations;
  return {
    ...jsonHeader(r, 'incident'),
    trust: trustJson(r),
    incident: {
      id: incident.id,
      title: incident.title,
      severity: incident.severity,
      severityMeaning: r.severityMeaning,
      status: incident.status,
      type: incident.type,
      services: incident.services,
      isDrill: incident.isDrill,
      isLegalHold: incident.isLegalHold,
      legalHoldReason: incident.legalHoldReason,
      summary: incident.summary,
      declaredAt: iso(incident.declaredAt),
    },
    impact: { services: incident.services, window: impactWindow(incident), statement: impactStatement(r) || null },
    milestones: Object.fromEntries(milestones.map((m) => [m, iso(incident.milestones[m])])),
    durations: Object.fromEntries(metricNames.map((name) => [name, { abbreviation: abbreviation(name), ms: durations[name], text: formatDuration(durations[name]) }])),
    roles: r.seats.map((s) => ({ role: s.role, title: seatTitle(s.role, s.label), holderId: s.holderId, since: iso(s.since) })),
    handoffs: roleChanges(r.ops)
      .filter(isHandoff)
      .map((c) => ({ at: iso(c.at), role: c.role, title: c.roleTitle, change: c.change, from: c.from, to: c.to, by: c.by, description: c.description })),
    keyTimeline: keyTimeline(r.timeline).map(({ entry: e, isCorrected }) => ({
      id: e.id,
      eventAt: iso(e.eventAt),
      kind: e.kind,
      authorId: e.authorId,
      source: e.source,
      text: e.text,
      isCorrected,
    })),
    runs: r.runs.map((run) => ({
      id: run.id,
      runbookId: run.runbookId,
      title: run.title,
      versionNumber: run.versionNumber,
      startedAt: iso(run.startedAt),
      startedBy: run.startedBy,
      status: run.status,
      stopReason: run.stopReason,
      progress: run.progress,
      deviations: run.deviations.map((d) => ({ step: d.step, stepTitle: d.stepTitle, kind: d.kind, note: d.note, by: d.by, at: iso(d.at) })),
    })),
    artifacts: r.artifacts.map((a) => ({
      ...artifactJson(a),
      sha256: a.sha256,
      custodyEvents: r.custody.filter((e) => e.artifactId === a.id).length,
    })),
    updates: [...r.published]
      .sort((a, b) => a.publishedAt - b.publishedAt)
      .map((p) => ({
        updateId: p.updateId,
        audience: p.audience,
        title: p.title,
        body: p.body,
        publishedAt: iso(p.publishedAt),
        publishedBy: p.publishedBy,
        approvedBy: p.approvedBy,
        deliveries: p.deliveries.map((d) => ({ channel: d.channelName, kind: d.kind, state: d.state, deliveredAt: iso(d.deliveredAt) })),
      })),
    review: r.review
      ? {
          state: r.review.state,
          dueAt: iso(r.review.dueAt),
          publishedAt: iso(r.review.publishedAt),
          updatedAt: iso(r.review.updatedAt),
          updatedBy: r.review.updatedBy,
          factors: r.review.factors.map((f) => ({ key: f, label: contributingFactorLabels[f] ?? f })),
          body: r.review.body,
        }
      : null,
    actions: r.actions.map((a) => ({
      id: a.id,
      title: a.title,
      type: a.type,
      priority: a.priority,
      ownerId: a.ownerId,
      dueAt: iso(a.dueAt),
      status: a.status,
      isOverdue: a.isOverdue,
      note: a.note,
    })),
  };
}
