// Reading an evidence bundle back: the archive within limits and without unsafe paths, every file
// against SHA256SUMS, every op against its hash and its device's chain, and the custody chains.
import { unzipSync } from 'fflate';
import { z } from 'zod';
import { custodyActions, custodyChainProblem, type CustodyEvent } from '@shared/domain/evidence';
import { incidentStream } from '@shared/entities';
import { checkOp, genesisHash, type Op } from '@shared/ops';
import { nativeSha256Hex } from '../core/native-hash';
import { bundleFiles, byPath } from './evidence-bundle';
import { manifestFormat } from './evidence-manifest';
import { sha256OfBytes } from './export-values';
import type { SignedFile } from '../core/file-signature';

/** What the bundle reader found: `ok` when nothing is wrong, else one problem per finding. */
export interface BundleReading {
  ok: boolean;
  problems: string[];
  /** Paths of the files in the bundle, sorted. */
  files: string[];
  /** The incident the manifest names, or null when the manifest cannot be read. */
  incidentId: string | null;
  /** The ops of ops.jsonl that passed checkOp, in file order. */
  ops: Op[];
  /** manifest.json as parsed, or null when it is missing or not JSON. */
  manifest: unknown;
  /** trust.json as text, or null when the bundle has none (bundles made before ops were signed). */
  trustText: string | null;
  /** signature.json as parsed (null when absent; the text itself when it is not JSON, so the check calls it forged). */
  signature: unknown;
  /** Every file but signature.json with its SHA-256: what the signature must list. */
  hashes: SignedFile[];
  /** Every file but signature.json, by path: a reader derives the derived ones again and compares. */
  contents: ReadonlyMap<string, Uint8Array>;
}
/** Bundles are refused past these, before anything is decompressed. */
export const bundleLimits = { maxEntries: 10_000, maxUncompressedBytes: 2 * 1024 ** 3 } as const;
class BundleRefused extends Error {}

const custodyEventShape = z
  .object({
    id: z.string(),
    incidentId: z.string(),
    artifactId: z.string(),
    action: z.enum(custodyActions),
    from: z.string(),
    to: z.string(),
    purpose: z.string(),
    note: z.string(),
    sha256: z.string().nullable(),
    result: z.enum(['match', 'mismatch']).nullable(),
    corrects: z.string().nullable(),
    at: z.number(),
    actorId: z.string(),
    prevHash: z.string(),
    hash: z.string(),
  })
  .strict();

/** Why a path in the archive may not be used, or null when it is fine. */
function unsafePathReason(path: string): string | null {
  if (path === '') return 'it has no name';
  if (/^[\\/]/.test(path) || /^[A-Za-z]:/.test(path)) return 'it is an absolute path';
  if (path.split(/[\\/]/).includes('..')) return 'it climbs out of the bundle with ".."';
  if (/[\u0000-\u001f]/.test(path)) return 'it contains control characters';
  if (path === '__proto__') return 'it is a reserved name';
  return null;
}

const quoted = (path: string) => JSON.stringify(path.length > 120 ? `${path.slice(0, 120)}…` : path);

/** Unzips within the limits; unsafe or repeated paths are problems and stay packed. */
function unpack(bytes: Uint8Array, problems: string[]): Map<string, Uint8Array> {
  let entries = 0;
  let declaredBytes = 0;
  const names = new Set<string>();
  const unzipped = unzipSync(bytes, {
    filter: (file) => {
      entries += 1;
      if (entries > bundleLimits.maxEntries) {
        throw new BundleRefused(`the bundle holds more than ${bundleLimits.maxEntries} files: it is not a Holdfast evidence bundle, or it was tampered with`);
      }
      declaredBytes += file.originalSize;
      if (declaredBytes > bundleLimits.maxUncompressedBytes) {
        throw new BundleRefused('the bundle would unpack to more than 2 GiB: it is not a Holdfast evidence bundle, or it was tampered with (a ZIP bomb)');
      }
      const unsafe = unsafePathReason(file.name);
      if (unsafe) {
        problems.push(`${quoted(file.name)}: refused because ${unsafe}`);
        return false;
      }
      if (names.has(file.name)) {
        problems.push(`${quoted(file.name)}: appears more than once in the bundle, so which copy counts is ambiguous`);
        return false;
      }
      names.add(file.name);
      return !file.name.endsWith('/');
    },
  });
  const files = new Map<string, Uint8Array>();
  for (const name of Object.keys(unzipped).sort(byPath)) files.set(name, unzipped[name]);
  return files;
}

