// The audit evidence report, for auditors: the complete timeline, every role change, every approval,
// each artifact's custody events with hashes, and the chains as verified when the report is made.
import type { Artifact, CustodyEvent } from '@shared/domain/evidence';
import { milestoneLabels, milestones } from '@shared/domain/lifecycle';
import type { RoleSeat } from '@shared/domain/incident-roles';
import type { TimelineEntry } from '@shared/domain/timeline';
import { utcStamp } from '@shared/time';
import { hashSourceLabel, incidentIdentity } from '../evidence/export-values';
import { approvalsOf } from './approvals';
import { facts, flagsOf, h3, metaOf, mono, para, table, when, type Block, type Doc, type Fact } from './report-document';
import { artifactJson, artifactLabel, author, iso, jsonHeader, seatTitle, stamp, type ReportRecord } from './report-record';
import { roleChanges } from './role-changes';
import { trustBlocks, trustJson } from './trust-section';
import type { ArtifactCustodyCheck, Verification } from './verification';

function timelineNumbers(timeline: readonly TimelineEntry[]): Map<string, number> {
  return new Map(timeline.map((e, index) => [e.id, index + 1]));
}

function entryStatus(e: TimelineEntry, numbers: Map<string, number>): string {
  const ref = (id: string) => (numbers.has(id) ? `#${numbers.get(id)}` : id);
  return [
    e.correctedBy.length > 0 ? `corrected by ${e.correctedBy.map(ref).join(', ')}` : '',
    e.corrects ? `corrects ${ref(e.corrects)}` : '',
    e.isPinned ? 'pinned' : '',
    e.isPending ? 'not yet acknowledged by a sync peer' : '',
    e.refusal ? `refused by a sync peer: ${e.refusal}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

function verificationBlocks(v: Verification, r: ReportRecord): Block[] {
  const artifacts = new Map(r.artifacts.map((a) => [a.id, a]));
  const problems = v.opChains.breaks.length + v.custody.filter((c) => !c.isIntact).length + (v.custodyRecordsProblem ? 1 : 0) + (v.replica.problem ? 1 : 0);
  const result = (c: ArtifactCustodyCheck) => (c.events === 0 ? 'no custody events' : c.isIntact ? 'intact' : `BROKEN: ${c.problem}`);
  return [
    v.isIntact
      ? para(
          `INTACT: all ${v.opChains.ops} record(s) in ${v.opChains.chains} hash chain(s) of this incident match their hashes and links, ` +
            `all ${r.custody.length} custody event(s) verify, and all ${v.replica.projectedRows} projected row(s) of the replica are what its op log gives.`,
          'ok',
        )
      : para(`BROKEN: ${problems} problem(s) found. Do not rely on the affected records until the discrepancy is explained.`, 'broken'),
    facts([
      ['Verified at', utcStamp(r.generatedAt)],
      ['Op log records (incident stream)', String(v.opChains.ops)],
      ['Hash chains (one per device)', String(v.opChains.chains)],
      ['SHA-256 of the op log', v.opLogSha256, true],
      ['Custody events', String(r.custody.length)],
      ['Projected rows proved against the op log (whole replica)', String(v.replica.projectedRows)],
    ]),
    para(
      "The op log SHA-256 is over the incident's ops, one JSON op per line as stored: the same bytes as ops.jsonl in the evidence bundle " +
        '(holdfast export INCIDENT --format bundle), whose SHA256SUMS lists the same value.',
      'note',
    ),
    h3('Op chain breaks'),
    table(
      ['Device', 'Stream', 'Position', 'Op', 'Reason'],
      v.opChains.breaks.map((b) => [mono(b.deviceId), mono(b.streamId), String(b.position), mono(b.opId), b.reason]),
      'None: every chain links from the genesis hash and every record matches its hash.',
    ),
    h3('Custody chains'),
    table(
      ['Artifact', 'Events', 'Result'],
      v.custody.map((c) => [artifactLabel(artifacts.get(c.artifactId), c.artifactId), String(c.events), result(c)]),
      'No custody events to verify.',
    ),
    v.custodyRecordsProblem
      ? para(`Custody records against the op log: BROKEN: ${v.custodyRecordsProblem}.`, 'broken')
      : para('Custody records against the op log: every custody record is exactly the one its op wrote.'),
    v.replica.problem
      ? para(`Replica against its op log: BROKEN: ${v.replica.problem}. The text in this report is read from those rows.`, 'broken')
      : para(
          `Replica against its op log: its ${v.replica.opsReplayed} op(s) were replayed into a database built by Holdfast's migrations (schema ${v.replica.schemaVersion}, the same as this replica's) ` +
            "and every projected row, this report's text among them, is exactly what they give.",
        ),
  ];
}

function custodyTable(events: readonly CustodyEvent[]): Block {
  return table(
    ['#', 'Time (UTC)', 'Action', 'From → to', 'Purpose', 'Note', 'SHA-256 seen', 'By', 'Event hash', 'Previous hash'],
    events.map((e, index) => [
      String(index + 1),
      when(e.at),
      e.result ? `${e.action} (${e.result})` : e.action,
      e.from || e.to ? `${e.from || '—'} → ${e.to || '—'}` : '',
      e.purpose,
      [e.note, e.corrects ? `corrects event ${e.corrects}` : ''].filter(Boolean).join('; '),
      mono(e.sha256 ?? ''),
      e.actorId,
      mono(e.hash),
      mono(e.prevHash),
    ]),
    'No custody events recorded.',
  );
}

function custodyVerdict(check: ArtifactCustodyCheck | undefined): Block {
  if (!check || check.events === 0) return para('No custody events to verify.', 'note');
  return check.isIntact
    ? para(
        `Custody chain intact: all ${check.events} event(s) match their SHA-256 hashes and each follows the genesis record or an earlier record of this artifact.`,
        'ok',
      )
    : para(`Custody chain BROKEN: ${check.problem}.`, 'broken');
}

function artifactFacts(a: Artifact): Fact[] {
  return [
    ['Artifact id', a.id, true],
    ['Type', a.artifactType],
    ['State', a.state],
    ...(a.reason ? [[a.state === 'waived' ? 'Waived because' : 'Reason', a.reason] as Fact] : []),
    ...(a.approvedBy ? [['Waiver approved by', a.approvedBy] as Fact] : []),
    ['Collector', a.collector ? `${a.collector.name}${a.collector.role ? ` (${a.collector.role})` : ''}` : '—'],
    ['File', a.fileName ? `${a.fileName}${a.size !== null ? ` (${a.size} bytes)` : ''}` : '—'],
    ['SHA-256', a.sha256 ?? '—', true],
    ['MD5', a.md5 ?? '—', true],
    ['SHA-1', a.sha1 ?? '—', true],
    ['Hash source', hashSourceLabel(a.hashSource)],
    ['Storage location', a.storageLocation || '—'],
  ];
}

export function auditDoc(r: ReportRecord, v: Verification): Doc {
  const { incident } = r;
  const numbers = timelineNumbers(r.timeline);
  const approvals = approvalsOf(r);
  const artifactIds = new Set(r.artifacts.map((a) => a.id));
  const orphanEvents = r.custody.filter((e) => !artifactIds.has(e.artifactId));
  const custodyCheck = new Map(v.custody.map((c) => [c.artifactId, c]));
  const pendingHandoff = (s: RoleSeat) => (s.offeredTo ? `offered to ${s.offeredTo} by ${s.offeredBy ?? '—'} at ${stamp(s.offeredAt)}` : '');
  return {
    heading: 'Audit evidence report',
    title: incident.title,
    meta: [...metaOf(r), `SHA-256 of the incident's op log: ${v.opLogSha256} (${r.ops.length} records)`],
    flags: flagsOf(incident),
    sections: [
      {
        title: 'Incident',
        blocks: [
          facts([
            ['Incident id', incident.id, true],
            ['Title', incident.title],
            ['Severity', incident.severity],
            ['Status', incident.status],
            ['Type', incident.type || '—'],
            ['Services', incident.services.join(', ') || '—'],
            ['Drill', incident.isDrill ? 'yes' : 'no'],
            ['Legal hold', incident.isLegalHold ? `yes: ${incident.legalHoldReason}` : 'no'],
            ['Declared', utcStamp(incident.declaredAt)],
            ...milestones.map((m): Fact => [milestoneLabels[m], stamp(incident.milestones[m], m === 'started' ? 'not recorded' : 'not reached')]),
          ]),
        ],
      },
      {
        title: 'Report',
        blocks: [
          facts([
            ['Generated at', utcStamp(r.generatedAt)],
            ['Generated by', r.generatedBy],
            ['Holdfast version', r.holdfastVersion],
            ['SHA-256 of the op log', v.opLogSha256, true],
          ]),
        ],
      },
      { title: 'Chain verification', blocks: verificationBlocks(v, r) },
      { title: 'Signatures and refused records', blocks: trustBlocks(r) },
      {
        title: 'Complete timeline',
        blocks: [
          para(
            `${r.timeline.length} entries in event-time order. Entries are never changed: a correction is a new entry, and the entry it corrects ` +
              'stays in the record, struck through.',
            'note',
          ),
          table(
            ['#', 'Event time (UTC)', 'Recorded (UTC)', 'Kind', 'Author', 'Entry', 'Status'],
            r.timeline.map((e) => [
              String(numbers.get(e.id)),
              when(e.eventAt),
              when(e.recordedAt),
              e.kind,
              author(e),
              { text: e.text, isStruck: e.correctedBy.length > 0 },
              entryStatus(e, numbers),
            ]),
            'The timeline is empty.',
          ),
        ],
      },
      {
        title: 'Role assignments and handoffs',
        blocks: [
          table(
            ['When (UTC)', 'Role', 'Change', 'From', 'To', 'By'],
            roleChanges(r.ops).map((c) => [when(c.at), c.roleTitle, c.change, c.from ?? '', c.to ?? '', c.by]),
            'No role was ever assigned.',
          ),
          h3('Roles at the time of the report'),
          table(
            ['Role', 'Held by', 'Since (UTC)', 'Pending handoff'],
            r.seats.map((s) => [seatTitle(s.role, s.label), s.holderId ?? 'vacant', when(s.since), pendingHandoff(s)]),
            'No roles.',
          ),
        ],
      },
      {
        title: 'Approvals',
        blocks: [
          h3('Stakeholder updates'),
          table(
            ['When (UTC)', 'Audience', 'Update', 'Action', 'By', 'Detail'],
            approvals.updates.map((u) => [when(u.at), u.audience, u.title, u.action, u.by, u.detail]),
            'No stakeholder update was sent for approval or published.',
          ),
          h3('Evidence waivers'),
          table(
            ['When (UTC)', 'Artifact', 'Reason', 'Approved by', 'Recorded by'],
            approvals.waivers.map((w) => [when(w.at), w.artifact, w.reason, w.approvedBy, w.recordedBy]),
            'No evidence was waived.',
          ),
          h3('Recovery-gate overrides'),
          table(
            ['When (UTC)', 'Runbook', 'Step', 'Reason', 'By'],
            approvals.gateOverrides.map((g) => [when(g.at), g.runbookTitle, `${g.step}. ${g.stepTitle}`, g.reason, g.by ?? '—']),
            'No recovery action went ahead without its required evidence.',
          ),
        ],
      },
      {
        title: 'Chain of custody',
        blocks: [
          ...(r.artifacts.length === 0 && orphanEvents.length === 0 ? [para('No evidence was listed for this incident.')] : []),
          ...r.artifacts.flatMap((a): Block[] => [
            h3(artifactLabel(a, a.id)),
            facts(artifactFacts(a)),
            custodyTable(r.custody.filter((e) => e.artifactId === a.id)),
            custodyVerdict(custodyCheck.get(a.id)),
          ]),
          ...(orphanEvents.length > 0
            ? [
                h3('Custody events of artifacts not in this record'),
                custodyTable(orphanEvents),
                ...[...new Set(orphanEvents.map((e) => e.artifactId))].map((id) => custodyVerdict(custodyCheck.get(id))),
              ]
            : []),
        ],
      },
    ],
  };
}

