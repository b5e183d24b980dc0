// Evidence exports: an incident's artifacts, custody chains and timeline written out for the people
// who take them further (a manifest in JSON and CSV, a printable chain-of-custody form per artifact,
// Timesketch's import formats) and a ZIP bundle holding all of them together with the incident's
// ops and a SHA256SUMS file, plus the reader that checks such a bundle: every file against its
// checksum, every op against its hash and its device's chain, every custody event against its
// chain. Pure functions over an EvidenceRecord: the API module gathers the record and saves files.
import { createHash } from 'node:crypto';
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate';
import { z } from 'zod';
import {
  custodyActions,
  custodyChainProblem,
  type Artifact,
  type CustodyEvent,
  type ExportedFile,
  type ExportFormat,
} from '../../../shared/domain/evidence';
import type { Incident } from '../../../shared/domain/incident';
import { milestones } from '../../../shared/domain/lifecycle';
import type { TimelineEntry } from '../../../shared/domain/timeline';
import { incidentStream } from '../../../shared/entities';
import { checkOp, genesisHash, type Op } from '../../../shared/ops';
import { zonedWallClock, type ZonedWallClock } from '../../../shared/time';
import { nativeSha256Hex } from '../core/native-hash';
import { csvText, type CsvValue } from '../../../shared/csv';
import { escapeHtml } from '../../../shared/html';

/** Everything an evidence export is made from: one incident as the replica holds it. */
export interface EvidenceRecord {
  incident: Incident;
  artifacts: Artifact[];
  /** Every custody event of the incident, in the order they were written (oldest first). */
  custody: CustodyEvent[];
  timeline: TimelineEntry[];
  /** the incident stream's ops, as stored */
  ops: Op[];
  /** When the export was made (UTC ms). */
  exportedAt: number;
  /** Who made it. */
  exportedBy: string;
  holdfastVersion: string;
}

/** What the bundle reader found: `ok` when nothing is wrong, else one problem per finding. */
export interface BundleReading {
  ok: boolean;
  problems: string[];
  /** Paths of the files in the bundle, sorted. */
  files: string[];
  /** The incident the manifest names, or null when the manifest cannot be read. */
  incidentId: string | null;
  /** The ops of ops.jsonl that passed checkOp, in file order. */
  ops: Op[];
  /** manifest.json as parsed, or null when it is missing or not JSON. */
  manifest: unknown;
}

export const manifestFormat = 'holdfast-evidence-manifest';
export const manifestVersion = 1;

/** The bundle's files besides the custody forms, in the order a reader looks for them. */
export const bundleFiles = {
  manifestJson: 'manifest.json',
  manifestCsv: 'manifest.csv',
  timesketchJsonl: 'timesketch.jsonl',
  timesketchCsv: 'timesketch.csv',
  ops: 'ops.jsonl',
  sums: 'SHA256SUMS',
} as const;

/** Bundles are refused past these, before anything is decompressed. */
export const bundleLimits = { maxEntries: 10_000, maxUncompressedBytes: 2 * 1024 ** 3 } as const;

// ---------------------------------------------------------------------------------------------
// Formatting shared by every export.

/** ISO 8601 in UTC (`…Z`), or '' when there is no time. */
const isoUtc = (ms: number | null): string => (ms === null ? '' : new Date(ms).toISOString());

/** `2026-01-15 14:30:00 UTC`, with milliseconds only when there are some. */
function displayUtc(ms: number | null): string {
  if (ms === null) return 'not recorded';
  return new Date(ms).toISOString().replace('T', ' ').replace('.000Z', 'Z').replace('Z', ' UTC');
}

/**
 * The same instant as the collector's wall clock showed it: `2026-01-15 09:30:00 GMT-5
 * (America/New_York)`. An unknown zone is said, not guessed.
 */
function displayZoned(ms: number | null, timeZone: string): string {
  if (ms === null) return 'not recorded';
  if (!timeZone) return 'time zone not recorded';
  let clock: ZonedWallClock;
  try {
    clock = zonedWallClock(ms, timeZone);
  } catch {
    return `unavailable: "${timeZone}" is not a known IANA time zone`;
  }
  const two = (n: number) => String(n).padStart(2, '0');
  return `${clock.year}-${two(clock.month)}-${two(clock.day)} ${two(clock.hour)}:${two(clock.minute)}:${two(clock.second)} ${clock.offsetName} (${timeZone})`;
}

/** An id as a file-name part: anything but letters, digits, `_` and `-` becomes `_` (so no dots, no slashes). */
export function safeName(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 100);
  return safe || '_';
}

