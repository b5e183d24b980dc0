// The trust calls of the engine contract: `trust.status` (what this replica trusts and who it
// writes as) and `trust.pin` (pin the organisation's key, given out of band).
import { z } from 'zod';
import type { CertRole } from '../roles';
import { publicKeyPattern } from './types';

/** A fingerprint as people read it aloud: 64 hex digits, spaces or colons between groups allowed. */
export const normalFingerprint = (text: string) => text.replace(/[\s:]/g, '').toLowerCase();
/** A fingerprint in groups of four, for reading aloud and comparing by eye. */
export const groupedFingerprint = (hex: string) => hex.replace(/(.{4})(?=.)/g, '$1 ');

export const pinOrgKeyRequest = z
  .object({
    publicKey: z
      .string({ error: 'publicKey is required: the base64url org public key (`holdfast server org-key show` prints it); a fingerprint alone cannot pin a key' })
      .trim()
      .regex(publicKeyPattern, { error: 'publicKey must be the base64url Ed25519 org public key (43 characters), as `holdfast server org-key show` prints it' }),
    fingerprint: z
      .string()
      .transform(normalFingerprint)
      .pipe(z.string().regex(/^[0-9a-f]{64}$/, { error: 'fingerprint must be the 64 hex digits `holdfast server org-key show` prints (spaces allowed)' }))
      .optional(),
  })
  .strict();
export type PinOrgKeyRequest = z.input<typeof pinOrgKeyRequest>;

/** What this replica trusts and who it writes as. */
export interface TrustStatus {
  /** `standalone`: no org key pinned, nothing judged; `certified`/`guest`: ops judged against the pinned key. */
  mode: 'standalone' | 'certified' | 'guest';
  /** Who this replica writes as: its certificate's user, else its local actor name. */
  user: string;
  role: CertRole | null;
  certId: string | null;
  certExpiresAt: number | null;
  orgKeyId: string | null;
  /** SHA-256 of the pinned org public key (as `holdfast server org-key show` prints it), in groups of four. */
  orgFingerprint: string | null;
  /** Ops received that cannot be judged yet (their certificate or org key has not arrived). */
  heldCount: number;
}