export function auditJson(r: ReportRecord, v: Verification) {
  const { incident } = r;
  const numbers = timelineNumbers(r.timeline);
  const approvals = approvalsOf(r);
  return {
    ...jsonHeader(r, 'audit'),
    opLog: { streamId: `incident:${incident.id}`, records: r.ops.length, sha256: v.opLogSha256 },
    incident: {
      ...incidentIdentity(incident),
      isLegalHold: incident.isLegalHold,
      legalHoldReason: incident.legalHoldReason,
      declaredAt: iso(incident.declaredAt),
      milestones: Object.fromEntries(milestones.map((m) => [m, iso(incident.milestones[m])])),
    },
    verification: {
      verifiedAt: iso(r.generatedAt),
      isIntact: v.isIntact,
      opChains: v.opChains,
      custody: v.custody,
      custodyRecordsProblem: v.custodyRecordsProblem,
      replica: v.replica,
    },
    timeline: r.timeline.map((e) => ({
      number: numbers.get(e.id),
      id: e.id,
      eventAt: iso(e.eventAt),
      recordedAt: iso(e.recordedAt),
      kind: e.kind,
      authorId: e.authorId,
      source: e.source,
      text: e.text,
      corrects: e.corrects,
      correctedBy: e.correctedBy,
      isPinned: e.isPinned,
      isPending: e.isPending,
      refusal: e.refusal,
      trust: e.trust ?? null,
    })),
    trust: trustJson(r),
    roles: {
      changes: roleChanges(r.ops).map(({ at, roleTitle, ...c }) => ({ at: iso(at), title: roleTitle, ...c })),
      seats: r.seats.map((s) => ({ ...s, since: iso(s.since), offeredAt: iso(s.offeredAt) })),
    },
    approvals: {
      updates: approvals.updates.map((u) => ({ ...u, at: iso(u.at) })),
      waivers: approvals.waivers.map((w) => ({ ...w, at: iso(w.at) })),
      gateOverrides: approvals.gateOverrides.map((g) => ({ ...g, at: iso(g.at) })),
    },
    artifacts: r.artifacts.map((a) => ({
      ...artifactJson(a),
      fileName: a.fileName,
      size: a.size,
      hashes: { sha256: a.sha256, md5: a.md5, sha1: a.sha1, source: a.hashSource },
      /** Its events are in `custody`, in written order; this is how many and what the chain check found. */
      custodyEvents: r.custody.filter((e) => e.artifactId === a.id).map((e) => e.id),
      custodyVerification: v.custody.find((c) => c.artifactId === a.id) ?? null,
    })),
    /** Every custody event verbatim and in written order, so a reader can check the chains again. */
    custody: r.custody,
  };
}