/** The bundle path of each artifact's custody form, unique even when two ids make the same safe name. */
function custodyFormPaths(artifacts: readonly Artifact[]): Map<string, string> {
  const paths = new Map<string, string>();
  const used = new Set<string>();
  for (const artifact of artifacts) {
    const base = safeName(artifact.id);
    let name = base;
    for (let n = 2; used.has(name); n += 1) name = `${base}-${n}`;
    used.add(name);
    paths.set(artifact.id, `custody/${name}.html`);
  }
  return paths;
}

const hashSourceLabel = (source: Artifact['hashSource']): string =>
  source === 'holdfast' ? 'computed by Holdfast from the file' : source === 'tool' ? 'declared by the collection tool' : 'not recorded';

const sha256OfBytes = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

// ---------------------------------------------------------------------------------------------
// The manifest.

function custodyOf(r: EvidenceRecord, artifactId: string): CustodyEvent[] {
  return r.custody.filter((event) => event.artifactId === artifactId);
}

/** The custody chain check as every export reports it. */
function chainResult(events: readonly CustodyEvent[]): { isIntact: boolean; problem: string | null; events: number } {
  const problem = custodyChainProblem(events, nativeSha256Hex);
  return { isIntact: problem === null, problem, events: events.length };
}

/** What every export and report says of the incident first, in this order. */
export const incidentIdentity = (incident: Incident) => ({
  id: incident.id,
  title: incident.title,
  severity: incident.severity,
  status: incident.status,
  type: incident.type,
  services: incident.services,
  isDrill: incident.isDrill,
});

function manifestObject(r: EvidenceRecord) {
  const { incident } = r;
  return {
    format: manifestFormat,
    version: manifestVersion,
    generator: `Holdfast ${r.holdfastVersion}`,
    exportedAt: isoUtc(r.exportedAt),
    exportedBy: r.exportedBy,
    incident: {
      ...incidentIdentity(incident),
      summary: incident.summary,
      declaredAt: isoUtc(incident.declaredAt),
      milestones: Object.fromEntries(milestones.map((m) => [m, isoUtc(incident.milestones[m] ?? null) || null])),
    },
    artifacts: r.artifacts.map((a) => {
      const custody = custodyOf(r, a.id);
      return {
        id: a.id,
        artifactType: a.artifactType,
        asset: a.asset,
        what: a.what,
        how: a.how,
        isRequired: a.isRequired,
        volatility: a.volatility,
        state: a.state,
        reason: a.reason,
        approvedBy: a.approvedBy,
        templateId: a.templateId,
        itemKey: a.itemKey,
        collection: {
          collector: a.collector,
          hostIds: a.hostIds,
          acquisitionStart: isoUtc(a.acquisitionStart) || null,
          acquisitionEnd: isoUtc(a.acquisitionEnd) || null,
          collectorTimeZone: a.collectorTimeZone,
          tool: a.tool,
          command: a.command,
          storageLocation: a.storageLocation,
        },
        file: { name: a.fileName, size: a.size },
        hashes: { sha256: a.sha256, md5: a.md5, sha1: a.sha1, source: a.hashSource, warning: a.hashWarning },
        custody: { events: custody.length, head: custody.at(-1)?.hash ?? null },
        createdAt: isoUtc(a.createdAt),
        createdBy: a.createdBy,
      };
    }),
    /** Verbatim and in written order, so a reader can check the chains again. */
    custody: r.custody,
    custodyChain: chainResult(r.custody),
    ops: { streamId: incidentStream(incident.id), count: r.ops.length },
  };
}

/**
 * The evidence manifest as JSON: the incident in brief, every artifact with its collection record
 * and hashes, every custody event verbatim, and the result of checking the custody chains.
 */
export function manifestJson(r: EvidenceRecord): ExportedFile {
  return {
    fileName: `incident-${safeName(r.incident.id)}-manifest.json`,
    mimeType: 'application/json',
    text: `${JSON.stringify(manifestObject(r), null, 2)}\n`,
  };
}

const manifestColumns = [
  'incident_id', 'artifact_id', 'artifact_type', 'asset', 'what', 'how', 'is_required', 'volatility', 'state', 'reason', 'approved_by',
  'collector_name', 'collector_role', 'collector_contact', 'host_ids', 'acquisition_start_utc', 'acquisition_end_utc', 'collector_time_zone',
  'tool', 'command', 'storage_location', 'file_name', 'size_bytes', 'sha256', 'md5', 'sha1', 'hash_source', 'hash_warning',
  'custody_events', 'custody_head_hash', 'created_at_utc', 'created_by',
] as const;

