// Reports of one incident, made from its record as the replica holds it: the incident report and
// the audit evidence report as Markdown, HTML or JSON, and the whole timeline as CSV.
import { csvText, type CsvValue } from '@shared/csv';
import type { ExportedFile } from '@shared/domain/evidence';
import type { Incident } from '@shared/domain/incident';
import type { ReportFormat, ReportKind } from '@shared/domain/review';
import type { TimelineEntry } from '@shared/domain/timeline';
import type { DatabaseProof } from '../core/projection-proof';
import { safeName } from '../evidence/export-values';
import { auditDoc, auditJson } from './audit-report';
import { incidentDoc, incidentJson } from './incident-report';
import { renderHtml } from './report-html';
import { renderMarkdown } from './report-markdown';
import { iso, type ReportRecord } from './report-record';
import { verifyRecord } from './verification';

const mimeTypes: Record<ReportFormat, string> = { md: 'text/markdown', html: 'text/html', json: 'application/json' };

/**
 * The incident report or the audit evidence report in one format; the audit report verifies the
 * chains as it is made, and proves the replica (`prove`: its schema and projections, see projection-proof.ts).
 */
export function renderReport(r: ReportRecord, kind: ReportKind, format: ReportFormat, prove: () => DatabaseProof): ExportedFile {
  const fileName = `incident-${safeName(r.incident.id)}-${kind === 'incident' ? 'report' : 'audit'}.${format}`;
  const verification = kind === 'audit' ? verifyRecord(r, prove()) : null;
  let text: string;
  if (format === 'json') {
    text = `${JSON.stringify(kind === 'incident' ? incidentJson(r) : auditJson(r, verification!), null, 2)}\n`;
  } else {
    const doc = kind === 'incident' ? incidentDoc(r) : auditDoc(r, verification!);
    text = format === 'md' ? renderMarkdown(doc) : renderHtml(doc);
  }
  return { fileName, mimeType: mimeTypes[format], text };
}

const timelineColumns = [
  'number',
  'entry_id',
  'event_time_utc',
  'recorded_time_utc',
  'kind',
  'author',
  'source',
  'text',
  'corrects',
  'corrected_by',
  'is_pinned',
] as const;

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
