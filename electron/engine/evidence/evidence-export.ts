// Evidence exports: an incident's artifacts, custody chains and timeline written out for the people
// who take them further. This module owns the record they are made from and the export by format;
// the manifest, custody form, Timesketch files, bundle and bundle reader live beside it.
import type { Artifact, CustodyEvent, ExportedFile, ExportFormat } from '@shared/domain/evidence';
import type { Incident } from '@shared/domain/incident';
import type { TimelineEntry } from '@shared/domain/timeline';
import type { Op } from '@shared/ops';
import type { RefusedRecord } from '../timeline/timeline-store';
import type { BundleTrust } from './bundle-trust';
import { custodyFormHtml } from './custody-form';
import { manifestCsv, manifestJson } from './evidence-manifest';
import { timesketchCsv, timesketchJsonl } from './timesketch-export';

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
  /** The incident's ops kept but refused (never projected); absent in records made without the op log. */
  refused?: RefusedRecord[];
  /** What a receiver needs to check the ops' signatures (certificates, org keys); absent likewise. */
  trust?: BundleTrust;
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
