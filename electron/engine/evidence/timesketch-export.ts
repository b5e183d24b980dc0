// Timesketch's import formats (JSONL and CSV): timeline entries and custody events on one time
// axis, with Holdfast's fields alongside.
import { csvText, type CsvValue } from '@shared/csv';
import type { ExportedFile } from '@shared/domain/evidence';
import type { EvidenceRecord } from './evidence-export';
import { isoUtc, safeName } from './export-values';

const sketchExtras = [
  'source',
  'data_type',
  'incident_id',
  'kind',
  'author',
  'entry_id',
  'corrects',
  'corrected_by',
  'recorded_at',
  'artifact_id',
  'artifact_type',
  'asset',
  'sha256',
  'custody_event_id',
  'custody_action',
  'from',
  'to',
  'purpose',
  'result',
  'event_hash',
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
