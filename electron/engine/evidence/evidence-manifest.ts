// The evidence manifest: the incident in brief, every artifact with its collection record and
// hashes, and every custody event, as JSON (with the custody chain check) and as CSV.
import { csvText, type CsvValue } from '@shared/csv';
import type { ExportedFile } from '@shared/domain/evidence';
import { milestones } from '@shared/domain/lifecycle';
import { incidentStream } from '@shared/entities';
import type { EvidenceRecord } from './evidence-export';
import { chainResult, custodyOf, incidentIdentity, isoUtc, safeName } from './export-values';

export const manifestFormat = 'holdfast-evidence-manifest';
export const manifestVersion = 1;
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
  'incident_id',
  'artifact_id',
  'artifact_type',
  'asset',
  'what',
  'how',
  'is_required',
  'volatility',
  'state',
  'reason',
  'approved_by',
  'collector_name',
  'collector_role',
  'collector_contact',
  'host_ids',
  'acquisition_start_utc',
  'acquisition_end_utc',
  'collector_time_zone',
  'tool',
  'command',
  'storage_location',
  'file_name',
  'size_bytes',
  'sha256',
  'md5',
  'sha1',
  'hash_source',
  'hash_warning',
  'custody_events',
  'custody_head_hash',
  'created_at_utc',
  'created_by',
] as const;

/** The manifest as CSV: a header row, then one row per artifact. Host ids are joined with "; ". */
export function manifestCsv(r: EvidenceRecord): ExportedFile {
  const rows = r.artifacts.map((a): CsvValue[] => {
    const custody = custodyOf(r, a.id);
    return [
      r.incident.id,
      a.id,
      a.artifactType,
      a.asset,
      a.what,
      a.how,
      a.isRequired,
      a.volatility,
      a.state,
      a.reason,
      a.approvedBy,
      a.collector?.name ?? null,
      a.collector?.role ?? null,
      a.collector?.contact ?? null,
      a.hostIds.join('; '),
      isoUtc(a.acquisitionStart),
      isoUtc(a.acquisitionEnd),
      a.collectorTimeZone,
      a.tool,
      a.command,
      a.storageLocation,
      a.fileName,
      a.size,
      a.sha256,
      a.md5,
      a.sha1,
      a.hashSource,
      a.hashWarning,
      custody.length,
      custody.at(-1)?.hash ?? null,
      isoUtc(a.createdAt),
      a.createdBy,
    ];
  });
  return { fileName: `incident-${safeName(r.incident.id)}-manifest.csv`, mimeType: 'text/csv', text: csvText(manifestColumns, rows) };
}
