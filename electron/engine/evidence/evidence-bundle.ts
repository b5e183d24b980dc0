// The evidence bundle: one ZIP holding the manifests, the Timesketch files, a custody form per
// artifact, the incident's ops, SHA256SUMS over all of them and the exporting device's signature
// over all of them (signature.json); equal records give equal bytes.
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { Artifact } from '@shared/domain/evidence';
import type { Op } from '@shared/ops';
import { signatureDocText, type SignatureDoc, type SignedFile } from '../core/file-signature';
import { trustJsonText } from './bundle-trust';
import { custodyFormHtml } from './custody-form';
import type { EvidenceRecord } from './evidence-export';
import { manifestCsv, manifestJson } from './evidence-manifest';
import { safeName, sha256OfBytes } from './export-values';
import { timesketchCsv, timesketchJsonl } from './timesketch-export';

/** The bundle's files besides the custody forms, in the order a reader looks for them. */
export const bundleFiles = {
  manifestJson: 'manifest.json',
  manifestCsv: 'manifest.csv',
  timesketchJsonl: 'timesketch.jsonl',
  timesketchCsv: 'timesketch.csv',
  ops: 'ops.jsonl',
  /** Org keys, certificates and revocations the ops are signed under (./bundle-trust). */
  trust: 'trust.json',
  sums: 'SHA256SUMS',
  /** Who made the bundle: every other file's SHA-256 signed by the exporting device (core/file-signature). */
  signature: 'signature.json',
} as const;

/** The purpose a bundle's signature is made for (a backup's signature does not pass for one). */
export const bundleSignaturePurpose = 'holdfast evidence bundle';

/** The bundle path of each artifact's custody form, unique even when two ids make the same safe name. */
function custodyFormPaths(artifacts: readonly Artifact[]): Map<string, string> {
  const paths = new Map<string, string>();
  const used = new Set<string>();
  for (const artifact of artifacts) {
    const base = safeName(artifact.id);
    let name = base;
    for (let n = 2; used.has(name); n += 1) name = `${base}-${n}`;
    used.add(name);
    paths.set(artifact.id, `custody/${name}.html`);
  }
  return paths;
}
// A fixed entry time, so equal records make byte-equal bundles. fflate writes DOS times from a
// Date's local fields: a local-time constructor at noon gives the same fields in every time zone.
const bundleEntryTime = new Date(1980, 0, 1, 12, 0, 0);

/** Paths in byte order, as the bundle lists them. */
export const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The SHA256SUMS text (sha256sum's format) for files by path, sorted by path. */
function sumsText(files: ReadonlyMap<string, Uint8Array>): string {
  return [...files.keys()]
    .sort(byPath)
    .map((path) => `${sha256OfBytes(files.get(path)!)}  ${path}\n`)
    .join('');
}

/** The bundle's ops.jsonl: one op a line, exactly as given (the audit report states its SHA-256). */
export function opsJsonl(ops: readonly Op[]): string {
  return ops.map((op) => `${JSON.stringify(op)}\n`).join('');
}

/**
 * The bundle's files by path: the manifests, the Timesketch files, a custody form per artifact, the
 * incident's ops (ops.jsonl, one op a line exactly as given), what checks their signatures
 * (trust.json, when the record carries it) and SHA256SUMS over all of them. Everything but
 * ops.jsonl and trust.json is derived from the record, so a reader derives it again from the ops.
 */
export function bundleFileMap(r: EvidenceRecord): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>([
    [bundleFiles.manifestJson, strToU8(manifestJson(r).text)],
    [bundleFiles.manifestCsv, strToU8(manifestCsv(r).text)],
    [bundleFiles.timesketchJsonl, strToU8(timesketchJsonl(r).text)],
    [bundleFiles.timesketchCsv, strToU8(timesketchCsv(r).text)],
    [bundleFiles.ops, strToU8(opsJsonl(r.ops))],
  ]);
  if (r.trust) files.set(bundleFiles.trust, strToU8(trustJsonText(r.trust)));
  for (const [artifactId, path] of custodyFormPaths(r.artifacts)) files.set(path, strToU8(custodyFormHtml(r, artifactId).text));
  files.set(bundleFiles.sums, strToU8(sumsText(files)));
  return files;
}

/**
 * The evidence bundle as ZIP bytes: bundleFileMap's files and, given `sign`, signature.json: the
 * exporting device's signature over every file's SHA-256. Equal records (and signatures) give equal bytes.
 */
export function buildEvidenceBundle(r: EvidenceRecord, sign?: (files: SignedFile[]) => SignatureDoc): Uint8Array {
  const files = bundleFileMap(r);
  if (sign) {
    const doc = sign([...files].map(([path, bytes]) => ({ path, sha256: sha256OfBytes(bytes) })));
    files.set(bundleFiles.signature, strToU8(signatureDocText(doc)));
  }
  const zippable: Zippable = {};
  for (const path of [...files.keys()].sort(byPath)) zippable[path] = [files.get(path)!, { mtime: bundleEntryTime }];
  return zipSync(zippable, { level: 6 });
}
