// Checking an evidence bundle end to end, as `holdfast evidence verify` and `import` do: the reader's
// checks (archive, SHA256SUMS, ops, custody chains), the ops' signatures (trust.json), the bundle's
// own signature (signature.json: who made it), and every derived file made again from the ops.
//
// A bundle is evidence, read-only: whoever reads it, its delivery records are never outbox work.
// Import stores them refused (kept in the log so chains stay whole, never projected), so no
// delivery row, claim or settlement reaches the importing replica's outbox (`refuseDeliveryWork`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OrgKey } from '@shared/trust/types';
import { checkFileSet, judgeSignature, type FileTrust, type SignatureVerdict } from '../core/file-signature';
import { refuseDeliveryWork } from '../core/imported-delivery';
import { openEngine } from '../engine';
import { readEvidenceBundle, type BundleReading } from './bundle-reader';
import { checkBundleTrust, type BundleTrust, type TrustCheck } from './bundle-trust';
import { bundleFileMap, bundleFiles, bundleSignaturePurpose } from './evidence-bundle';

export interface BundleCheck {
  /** The reading with every problem found, from any check. */
  reading: BundleReading;
  trust: TrustCheck;
  /** Who made the bundle, or what --allow-unsigned accepted, or why it is refused. */
  signature: SignatureVerdict;
  /** Refused for its signature alone (unsigned, or signed by an uncertified key): --allow-unsigned would take it. */
  refusedOnlyAsUnsigned: boolean;
}

export interface BundleCheckOptions {
  /** The reading replica's pinned org keys (none when only verifying a file). */
  pinned: readonly OrgKey[];
  /** Revocations the reading replica accepted (checked against the signer's certificate). */
  revocations?: FileTrust['revocations'];
  allowUnsigned: boolean;
}

export async function checkBundle(bytes: Uint8Array, options: BundleCheckOptions): Promise<BundleCheck> {
  const reading = readEvidenceBundle(bytes);
  const trust = checkBundleTrust(reading.trustText, reading.ops, options.pinned);
  const fileTrust: FileTrust = { pinnedOrgKeys: options.pinned, ...(options.revocations ? { revocations: options.revocations } : {}) };
  const signature = judgeSignature(checkFileSet(reading.signature, reading.hashes, fileTrust, bundleSignaturePurpose), options.allowUnsigned);
  const derived = reading.ok && trust.problems.length === 0 ? await derivedProblems(reading, trust, options.pinned) : [];
  const problems = [...reading.problems, ...trust.problems, ...derived, ...(signature.ok ? [] : [`${bundleFiles.signature}: ${signature.line}`])];
  const refusedOnlyAsUnsigned = signature.refusedAsUnsigned && problems.length === 1;
  return { reading: { ...reading, ok: problems.length === 0, problems }, trust, signature, refusedOnlyAsUnsigned };
}

/**
 * Replays the bundle's ops into a scratch replica (judging them as the importer would) and makes
 * every derived file again from what they hold: manifests, custody forms, Timesketch files, ops.jsonl
 * and SHA256SUMS. Any file that differs, is missing or is extra is a problem. This shows the files
 * say what the ops say; the signatures show who wrote the ops and who made the bundle.
 */
async function derivedProblems(reading: BundleReading, trust: TrustCheck, pinned: readonly OrgKey[]): Promise<string[]> {
  if (reading.incidentId === null) return [];
  const manifest = reading.manifest as { exportedAt?: string; exportedBy?: string; generator?: string };
  const carried = reading.trustText === null ? undefined : (JSON.parse(reading.trustText) as BundleTrust);
  const scratch = mkdtempSync(join(tmpdir(), 'holdfast-bundle-check-'));
  const engine = openEngine({ dataDir: scratch, host: 'web', log: () => undefined });
  try {
    const anchor = pinned[0] ?? carried?.orgKeys.find((k) => !k.endorsedBy);
    if (anchor) {
      engine.replica.trust.pinOrgKey(anchor);
      engine.replica.applyRemote(trust.trustOps);
    }
    const results = engine.replica.applyRemote(reading.ops, undefined, { refuse: refuseDeliveryWork });
    const rejected = results.filter((r) => r.status === 'rejected' || r.status === 'held');
    if (rejected.length > 0) return rejected.map((r) => `op ${r.opId} cannot be replayed (${r.status}): ${'reason' in r ? r.reason : ''}`);
    const record = {
      ...engine.evidenceRecord(reading.incidentId),
      exportedAt: Date.parse(manifest.exportedAt ?? ''),
      exportedBy: manifest.exportedBy ?? '',
      holdfastVersion: (manifest.generator ?? '').replace(/^Holdfast /, ''),
      ...(carried ? { trust: carried } : {}),
    };
    const again = bundleFileMap(record);
    const problems: string[] = [];
    const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);
    for (const [path, bytes] of again) {
      const inBundle = reading.contents.get(path);
      if (!inBundle) problems.push(`${path}: missing, though the bundle's ops make it`);
      else if (!same(inBundle, bytes)) problems.push(`${path} does not match what the bundle's ops hold: the file or the ops were changed after export`);
    }
    for (const path of reading.contents.keys()) if (!again.has(path)) problems.push(`${path}: not a file the bundle's ops make: it was added after export`);
    return problems;
  } finally {
    await engine.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
