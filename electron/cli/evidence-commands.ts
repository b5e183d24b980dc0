// `holdfast evidence bundle|verify|import`: an incident's evidence as one ZIP (manifest, custody
// forms, Timesketch timeline, the incident's signed ops and a SHA-256 manifest of the bundle), and
// Holdfast reading its own bundle back: verify checks every file, op and custody chain; import
// verifies, then applies the ops to a replica, which then holds the incident as it was exported.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { writePrivateFile } from '@shared/node/private-files';
import { openEngine } from '../engine/engine';
import { bundleLimits, readEvidenceBundle, type BundleReading } from '../engine/evidence/bundle-reader';
import { checkBundleTrust, type TrustCheck } from '../engine/evidence/bundle-trust';
import { buildEvidenceBundle, bundleFiles } from '../engine/evidence/evidence-bundle';
import { manifestJson } from '../engine/evidence/evidence-manifest';
import { callEngine } from './engine-call';
import { dataDirOption, parseStrict, UsageError, type CliIo, type Command } from './io';

const evidenceUsage = 'holdfast evidence bundle INCIDENT --out FILE.zip [--data DIR] | verify FILE.zip | import FILE.zip [--data DIR]';

async function readBundle(path: string | undefined): Promise<{ file: string; reading: BundleReading }> {
  if (!path) throw new UsageError(`name the bundle file: ${evidenceUsage}`);
  const file = resolve(path);
  const size = statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new Error(`there is no file ${file}`);
  if (size > bundleLimits.maxUncompressedBytes) throw new Error(`${file} is ${size} bytes, larger than any bundle Holdfast writes`);
  const bytes = readFileSync(file);
  const reading = readEvidenceBundle(bytes);
  const replayed = await replayProblems(bytes, reading);
  return { file, reading: replayed.length === 0 ? reading : { ...reading, ok: false, problems: [...reading.problems, ...replayed] } };
}

/**
 * Replays the bundle's ops into a scratch replica and makes the manifest again from what they
 * hold: a manifest that says anything the ops do not (an event left out, a hash changed, an
 * artifact added) is a problem. This proves the bundle is consistent, not who made it: anyone can
 * rewrite ops and hashes together.
 */
async function replayProblems(bytes: Uint8Array, reading: BundleReading): Promise<string[]> {
  if (!reading.ok || reading.incidentId === null) return [];
  const manifest = reading.manifest as { exportedAt?: string; exportedBy?: string; generator?: string };
  const scratch = mkdtempSync(join(tmpdir(), 'holdfast-bundle-check-'));
  const engine = openEngine({ dataDir: scratch, host: 'web', log: () => undefined });
  try {
    const refused = engine.replica.applyRemote(reading.ops).filter((r) => r.status === 'rejected');
    if (refused.length > 0) return refused.map((r) => `op ${r.opId} is not a valid op: ${'reason' in r ? r.reason : ''}`);
    const record = {
      ...engine.evidenceRecord(reading.incidentId),
      exportedAt: Date.parse(manifest.exportedAt ?? ''),
      exportedBy: manifest.exportedBy ?? '',
      holdfastVersion: (manifest.generator ?? '').replace(/^Holdfast /, ''),
    };
    const again = manifestJson(record).text;
    const inBundle = strFromU8(unzipSync(bytes, { filter: (f) => f.name === bundleFiles.manifestJson })[bundleFiles.manifestJson]);
    return again === inBundle ? [] : [`${bundleFiles.manifestJson} does not match what the bundle's ops hold: the manifest or the ops were changed after export`];
  } finally {
    await engine.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What the signature check found, as the end of a verified line. */
function signatureSummary(check: TrustCheck): string {
  const counts = `${check.signed} signed op${check.signed === 1 ? '' : 's'}, ${check.unsigned} unsigned (written before signing)`;
  if (check.anchor === 'pinned') return `${counts}; certificates check against the organisation key this replica pinned (${check.fingerprint})`;
  if (check.anchor === 'bundle')
    return `${counts}; certificates check against the organisation key the bundle carries (${check.fingerprint}): compare it with your organisation's (holdfast server org-key show) to know who signed`;
  return `${counts}; no organisation key: the signatures show the ops are unchanged, not who wrote them`;
}

function withTrust(reading: BundleReading, check: TrustCheck): BundleReading {
  return check.problems.length === 0 ? reading : { ...reading, ok: false, problems: [...reading.problems, ...check.problems] };
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
      writePrivateFile(resolve(values.out), bytes);
      io.out(`wrote ${resolve(values.out)} (${bytes.length} bytes)`);
      return 0;
    } finally {
      await engine.close();
    }
  }
  if (action === 'verify') {
    const { positionals } = parseStrict(rest, {}, 1);
    const { file, reading } = await readBundle(positionals[0]);
    const trust = checkBundleTrust(reading.trustText, reading.ops, []);
    if (!reportProblems(io, file, withTrust(reading, trust))) return 1;
    io.out(
      `${file}: verified: ${reading.files.length} files, ${reading.ops.length} ops of incident ${reading.incidentId}; every file, op and custody chain is intact and the manifest is what the ops hold; ${signatureSummary(trust)}`,
    );
    return 0;
  }
  if (action === 'import') {
    const { values, positionals } = parseStrict(rest, { data: { type: 'string' } }, 1);
    const { file, reading } = await readBundle(positionals[0]);
    if (!reportProblems(io, file, reading)) return 1;
    const engine = openEngine({ dataDir: dataDirOption(values.data), host: 'web', log: io.err });
    try {
      // A bundle is read into a replica that does not hold the incident: it can never change a live record.
      if ((await callEngine(engine, io.err, 'incidents.list', { limit: 1000 })).some((i) => i.id === reading.incidentId)) {
        throw new Error(`this replica already holds incident ${reading.incidentId}; import the bundle into an empty data folder (--data DIR) to examine it`);
      }
      // Every signature against this replica's pinned organisation key (else the bundle's own), before anything is written.
      const trust = checkBundleTrust(reading.trustText, reading.ops, engine.replica.trust.pinnedOrgKeys());
      if (!reportProblems(io, file, withTrust(reading, trust))) return 1;
      // The certificates first, so the ops are judged as sync would judge them.
      if (engine.replica.trust.isJudging()) engine.replica.applyRemote(trust.trustOps);
      const results = engine.replica.applyRemote(reading.ops);
      const rejected = results.filter((r) => r.status === 'rejected');
      const notApplied = results.filter((r) => r.status === 'held' || r.status === 'refused');
      for (const r of [...rejected, ...notApplied]) io.err(`${file}: op ${r.opId} ${r.status}: ${'reason' in r ? r.reason : ''}`);
      const accepted = results.filter((r) => r.status === 'accepted').length;
      const duplicates = results.filter((r) => r.status === 'duplicate').length;
      io.out(
        `imported ${file}: incident ${reading.incidentId}, ${accepted} new ops, ${duplicates} already here, ${notApplied.length} kept but not applied (held or refused), ${rejected.length} rejected; ${signatureSummary(trust)}`,
      );
      return rejected.length > 0 ? 1 : 0;
    } finally {
      await engine.close();
    }
  }
  throw new UsageError(`usage: ${evidenceUsage}`);
};
