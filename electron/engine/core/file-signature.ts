// Signed file sets: what makes a backup or an evidence bundle say who made it. The device that
// writes the files signs the list of their paths and SHA-256 hashes with its device key and
// attaches its certificate (and what the certificate chains to: the org keys it pinned, the hub
// host's certificate for a guest). A reader checks the list against the files, the certificate
// against an organisation key (the one its own replica pinned, else the one the file carries, whose
// fingerprint it then prints for comparing out of band), and the signature against the certificate.
//
// A laptop that never connected to a service has no certificate: it signs with its device key
// alone. Such a file is reported as "device key not certified": the signature shows the files are
// as that key signed them, not who holds the key, so readers refuse it unless told --allow-unsigned.
import { z } from 'zod';
import { canonicalJson } from '@shared/canonical';
import { ed25519 } from '@shared/node/ed25519';
import { certIdOf, checkCertificate, fingerprintOf, keyIdOf, revocationAt, isWithin } from '@shared/trust/certificate';
import { orgKeySigningString } from '@shared/trust/signing';
import type { Certificate, OrgKey, RevocationBody } from '@shared/trust/types';
import type { CertRole } from '@shared/roles';
import type { DeviceKey } from './device-key';
import { nativeSha256Hex } from './native-hash';

export const signatureFormat = 'holdfast-file-signature';
/** Prefixed to what is signed, so a file-set signature can never pass for an op's or a certificate's. */
export const fileSetSigningDomain = 'holdfast-file-set-v1\n';

export interface SignedFile {
  /** Where the file is, relative to the set (a bundle path, or a backup's file name). */
  path: string;
  sha256: string;
}

/** What signs files: this device, who it writes as, its key, and its certificate with what it chains to. */
export interface FileSignerDeps {
  deviceId: string;
  /** The user this replica writes as (the certificate's user, when it has one). */
  user: string;
  key: DeviceKey;
  /** This device's certificate; null on a laptop that never connected (device key not certified). */
  certificate: Certificate | null;
  /** The hub host's certificate when `certificate` is a guest's (hub-issued). */
  issuerCertificates: Certificate[];
  /** The organisation keys this replica pinned (and those a pinned key endorsed). */
  orgKeys: OrgKey[];
  now: () => number;
}

export interface SignatureDoc {
  format: typeof signatureFormat;
  version: 1;
  /** What the files are: a signature made for a backup does not pass for a bundle's. */
  purpose: string;
  /** When the signer's clock says it signed (UTC ms): the signer's word, not a timestamp authority's. */
  signedAt: number;
  signer: { deviceId: string; publicKey: string; user: string };
  certificate: Certificate | null;
  issuerCertificates: Certificate[];
  orgKeys: OrgKey[];
  files: SignedFile[];
  sig: string;
}

const byPath = (a: SignedFile, b: SignedFile) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/** What the device key signs: the purpose, the signer, the certificate's id and every file, canonically. */
export function fileSetSigningString(doc: Pick<SignatureDoc, 'purpose' | 'signedAt' | 'signer' | 'certificate' | 'files'>): string {
  return (
    fileSetSigningDomain +
    canonicalJson({
      purpose: doc.purpose,
      signedAt: doc.signedAt,
      signer: doc.signer,
      certId: doc.certificate?.certId ?? null,
      files: [...doc.files].sort(byPath).map((f) => ({ path: f.path, sha256: f.sha256 })),
    })
  );
}

/** Signs `files` (paths and SHA-256s) as this device, for `purpose`. */
export function signFileSet(deps: FileSignerDeps, files: readonly SignedFile[], purpose: string): SignatureDoc {
  const unsigned = {
    format: signatureFormat as typeof signatureFormat,
    version: 1 as const,
    purpose,
    signedAt: deps.now(),
    signer: { deviceId: deps.deviceId, publicKey: deps.key.publicKey, user: deps.certificate?.body.user ?? deps.user },
    certificate: deps.certificate,
    issuerCertificates: deps.issuerCertificates,
    orgKeys: deps.orgKeys,
    files: [...files].sort(byPath).map((f) => ({ path: f.path, sha256: f.sha256 })),
  };
  return { ...unsigned, sig: deps.key.sign(fileSetSigningString(unsigned)) };
}

/** The signature document as written: one JSON document. */
export const signatureDocText = (doc: SignatureDoc) => `${JSON.stringify(doc, null, 2)}\n`;

