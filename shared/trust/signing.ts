// Domain-separated signing strings (one prefix per purpose, so a signature made for one thing can
// never be replayed as another), and signing an op as a device.
import { canonicalJson } from '../canonical';
import { hashOp, type Op, type Sha256Hex } from '../ops';
import type { CertificateBody, OrgKey, RevocationBody } from './types';

export const signingDomains = {
  op: 'holdfast-op-v1\n',
  certificate: 'holdfast-cert-v1\n',
  revocation: 'holdfast-revocation-v1\n',
  orgKey: 'holdfast-org-key-v1\n',
  hubJoin: 'holdfast-hub-join-v2\n',
  certRequest: 'holdfast-cert-request-v1\n',
} as const;

/** What a device signs for an op: its 64-hex hash (which already commits to certId and the chain). */
export const opSigningString = (hash: string) => signingDomains.op + hash;
export const certSigningString = (body: CertificateBody) => signingDomains.certificate + canonicalJson(body);
export const revocationSigningString = (body: RevocationBody) => signingDomains.revocation + canonicalJson(body);
/** What an earlier org key signs to endorse a new one (rotation). */
export const orgKeySigningString = (key: Pick<OrgKey, 'keyId' | 'publicKey' | 'createdAt'>) =>
  signingDomains.orgKey + canonicalJson({ createdAt: key.createdAt, keyId: key.keyId, publicKey: key.publicKey });
/**
 * What a device signs to prove it holds its key when it joins a hub: the hub's device, its nonce,
 * the code, and the SHA-256 fingerprint (64 lower-case hex) of the TLS certificate the joining
 * laptop pinned. The hub checks that fingerprint is its own certificate's, so a proof made for a
 * machine posing as the hub (relaying the real hub's challenge) admits nobody on the real one.
 */
export const hubJoinSigningString = (hubDeviceId: string, nonce: string, code: string, tlsFingerprint: string) =>
  signingDomains.hubJoin + [hubDeviceId, nonce, code, tlsFingerprint].join('\n');

/**
 * What a device signs to ask the service for a certificate: the org it expects, the token's user,
 * itself, and the minute (ms / 60000) it signed in, so a captured proof is useless elsewhere or later.
 */
export const certRequestSigningString = (orgKeyId: string, user: string, deviceId: string, minute: number) =>
  signingDomains.certRequest + [orgKeyId, user, deviceId, String(minute)].join('\n');

/** A device's signing capability: the certificate it signs under (null before it has one) and its key. */
export interface OpSigner {
  certId: string | null;
  /** Ed25519 signature (base64url) over UTF-8 `message`. */
  sign(message: string): string;
}

/** Stamps `certId`, hashes and signs an op: the one way a signed op is made. */
export function signOp(unsigned: Omit<Op, 'hash' | 'sig' | 'certId'>, signer: OpSigner, sha256Hex: Sha256Hex): Op {
  const withCert: Omit<Op, 'hash'> = signer.certId === null ? { ...unsigned } : { ...unsigned, certId: signer.certId };
  const hash = hashOp(withCert, sha256Hex);
  return { ...withCert, hash, sig: signer.sign(opSigningString(hash)) };
}