/** The manifest as CSV: a header row, then one row per artifact. Host ids are joined with "; ". */
export function manifestCsv(r: EvidenceRecord): ExportedFile {
  const rows = r.artifacts.map((a): CsvValue[] => {
    const custody = custodyOf(r, a.id);
    return [
      r.incident.id, a.id, a.artifactType, a.asset, a.what, a.how, a.isRequired, a.volatility, a.state, a.reason, a.approvedBy,
      a.collector?.name ?? null, a.collector?.role ?? null, a.collector?.contact ?? null, a.hostIds.join('; '),
      isoUtc(a.acquisitionStart), isoUtc(a.acquisitionEnd), a.collectorTimeZone,
      a.tool, a.command, a.storageLocation, a.fileName, a.size, a.sha256, a.md5, a.sha1, a.hashSource, a.hashWarning,
      custody.length, custody.at(-1)?.hash ?? null, isoUtc(a.createdAt), a.createdBy,
    ];
  });
  return { fileName: `incident-${safeName(r.incident.id)}-manifest.csv`, mimeType: 'text/csv', text: csvText(manifestColumns, rows) };
}

// ---------------------------------------------------------------------------------------------
// The printable chain-of-custody form.

const esc = escapeHtml;

/** A definition row; an empty value shows as a dash so a blank on paper is never mistaken for a gap. */
const row = (label: string, value: string | number | null | undefined, className = '') =>
  `<tr><th scope="row">${esc(label)}</th><td${className ? ` class="${className}"` : ''}>${value === null || value === undefined || value === '' ? '—' : esc(value)}</td></tr>`;

// No page size: the browser's paper (A4 or Letter) applies, and the layout fits the narrower.
const formStyle = `
@page { margin: 14mm 12mm; }
* { box-sizing: border-box; }
body { font: 10.5pt/1.35 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #000; background: #fff; margin: 0 auto; max-width: 186mm; padding: 8mm 0; }
h1 { font-size: 16pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; border-bottom: 1.5pt solid #000; padding-bottom: 1mm; }
.meta { margin: 0; color: #333; font-size: 9pt; }
table { width: 100%; border-collapse: collapse; }
th, td { border: 0.75pt solid #666; padding: 1.2mm 1.6mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
.facts th { width: 34%; background: #f0f0f0; font-weight: 600; }
.log th { background: #f0f0f0; font-size: 9pt; }
.log td { font-size: 9pt; }
.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 9pt; word-break: break-all; white-space: pre-wrap; }
.verdict { border: 1.5pt solid #000; padding: 2mm 3mm; margin: 0; }
.verdict.broken { border-style: dashed; font-weight: 600; }
.signatures td { height: 13mm; }
thead { display: table-header-group; }
tr, .verdict { break-inside: avoid; page-break-inside: avoid; }
section.keep { break-inside: avoid; page-break-inside: avoid; }
@media print { body { padding: 0; max-width: none; } }
`;

function custodyLogRows(events: readonly CustodyEvent[]): string {
  if (events.length === 0) return '<tr><td colspan="8">No custody events recorded.</td></tr>';
  return events
    .map((e, index) => {
      const action = e.result ? `${e.action} (${e.result})` : e.action;
      const notes = [
        e.note,
        e.corrects ? `corrects event ${e.corrects}` : '',
        e.sha256 ? `SHA-256 ${e.sha256}` : '',
      ].filter(Boolean);
      const fromTo = e.from || e.to ? `${e.from || '—'} → ${e.to || '—'}` : '—';
      return (
        `<tr><td>${index + 1}</td><td>${esc(displayUtc(e.at))}</td><td>${esc(action)}</td><td>${esc(fromTo)}</td>` +
        `<td>${esc(e.purpose) || '—'}</td><td>${notes.map(esc).join('<br>') || '—'}</td><td>${esc(e.actorId)}</td>` +
        `<td class="mono" title="${esc(e.hash)}">${esc(e.hash.slice(0, 12))}</td></tr>`
      );
    })
    .join('\n');
}

function chainVerdict(events: readonly CustodyEvent[]): string {
  const { problem } = chainResult(events);
  if (problem) {
    return `<p class="verdict broken">BROKEN: ${esc(problem)}. Do not rely on this record until the discrepancy is explained.</p>`;
  }
  if (events.length === 0) return '<p class="verdict">No custody events to verify.</p>';
  const followed = new Set(events.map((e) => e.prevHash));
  const heads = events.filter((e) => !followed.has(e.hash));
  const forks = heads.length > 1 ? ` The chain has ${heads.length} branches: custody was recorded on several devices at the same time.` : '';
  return (
    `<p class="verdict">Intact: all ${events.length} custody event(s) match their SHA-256 hashes and each follows the genesis record or an earlier ` +
    `record of this artifact.${esc(forks)}<br>Latest record hash: <span class="mono">${esc(events.at(-1)?.hash)}</span></p>`
  );
}

