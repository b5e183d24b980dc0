// Reports of one incident, made from its record as the replica holds it:
//   - the incident report, for everyone: what happened, its impact, milestone times and durations,
//     who held which role, the key (pinned) timeline, runbook deviations, evidence, the updates
//     sent, the review and its contributing factors, and the action items;
//   - the audit evidence report, for auditors: the complete timeline (every entry, its author and
//     recorded time, corrections shown), every role assignment and handoff, every approval
//     (stakeholder updates, evidence waivers, recovery-gate overrides), each artifact's custody
//     events with hashes, and the hash chains verified when the report is made, with the SHA-256
//     of the incident's op log (the same bytes as ops.jsonl in the evidence bundle).
// Each as Markdown, self-contained HTML (inline CSS for screen and print, every value escaped) or
// JSON. Pure functions over a ReportRecord: api/reports.ts gathers the record.
import { createHash } from 'node:crypto';
import type { Nodes as MdNode, RootContent as MdContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { csvText, type CsvValue } from '../../../shared/csv';
import { audienceLabels } from '../../../shared/domain/comms';
import type { PublishedUpdate } from '../../../shared/domain/comms-api';
import { custodyChainProblem, type Artifact, type CustodyEvent, type ExportedFile } from '../../../shared/domain/evidence';
import type { Incident } from '../../../shared/domain/incident';
import { roleTitles, type IncidentRole, type RoleSeat } from '../../../shared/domain/incident-roles';
import { milestoneLabels, milestones } from '../../../shared/domain/lifecycle';
import { formatDuration, incidentDurations, metricAbbreviations, metricLabels, metricNames, type MetricName } from '../../../shared/domain/metrics';
import {
  actionTypeLabels,
  contributingFactorLabels,
  type ActionItem,
  type ContributingFactor,
  type ReportFormat,
  type ReportKind,
  type Review,
} from '../../../shared/domain/review';
import type { Deviation, RunbookRun } from '../../../shared/domain/runbook';
import type { TimelineEntry } from '../../../shared/domain/timeline';
import { decodeHlc } from '../../../shared/hlc';
import { escapeHtml as esc } from '../../../shared/html';
import type { Op } from '../../../shared/ops';
import { utcStamp } from '../../../shared/time';
import { custodyRecordsProblem, verifyOpChains, type OpChainBreak } from '../core/chain';
import { incidentIdentity, opsJsonl, safeName } from '../evidence/evidence-export';
import { nativeSha256Hex } from '../core/native-hash';

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
}

export const reportFormatNames = { incident: 'holdfast-incident-report', audit: 'holdfast-audit-report' } as const;
export const reportVersion = 1;

// ---------------------------------------------------------------------------------------------
// Facts derived from the record, shared by every format.

const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
const stamp = (ms: number | null | undefined, missing = '—'): string => (ms === null || ms === undefined ? missing : utcStamp(ms));
const opTime = (op: Op): number => decodeHlc(op.hlc).ms;
const byClock = (a: Op, b: Op) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : a.opId < b.opId ? -1 : a.opId > b.opId ? 1 : 0);
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const num = (value: unknown): number | null => (typeof value === 'number' ? value : null);

/** Per incident the abbreviation drops the "mean": TTD, TTA, TTM, TTR. */
const abbreviation = (name: MetricName) => metricAbbreviations[name].replace(/^M/, '');

const seatTitle = (role: IncidentRole, label: string) => (role === 'sme' && label ? `${roleTitles.sme} (${label})` : roleTitles[role]);

export interface RoleChange {
  at: number;
  /** Who made the change (the op's author). */
  by: string;
  seatId: string;
  role: IncidentRole;
  roleTitle: string;
  change: 'took' | 'assigned' | 'accepted handoff' | 'reassigned' | 'stepped down' | 'released' | 'offered' | 'offer withdrawn' | 'offer declined' | 'updated';
  /** Holder before and after (for an offer: who offered and to whom). */
  from: string | null;
  to: string | null;
  description: string;
}

