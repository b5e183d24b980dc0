// The shapes the trust core speaks in: certificates, revocations, org keys, verdicts, and the
// injected signature check (shared/ stays free of node:crypto; shared/node/ed25519.ts provides it).
import type { CertRole } from '../roles';
import type { Sha256Hex } from '../ops';

/** A raw Ed25519 public key, base64url without padding (32 bytes). */
export const publicKeyPattern = /^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/;
/** An Ed25519 signature, base64url without padding (64 bytes). */
export const signaturePattern = /^[A-Za-z0-9_-]{85}[AQgw]$/;
/** A certificate id or key id: the first 32 hex digits of a SHA-256. */
export const shortIdPattern = /^[0-9a-f]{32}$/;

/** Who issued a certificate: the organisation's key, or a war-room hub (guest certificates only). */
export type Issuer = { kind: 'org'; keyId: string } | { kind: 'hub'; certId: string };

/** What the organisation (or a hub) vouches for: this key is this user's device, in this role, for this time. */
export interface CertificateBody {
  v: 1;
  /** The organisation: the keyId of its first (pinned) org key. */
  org: string;
  user: string;
  role: CertRole;
  deviceId: string;
  publicKey: string;
  issuedAt: number;
  /** Valid from notBefore (inclusive) to notAfter (exclusive), in the op's HLC time (ms). */
  notBefore: number;
  notAfter: number;
  /** Covers this device's earlier certless ops (written standalone or before signing existed). */
  adopts: boolean;
  /** Other names those adopted ops used. */
  aliases: string[];
  issuer: Issuer;
}

/** A certificate as it travels: its body and the issuer's signature over certSigningString(body). */
export interface SignedCertificate {
  body: CertificateBody;
  sig: string;
}

/** A certificate a node has accepted: its issuer's signature was checked when it was accepted. */
export interface Certificate extends SignedCertificate {
  certId: string;
}

/** The org withdraws a certificate from `effectiveAt` (op HLC time, ms) on. */
export interface RevocationBody {
  v: 1;
  /** The keyId of the org key that signed it. */
  org: string;
  certId: string;
  effectiveAt: number;
  issuedAt: number;
  reason: string;
}

export interface SignedRevocation {
  body: RevocationBody;
  sig: string;
}

/** An org public key. Keys after the first are endorsed by an earlier one (rotation). */
export interface OrgKey {
  keyId: string;
  publicKey: string;
  createdAt: number;
  endorsedBy?: string;
  /** The endorsing key's signature over orgKeySigningString({keyId, publicKey, createdAt}). */
  endorsement?: string;
}

/** Checks an Ed25519 signature over UTF-8 `message`; false for anything malformed, never throws. */
export type VerifySignature = (publicKey: string, message: string, signature: string) => boolean;

export interface SignatureCheck {
  publicKey: string;
  message: string;
  signature: string;
}
/** Checks many signatures at once, off the calling thread where the host can (libuv threadpool on Node). */
export type VerifyMany = (checks: readonly SignatureCheck[]) => Promise<boolean[]>;

/** What a node knows of trust when it judges an op: every answer must come from data every node can hold. */
export interface TrustView {
  /** An org key this node trusts (pinned, or endorsed by a trusted one), by keyId. */
  orgKey(keyId: string): OrgKey | undefined;
  /** An accepted certificate (see Certificate), by certId. */
  certificate(certId: string): Certificate | undefined;
  /** The accepted revocations of a certificate. */
  revocations(certId: string): readonly RevocationBody[];
  /** The accepted certificate with `adopts: true` for a device (its certless ops are judged under it). */
  adoptingCertificate(deviceId: string): Certificate | undefined;
  /** Whether an org legacy_seal covers this unsigned op (grandfathered: accepted under the old rules). */
  isLegacySealed(op: { opId: string; deviceId: string; streamId: string; hash: string }): boolean;
  /** On a never-connected replica: its own device and key. Its certless ops are its own to judge. */
  standalone: { deviceId: string; publicKey: string } | null;
  verify: VerifySignature;
  sha256Hex: Sha256Hex;
}

/** Who an op is judged as. `certId` null: a legacy or standalone op; `role` null: grandfathered legacy. */
export interface Signer {
  certId: string | null;
  user: string;
  role: CertRole | null;
  deviceId: string;
}

/**
 * How a valid op is trusted: `certified` (its own certificate), `adopted` (certless, judged under the
 * device's adopting certificate), `guest` (hub-issued, self-named), `legacy` (org-sealed, unsigned),
 * `standalone` (this never-connected replica's own work).
 */
export type Trust = 'certified' | 'adopted' | 'guest' | 'legacy' | 'standalone';

/**
 * `valid`: projected. `refused`: authentic but not allowed; kept in the log, marked, not projected.
 * `held`: cannot be decided yet (a certificate or org key is missing); kept outside the log and
 * judged again when trust data arrives. `rejected`: not what it claims to be; never stored.
 */
export type Verdict =
  { is: 'valid'; signer: Signer; trust: Trust } | { is: 'refused'; reason: string; signer: Signer } | { is: 'held'; reason: string } | { is: 'rejected'; reason: string };