/**
 * A printable, self-contained chain-of-custody form for one artifact: no scripts, no external
 * resources (a Content-Security-Policy says so too), every value escaped. Throws when the record
 * holds no artifact with that id.
 */
export function custodyFormHtml(r: EvidenceRecord, artifactId: string): ExportedFile {
  const a = r.artifacts.find((candidate) => candidate.id === artifactId);
  if (!a) {
    throw new Error(`artifact "${artifactId}" is not in incident ${r.incident.id}: pick one of the incident's artifacts to print its custody form`);
  }
  const { incident } = r;
  const events = custodyOf(r, a.id);
  const zone = a.collectorTimeZone;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chain of custody: ${esc(a.what)} (${esc(incident.title)})</title>
<style>${formStyle}</style>
</head>
<body>
<header>
<h1>Chain of custody form</h1>
<p class="meta">Exported ${esc(displayUtc(r.exportedAt))} by ${esc(r.exportedBy)} with Holdfast ${esc(r.holdfastVersion)}${incident.isDrill ? ' · DRILL: this incident is an exercise' : ''}</p>
</header>
<section class="keep">
<h2>Incident</h2>
<table class="facts">
${row('Incident id', incident.id, 'mono')}
${row('Title', incident.title)}
${row('Severity', incident.severity)}
${row('Status', incident.status)}
${row('Type', incident.type)}
${row('Declared', displayUtc(incident.declaredAt))}
</table>
</section>
<section class="keep">
<h2>Artifact identification</h2>
<table class="facts">
${row('Artifact id', a.id, 'mono')}
${row('Type', a.artifactType)}
${row('Asset', a.asset)}
${row('What', a.what)}
${row('Host identifiers', a.hostIds.join(', '))}
${row('File name', a.fileName, 'mono')}
${row('Size (bytes)', a.size)}
${row('SHA-256', a.sha256, 'mono')}
${row('MD5', a.md5, 'mono')}
${row('SHA-1', a.sha1, 'mono')}
${row('Hashes', a.sha256 || a.md5 || a.sha1 ? hashSourceLabel(a.hashSource) : 'no hash recorded')}
${a.hashWarning ? row('Hash warning', a.hashWarning) : ''}
${row('State', a.state)}
${a.reason ? row(a.state === 'waived' ? 'Waived because' : 'Reason', a.reason) : ''}
${a.approvedBy ? row('Waiver approved by', a.approvedBy) : ''}
</table>
</section>
<section class="keep">
<h2>Collection</h2>
<table class="facts">
${row('Collector', a.collector?.name)}
${row('Role', a.collector?.role)}
${row('Contact', a.collector?.contact)}
${row('Acquisition start (UTC)', displayUtc(a.acquisitionStart))}
${row('Acquisition start (collector\'s time)', displayZoned(a.acquisitionStart, zone))}
${row('Acquisition end (UTC)', displayUtc(a.acquisitionEnd))}
${row('Acquisition end (collector\'s time)', displayZoned(a.acquisitionEnd, zone))}
${row('Tool', a.tool)}
${row('Command', a.command, 'mono')}
${row('Storage location', a.storageLocation)}
</table>
</section>
<section>
<h2>Custody log</h2>
<table class="log">
<thead><tr><th>#</th><th>Date (UTC)</th><th>Action</th><th>From → To</th><th>Purpose</th><th>Note</th><th>By</th><th>Event hash</th></tr></thead>
<tbody>
${custodyLogRows(events)}
</tbody>
</table>
</section>
<section class="keep">
<h2>Chain verification</h2>
${chainVerdict(events)}
</section>
<section class="keep">
<h2>Signatures</h2>
<table class="signatures">
<thead><tr><th>Released by (name, signature)</th><th>Received by (name, signature)</th><th>Date and time (UTC)</th><th>Purpose</th></tr></thead>
<tbody>
${'<tr><td></td><td></td><td></td><td></td></tr>\n'.repeat(4)}</tbody>
</table>
</section>
</body>
</html>
`;
  return { fileName: `incident-${safeName(incident.id)}-custody-${safeName(a.id)}.html`, mimeType: 'text/html', text: html };
}

// ---------------------------------------------------------------------------------------------
// Timesketch: timeline entries and custody events on one time axis.

const sketchExtras = [
  'source', 'data_type', 'incident_id', 'kind', 'author', 'entry_id', 'corrects', 'corrected_by', 'recorded_at',
  'artifact_id', 'artifact_type', 'asset', 'sha256', 'custody_event_id', 'custody_action', 'from', 'to', 'purpose', 'result', 'event_hash',
] as const;
type SketchExtra = (typeof sketchExtras)[number];

interface SketchRow {
  message: string;
  datetime: string;
  timestamp: number;
  timestamp_desc: string;
  extra: Partial<Record<SketchExtra, string>>;
  /** Tie-break for equal timestamps: timeline entries first, then by id. */
  order: [number, string];
}

function sketchRows(r: EvidenceRecord): SketchRow[] {
  const incidentId = r.incident.id;
  const artifacts = new Map(r.artifacts.map((a) => [a.id, a]));
  const fromTimeline = r.timeline.map((e): SketchRow => ({
    message: e.text,
    datetime: isoUtc(e.eventAt),
    timestamp: e.eventAt * 1000,
    timestamp_desc: 'Event Recorded',
    extra: {
      source: 'holdfast',
      data_type: 'holdfast:timeline:entry',
      incident_id: incidentId,
      kind: e.kind,
      author: e.source ? `${e.authorId} (via ${e.source})` : e.authorId,
      entry_id: e.id,
      corrects: e.corrects ?? '',
      corrected_by: e.correctedBy.join(', '),
      recorded_at: isoUtc(e.recordedAt),
    },
    order: [0, e.id],
  }));
  const fromCustody = r.custody.map((e): SketchRow => {
    const artifact = artifacts.get(e.artifactId);
    const subject = artifact ? `${artifact.artifactType} artifact "${artifact.what}"${artifact.asset ? ` from ${artifact.asset}` : ''}` : `artifact ${e.artifactId}`;
    const details = [
      e.from || e.to ? `${e.from || '?'} → ${e.to || '?'}` : '',
      e.purpose ? `purpose: ${e.purpose}` : '',
      e.result ? `result: ${e.result}` : '',
      e.corrects ? `corrects ${e.corrects}` : '',
      e.note,
    ].filter(Boolean);
    return {
      message: `Custody ${e.action}: ${subject}${details.length > 0 ? `; ${details.join('; ')}` : ''}`,
      datetime: isoUtc(e.at),
      timestamp: e.at * 1000,
      timestamp_desc: `Custody ${e.action}`,
      extra: {
        source: 'holdfast',
        data_type: 'holdfast:custody:event',
        incident_id: incidentId,
        kind: 'custody',
        author: e.actorId,
        corrects: e.corrects ?? '',
        artifact_id: e.artifactId,
        artifact_type: artifact?.artifactType ?? '',
        asset: artifact?.asset ?? '',
        // The hash this event recorded; else the artifact's, so rows can be pivoted on it.
        sha256: e.sha256 ?? artifact?.sha256 ?? '',
        custody_event_id: e.id,
        custody_action: e.action,
        from: e.from,
        to: e.to,
        purpose: e.purpose,
        result: e.result ?? '',
        event_hash: e.hash,
      },
      order: [1, e.id],
    };
  });
  return [...fromTimeline, ...fromCustody].sort(
    (x, y) => x.timestamp - y.timestamp || x.order[0] - y.order[0] || (x.order[1] < y.order[1] ? -1 : x.order[1] > y.order[1] ? 1 : 0),
  );
}

/**
 * Timesketch's JSONL import: one object a line with message, datetime (ISO 8601 UTC), timestamp
 * (integer microseconds since the epoch) and timestamp_desc, plus Holdfast's fields (empty ones
 * left out). Timeline entries are placed at their event time; custody events at theirs.
 */
export function timesketchJsonl(r: EvidenceRecord): ExportedFile {
  const lines = sketchRows(r).map((s) => {
    const extra = Object.fromEntries(sketchExtras.flatMap((key) => (s.extra[key] ? [[key, s.extra[key]]] : [])));
    return `${JSON.stringify({ message: s.message, datetime: s.datetime, timestamp: s.timestamp, timestamp_desc: s.timestamp_desc, ...extra })}\n`;
  });
  return { fileName: `incident-${safeName(r.incident.id)}-timesketch.jsonl`, mimeType: 'application/x-ndjson', text: lines.join('') };
}

/** The same rows as Timesketch's CSV import: message, datetime, timestamp_desc, timestamp, then Holdfast's fields. */
export function timesketchCsv(r: EvidenceRecord): ExportedFile {
  const header = ['message', 'datetime', 'timestamp_desc', 'timestamp', ...sketchExtras];
  const rows = sketchRows(r).map((s): CsvValue[] => [s.message, s.datetime, s.timestamp_desc, s.timestamp, ...sketchExtras.map((key) => s.extra[key] ?? '')]);
  return { fileName: `incident-${safeName(r.incident.id)}-timesketch.csv`, mimeType: 'text/csv', text: csvText(header, rows) };
}

/** One export by format; `custody-html` needs the artifact whose form to print. */
export function exportFile(r: EvidenceRecord, format: ExportFormat, artifactId?: string): ExportedFile {
  switch (format) {
    case 'manifest-json':
      return manifestJson(r);
    case 'manifest-csv':
      return manifestCsv(r);
    case 'timesketch-jsonl':
      return timesketchJsonl(r);
    case 'timesketch-csv':
      return timesketchCsv(r);
    case 'custody-html':
      if (artifactId === undefined) throw new Error('custody-html needs an artifactId: name the artifact whose custody form to print');
      return custodyFormHtml(r, artifactId);
    default:
      throw new Error(`unknown export format "${String(format)}": use one of manifest-json, manifest-csv, timesketch-jsonl, timesketch-csv, custody-html`);
  }
}

// ---------------------------------------------------------------------------------------------
// The bundle.

// A fixed entry time, so equal records make byte-equal bundles. fflate writes DOS times from a
// Date's local fields: a local-time constructor at noon gives the same fields in every time zone.
const bundleEntryTime = new Date(1980, 0, 1, 12, 0, 0);

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The SHA256SUMS text (sha256sum's format) for files by path, sorted by path. */
function sumsText(files: ReadonlyMap<string, Uint8Array>): string {
  return [...files.keys()]
    .sort(byPath)
    .map((path) => `${sha256OfBytes(files.get(path)!)}  ${path}\n`)
    .join('');
}

/** The bundle's ops.jsonl: one op a line, exactly as given (the audit report states its SHA-256). */
export function opsJsonl(ops: readonly Op[]): string {
  return ops.map((op) => `${JSON.stringify(op)}\n`).join('');
}

/**
 * The evidence bundle as ZIP bytes: the manifests, the Timesketch files, a custody form per
 * artifact, the incident's ops (ops.jsonl, one op a line exactly as given) and SHA256SUMS over all
 * of them. Equal records give equal bytes.
 */
export function buildEvidenceBundle(r: EvidenceRecord): Uint8Array {
  const files = new Map<string, Uint8Array>([
    [bundleFiles.manifestJson, strToU8(manifestJson(r).text)],
    [bundleFiles.manifestCsv, strToU8(manifestCsv(r).text)],
    [bundleFiles.timesketchJsonl, strToU8(timesketchJsonl(r).text)],
    [bundleFiles.timesketchCsv, strToU8(timesketchCsv(r).text)],
    [bundleFiles.ops, strToU8(opsJsonl(r.ops))],
  ]);
  for (const [artifactId, path] of custodyFormPaths(r.artifacts)) files.set(path, strToU8(custodyFormHtml(r, artifactId).text));
  files.set(bundleFiles.sums, strToU8(sumsText(files)));
  const zippable: Zippable = {};
  for (const path of [...files.keys()].sort(byPath)) zippable[path] = [files.get(path)!, { mtime: bundleEntryTime }];
  return zipSync(zippable, { level: 6 });
}

// ---------------------------------------------------------------------------------------------
// Reading a bundle back.

class BundleRefused extends Error {}

const custodyEventShape = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    artifactId: z.string(),
    action: z.enum(custodyActions),
    from: z.string(),
    to: z.string(),
    purpose: z.string(),
    note: z.string(),
    sha256: z.string().nullable(),
    result: z.enum(['match', 'mismatch']).nullable(),
    corrects: z.string().nullable(),
    at: z.number(),
    actorId: z.string(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .strict();

/** Why a path in the archive may not be used, or null when it is fine. */
function unsafePathReason(path: string): string | null {
  if (path === '') return 'it has no name';
  if (/^[\\/]/.test(path) || /^[A-Za-z]:/.test(path)) return 'it is an absolute path';
  if (path.split(/[\\/]/).includes('..')) return 'it climbs out of the bundle with ".."';
  if (/[\u0000-\u001f]/.test(path)) return 'it contains control characters';
  if (path === '__proto__') return 'it is a reserved name';
  return null;
}

const quoted = (path: string) => JSON.stringify(path.length > 120 ? `${path.slice(0, 120)}…` : path);

/** Unzips within the limits; unsafe or repeated paths are problems and stay packed. */
function unpack(bytes: Uint8Array, problems: string[]): Map<string, Uint8Array> {
  let entries = 0;
  let declaredBytes = 0;
  const names = new Set<string>();
  const unzipped = unzipSync(bytes, {
    filter: (file) => {
      entries += 1;
      if (entries > bundleLimits.maxEntries) {
        throw new BundleRefused(`the bundle holds more than ${bundleLimits.maxEntries} files: it is not a Holdfast evidence bundle, or it was tampered with`);
      }
      declaredBytes += file.originalSize;
      if (declaredBytes > bundleLimits.maxUncompressedBytes) {
        throw new BundleRefused('the bundle would unpack to more than 2 GiB: it is not a Holdfast evidence bundle, or it was tampered with (a ZIP bomb)');
      }
      const unsafe = unsafePathReason(file.name);
      if (unsafe) {
        problems.push(`${quoted(file.name)}: refused because ${unsafe}`);
        return false;
      }
      if (names.has(file.name)) {
        problems.push(`${quoted(file.name)}: appears more than once in the bundle, so which copy counts is ambiguous`);
        return false;
      }
      names.add(file.name);
      return !file.name.endsWith('/');
    },
  });
  const files = new Map<string, Uint8Array>();
  for (const name of Object.keys(unzipped).sort(byPath)) files.set(name, unzipped[name]);
  return files;
}

/** Checks every file against SHA256SUMS; names each missing, extra or changed file. */
function checkSums(files: ReadonlyMap<string, Uint8Array>, problems: string[]): void {
  const required = [bundleFiles.manifestJson, bundleFiles.manifestCsv, bundleFiles.timesketchJsonl, bundleFiles.timesketchCsv, bundleFiles.ops, bundleFiles.sums];
  const reported = new Set<string>();
  for (const path of required) {
    if (!files.has(path)) {
      problems.push(`${path}: missing from the bundle (every Holdfast evidence bundle has one)`);
      reported.add(path);
    }
  }
  const sums = files.get(bundleFiles.sums);
  if (!sums) return;
  const listed = new Map<string, string>();
  const lines = new TextDecoder().decode(sums).split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!match) {
      problems.push(`${bundleFiles.sums} line ${index + 1}: not "<sha256>  <path>"`);
      return;
    }
    const path = match[2];
    if (listed.has(path)) problems.push(`${bundleFiles.sums} line ${index + 1}: lists ${quoted(path)} a second time`);
    listed.set(path, match[1].toLowerCase());
  });
  for (const [path, expected] of listed) {
    const content = files.get(path);
    if (!content) {
      if (!reported.has(path)) problems.push(`${quoted(path)}: listed in ${bundleFiles.sums} but missing from the bundle`);
    } else if (sha256OfBytes(content) !== expected) {
      problems.push(`${quoted(path)}: does not match its SHA-256 in ${bundleFiles.sums}: the file was changed after export`);
    }
  }
  for (const path of files.keys()) {
    if (path !== bundleFiles.sums && !listed.has(path)) problems.push(`${quoted(path)}: in the bundle but not listed in ${bundleFiles.sums}: the file was added after export`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function textOf(files: ReadonlyMap<string, Uint8Array>, path: string, problems: string[]): string | null {
  const bytes = files.get(path);
  if (!bytes) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    problems.push(`${path}: is not UTF-8 text`);
    return null;
  }
}

/** Parses ops.jsonl, checks each op and each device's chain in each stream (as chain.ts does over the op log). */
function checkOps(text: string, incidentId: string | null, problems: string[]): Op[] {
  const ops: Op[] = [];
  const lineOf = new Map<Op, number>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    const at = `${bundleFiles.ops} line ${index + 1}`;
    if (line.trim() === '') {
      problems.push(`${at}: is empty`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push(`${at}: is not valid JSON`);
      return;
    }
    const check = checkOp(parsed, nativeSha256Hex);
    if (!check.ok) {
      const opId = (parsed as { opId?: unknown } | null)?.opId;
      problems.push(`${at}${typeof opId === 'string' ? ` (op ${opId.slice(0, 40)})` : ''}: ${check.reason}`);
      return;
    }
    const { op } = check;
    if (seen.has(op.opId)) problems.push(`${at} (op ${op.opId}): the same op appears twice`);
    seen.add(op.opId);
    if (incidentId !== null && op.streamId !== incidentStream(incidentId)) {
      problems.push(`${at} (op ${op.opId}): belongs to stream ${op.streamId}, not to incident ${incidentId}`);
    }
    ops.push(op);
    lineOf.set(op, index + 1);
  });

  const chains = new Map<string, Op[]>();
  for (const op of ops) {
    const key = `${op.deviceId}\n${op.streamId}`;
    chains.set(key, [...(chains.get(key) ?? []), op]);
  }
  for (const chain of chains.values()) {
    chain.sort((a, b) => byPath(a.hlc, b.hlc) || byPath(a.opId, b.opId));
    let expectedPrev = genesisHash;
    for (const [index, op] of chain.entries()) {
      if (op.prevHash !== expectedPrev) {
        const position = index + 1;
        const reason =
          position === 1
            ? 'it is first in its chain but does not start from the genesis hash: earlier records are missing'
            : `it does not chain to record ${position - 1}: a record is missing, reordered or was inserted`;
        problems.push(
          `${bundleFiles.ops}: chain of device ${op.deviceId} in stream ${op.streamId} breaks at record ${position} (op ${op.opId}, line ${lineOf.get(op)}): ${reason}`,
        );
        break;
      }
      expectedPrev = op.hash;
    }
  }
  return ops;
}

/** Checks the custody events manifest.json carries; returns the incident id it names. */
function checkManifest(manifest: unknown, problems: string[]): string | null {
  const at = bundleFiles.manifestJson;
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    problems.push(`${at}: is not a JSON object`);
    return null;
  }
  const m = manifest as { format?: unknown; incident?: { id?: unknown }; custody?: unknown };
  if (m.format !== manifestFormat) problems.push(`${at}: format is not "${manifestFormat}"`);
  const incidentId = typeof m.incident?.id === 'string' ? m.incident.id : null;
  if (incidentId === null) problems.push(`${at}: names no incident (incident.id)`);
  if (!Array.isArray(m.custody)) {
    problems.push(`${at}: has no custody list, so the custody chains cannot be checked`);
    return incidentId;
  }
  const events: CustodyEvent[] = [];
  let isWellFormed = true;
  m.custody.forEach((candidate, index) => {
    const parsed = custodyEventShape.safeParse(candidate);
    if (parsed.success) {
      events.push(parsed.data);
      if (incidentId !== null && parsed.data.incidentId !== incidentId) {
        problems.push(`${at}: custody event ${parsed.data.id} belongs to incident ${parsed.data.incidentId}, not ${incidentId}`);
      }
    } else {
      const issue = parsed.error.issues[0];
      problems.push(`${at}: custody[${index}] is not a custody event (${issue.path.join('.') || 'record'}: ${issue.message})`);
      isWellFormed = false;
    }
  });
  if (isWellFormed) {
    const problem = custodyChainProblem(events, nativeSha256Hex);
    if (problem) problems.push(`${at}: ${problem}`);
  }
  return incidentId;
}

/**
 * Reads an evidence bundle and checks it end to end: the archive within limits and without unsafe
 * paths, every file against SHA256SUMS, the ops (each op's hash, each device's chain) and the
 * custody chains. Never throws: anything wrong, including bytes that are not a ZIP, is a problem.
 */
export function readEvidenceBundle(bytes: Uint8Array): BundleReading {
  const problems: string[] = [];
  const reading = (files: string[], incidentId: string | null, ops: Op[], manifest: unknown): BundleReading => ({
    ok: problems.length === 0,
    problems,
    files,
    incidentId,
    ops,
    manifest,
  });
  if (!(bytes instanceof Uint8Array)) {
    problems.push('the bundle is not binary data: pass the bytes of the .zip file');
    return reading([], null, [], null);
  }
  let files: Map<string, Uint8Array>;
  try {
    files = unpack(bytes, problems);
  } catch (error) {
    if (error instanceof BundleRefused) problems.push(error.message);
    else problems.push(`the file is not a readable ZIP archive (${(error as Error).message}): choose the .zip that Holdfast exported`);
    return reading([], null, [], null);
  }
  const paths = [...files.keys()];
  try {
    checkSums(files, problems);
    let manifest: unknown = null;
    let incidentId: string | null = null;
    const manifestText = textOf(files, bundleFiles.manifestJson, problems);
    if (manifestText !== null) {
      try {
        manifest = JSON.parse(manifestText);
        incidentId = checkManifest(manifest, problems);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        problems.push(`${bundleFiles.manifestJson}: is not valid JSON`);
      }
    }
    const opsText = textOf(files, bundleFiles.ops, problems);
    const ops = opsText === null ? [] : checkOps(opsText, incidentId, problems);
    return reading(paths, incidentId, ops, manifest);
  } catch (error) {
    problems.push(`the bundle could not be checked: ${(error as Error).message}`);
    return reading(paths, null, [], null);
  }
}