/** What the reader trusts: its replica's pinned org keys (empty: none pinned) and revocations it knows. */
export interface FileTrust {
  pinnedOrgKeys: readonly OrgKey[];
  revocations?: (certId: string) => readonly RevocationBody[];
}

export interface FileSigner {
  user: string;
  deviceId: string;
  certId: string;
  role: CertRole;
}

/** Who vouched for the signer's certificate. `anchor`: checked against the reader's pinned key, or only the file's own. */
export interface FileIssuer {
  orgKeyId: string;
  /** SHA-256 of the organisation's public key, in groups of four, as people compare it. */
  fingerprint: string;
  anchor: 'pinned' | 'carried';
  /** For a guest: the hub host's certificate that issued it. */
  hub: { certId: string; user: string; deviceId: string } | null;
  /** Said beside the signer: the certificate was outside its validity window at the signing time given. */
  note: string | null;
}

export type FileSignatureCheck =
  | { status: 'signed'; signer: FileSigner; signedAt: number; issuer: FileIssuer }
  /** A valid signature by a device key that no certificate vouches for (a laptop that never connected). */
  | { status: 'uncertified'; deviceId: string; publicKey: string; user: string; signedAt: number; problem: string }
  /** No signature at all. */
  | { status: 'unsigned'; problem: string }
  /** A signature that does not hold: the files or the signature were changed, or the certificate does not check. */
  | { status: 'forged'; problem: string };

export const grouped = (hex: string) => hex.match(/.{1,4}/g)?.join(' ') ?? hex;

const b64 = z.string().max(200);
const certificateShape = z.object({ certId: z.string().max(64), body: z.record(z.string(), z.unknown()), sig: b64 }).passthrough();
const docShape = z
  .object({
    format: z.literal(signatureFormat),
    version: z.literal(1),
    purpose: z.string().max(100),
    signedAt: z.number().int(),
    signer: z.object({ deviceId: z.string().max(200), publicKey: b64, user: z.string().max(200) }).strict(),
    certificate: certificateShape.nullable(),
    issuerCertificates: z.array(certificateShape).max(10),
    orgKeys: z
      .array(z.object({ keyId: z.string().max(64), publicKey: b64, createdAt: z.number(), endorsedBy: z.string().max(64).optional(), endorsement: b64.optional() }))
      .max(50),
    files: z.array(z.object({ path: z.string().max(4000), sha256: z.string().regex(/^[0-9a-f]{64}$/) }).strict()).max(20_000),
    sig: b64,
  })
  .strict();

/** Why `listed` (what was signed) is not exactly `actual` (what is here), naming every file that differs, or null. */
function fileListProblem(listed: readonly SignedFile[], actual: readonly SignedFile[]): string | null {
  const signed = new Map(listed.map((f) => [f.path, f.sha256]));
  const here = new Map(actual.map((f) => [f.path, f.sha256]));
  const problems: string[] = [];
  for (const [path, sha256] of here) {
    if (!signed.has(path)) problems.push(`${path} was added after the files were signed`);
    else if (signed.get(path) !== sha256) problems.push(`${path} was changed after the files were signed (its SHA-256 is not the one signed)`);
  }
  for (const path of signed.keys()) if (!here.has(path)) problems.push(`${path} was signed but is missing`);
  return problems.length === 0 ? null : problems.join('; ');
}

/** The org keys to check against and whether they are the reader's own; endorsed keys of the file count when a trusted key endorsed them. */
function trustedOrgKeys(doc: SignatureDoc, trust: FileTrust): { keys: Map<string, OrgKey>; anchor: 'pinned' | 'carried' } {
  const anchor = trust.pinnedOrgKeys.length > 0 ? 'pinned' : 'carried';
  const keys = new Map<string, OrgKey>();
  const roots = anchor === 'pinned' ? trust.pinnedOrgKeys : doc.orgKeys.filter((k) => !k.endorsedBy);
  for (const key of roots) if (keyIdOf(key.publicKey, nativeSha256Hex) === key.keyId) keys.set(key.keyId, key);
  // Rotations: a key of the file endorsed by one trusted already (oldest first, so chains resolve).
  for (const key of [...doc.orgKeys].sort((a, b) => a.createdAt - b.createdAt)) {
    if (keys.has(key.keyId) || !key.endorsedBy || !key.endorsement || keyIdOf(key.publicKey, nativeSha256Hex) !== key.keyId) continue;
    const endorser = keys.get(key.endorsedBy);
    if (endorser && ed25519.verify(endorser.publicKey, orgKeySigningString(key), key.endorsement)) keys.set(key.keyId, key);
  }
  return { keys, anchor };
}

