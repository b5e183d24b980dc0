// The printable chain-of-custody form of one artifact: self-contained HTML, no scripts, no external
// resources, every value escaped, with the custody log, the chain verdict and signature lines.
import type { CustodyEvent, ExportedFile } from '@shared/domain/evidence';
import { escapeHtml } from '@shared/html';
import type { EvidenceRecord } from './evidence-export';
import { chainResult, custodyOf, displayUtc, displayZoned, hashSourceLabel, safeName } from './export-values';

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
      const notes = [e.note, e.corrects ? `corrects event ${e.corrects}` : '', e.sha256 ? `SHA-256 ${e.sha256}` : ''].filter(Boolean);
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
${row("Acquisition start (collector's time)", displayZoned(a.acquisitionStart, zone))}
${row('Acquisition end (UTC)', displayUtc(a.acquisitionEnd))}
${row("Acquisition end (collector's time)", displayZoned(a.acquisitionEnd, zone))}
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
