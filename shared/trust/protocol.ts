// The certificate routes of the sync protocol: POST /v1/certs (a device asks the service to certify
// its key) and GET /v1/trust/root (the org keys a client pins). Shapes only; the service answers.
import { z } from 'zod';
import { publicKeyPattern, signaturePattern, type Certificate, type OrgKey } from './types';

/** How far (minutes) the minute a proof was signed in may be from the service's clock. */
export const certProofWindowMinutes = 5;

export const certRequest = z
  .object({
    deviceId: z.string().regex(/^[0-9a-f]{16}$/, { error: 'must be the device id: 16 lowercase hex digits' }),
    publicKey: z.string().regex(publicKeyPattern, { error: "must be the device's raw Ed25519 public key, base64url (43 characters)" }),
    /** Names this device wrote under before it was certified (its certless ops become the user's). */
    aliases: z.array(z.string().min(1).max(100), { error: 'aliases must be a list of names' }).max(20).optional(),
    proof: z.string().regex(signaturePattern, {
      error: "must be the device key's Ed25519 signature (base64url, 86 characters) over certRequestSigningString(orgKeyId, user, deviceId, minute)",
    }),
  })
  .strict();
export type CertRequest = z.infer<typeof certRequest>;

/** An org key as the service publishes it, with the fingerprint people compare out of band. */
export interface PublishedOrgKey extends OrgKey {
  /** SHA-256 hex of the base64url public key (fingerprintOf). */
  fingerprint: string;
}

/** GET /v1/trust/root. `orgKeyId` is the organisation: its first key, the one replicas pin. */
export interface TrustRootResponse {
  orgKeyId: string;
  keys: PublishedOrgKey[];
}

/** POST /v1/certs. */
export interface CertResponse {
  certificate: Certificate;
  orgKeys: PublishedOrgKey[];
}
