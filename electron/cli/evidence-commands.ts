// `holdfast evidence bundle|verify|import`: an incident's evidence as one ZIP (manifest, custody
// forms, Timesketch timeline, the incident's signed ops and a SHA-256 manifest of the bundle), and
// Holdfast reading its own bundle back: verify checks every file, op and custody chain; import
// verifies, then applies the ops to a replica, which then holds the incident as it was exported.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openEngine } from '../engine/engine';
import { buildEvidenceBundle, bundleLimits, readEvidenceBundle, type BundleReading } from '../engine/evidence-export';
import { dataDirOption, parseStrict, UsageError, type CliIo, type Command } from './io';

const evidenceUsage = 'holdfast evidence bundle INCIDENT --out FILE.zip [--data DIR] | verify FILE.zip | import FILE.zip [--data DIR]';

function readBundle(path: string | undefined): { file: string; reading: BundleReading } {
  if (!path) throw new UsageError(`name the bundle file: ${evidenceUsage}`);
  const file = resolve(path);
  const size = statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new Error(`there is no file ${file}`);
  if (size > bundleLimits.maxUncompressedBytes) throw new Error(`${file} is ${size} bytes, larger than any bundle Holdfast writes`);
  return { file, reading: readEvidenceBundle(readFileSync(file)) };
}

function reportProblems(io: CliIo, file: string, reading: BundleReading): boolean {
  if (reading.ok) return true;
  for (const problem of reading.problems) io.err(`${file}: ${problem}`);
  io.err(`${file}: NOT VERIFIED (${reading.problems.length} problem${reading.problems.length > 1 ? 's' : ''})`);
  return false;
}

export const evidenceCommand: Command = async (args, io) => {
  const [action, ...rest] = args;
  if (action === 'bundle') {
    const { values, positionals } = parseStrict(rest, { data: { type: 'string' }, out: { type: 'string' } }, 1);
    if (!positionals[0]) throw new UsageError(`name the incident: ${evidenceUsage}`);
    if (!values.out) throw new UsageError(`say where to write the bundle with --out FILE.zip: ${evidenceUsage}`);
    const engine = openEngine({ dataDir: dataDirOption(values.data), host: 'web', log: io.err });
    try {
      const bytes = buildEvidenceBundle(engine.evidenceRecord(positionals[0]));
      writeFileSync(resolve(values.out), bytes);
      io.out(`wrote ${resolve(values.out)} (${bytes.length} bytes)`);
      return 0;
    } finally {
      await engine.close();
    }
  }
  if (action === 'verify') {
    const { positionals } = parseStrict(rest, {}, 1);
    const { file, reading } = readBundle(positionals[0]);
    if (!reportProblems(io, file, reading)) return 1;
    io.out(`${file}: verified: ${reading.files.length} files, ${reading.ops.length} ops of incident ${reading.incidentId}, every hash and custody chain intact`);
    return 0;
  }
  if (action === 'import') {
    const { values, positionals } = parseStrict(rest, { data: { type: 'string' } }, 1);
    const { file, reading } = readBundle(positionals[0]);
    if (!reportProblems(io, file, reading)) return 1;
    const engine = openEngine({ dataDir: dataDirOption(values.data), host: 'web', log: io.err });
    try {
      const results = engine.replica.applyRemote(reading.ops);
      const rejected = results.filter((r) => r.status === 'rejected');
      for (const r of rejected) io.err(`${file}: op ${r.opId} refused: ${r.reason}`);
      const accepted = results.filter((r) => r.status === 'accepted').length;
      io.out(`imported ${file}: incident ${reading.incidentId}, ${accepted} new ops, ${results.length - accepted - rejected.length} already here, ${rejected.length} refused`);
      return rejected.length > 0 ? 1 : 0;
    } finally {
      await engine.close();
    }
  }
  throw new UsageError(`usage: ${evidenceUsage}`);
};