/**
 * Checks a signature document (as parsed from its file, or null when there is none) against the
 * files as they are now and what the reader trusts. Never throws.
 */
export function checkFileSet(input: unknown, files: readonly SignedFile[], trust: FileTrust, purpose: string): FileSignatureCheck {
  if (input === null || input === undefined) return { status: 'unsigned', problem: 'it carries no signature' };
  const parsed = docShape.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { status: 'forged', problem: `its signature file is not a ${signatureFormat} document (${issue.path.join('.') || 'document'}: ${issue.message})` };
  }
  const doc = parsed.data as unknown as SignatureDoc;
  if (doc.purpose !== purpose) return { status: 'forged', problem: `its signature was made for a ${doc.purpose}, not a ${purpose}` };
  const listProblem = fileListProblem(doc.files, files);
  if (listProblem) return { status: 'forged', problem: listProblem };
  const { certificate } = doc;
  const signerKey = doc.signer.publicKey;
  if (!ed25519.verify(signerKey, fileSetSigningString(doc), doc.sig)) {
    return { status: 'forged', problem: "its signature does not verify with the signing device's key: the signature file was changed after it was made" };
  }
  if (certificate === null) {
    return {
      status: 'uncertified',
      deviceId: doc.signer.deviceId,
      publicKey: signerKey,
      user: doc.signer.user,
      signedAt: doc.signedAt,
      problem: `it is signed by device ${doc.signer.deviceId}'s own key, which no organisation certified (device key not certified: the laptop that made it never connected to a Holdfast service), so nothing shows who made it`,
    };
  }
  const certProblem = certificateProblem(doc, certificate, trust);
  if (typeof certProblem === 'string') return { status: 'forged', problem: certProblem };
  const { body } = certificate;
  return {
    status: 'signed',
    signer: { user: body.user, deviceId: body.deviceId, certId: certificate.certId, role: body.role },
    signedAt: doc.signedAt,
    issuer: certProblem,
  };
}

/** Why the signer's certificate does not vouch for the signing key at signing time, or who issued it. */
function certificateProblem(doc: SignatureDoc, certificate: Certificate, trust: FileTrust): string | FileIssuer {
  const { body } = certificate;
  const label = `its certificate ${String(certificate.certId)}`;
  if (typeof body !== 'object' || body === null) return `${label} has no body`;
  if (body.deviceId !== doc.signer.deviceId || body.publicKey !== doc.signer.publicKey) return `${label} is for another device or key than the one that signed`;
  const { keys, anchor } = trustedOrgKeys(doc, trust);
  const org = keys.get(body.org);
  if (!org) {
    return anchor === 'pinned'
      ? `${label} (${body.user}) is of organisation ${body.org}, not of the organisation this replica pinned (${trust.pinnedOrgKeys.map((k) => k.keyId).join(', ')}): it was signed elsewhere`
      : `${label} (${body.user}) is of organisation ${body.org}, whose key the file does not carry`;
  }
  let hub: FileIssuer['hub'] = null;
  let issuerKey: string | undefined;
  if (body.issuer?.kind === 'org') issuerKey = keys.get(body.issuer.keyId)?.publicKey;
  else if (body.issuer?.kind === 'hub') {
    const hubId = body.issuer.certId;
    const host = doc.issuerCertificates.find((c) => c.certId === hubId);
    const hostKey = host?.body?.issuer?.kind === 'org' ? keys.get(host.body.issuer.keyId)?.publicKey : undefined;
    if (!host || hostKey === undefined)
      return `${label} (${body.user}) was issued by hub ${hubId}, whose certificate the file does not carry or which is not the organisation's`;
    const hostCheck = checkCertificate(host, hostKey, ed25519.verify, nativeSha256Hex);
    if (!hostCheck.ok) return `the hub certificate ${hubId}: ${hostCheck.reason}`;
    if (hostCheck.certificate.certId !== hubId) return `the hub certificate ${hubId}: its id does not match its body`;
    if (body.role !== 'guest') return `${label}: a hub may only issue guest certificates`;
    issuerKey = host.body.publicKey;
    hub = { certId: hubId, user: host.body.user, deviceId: host.body.deviceId };
  }
  if (issuerKey === undefined) return `${label} (${body.user}): its issuer is not an organisation key or hub certificate the file carries`;
  const check = checkCertificate(certificate, issuerKey, ed25519.verify, nativeSha256Hex);
  if (!check.ok) return `${label}: ${check.reason}`;
  if (certIdOf(body, nativeSha256Hex) !== certificate.certId) return `${label}: its id does not match its body`;
  // The signing time is the signer's word: a certificate past its window still names who holds the key, so it is said, not refused.
  const note = isWithin(body, doc.signedAt)
    ? null
    : `its certificate was valid from ${new Date(body.notBefore).toISOString()} to ${new Date(body.notAfter).toISOString()}, not at the signing time the signer's clock gave`;
  const revoked = revocationAt([...(trust.revocations?.(certificate.certId) ?? []), ...(hub ? (trust.revocations?.(hub.certId) ?? []) : [])], doc.signedAt);
  if (revoked) return `${label} (${body.user}) was revoked from ${new Date(revoked.effectiveAt).toISOString()} (${revoked.reason}), before the files were signed`;
  return { orgKeyId: org.keyId, fingerprint: grouped(fingerprintOf(org.publicKey, nativeSha256Hex)), anchor, hub, note };
}