/** Every change to the incident's role seats, oldest first, read from the ops that made them. */
export function roleChanges(ops: readonly Op[]): RoleChange[] {
  const seats = new Map<string, { role: IncidentRole; label: string; holderId: string | null; offeredTo: string | null; offeredBy: string | null }>();
  const changes: RoleChange[] = [];
  for (const op of ops.filter((o) => o.entity === 'incident_role').sort(byClock)) {
    const before = seats.get(op.rowId) ?? { role: 'sme' as IncidentRole, label: '', holderId: null, offeredTo: null, offeredBy: null };
    const f = op.fields;
    const after = {
      role: ((str(f.role) as IncidentRole | null) ?? before.role) as IncidentRole,
      label: str(f.label) ?? before.label,
      holderId: 'holderId' in f ? str(f.holderId) : before.holderId,
      offeredTo: 'offeredTo' in f ? str(f.offeredTo) : before.offeredTo,
      offeredBy: 'offeredBy' in f ? str(f.offeredBy) : before.offeredBy,
    };
    seats.set(op.rowId, after);
    const by = op.actorId;
    const title = seatTitle(after.role, after.label);
    const base = { at: opTime(op), by, seatId: op.rowId, role: after.role, roleTitle: title };
    let change: RoleChange['change'];
    let from: string | null = before.holderId;
    let to: string | null = after.holderId;
    let description: string;
    if (before.holderId !== after.holderId) {
      if (before.holderId === null) {
        change = after.holderId === by ? 'took' : 'assigned';
        description = change === 'took' ? `${by} took ${title}` : `${by} assigned ${title} to ${after.holderId}`;
      } else if (after.holderId === null) {
        change = before.holderId === by ? 'stepped down' : 'released';
        description = change === 'stepped down' ? `${by} stepped down as ${title}` : `${by} released ${before.holderId} from ${title}`;
      } else if (before.offeredTo === after.holderId && by === after.holderId) {
        change = 'accepted handoff';
        description = `${by} accepted ${title} from ${before.holderId}`;
      } else {
        change = 'reassigned';
        description = `${by} reassigned ${title} from ${before.holderId} to ${after.holderId}`;
      }
    } else if (before.offeredTo !== after.offeredTo) {
      if (after.offeredTo !== null) {
        change = 'offered';
        from = after.offeredBy ?? by;
        to = after.offeredTo;
        description = `${from} offered ${title} to ${after.offeredTo}`;
      } else {
        change = before.offeredTo === by ? 'offer declined' : 'offer withdrawn';
        from = before.offeredBy;
        to = before.offeredTo;
        description =
          change === 'offer declined'
            ? `${by} declined ${title} offered by ${before.offeredBy ?? before.holderId}`
            : `${by} withdrew the offer of ${title} to ${before.offeredTo}`;
      }
    } else {
      change = 'updated';
      description = `${by} updated ${title}`;
    }
    changes.push({ ...base, change, from, to, description });
  }
  return changes;
}

export interface UpdateApproval {
  at: number;
  updateId: string;
  audience: string;
  title: string;
  action: 'approval requested' | 'approved' | 'rejected' | 'published';
  by: string;
  /** The approver asked for, the comment of a decision, or who approved a published update. */
  detail: string;
}

export interface Waiver {
  at: number;
  artifactId: string;
  artifact: string;
  reason: string;
  approvedBy: string;
  recordedBy: string;
}

export interface GateOverride {
  at: number | null;
  runId: string;
  runbookTitle: string;
  step: number;
  stepTitle: string;
  reason: string;
  by: string | null;
}

export interface Approvals {
  updates: UpdateApproval[];
  waivers: Waiver[];
  gateOverrides: GateOverride[];
}

const artifactLabel = (a: Pick<Artifact, 'artifactType' | 'what' | 'asset'> | undefined, id: string) =>
  a ? `${a.what || a.artifactType}${a.asset ? ` (${a.asset})` : ''}` : `artifact ${id}`;

