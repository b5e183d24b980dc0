// Certificates and revocations: their canonical form and ids, encoding for transport, and the checks
// that need no trust state (format, validity window, the issuer's signature against a given key).
// Which issuer is trusted, and what an op may do under a certificate, is the judge's (./judge).
import { canonicalJson } from '../canonical';
import { certificateBodySchema, revocationBodySchema } from '../entities/trust';
import { isCertRole } from '../roles';
import type { Sha256Hex } from '../ops';
import { certSigningString, revocationSigningString } from './signing';
import {
  signaturePattern,
  type Certificate,
  type CertificateBody,
  type RevocationBody,
  type SignedCertificate,
  type SignedRevocation,
  type VerifySignature,
} from './types';

export { certSigningString, revocationSigningString } from './signing';

/** A certificate's id: the first 32 hex digits of the SHA-256 of its canonical body. */
export const certIdOf = (body: CertificateBody, sha256Hex: Sha256Hex) => sha256Hex(canonicalJson(body)).slice(0, 32);

/** An org key's id: the first 32 hex digits of the SHA-256 of its base64url public key. */
export const keyIdOf = (publicKey: string, sha256Hex: Sha256Hex) => sha256Hex(publicKey).slice(0, 32);
/** The fingerprint people compare out of band: the whole SHA-256 of the base64url public key. */
export const fingerprintOf = (publicKey: string, sha256Hex: Sha256Hex) => sha256Hex(publicKey);

/** Why `body` is not a well-formed certificate body, or null. */
export function certificateBodyProblem(body: unknown): string | null {
  const parsed = certificateBodySchema.safeParse(body);
  if (!parsed.success) return `certificate: ${parsed.error.issues[0].path.join('.') || 'body'}: ${parsed.error.issues[0].message}`;
  const b = parsed.data;
  if (!isCertRole(b.role)) return `certificate: unknown role "${b.role}"`;
  if (b.notBefore >= b.notAfter) return 'certificate: notBefore must be before notAfter';
  return null;
}

/** Why `body` is not a well-formed revocation body, or null. */
export function revocationBodyProblem(body: unknown): string | null {
  const parsed = revocationBodySchema.safeParse(body);
  return parsed.success ? null : `revocation: ${parsed.error.issues[0].path.join('.') || 'body'}: ${parsed.error.issues[0].message}`;
}

/** Signs a certificate body with the issuer's key (`sign`: Ed25519 over UTF-8, base64url). */
export function issueCertificate(body: CertificateBody, sign: (message: string) => string, sha256Hex: Sha256Hex): Certificate {
  return { body, sig: sign(certSigningString(body)), certId: certIdOf(body, sha256Hex) };
}

export function issueRevocation(body: RevocationBody, sign: (message: string) => string): SignedRevocation {
  return { body, sig: sign(revocationSigningString(body)) };
}

export type CertificateCheck = { ok: true; certificate: Certificate } | { ok: false; reason: string };

/**
 * Checks a certificate against the public key of the issuer it names: format, then signature.
 * The caller decides whether that issuer is trusted (judge.ts: pinned org key, or a hub).
 */
export function checkCertificate(input: SignedCertificate, issuerPublicKey: string, verify: VerifySignature, sha256Hex: Sha256Hex): CertificateCheck {
  const problem = certificateBodyProblem(input.body);
  if (problem) return { ok: false, reason: problem };
  if (typeof input.sig !== 'string' || !signaturePattern.test(input.sig)) return { ok: false, reason: 'certificate: sig must be a base64url Ed25519 signature' };
  if (!verify(issuerPublicKey, certSigningString(input.body), input.sig))
    return { ok: false, reason: "certificate: the issuer's signature does not verify (altered, or issued by another key)" };
  return { ok: true, certificate: { body: input.body, sig: input.sig, certId: certIdOf(input.body, sha256Hex) } };
}

export function checkRevocation(input: SignedRevocation, orgPublicKey: string, verify: VerifySignature): string | null {
  const problem = revocationBodyProblem(input.body);
  if (problem) return problem;
  if (typeof input.sig !== 'string' || !signaturePattern.test(input.sig)) return 'revocation: sig must be a base64url Ed25519 signature';
  if (!verify(orgPublicKey, revocationSigningString(input.body), input.sig)) return "revocation: the org's signature does not verify (altered, or issued by another key)";
  return null;
}

/** Whether a certificate covers time `t` (ms, the op's HLC time): notBefore inclusive, notAfter exclusive. */
export const isWithin = (body: Pick<CertificateBody, 'notBefore' | 'notAfter'>, t: number) => t >= body.notBefore && t < body.notAfter;

/** The revocation in force at `t` (the earliest effective), or undefined. */
export function revocationAt(revocations: readonly RevocationBody[], t: number): RevocationBody | undefined {
  let found: RevocationBody | undefined;
  for (const r of revocations) if (r.effectiveAt <= t && (found === undefined || r.effectiveAt < found.effectiveAt)) found = r;
  return found;
}

// Transport: one line of base64url (a header value, a file, a QR code) holding the canonical JSON.
const toBase64url = (text: string) => {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};
const fromBase64url = (text: string) => {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
};

export const encodeCertificate = (certificate: SignedCertificate) => toBase64url(canonicalJson({ body: certificate.body, sig: certificate.sig }));

/** A certificate from its encoded form, format-checked (not its signature: see checkCertificate). */
export function decodeCertificate(text: string): { ok: true; certificate: SignedCertificate } | { ok: false; reason: string } {
  let value: unknown;
  try {
    if (!/^[A-Za-z0-9_-]{1,8000}$/.test(text)) throw new Error('not base64url');
    value = JSON.parse(fromBase64url(text));
  } catch {
    return { ok: false, reason: 'certificate: not an encoded certificate' };
  }
  const { body, sig, ...rest } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return { ok: false, reason: 'certificate: unexpected fields' };
  const problem = certificateBodyProblem(body);
  if (problem) return { ok: false, reason: problem };
  if (typeof sig !== 'string' || !signaturePattern.test(sig)) return { ok: false, reason: 'certificate: sig must be a base64url Ed25519 signature' };
  return { ok: true, certificate: { body: body as CertificateBody, sig } };
}
