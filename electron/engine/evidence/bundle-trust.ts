// What an evidence bundle carries so a receiver can check who wrote its ops (trust.json): the org
// keys the exporting replica pinned, every certificate and revocation the ops are judged under, and
// the trust-stream ops that carry them (so an importing replica can judge the ops as sync would).
// Checking a bundle: every certificate against the org key (the importing replica's pinned one when
// it has one, else the bundle's own), every signed op against its certificate's key, and no op
// dated after signing began without a signature.
import { trustStream } from '@shared/entities';
import { decodeHlc } from '@shared/hlc';
import { checkOp, type Op } from '@shared/ops';
import { ed25519 } from '@shared/node/ed25519';
import { checkCertificate, checkRevocation, fingerprintOf } from '@shared/trust/certificate';
import { opSigningString } from '@shared/trust/signing';
import type { Certificate, OrgKey, SignedCertificate, SignedRevocation } from '@shared/trust/types';
import { nativeSha256Hex } from '../core/native-hash';
import type { Replica } from '../core/replica';

export const trustFileFormat = 'holdfast-bundle-trust';

export interface BundleTrust {
  format: typeof trustFileFormat;
  version: 1;
  /** The organisation keys the exporting replica pinned (none: it never connected to a service). */
  orgKeys: OrgKey[];
  /** Every certificate the ops are signed under, with the hub hosts' certificates of guests. */
  certificates: Certificate[];
  revocations: SignedRevocation[];
  /** The trust-stream ops that carry those certificates and revocations, and the seals over its unsigned ops, as stored. */
  ops: Op[];
  /** Never-connected devices' own keys (their ops are signed without a certificate: self-asserted). */
  devices: { deviceId: string; publicKey: string }[];
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The trust a bundle of `ops` needs, from what `replica` holds. */
export function bundleTrustOf(replica: Replica, ops: readonly Op[]): BundleTrust {
  const view = replica.trust.view();
  const certificates = new Map<string, Certificate>();
  const add = (certificate: Certificate | undefined) => {
    if (!certificate || certificates.has(certificate.certId)) return;
    certificates.set(certificate.certId, certificate);
    if (certificate.body.issuer.kind === 'hub') add(view.certificate(certificate.body.issuer.certId));
  };
  const devices = new Map<string, string>();
  for (const op of ops) {
    if (op.certId !== undefined) add(view.certificate(op.certId));
    else if (op.sig !== undefined) {
      const adopting = view.adoptingCertificate(op.deviceId);
      if (adopting) add(adopting);
      else if (op.deviceId === replica.deviceId && replica.publicKey !== null) devices.set(op.deviceId, replica.publicKey);
    }
  }
  const trustOps = replica.opLog.streamSince(trustStream, 0, Number.MAX_SAFE_INTEGER).map(({ seq: _seq, ...op }) => op);
  const certSig = (op: Op) => (op.fields as unknown as SignedCertificate).sig;
  const wantedSigs = new Set([...certificates.values()].map((c) => c.sig));
  const wantedCertOps = new Set(trustOps.filter((op) => op.entity === 'device_cert' && wantedSigs.has(certSig(op))).map((op) => op.opId));
  // The service's seals over the bundle's unsigned (pre-signing) ops: they grandfather them on the importer.
  const unsignedHashes = new Set(ops.filter((op) => op.sig === undefined).map((op) => op.hash));
  const isSealing = (op: Op) => op.entity === 'legacy_seal' && (op.fields as { hashes?: string[] }).hashes?.some((h) => unsignedHashes.has(h)) === true;
  // The certificates of the devices that wrote those trust ops (the service's), so they can be judged too.
  for (const op of trustOps) if ((wantedCertOps.has(op.opId) || isSealing(op)) && op.certId !== undefined) add(view.certificate(op.certId));
  const carriedSigs = new Set([...certificates.values()].map((c) => c.sig));
  const carried = trustOps.filter((op) => {
    if (op.entity === 'device_cert') return carriedSigs.has(certSig(op));
    if (op.entity === 'cert_revocation') return certificates.has((op.fields as unknown as SignedRevocation).body.certId);
    return op.entity === 'org_key' || isSealing(op);
  });
  const revocations = carried.filter((op) => op.entity === 'cert_revocation').map((op) => op.fields as unknown as SignedRevocation);
  return {
    format: trustFileFormat,
    version: 1,
    orgKeys: replica.trust.pinnedOrgKeys(),
    certificates: [...certificates.values()].sort((a, b) => byText(a.certId, b.certId)),
    revocations,
    ops: carried,
    devices: [...devices].map(([deviceId, publicKey]) => ({ deviceId, publicKey })),
  };
}

/** trust.json as written: one JSON document, keys in the order above. */
export const trustJsonText = (trust: BundleTrust) => `${JSON.stringify(trust, null, 2)}\n`;

/** A fingerprint as people read it aloud: hex in groups of four. */
export const grouped = (hex: string) => hex.match(/.{1,4}/g)?.join(' ') ?? hex;

export interface TrustCheck {
  problems: string[];
  /** What the certificates were checked against: the importing replica's pinned key, the bundle's own, or nothing. */
  anchor: 'pinned' | 'bundle' | 'none';
  /** Fingerprint of the org key checked against (grouped), or null. */
  fingerprint: string | null;
  signed: number;
  unsigned: number;
  /** The trust ops to apply before the bundle's ops (they carry the certificates). */
  trustOps: Op[];
}

function parseTrust(text: string | null, problems: string[]): BundleTrust | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push('trust.json: is not valid JSON');
    return null;
  }
  const t = value as Partial<BundleTrust> | null;
  const lists = ['orgKeys', 'certificates', 'revocations', 'ops', 'devices'] as const;
  if (typeof t !== 'object' || t === null || t.format !== trustFileFormat || lists.some((key) => !Array.isArray(t[key]))) {
    problems.push(`trust.json: is not a ${trustFileFormat} document (format, orgKeys, certificates, revocations, ops, devices)`);
    return null;
  }
  return t as BundleTrust;
}