/** Every approval in the record: stakeholder update requests, decisions and publications, evidence waivers, recovery-gate overrides. */
export function approvalsOf(r: Pick<ReportRecord, 'ops' | 'published' | 'artifacts' | 'runs'>): Approvals {
  const publishedById = new Map(r.published.map((p) => [p.updateId, p]));
  const rows = new Map<string, { audience: string; title: string; state: string | null }>();
  const updates: UpdateApproval[] = [];
  const ordered = [...r.ops].sort(byClock);
  for (const op of ordered.filter((o) => o.entity === 'comms_update')) {
    const f = op.fields;
    const updateId = op.rowId.slice(op.rowId.indexOf('/') + 1);
    const before = rows.get(op.rowId) ?? { audience: '', title: '', state: null };
    const row = { audience: str(f.audience) ?? before.audience, title: str(f.title) ?? before.title, state: str(f.state) ?? before.state };
    rows.set(op.rowId, row);
    const state = str(f.state);
    if (state === null || state === before.state) continue;
    const published = publishedById.get(updateId);
    const common = {
      updateId,
      audience: audienceLabels[row.audience as keyof typeof audienceLabels] ?? row.audience,
      title: published?.title ?? row.title,
    };
    if (state === 'awaiting-approval') {
      updates.push({ ...common, at: num(f.requestedAt) ?? opTime(op), action: 'approval requested', by: op.actorId, detail: str(f.approver) ? `from ${str(f.approver)}` : '' });
    } else if (state === 'approved' || state === 'rejected') {
      updates.push({ ...common, at: num(f.decidedAt) ?? opTime(op), action: state, by: str(f.decidedBy) ?? op.actorId, detail: str(f.decisionComment) ?? '' });
    }
  }
  for (const p of r.published) {
    updates.push({
      at: p.publishedAt,
      updateId: p.updateId,
      audience: audienceLabels[p.audience] ?? p.audience,
      title: p.title,
      action: 'published',
      by: p.publishedBy,
      detail: p.approvedBy ? `approved by ${p.approvedBy}` : 'no approval needed',
    });
  }
  updates.sort((a, b) => a.at - b.at);

  const artifacts = new Map(r.artifacts.map((a) => [a.id, a]));
  const artifactStates = new Map<string, string>();
  const waivers: Waiver[] = [];
  for (const op of ordered.filter((o) => o.entity === 'artifact')) {
    const state = str(op.fields.state);
    const before = artifactStates.get(op.rowId);
    if (state !== null) artifactStates.set(op.rowId, state);
    if (state !== 'waived' || before === 'waived') continue;
    waivers.push({
      at: opTime(op),
      artifactId: op.rowId,
      artifact: artifactLabel(artifacts.get(op.rowId), op.rowId),
      reason: str(op.fields.reason) ?? '',
      approvedBy: str(op.fields.approvedBy) ?? '',
      recordedBy: op.actorId,
    });
  }

  const gateOverrides = r.runs.flatMap((run) =>
    run.deviations
      .filter((d) => d.kind === 'evidence-gate')
      .map((d): GateOverride => ({ at: d.at, runId: run.id, runbookTitle: d.runbookTitle, step: d.step, stepTitle: d.stepTitle, reason: d.note, by: d.by })),
  );
  gateOverrides.sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
  return { updates, waivers, gateOverrides };
}

export interface ArtifactCustodyCheck {
  artifactId: string;
  events: number;
  isIntact: boolean;
  problem: string | null;
}

export interface Verification {
  /** Every check passed. */
  isIntact: boolean;
  /** The incident's op chains: each device's ops in the incident stream, hashes and links. */
  opChains: { chains: number; ops: number; breaks: OpChainBreak[] };
  /** Each artifact's custody chain (and events of artifacts the record does not hold). */
  custody: ArtifactCustodyCheck[];
  /** Whether the custody records are exactly those the ops wrote. */
  custodyRecordsProblem: string | null;
  /** SHA-256 of the incident's ops, one JSON op a line as stored: ops.jsonl of the evidence bundle. */
  opLogSha256: string;
}