/** Checks every file against SHA256SUMS; names each missing, extra or changed file. */
function checkSums(files: ReadonlyMap<string, Uint8Array>, problems: string[]): void {
  const required = [bundleFiles.manifestJson, bundleFiles.manifestCsv, bundleFiles.timesketchJsonl, bundleFiles.timesketchCsv, bundleFiles.ops, bundleFiles.sums];
  const reported = new Set<string>();
  for (const path of required) {
    if (!files.has(path)) {
      problems.push(`${path}: missing from the bundle (every Holdfast evidence bundle has one)`);
      reported.add(path);
    }
  }
  const sums = files.get(bundleFiles.sums);
  if (!sums) return;
  const listed = new Map<string, string>();
  const lines = new TextDecoder().decode(sums).split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, index) => {
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line);
    if (!match) {
      problems.push(`${bundleFiles.sums} line ${index + 1}: not "<sha256>  <path>"`);
      return;
    }
    const path = match[2];
    if (listed.has(path)) problems.push(`${bundleFiles.sums} line ${index + 1}: lists ${quoted(path)} a second time`);
    listed.set(path, match[1].toLowerCase());
  });
  for (const [path, expected] of listed) {
    const content = files.get(path);
    if (!content) {
      if (!reported.has(path)) problems.push(`${quoted(path)}: listed in ${bundleFiles.sums} but missing from the bundle`);
    } else if (sha256OfBytes(content) !== expected) {
      problems.push(`${quoted(path)}: does not match its SHA-256 in ${bundleFiles.sums}: the file was changed after export`);
    }
  }
  for (const path of files.keys()) {
    if (path !== bundleFiles.sums && path !== bundleFiles.signature && !listed.has(path))
      problems.push(`${quoted(path)}: in the bundle but not listed in ${bundleFiles.sums}: the file was added after export`);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function textOf(files: ReadonlyMap<string, Uint8Array>, path: string, problems: string[]): string | null {
  const bytes = files.get(path);
  if (!bytes) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    problems.push(`${path}: is not UTF-8 text`);
    return null;
  }
}

/** Parses ops.jsonl, checks each op and each device's chain in each stream (as chain.ts does over the op log). */
function checkOps(text: string, incidentId: string | null, problems: string[]): Op[] {
  const ops: Op[] = [];
  const lineOf = new Map<Op, number>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    const at = `${bundleFiles.ops} line ${index + 1}`;
    if (line.trim() === '') {
      problems.push(`${at}: is empty`);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      problems.push(`${at}: is not valid JSON`);
      return;
    }
    const check = checkOp(parsed, nativeSha256Hex);
    if (!check.ok) {
      const opId = (parsed as { opId?: unknown } | null)?.opId;
      problems.push(`${at}${typeof opId === 'string' ? ` (op ${opId.slice(0, 40)})` : ''}: ${check.reason}`);
      return;
    }
    const { op } = check;
    if (seen.has(op.opId)) problems.push(`${at} (op ${op.opId}): the same op appears twice`);
    seen.add(op.opId);
    if (incidentId !== null && op.streamId !== incidentStream(incidentId)) {
      problems.push(`${at} (op ${op.opId}): belongs to stream ${op.streamId}, not to incident ${incidentId}`);
    }
    ops.push(op);
    lineOf.set(op, index + 1);
  });

  const chains = new Map<string, Op[]>();
  for (const op of ops) {
    const key = `${op.deviceId}\n${op.streamId}`;
    chains.set(key, [...(chains.get(key) ?? []), op]);
  }
  for (const chain of chains.values()) {
    chain.sort((a, b) => byPath(a.hlc, b.hlc) || byPath(a.opId, b.opId));
    let expectedPrev = genesisHash;
    for (const [index, op] of chain.entries()) {
      if (op.prevHash !== expectedPrev) {
        const position = index + 1;
        const reason =
          position === 1
            ? 'it is first in its chain but does not start from the genesis hash: earlier records are missing'
            : `it does not chain to record ${position - 1}: a record is missing, reordered or was inserted`;
        problems.push(
          `${bundleFiles.ops}: chain of device ${op.deviceId} in stream ${op.streamId} breaks at record ${position} (op ${op.opId}, line ${lineOf.get(op)}): ${reason}`,
        );
        break;
      }
      expectedPrev = op.hash;
    }
  }
  return ops;
}