/**
 * Checks the bundle's ops against trust.json. `pinned`: the importing replica's org keys (empty
 * when it pinned none, or when only verifying a file): then the bundle's own org keys are used,
 * which shows the ops were not changed since they were signed, not which organisation signed them.
 */
export function checkBundleTrust(trustText: string | null, ops: readonly Op[], pinned: readonly OrgKey[]): TrustCheck {
  const problems: string[] = [];
  const trust = parseTrust(trustText, problems);
  const anchors = pinned.length > 0 ? [...pinned] : (trust?.orgKeys ?? []);
  const anchor: TrustCheck['anchor'] = pinned.length > 0 ? 'pinned' : anchors.length > 0 ? 'bundle' : 'none';
  const orgOf = new Map(anchors.map((k) => [k.keyId, k]));
  const orgNames = anchors.map((k) => k.keyId).join(', ');

  // Certificates: org-issued ones first, then guests' against their hub host's.
  const accepted = new Map<string, Certificate>();
  const certs = [...(trust?.certificates ?? [])].sort((a, b) => (a.body?.issuer?.kind === 'org' ? 0 : 1) - (b.body?.issuer?.kind === 'org' ? 0 : 1));
  for (const certificate of certs) {
    const label = `trust.json: certificate ${String(certificate.certId)} (${String(certificate.body?.user)})`;
    const issuer = certificate.body?.issuer;
    if (!orgOf.has(certificate.body?.org)) {
      problems.push(
        anchor === 'pinned'
          ? `${label} is of organisation ${String(certificate.body?.org)}, not of the organisation this replica pinned (${orgNames}): the bundle was signed elsewhere`
          : `${label} is of organisation ${String(certificate.body?.org)}, whose key the bundle does not carry`,
      );
      continue;
    }
    const issuerKey = issuer?.kind === 'org' ? orgOf.get(issuer.keyId)?.publicKey : issuer?.kind === 'hub' ? accepted.get(issuer.certId)?.body.publicKey : undefined;
    if (issuerKey === undefined) {
      problems.push(`${label}: its issuer is not an org key or a hub certificate the bundle carries`);
      continue;
    }
    const check = checkCertificate(certificate, issuerKey, ed25519.verify, nativeSha256Hex);
    if (!check.ok) problems.push(`${label}: ${check.reason}`);
    else if (check.certificate.certId !== certificate.certId) problems.push(`${label}: its id does not match its body`);
    else if (issuer?.kind === 'hub' && certificate.body.role !== 'guest') problems.push(`${label}: a hub may only issue guest certificates`);
    else accepted.set(certificate.certId, check.certificate);
  }
  for (const revocation of trust?.revocations ?? []) {
    const key = orgOf.get(revocation.body?.org)?.publicKey;
    const problem = key === undefined ? `of organisation ${String(revocation.body?.org)}, not ${orgNames}` : checkRevocation(revocation, key, ed25519.verify);
    if (problem) problems.push(`trust.json: revocation of certificate ${String(revocation.body?.certId)}: ${problem}`);
  }
  const trustOps: Op[] = [];
  for (const [index, input] of (trust?.ops ?? []).entries()) {
    const check = checkOp(input, nativeSha256Hex);
    if (!check.ok) problems.push(`trust.json: ops[${index}]: ${check.reason}`);
    else if (check.op.streamId !== trustStream) problems.push(`trust.json: ops[${index}] (op ${check.op.opId}) is not a trust record`);
    else trustOps.push(check.op);
  }

  const selfKeys = new Map(anchor === 'none' ? (trust?.devices ?? []).map((d) => [d.deviceId, d.publicKey]) : []);
  const adopting = (deviceId: string) => [...accepted.values()].find((c) => c.body.deviceId === deviceId && c.body.adopts);
  const signingBegan = Math.min(...anchors.map((k) => (k.createdAt > 0 ? k.createdAt : Infinity)));
  // Each device's first signed op by clock: an unsigned op of that device after it was stripped.
  const firstSigned = new Map<string, string>();
  for (const op of ops) {
    const first = firstSigned.get(op.deviceId);
    if (op.sig !== undefined && (first === undefined || op.hlc < first)) firstSigned.set(op.deviceId, op.hlc);
  }
  let signed = 0;
  let unsigned = 0;
  for (const op of ops) {
    const at = `ops.jsonl: op ${op.opId}`;
    const t = decodeHlc(op.hlc).ms;
    if (op.sig === undefined) {
      unsigned += 1;
      if (t >= signingBegan) problems.push(`${at} is unsigned but dated after the organisation began signing: its signature was stripped`);
      else if (op.hlc > (firstSigned.get(op.deviceId) ?? op.hlc)) problems.push(`${at} is unsigned but its device signed earlier ops: its signature was stripped`);
      continue;
    }
    signed += 1;
    const certificate = op.certId !== undefined ? accepted.get(op.certId) : adopting(op.deviceId);
    const key = certificate?.body.publicKey ?? (op.certId === undefined ? selfKeys.get(op.deviceId) : undefined);
    if (key === undefined) {
      problems.push(
        op.certId !== undefined
          ? `${at} is signed under certificate ${op.certId}, which trust.json does not carry (or which did not check)`
          : `${at} is signed by device ${op.deviceId}, for which trust.json carries no certificate or key`,
      );
      continue;
    }
    if (certificate && certificate.body.deviceId !== op.deviceId) {
      problems.push(`${at} names device ${op.deviceId}, but its certificate ${certificate.certId} is device ${certificate.body.deviceId}'s`);
      continue;
    }
    const names = certificate ? (certificate.body.adopts ? [certificate.body.user, ...certificate.body.aliases] : [certificate.body.user]) : [op.actorId];
    if (certificate && certificate.body.role !== 'service' && !names.includes(op.actorId)) {
      problems.push(`${at} claims author ${op.actorId}, but its certificate ${certificate.certId} is ${certificate.body.user}'s`);
      continue;
    }
    if (!ed25519.verify(key, opSigningString(op.hash), op.sig)) {
      problems.push(
        `${at}: its signature does not verify with ${certificate ? `certificate ${certificate.certId}'s key (${certificate.body.user})` : "its device's key"}: the op was changed after it was signed`,
      );
    }
  }
  if (trust === null && signed > 0) problems.push('trust.json: missing, so the signatures of the ops cannot be checked (bundles from this Holdfast always carry it)');
  const first = anchors[0];
  return { problems, anchor, fingerprint: first ? grouped(fingerprintOf(first.publicKey, nativeSha256Hex)) : null, signed, unsigned, trustOps };
}