/** Checks the record's hash chains now: the ops of the incident, every custody chain, and custody records against their ops. */
export function verifyRecord(r: Pick<ReportRecord, 'ops' | 'custody' | 'artifacts'>): Verification {
  const opChains = verifyOpChains(r.ops);
  const artifactIds = [...new Set([...r.artifacts.map((a) => a.id), ...r.custody.map((e) => e.artifactId)])];
  const custody = artifactIds.map((artifactId): ArtifactCustodyCheck => {
    const events = r.custody.filter((e) => e.artifactId === artifactId);
    const problem = custodyChainProblem(events, nativeSha256Hex);
    return { artifactId, events: events.length, isIntact: problem === null, problem };
  });
  const recordsProblem = custodyRecordsProblem(
    r.custody,
    r.ops.filter((o) => o.entity === 'custody_event').sort(byClock).map((o) => o.fields),
  );
  return {
    isIntact: opChains.breaks.length === 0 && custody.every((c) => c.isIntact) && recordsProblem === null,
    opChains,
    custody,
    custodyRecordsProblem: recordsProblem,
    opLogSha256: createHash('sha256').update(opsJsonl(r.ops)).digest('hex'),
  };
}

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
function impactStatement(r: Pick<ReportRecord, 'ops' | 'published'>): string {
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

const deviationLabels: Record<Deviation['kind'], string> = {
  skipped: 'Skipped',
  failed: 'Failed',
  'out-of-order': 'Done out of order',
  'evidence-gate': 'Evidence gate overridden',
};

const author = (e: TimelineEntry) => (e.source ? `${e.authorId} (via ${e.source})` : e.authorId);

// ---------------------------------------------------------------------------------------------
// A small document model, rendered to Markdown and to HTML, so both carry the same content and
// every value is escaped in one place.

type Cell = string | { text: string; isMono?: boolean; isStruck?: boolean; isTime?: boolean };
type Block =
  | { type: 'p'; text: string; tone?: 'ok' | 'broken' | 'note' }
  | { type: 'facts'; rows: [label: string, value: string, isMono?: boolean][] }
  | { type: 'table'; columns: string[]; rows: Cell[][]; empty: string }
  | { type: 'markdown'; source: string }
  | { type: 'list'; items: string[] }
  | { type: 'h3'; text: string };

interface Section {
  title: string;
  blocks: Block[];
}

interface Doc {
  heading: string;
  title: string;
  meta: string[];
  flags: string[];
  sections: Section[];
}

const mono = (text: string): Cell => ({ text, isMono: true });
/** A time in a table: on paper it may break between the date and the time, never inside either. */
const when = (ms: number | null | undefined, missing = '—'): Cell => ({ text: stamp(ms, missing), isTime: true });

// Markdown: text is escaped so it stays text (no emphasis, links, HTML or table breaks from values).
const mdInline = (text: string) => text.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`).replace(/&(?=[#A-Za-z0-9]+;)/g, '\\&');
const mdLine = (line: string) => mdInline(line).replace(/^(\s*)([#+=-])/, '$1\\$2').replace(/^(\s*\d+)([.)])/, '$1\\$2');
const mdLines = (text: string) => text.split(/\r?\n/).map(mdLine).join('  \n');
const mdCell = (cell: Cell) => {
  const c = typeof cell === 'string' ? { text: cell } : cell;
  const text = c.text === '' ? '—' : c.text.split(/\r?\n/).map(mdInline).join('<br>');
  return c.isStruck ? `~~${text}~~` : text;
};

/** Raw HTML in a Markdown body made text (`<` as `&lt;`), so a Markdown viewer shows it rather than running it. */
function inertHtml(source: string): string {
  const ranges: [number, number][] = [];
  const visit = (node: MdNode) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (node.type === 'html' && start !== undefined && end !== undefined) ranges.push([start, end]);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }));
  let out = source;
  for (const [start, end] of ranges.sort((a, b) => b[0] - a[0])) out = `${out.slice(0, start)}${out.slice(start, end).replace(/</g, '&lt;')}${out.slice(end)}`;
  return out;
}

/**
 * A review body inside the report: its headings moved below the report's own sections, and a code
 * fence left open closed at its end, so the report's sections after it stay sections.
 */
function demoteHeadings(source: string, by: number): string {
  let fence: string | null = null;
  const lines = source.split('\n').map((line) => {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (opener) {
      if (fence === null) fence = opener[1];
      else if (opener[1][0] === fence[0] && opener[1].length >= fence.length) fence = null;
      return line;
    }
    if (fence !== null) return line;
    // A setext heading's underline (=== or ---) would make the line above it a top-level heading.
    if (/^\s{0,3}=+\s*$/.test(line)) return `\\${line.trim()}`;
    if (/^\s{0,3}-{2,}\s*$/.test(line)) return '***';
    return line.replace(/^(\s{0,3})(#{1,6})(?=\s|$)/, (_m, space: string, hashes: string) => `${space}${'#'.repeat(Math.min(6, hashes.length + by))}`);
  });
  if (fence !== null) lines.push(fence);
  return lines.join('\n');
}

function renderMarkdown(doc: Doc): string {
  const out: string[] = [`# ${mdInline(doc.heading)}: ${mdInline(doc.title)}`, ''];
  for (const flag of doc.flags) out.push(`> **${mdInline(flag)}**`, '');
  for (const line of doc.meta) out.push(`${mdInline(line)}  `);
  out.push('');
  for (const section of doc.sections) {
    out.push(`## ${mdInline(section.title)}`, '');
    for (const block of section.blocks) {
      switch (block.type) {
        case 'p':
          out.push(block.tone === undefined ? mdLines(block.text) : block.tone === 'note' ? `_${mdLines(block.text)}_` : `**${mdLines(block.text)}**`, '');
          break;
        case 'h3':
          out.push(`### ${mdInline(block.text)}`, '');
          break;
        case 'facts':
          out.push('| | |', '|---|---|', ...block.rows.map(([label, value]) => `| **${mdInline(label)}** | ${mdCell(value)} |`), '');
          break;
        case 'table':
          if (block.rows.length === 0) out.push(`_${mdInline(block.empty)}_`, '');
          else {
            out.push(`| ${block.columns.map(mdInline).join(' | ')} |`, `|${block.columns.map(() => '---').join('|')}|`);
            out.push(...block.rows.map((row) => `| ${row.map(mdCell).join(' | ')} |`), '');
          }
          break;
        case 'list':
          out.push(...block.items.map((item) => `- ${mdInline(item)}`), '');
          break;
        case 'markdown':
          out.push(demoteHeadings(inertHtml(block.source.trim()), 2), '');
          break;
      }
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}

// HTML of a review body: a fixed set of Markdown constructs, every text escaped; raw HTML in the
// Markdown is shown as text, links only to http(s) and mailto.
const safeHref = (url: string) => (/^(https?:|mailto:)/i.test(url.trim()) ? url.trim() : null);

function mdHtml(nodes: readonly (MdNode | MdContent)[], shift: number): string {
  return nodes.map((node) => mdNodeHtml(node, shift)).join('');
}

function mdNodeHtml(node: MdNode | MdContent, shift: number): string {
  const kids = () => ('children' in node ? mdHtml(node.children as MdContent[], shift) : '');
  switch (node.type) {
    case 'root':
      return kids();
    case 'paragraph':
      return `<p>${kids()}</p>\n`;
    case 'heading': {
      const level = Math.min(6, node.depth + shift);
      return `<h${level}>${kids()}</h${level}>\n`;
    }
    case 'text':
      return esc(node.value);
    case 'emphasis':
      return `<em>${kids()}</em>`;
    case 'strong':
      return `<strong>${kids()}</strong>`;
    case 'delete':
      return `<del>${kids()}</del>`;
    case 'inlineCode':
      return `<code>${esc(node.value)}</code>`;
    case 'code':
      return `<pre><code>${esc(node.value)}</code></pre>\n`;
    case 'blockquote':
      return `<blockquote>${kids()}</blockquote>\n`;
    case 'list': {
      const start = node.ordered && typeof node.start === 'number' && node.start !== 1 ? ` start="${esc(node.start)}"` : '';
      return node.ordered ? `<ol${start}>${kids()}</ol>\n` : `<ul>${kids()}</ul>\n`;
    }
    case 'listItem': {
      const box = node.checked === true ? '☑ ' : node.checked === false ? '☐ ' : '';
      // A tight list item's paragraphs are its text, not paragraphs of their own.
      const content = node.children.map((child) => (child.type === 'paragraph' && !node.spread ? mdHtml(child.children, shift) : mdNodeHtml(child, shift))).join('');
      return `<li>${box}${content}</li>\n`;
    }
    case 'thematicBreak':
      return '<hr>\n';
    case 'break':
      return '<br>';
    case 'link': {
      const href = safeHref(node.url);
      return href ? `<a href="${esc(href)}">${kids()}</a>` : kids();
    }
    case 'image':
      return `[image: ${esc(node.alt ?? '')}]`;
    case 'html':
      return esc(node.value);
    case 'table': {
      const [head, ...body] = node.children;
      const align = (index: number) => {
        const a = node.align?.[index];
        return a ? ` style="text-align: ${a}"` : '';
      };
      const cells = (row: (typeof node.children)[number], tag: 'th' | 'td') =>
        row.children.map((cell, index) => `<${tag}${align(index)}>${mdHtml(cell.children, shift)}</${tag}>`).join('');
      return `<table class="md"><thead><tr>${head ? cells(head, 'th') : ''}</tr></thead><tbody>${body.map((row) => `<tr>${cells(row, 'td')}</tr>`).join('')}</tbody></table>\n`;
    }
    case 'footnoteReference':
      return `<sup>[${esc(node.label ?? node.identifier)}]</sup>`;
    case 'footnoteDefinition':
      return `<div class="footnote"><sup>[${esc(node.label ?? node.identifier)}]</sup> ${kids()}</div>\n`;
    default:
      if ('children' in node) return kids();
      return 'value' in node && typeof node.value === 'string' ? esc(node.value) : '';
  }
}

/** A Markdown body as safe HTML, its headings below level `shift` + 1. */
export function markdownHtml(source: string, shift = 2): string {
  const root = fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  return mdHtml(root.children, shift);
}

// Screen: a readable column; print: the full width of the paper, table headers repeated on each
// page, rows and verdicts never split, colours kept. No page size: the printer's paper applies.
const reportStyle = `
@page { margin: 14mm 12mm; }
* { box-sizing: border-box; }
:root { color-scheme: light; }
body { font: 10.5pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111; background: #fff; margin: 0 auto; max-width: 64rem; padding: 2rem 1.5rem; }
header { border-bottom: 2pt solid #111; margin-bottom: 1rem; padding-bottom: 0.5rem; }
.kind { margin: 0; font-size: 9pt; letter-spacing: 0.08em; text-transform: uppercase; color: #444; }
h1 { font-size: 18pt; margin: 0.2rem 0 0.4rem; overflow-wrap: anywhere; }
h2 { font-size: 13pt; margin: 1.6rem 0 0.5rem; border-bottom: 1pt solid #999; padding-bottom: 0.15rem; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 1rem 0 0.4rem; break-after: avoid; page-break-after: avoid; }
h4, h5, h6 { font-size: 10.5pt; margin: 0.8rem 0 0.3rem; }
.meta { margin: 0; color: #333; font-size: 9pt; }
.flag { display: inline-block; margin: 0.3rem 0.4rem 0 0; padding: 0.1rem 0.5rem; border: 1pt solid #8a5a00; color: #8a5a00; font-weight: 600; font-size: 9pt; }
p { margin: 0.4rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.review p { white-space: normal; }
table { width: 100%; border-collapse: collapse; margin: 0.4rem 0 0.8rem; }
th, td { border: 0.75pt solid #999; padding: 0.2rem 0.35rem; text-align: left; vertical-align: top; overflow-wrap: break-word; font-size: 9.5pt; }
thead th { background: #eee; }
.facts th { width: 30%; background: #f4f4f4; font-weight: 600; }
.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 8.5pt; word-break: break-all; }
td.struck { text-decoration: line-through; color: #555; }
td { white-space: pre-wrap; }
.empty { color: #555; font-style: italic; }
.nw { white-space: nowrap; }
.verdict { border: 1.5pt solid #1b6e2d; background: #eef8f0; padding: 0.4rem 0.6rem; font-weight: 600; }
.verdict.broken { border: 1.5pt dashed #a11; background: #fdeeee; color: #700; }
.note { color: #444; font-size: 9.5pt; }
.review { border-left: 3pt solid #ccc; padding-left: 0.8rem; }
.review pre { background: #f4f4f4; padding: 0.4rem; white-space: pre-wrap; }
.review blockquote { margin: 0.4rem 0; padding-left: 0.6rem; border-left: 2pt solid #bbb; color: #333; }
footer { margin-top: 2rem; border-top: 1pt solid #999; padding-top: 0.4rem; font-size: 8.5pt; color: #444; }
thead { display: table-header-group; }
tr, .verdict, .facts { break-inside: avoid; page-break-inside: avoid; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; }
  h2 { break-before: auto; }
}
`;

const toneClasses = { ok: 'verdict', broken: 'verdict broken', note: 'note' } as const;

function htmlCell(cell: Cell): string {
  const c = typeof cell === 'string' ? { text: cell } : cell;
  const classes = [c.isMono ? 'mono' : '', c.isStruck ? 'struck' : ''].filter(Boolean).join(' ');
  const content = c.isTime && / /.test(c.text) ? c.text.split(/ (?=\d\d:)/).map((part) => `<span class="nw">${esc(part)}</span>`).join(' ') : esc(c.text);
  return `<td${classes ? ` class="${classes}"` : ''}>${c.text === '' ? '—' : content}</td>`;
}

function renderHtml(doc: Doc): string {
  const blocks = (section: Section) =>
    section.blocks
      .map((block) => {
        switch (block.type) {
          case 'p':
            return `<p${block.tone ? ` class="${toneClasses[block.tone]}"` : ''}>${esc(block.text)}</p>`;
          case 'h3':
            return `<h3>${esc(block.text)}</h3>`;
          case 'facts':
            return `<table class="facts"><tbody>\n${block.rows
              .map(([label, value, isMono]) => `<tr><th scope="row">${esc(label)}</th>${htmlCell({ text: value, isMono })}</tr>`)
              .join('\n')}\n</tbody></table>`;
          case 'table':
            if (block.rows.length === 0) return `<p class="empty">${esc(block.empty)}</p>`;
            return `<table><thead><tr>${block.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead><tbody>\n${block.rows
              .map((row) => `<tr>${row.map(htmlCell).join('')}</tr>`)
              .join('\n')}\n</tbody></table>`;
          case 'list':
            return `<ul>${block.items.map((item) => `<li>${esc(item)}</li>`).join('')}</ul>`;
          case 'markdown':
            return `<div class="review">\n${markdownHtml(block.source, 2)}</div>`;
        }
      })
      .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.heading)}: ${esc(doc.title)}</title>
<style>${reportStyle}</style>
</head>
<body>
<header>
<p class="kind">${esc(doc.heading)}</p>
<h1>${esc(doc.title)}</h1>
${doc.flags.map((flag) => `<span class="flag">${esc(flag)}</span>`).join('')}
${doc.meta.map((line) => `<p class="meta">${esc(line)}</p>`).join('\n')}
</header>
<main>
${doc.sections.map((section) => `<section>\n<h2>${esc(section.title)}</h2>\n${blocks(section)}\n</section>`).join('\n')}
</main>
<footer>${esc(doc.meta[0] ?? '')}</footer>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------------
// The incident report.

function flagsOf(incident: Incident): string[] {
  return [
    ...(incident.isDrill ? ['DRILL: this incident is an exercise'] : []),
    ...(incident.isLegalHold ? [`LEGAL HOLD${incident.legalHoldReason ? `: ${incident.legalHoldReason}` : ''}`] : []),
  ];
}

const metaOf = (r: ReportRecord) => [
  `Incident ${r.incident.id} · generated ${utcStamp(r.generatedAt)} by ${r.generatedBy} with Holdfast ${r.holdfastVersion}`,
];

const impactWindow = (incident: Incident) => {
  const start = incident.milestones.started ?? incident.milestones.detected ?? incident.declaredAt;
  const end = incident.milestones.resolved ?? incident.milestones.mitigated;
  const from = incident.milestones.started !== null ? 'impact started' : 'detected';
  const until = incident.milestones.resolved !== null ? 'resolved' : incident.milestones.mitigated !== null ? 'mitigated' : null;
  return until ? `From ${utcStamp(start)} (${from}) to ${utcStamp(end!)} (${until}): ${formatDuration(end! - start)}.` : `Since ${utcStamp(start)} (${from}); not yet mitigated.`;
};

// Block constructors, so the documents read as what they say.
type Fact = [label: string, value: string, isMono?: boolean];
const para = (text: string, tone?: 'ok' | 'broken' | 'note'): Block => ({ type: 'p', text, ...(tone ? { tone } : {}) });
const h3 = (text: string): Block => ({ type: 'h3', text });
const facts = (rows: Fact[]): Block => ({ type: 'facts', rows });
const list = (items: string[]): Block => ({ type: 'list', items });
const table = (columns: string[], rows: Cell[][], empty: string): Block => ({ type: 'table', columns, rows, empty });

const artifactState = (a: Artifact) =>
  a.state === 'waived' ? `waived (approved by ${a.approvedBy ?? '—'}): ${a.reason}` : a.state === 'failed' ? `failed: ${a.reason}` : a.state;
const deliveriesOf = (p: PublishedUpdate) =>
  p.deliveries.length === 0 ? 'copied out by hand' : p.deliveries.map((d) => `${d.channelName}: ${d.state}`).join('; ');
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
    review.factors.length > 0
      ? list(review.factors.map((f: ContributingFactor) => contributingFactorLabels[f] ?? f))
      : para('No contributing factors were chosen.'),
  ];
}

