// `holdfast evidence bundle|verify|import`: an incident's evidence as one ZIP (manifest, custody
// forms, Timesketch timeline, the incident's signed ops and a SHA-256 manifest of the bundle), and
// Holdfast reading its own bundle back: verify checks every file, op and custody chain, derives
// every derived file again from the ops, and says who made the bundle (signature.json); import
// verifies, then applies the ops to a replica, which then holds the incident as it was exported,
// its delivery records kept as evidence only (never outbox work).
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { ensureDirFor, writePrivateFile } from '@shared/node/private-files';
import type { FileTrust } from '../engine/core/file-signature';
import { fileTrustOfDataDir } from '../engine/core/signed-files';
import { openEngine } from '../engine/engine';
import { refuseDeliveryWork } from '../engine/core/imported-delivery';
import { checkBundle } from '../engine/evidence/bundle-check';
import { bundleLimits, type BundleReading } from '../engine/evidence/bundle-reader';
import type { TrustCheck } from '../engine/evidence/bundle-trust';
import { buildEvidenceBundle, bundleSignaturePurpose } from '../engine/evidence/evidence-bundle';
import { callEngine } from './engine-call';
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

/** What the signature check found, as the end of a verified line. */
function signatureSummary(check: TrustCheck): string {
  const counts = `${check.signed} signed op${check.signed === 1 ? '' : 's'}, ${check.unsigned} unsigned (written before signing)`;
  if (check.anchor === 'pinned') return `${counts}; certificates check against the organisation key this replica pinned (${check.fingerprint})`;
  if (check.anchor === 'bundle')
    return `${counts}; certificates check against the organisation key the bundle carries (${check.fingerprint}): compare it with your organisation's (holdfast server org-key show) to know who signed`;
  return `${counts}; no organisation key: the signatures show the ops are unchanged, not who wrote them`;
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
    // Every signature against this replica's pinned organisation key (else the bundle's own), before anything is written.
    const { pinnedOrgKeys, revocations } = pinnedOf(values.data);
    const { reading, trust, signature } = await checkBundle(bytes, { pinned: pinnedOrgKeys, revocations, allowUnsigned: values['allow-unsigned'] === true });
    if (!reportProblems(io, file, reading)) return 1;
    const engine = openEngine({ dataDir: dataDirOption(values.data), host: 'web', log: io.err });
    try {
      // A bundle is read into a replica that does not hold the incident: it can never change a live record.
      if ((await callEngine(engine, io.err, 'incidents.list', { limit: 1000 })).some((i) => i.id === reading.incidentId)) {
        throw new Error(`this replica already holds incident ${reading.incidentId}; import the bundle into an empty data folder (--data DIR) to examine it`);
      }
      io.out(`${file}: ${signature.line}`);
      // The certificates first, so the ops are judged as sync would judge them.
      if (engine.replica.trust.isJudging()) engine.replica.applyRemote(trust.trustOps);
      // Delivery records are kept as evidence (refused, never projected): nothing here becomes outbox work.
      const results = engine.replica.applyRemote(reading.ops, undefined, { refuse: refuseDeliveryWork });
      const deliveryOps = new Set(reading.ops.filter((op) => refuseDeliveryWork(op) !== null).map((op) => op.opId));
      const isEvidenceOnly = (r: (typeof results)[number]) => r.status === 'refused' && r.opId !== null && deliveryOps.has(r.opId);
      const evidenceOnly = results.filter(isEvidenceOnly).length;
      const rejected = results.filter((r) => r.status === 'rejected');
      const notApplied = results.filter((r) => (r.status === 'held' || r.status === 'refused') && !isEvidenceOnly(r));
      for (const r of [...rejected, ...notApplied]) io.err(`${file}: op ${r.opId} ${r.status}: ${'reason' in r ? r.reason : ''}`);
      const accepted = results.filter((r) => r.status === 'accepted').length;
      const duplicates = results.filter((r) => r.status === 'duplicate').length;
      io.out(
        `imported ${file}: incident ${reading.incidentId}, ${accepted} new ops, ${duplicates} already here, ${notApplied.length} kept but not applied (held or refused), ${rejected.length} rejected; ${signatureSummary(trust)}`,
      );
      if (evidenceOnly > 0)
        io.out(`${evidenceOnly} delivery record(s) kept as evidence only: an import never queues, claims or sends anything from this replica's outbox`);
      return rejected.length > 0 ? 1 : 0;
    } finally {
      await engine.close();
    }
  }
  throw new UsageError(`usage: ${evidenceUsage}`);
};
