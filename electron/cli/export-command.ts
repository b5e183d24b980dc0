// `holdfast export INCIDENT --format …`: one incident out of a replica, for people and tools
// outside Holdfast. md, html and json are the incident report or (--kind audit) the audit evidence
// report; csv is the timeline; timesketch is Timesketch's JSONL import; bundle is the evidence
// bundle (ZIP), written to --out. The replica is opened as the app opens it, so close the app or
// `holdfast web` using the same data folder first (their UI offers the same reports).
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { reportKinds, type ReportKind } from '@shared/domain/review';
import { ensureDirFor, writePrivateFile } from '@shared/node/private-files';
import { databaseFileName } from '../engine/core/database';
import { openEngine } from '../engine/engine';
import { buildEvidenceBundle, bundleSignaturePurpose } from '../engine/evidence/evidence-bundle';
import { exportFile } from '../engine/evidence/evidence-export';
import { timelineCsv } from '../engine/reports/reports';
import { dataDirOption, parseStrict, UsageError, type Command } from './io';

export const exportFormats = ['md', 'html', 'json', 'csv', 'timesketch', 'bundle'] as const;
type ExportFormatName = (typeof exportFormats)[number];
const reportFormats = new Set<ExportFormatName>(['md', 'html', 'json']);

export const exportUsage = 'holdfast export INCIDENT --format md|html|json|csv|timesketch|bundle [--kind incident|audit] [--out FILE] [--data DIR]';

const isFormat = (value: string): value is ExportFormatName => (exportFormats as readonly string[]).includes(value);
const isKind = (value: string): value is ReportKind => (reportKinds as readonly string[]).includes(value);

export const exportCommand: Command = async (args, io) => {
  const { values, positionals } = parseStrict(args, { format: { type: 'string' }, kind: { type: 'string' }, out: { type: 'string' }, data: { type: 'string' } }, 1);
  const incidentId = positionals[0];
  if (!incidentId) throw new UsageError(`name the incident to export: ${exportUsage}`);
  if (values.format === undefined) throw new UsageError(`say which format with --format ${exportFormats.join('|')}`);
  const format = values.format;
  if (!isFormat(format)) throw new UsageError(`--format must be one of ${exportFormats.join(', ')}, got "${format}"`);
  if (values.kind !== undefined && !isKind(values.kind)) throw new UsageError(`--kind must be incident or audit, got "${values.kind}"`);
  if (values.kind !== undefined && !reportFormats.has(format)) throw new UsageError(`--kind applies to the md, html and json reports, not to --format ${format}`);
  if (values.out === '') throw new UsageError('--out needs a file path');
  if (format === 'bundle' && !values.out) throw new UsageError('a bundle is a ZIP file: say where to write it with --out FILE.zip');
  const kind: ReportKind = values.kind ?? 'incident';

  const dataDir = dataDirOption(values.data);
  // Exporting reads a replica: it never makes an empty one where there was none.
  if (!existsSync(join(dataDir, databaseFileName))) throw new Error(`there is no Holdfast database in ${dataDir}; pass the replica's folder with --data DIR`);
  const engine = openEngine({ dataDir, host: 'web', log: io.err });
  try {
    let output: { text: string } | { bytes: Uint8Array };
    if (reportFormats.has(format)) {
      const report = await engine.handlers['reports.render']({ incidentId, kind, format: format as 'md' | 'html' | 'json' });
      output = { text: report.text };
    } else {
      const record = engine.evidenceRecord(incidentId);
      if (format === 'csv') output = { text: timelineCsv(record).text };
      else if (format === 'timesketch') output = { text: exportFile(record, 'timesketch-jsonl').text };
      else output = { bytes: buildEvidenceBundle(record, (files) => engine.signFiles(files, bundleSignaturePurpose)) };
    }
    if (values.out) {
      const path = resolve(values.out);
      const data = 'bytes' in output ? output.bytes : Buffer.from(output.text, 'utf8');
      // Readable by its owner only (0600): an export carries the incident's record.
      ensureDirFor(path);
      writePrivateFile(path, data);
      io.out(`wrote ${path} (${data.length} bytes)`);
    } else {
      // Printed as written; io.out ends the last line itself.
      io.out((output as { text: string }).text.replace(/\n$/, ''));
    }
    return 0;
  } finally {
    await engine.close();
  }
};