/** Who made the files, in one line: user, role, device, certificate, time and issuer. */
export function describeSigner(check: Extract<FileSignatureCheck, { status: 'signed' }>): string {
  const { signer, issuer } = check;
  const by = issuer.hub
    ? `guest certificate issued by hub ${issuer.hub.certId} (${issuer.hub.user}) under organisation key ${issuer.fingerprint}`
    : `organisation key ${issuer.fingerprint}`;
  const anchor =
    issuer.anchor === 'pinned'
      ? 'the organisation key this replica pinned'
      : "the key the file carries, not one pinned here: compare it with your organisation's (holdfast server org-key show), or verify with --data DIR of a connected replica";
  const note = issuer.note ? `; note: ${issuer.note}` : '';
  return `signed by ${signer.user} (${signer.role}) on device ${signer.deviceId}, certificate ${signer.certId}, at ${new Date(check.signedAt).toISOString()}; issuer: ${by}, checked against ${anchor}${note}`;
}

/** What a reader does with a signature check: accept it or not, and the line it prints either way. */
export interface SignatureVerdict {
  ok: boolean;
  line: string;
  /** Refused only because it is unsigned or signed by an uncertified key: --allow-unsigned would take it. */
  refusedAsUnsigned: boolean;
}

export function judgeSignature(check: FileSignatureCheck, allowUnsigned: boolean): SignatureVerdict {
  switch (check.status) {
    case 'signed':
      return { ok: true, line: describeSigner(check), refusedAsUnsigned: false };
    case 'forged':
      return { ok: false, line: `its signature fails: ${check.problem} (--allow-unsigned never accepts a signature that fails)`, refusedAsUnsigned: false };
    case 'uncertified':
      return allowUnsigned
        ? {
            ok: true,
            line: `ACCEPTED UNSIGNED (--allow-unsigned): ${check.problem}; the device key's signature only shows the files are as that key signed them at ${new Date(check.signedAt).toISOString()}`,
            refusedAsUnsigned: false,
          }
        : {
            ok: false,
            line: `${check.problem}. Connect that laptop to your organisation's Holdfast service (Settings → Sync) so what it writes from then on is signed under its certificate, or pass --allow-unsigned to accept this file knowing nothing shows who made it`,
            refusedAsUnsigned: true,
          };
    case 'unsigned':
      return allowUnsigned
        ? {
            ok: true,
            line: `ACCEPTED UNSIGNED (--allow-unsigned): ${check.problem}, so nothing shows who made it or that it is unchanged since it was made`,
            refusedAsUnsigned: false,
          }
        : {
            ok: false,
            line: `${check.problem}, so nothing shows who made it or that it was not changed (Holdfast signs every backup and bundle it makes). Ask for the signed original, or pass --allow-unsigned to accept it as is`,
            refusedAsUnsigned: true,
          };
  }
}