function incidentDoc(r: ReportRecord): Doc {
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
          table(['Milestone', 'Time (UTC)'], milestones.map((m) => [milestoneLabels[m], when(incident.milestones[m], m === 'started' ? 'not recorded' : 'not reached')]), ''),
          table(['Duration', 'Value'], metricNames.map((name) => [`${metricLabels[name]} (${abbreviation(name)})`, formatDuration(durations[name])]), ''),
          para('Durations run from the impact start (or the detection when the impact start is not recorded); time to detect needs the impact start.', 'note'),
        ],
      },
      {
        title: 'Roles',
        blocks: [
          table(['Role', 'Held by', 'Since (UTC)'], r.seats.map((s) => [seatTitle(s.role, s.label), s.holderId ?? 'vacant', when(s.since)]), 'No roles were filled.'),
          ...(handoffs.length > 0 ? [h3('Handoffs'), list(handoffs.map((c) => `${utcStamp(c.at)}: ${c.description}`))] : []),
        ],
      },
      {
        title: 'Key timeline',
        blocks: [
          table(
            ['Time (UTC)', 'Kind', 'By', 'What happened'],
            keyTimeline(r.timeline).map(({ entry, isCorrected }) => [when(entry.eventAt), entry.kind, author(entry), isCorrected ? `${entry.text} (corrected)` : entry.text]),
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
            published.map((p) => [when(p.publishedAt), audienceLabels[p.audience] ?? p.audience, p.title, p.publishedBy, p.approvedBy ?? 'no approval needed', deliveriesOf(p)]),
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
    ],
  };
}