/** Checks the custody events manifest.json carries; returns the incident id it names. */
function checkManifest(manifest: unknown, problems: string[]): string | null {
  const at = bundleFiles.manifestJson;
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    problems.push(`${at}: is not a JSON object`);
    return null;
  }
  const m = manifest as { format?: unknown; incident?: { id?: unknown }; custody?: unknown };
  if (m.format !== manifestFormat) problems.push(`${at}: format is not "${manifestFormat}"`);
  const incidentId = typeof m.incident?.id === 'string' ? m.incident.id : null;
  if (incidentId === null) problems.push(`${at}: names no incident (incident.id)`);
  if (!Array.isArray(m.custody)) {
    problems.push(`${at}: has no custody list, so the custody chains cannot be checked`);
    return incidentId;
  }
  const events: CustodyEvent[] = [];
  let isWellFormed = true;
  m.custody.forEach((candidate, index) => {
    const parsed = custodyEventShape.safeParse(candidate);
    if (parsed.success) {
      events.push(parsed.data);
      if (incidentId !== null && parsed.data.incidentId !== incidentId) {
        problems.push(`${at}: custody event ${parsed.data.id} belongs to incident ${parsed.data.incidentId}, not ${incidentId}`);
      }
    } else {
      const issue = parsed.error.issues[0];
      problems.push(`${at}: custody[${index}] is not a custody event (${issue.path.join('.') || 'record'}: ${issue.message})`);
      isWellFormed = false;
    }
  });
  if (isWellFormed) {
    const problem = custodyChainProblem(events, nativeSha256Hex);
    if (problem) problems.push(`${at}: ${problem}`);
  }
  return incidentId;
}

/**
 * Reads an evidence bundle and checks it end to end: the archive within limits and without unsafe
 * paths, every file against SHA256SUMS, the ops (each op's hash, each device's chain) and the
 * custody chains. Never throws: anything wrong, including bytes that are not a ZIP, is a problem.
 */
export function readEvidenceBundle(bytes: Uint8Array): BundleReading {
  const problems: string[] = [];
  let trustText: string | null = null;
  let signature: unknown = null;
  let contents = new Map<string, Uint8Array>();
  const reading = (files: string[], incidentId: string | null, ops: Op[], manifest: unknown): BundleReading => ({
    ok: problems.length === 0,
    problems,
    files,
    incidentId,
    ops,
    manifest,
    trustText,
    signature,
    hashes: [...contents].map(([path, content]) => ({ path, sha256: sha256OfBytes(content) })),
    contents,
  });
  if (!(bytes instanceof Uint8Array)) {
    problems.push('the bundle is not binary data: pass the bytes of the .zip file');
    return reading([], null, [], null);
  }
  let files: Map<string, Uint8Array>;
  try {
    files = unpack(bytes, problems);
  } catch (error) {
    if (error instanceof BundleRefused) problems.push(error.message);
    else problems.push(`the file is not a readable ZIP archive (${(error as Error).message}): choose the .zip that Holdfast exported`);
    return reading([], null, [], null);
  }
  const paths = [...files.keys()];
  contents = new Map([...files].filter(([path]) => path !== bundleFiles.signature));
  const signatureBytes = files.get(bundleFiles.signature);
  if (signatureBytes) {
    const text = new TextDecoder().decode(signatureBytes);
    try {
      signature = JSON.parse(text);
    } catch {
      signature = text;
    }
  }
  try {
    checkSums(files, problems);
    let manifest: unknown = null;
    let incidentId: string | null = null;
    const manifestText = textOf(files, bundleFiles.manifestJson, problems);
    if (manifestText !== null) {
      try {
        manifest = JSON.parse(manifestText);
        incidentId = checkManifest(manifest, problems);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        problems.push(`${bundleFiles.manifestJson}: is not valid JSON`);
      }
    }
    const opsText = textOf(files, bundleFiles.ops, problems);
    const ops = opsText === null ? [] : checkOps(opsText, incidentId, problems);
    trustText = textOf(files, bundleFiles.trust, problems);
    return reading(paths, incidentId, ops, manifest);
  } catch (error) {
    problems.push(`the bundle could not be checked: ${(error as Error).message}`);
    return reading(paths, null, [], null);
  }
}
