// `holdfast evidence bundle|verify|import`: an incident's evidence as one ZIP (manifest, custody
// forms, Timesketch timeline, the incident's signed ops and a SHA-256 manifest of the bundle), and
// Holdfast reading its own bundle back: verify checks every file, op and custody chain, derives
// every derived file again from the ops, and says who made the bundle (signature.json); import
// verifies, then applies the ops to a replica, which then holds the incident as it was exported,
// its delivery records kept as evidence only (never outbox work); it works while the app or
// `holdfast web` has the data folder open (through it).
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureDirFor, writePrivateFile } from '@shared/node/private-files';
import type { FileTrust } from '../engine/core/file-signature';
import { fileTrustOfDataDir } from '../engine/core/signed-files';
import { openEngine } from '../engine/engine';
import { checkBundle } from '../engine/evidence/bundle-check';
import { bundleLimits, type BundleReading } from '../engine/evidence/bundle-reader';
import { buildEvidenceBundle, bundleSignaturePurpose } from '../engine/evidence/evidence-bundle';
import { withEngineCalls } from './engine-call';
import { signatureSummary } from '../engine/evidence/bundle-import';
import { dataDirOption, parseStrict, UsageError, type CliIo, type Command } from './io';

const evidenceUsage =
  'holdfast evidence bundle INCIDENT --out FILE.zip [--data DIR] | verify FILE.zip [--data DIR] [--allow-unsigned] | import FILE.zip --data DIR [--allow-unsigned]';

function readBundleBytes(path: string | undefined): { file: string; bytes: Uint8Array } {
  if (!path) throw new UsageError(`name the bundle file: ${evidenceUsage}`);
  const file = resolve(path);
  const size = statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new Error(`there is no file ${file}`);
  if (size > bundleLimits.maxUncompressedBytes) throw new Error(`${file} is ${size} bytes, larger than any bundle Holdfast writes`);
  return { file, bytes: readFileSync(file) };
}

/** The pinned org keys of the replica in --data DIR (read-only), or none without --data. */
function pinnedOf(dataDir: string | undefined): FileTrust {
  return dataDir === undefined ? { pinnedOrgKeys: [] } : fileTrustOfDataDir(dataDirOption(dataDir));
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
      let signed = '';
      const bytes = buildEvidenceBundle(engine.evidenceRecord(positionals[0]), (files) => {
        const doc = engine.signFiles(files, bundleSignaturePurpose);
        signed = doc.certificate
          ? `signed by ${doc.certificate.body.user} (certificate ${doc.certificate.certId}, device ${doc.signer.deviceId})`
          : `signed by device ${doc.signer.deviceId}'s key alone: it is not certified (this laptop never connected to a Holdfast service), so verify and import will need --allow-unsigned`;
        return doc;
      });
      // A missing folder is made (0700), as backup and export make theirs.
      ensureDirFor(resolve(values.out));
      writePrivateFile(resolve(values.out), bytes);
      io.out(`wrote ${resolve(values.out)} (${bytes.length} bytes); ${signed}`);
      return 0;
    } finally {
      await engine.close();
    }
  }
  if (action === 'verify') {
    const { values, positionals } = parseStrict(rest, { data: { type: 'string' }, 'allow-unsigned': { type: 'boolean' } }, 1);
    const { file, bytes } = readBundleBytes(positionals[0]);
    const { pinnedOrgKeys, revocations } = pinnedOf(values.data);
    const { reading, trust, signature } = await checkBundle(bytes, { pinned: pinnedOrgKeys, revocations, allowUnsigned: values['allow-unsigned'] === true });
    if (!reportProblems(io, file, reading)) return 1;
    io.out(
      `${file}: verified: ${reading.files.length} files, ${reading.ops.length} ops of incident ${reading.incidentId}; every file, op and custody chain is intact and every derived file (manifests, custody forms, Timesketch files, SHA256SUMS) is what the ops hold; ${signatureSummary(trust)}`,
    );
    io.out(`${file}: ${signature.line}`);
    return 0;
  }
  if (action === 'import') {
    const { values, positionals } = parseStrict(rest, { data: { type: 'string' }, 'allow-unsigned': { type: 'boolean' } }, 1);
    const { file, bytes } = readBundleBytes(positionals[0]);
    // Never the live data folder by default: a bundle is evidence to examine, read into a folder chosen for it.
    if (values.data === undefined)
      throw new UsageError(`name the data folder to import into with --data DIR (a new, empty folder is best: a bundle is evidence to examine): ${evidenceUsage}`);
    // The engine checks every signature against this replica's pinned organisation key (else the
    // bundle's own) before it writes anything; through the running app when it has the folder open.
    const report = await withEngineCalls(dataDirOption(values.data), io, (call) =>
      call('evidence.importBundle', { bundle: Buffer.from(bytes).toString('base64'), allowUnsigned: values['allow-unsigned'] === true }),
    );
    if (!report.ok) {
      for (const problem of report.problems) io.err(`${file}: ${problem}`);
      io.err(`${file}: NOT VERIFIED (${report.problems.length} problem${report.problems.length > 1 ? 's' : ''})`);
      return 1;
    }
    io.out(`${file}: ${report.signatureLine}`);
    for (const r of [...report.rejected, ...report.notApplied]) io.err(`${file}: op ${r.opId} ${r.status}: ${r.reason}`);
    io.out(
      `imported ${file}: incident ${report.incidentId}, ${report.accepted} new ops, ${report.duplicates} already here, ${report.notApplied.length} kept but not applied (held or refused), ${report.rejected.length} rejected; ${report.trustSummary}`,
    );
    if (report.evidenceOnly > 0)
      io.out(`${report.evidenceOnly} delivery record(s) kept as evidence only: an import never queues, claims or sends anything from this replica's outbox`);
    return report.rejected.length > 0 ? 1 : 0;
  }
  throw new UsageError(`usage: ${evidenceUsage}`);
};