/** What both reports' JSON starts with: which report, and when, by whom and by which Holdfast it was made. */
const jsonHeader = (r: ReportRecord, kind: ReportKind) => ({
  format: reportFormatNames[kind],
  version: reportVersion,
  generatedAt: iso(r.generatedAt),
  generatedBy: r.generatedBy,
  holdfastVersion: r.holdfastVersion,
});

/** What both reports' JSON says of an artifact first, in this order. */
const artifactJson = (a: Artifact) => ({
  id: a.id,
  artifactType: a.artifactType,
  what: a.what,
  asset: a.asset,
  state: a.state,
  reason: a.reason,
  approvedBy: a.approvedBy,
});

function incidentJson(r: ReportRecord) {
  const { incident } = r;
  const durations = incidentDurations(incident).durations;
  return {
    ...jsonHeader(r, 'incident'),
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
    handoffs: roleChanges(r.ops).filter(isHandoff).map((c) => ({ at: iso(c.at), role: c.role, title: c.roleTitle, change: c.change, from: c.from, to: c.to, by: c.by, description: c.description })),
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

// ---------------------------------------------------------------------------------------------
// The audit evidence report.

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
  const problems = v.opChains.breaks.length + v.custody.filter((c) => !c.isIntact).length + (v.custodyRecordsProblem ? 1 : 0);
  const result = (c: ArtifactCustodyCheck) => (c.events === 0 ? 'no custody events' : c.isIntact ? 'intact' : `BROKEN: ${c.problem}`);
  return [
    v.isIntact
      ? para(
          `INTACT: all ${v.opChains.ops} record(s) in ${v.opChains.chains} hash chain(s) of this incident match their hashes and links, ` +
            `and all ${r.custody.length} custody event(s) verify.`,
          'ok',
        )
      : para(`BROKEN: ${problems} problem(s) found. Do not rely on the affected records until the discrepancy is explained.`, 'broken'),
    facts([
      ['Verified at', utcStamp(r.generatedAt)],
      ['Op log records (incident stream)', String(v.opChains.ops)],
      ['Hash chains (one per device)', String(v.opChains.chains)],
      ['SHA-256 of the op log', v.opLogSha256, true],
      ['Custody events', String(r.custody.length)],
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
    ? para(`Custody chain intact: all ${check.events} event(s) match their SHA-256 hashes and each follows the genesis record or an earlier record of this artifact.`, 'ok')
    : para(`Custody chain BROKEN: ${check.problem}.`, 'broken');
}

const hashSourceText = (source: Artifact['hashSource']) =>
  source === 'holdfast' ? 'computed by Holdfast from the file' : source === 'tool' ? 'declared by the collection tool' : 'not recorded';

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
    ['Hash source', hashSourceText(a.hashSource)],
    ['Storage location', a.storageLocation || '—'],
  ];
}

function auditDoc(r: ReportRecord, v: Verification): Doc {
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

function auditJson(r: ReportRecord, v: Verification) {
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
    })),
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

// ---------------------------------------------------------------------------------------------
// Entry points.

const mimeTypes: Record<ReportFormat, string> = { md: 'text/markdown', html: 'text/html', json: 'application/json' };

/** The incident report or the audit evidence report in one format; the audit report verifies the chains as it is made. */
export function renderReport(r: ReportRecord, kind: ReportKind, format: ReportFormat): ExportedFile {
  const fileName = `incident-${safeName(r.incident.id)}-${kind === 'incident' ? 'report' : 'audit'}.${format}`;
  const verification = kind === 'audit' ? verifyRecord(r) : null;
  let text: string;
  if (format === 'json') {
    text = `${JSON.stringify(kind === 'incident' ? incidentJson(r) : auditJson(r, verification!), null, 2)}\n`;
  } else {
    const doc = kind === 'incident' ? incidentDoc(r) : auditDoc(r, verification!);
    text = format === 'md' ? renderMarkdown(doc) : renderHtml(doc);
  }
  return { fileName, mimeType: mimeTypes[format], text };
}

const timelineColumns = ['number', 'entry_id', 'event_time_utc', 'recorded_time_utc', 'kind', 'author', 'source', 'text', 'corrects', 'corrected_by', 'is_pinned'] as const;

/** The incident's whole timeline as CSV (RFC 4180, formula-guarded): one row per entry, corrections included. */
export function timelineCsv(r: { incident: Pick<Incident, 'id'>; timeline: readonly TimelineEntry[] }): ExportedFile {
  const rows = r.timeline.map((e, index): CsvValue[] => [
    index + 1,
    e.id,
    iso(e.eventAt),
    iso(e.recordedAt),
    e.kind,
    e.authorId,
    e.source,
    e.text,
    e.corrects,
    e.correctedBy.join('; '),
    e.isPinned,
  ]);
  return { fileName: `incident-${safeName(r.incident.id)}-timeline.csv`, mimeType: 'text/csv', text: csvText(timelineColumns, rows) };
}
