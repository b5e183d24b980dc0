// The sync protocol (/v1), shared by the central service, the war-room hub and the sync client.
import { z } from 'zod';
import type { Op } from './ops';
import { roles, type CertRole } from './roles';
import { publicKeyPattern, signaturePattern, type OrgKey, type SignedCertificate } from './trust/types';

export const maxOpsPerPush = 2000;
export const maxPullLimit = 5000;
export const maxSyncBodyBytes = 8 * 1024 * 1024;
/** Every reply of the service and of a hub carries its clock (ms since the epoch): replicas measure their offset from it. */
export const timeHeader = 'x-holdfast-time';

export const pushRequest = z
  .object({ ops: z.array(z.unknown(), { error: 'ops must be an array' }).max(maxOpsPerPush, { error: `at most ${maxOpsPerPush} ops per push` }) })
  .strict();

/** `refused`: stored (chains stay whole) but not projected; `held`: kept apart until it can be judged. */
export type PushResult =
  | { opId: string | null; status: 'accepted' | 'duplicate' }
  | { opId: string | null; status: 'refused' | 'held'; reason: string }
  | { opId: string | null; status: 'rejected'; reason: string };

export interface PushResponse {
  results: PushResult[];
}

export const pullQuery = z
  .object({
    stream: z.string({ error: 'stream is required' }).min(1).max(60),
    after: z.coerce.number({ error: 'after must be a number' }).int().min(0).default(0),
    limit: z.coerce.number({ error: 'limit must be a number' }).int().min(1).max(maxPullLimit).default(1000),
    /** Leave out this device's own ops (it has them); the cursor still moves past them. */
    skipDevice: z
      .string()
      .regex(/^[0-9a-f]{16}$/, { error: 'skipDevice must be a device id' })
      .optional(),
  })
  .strict();

export interface PullResponse {
  ops: Op[];
  /** Pass as `after` next time. */
  cursor: number;
  hasMore: boolean;
}

export interface StreamHead {
  streamId: string;
  head: number;
}

export interface StreamsResponse {
  streams: StreamHead[];
}

export interface WhoAmI {
  name: string;
  role: (typeof roles)[number];
  /** What this node is: the central service or a war-room hub. */
  node: 'central' | 'hub';
  /** The central service with an org key: the organisation's key id (GET /v1/trust/root has the keys). */
  orgKeyId?: string;
}

/** Pushed over /v1/sync/live: a stream advanced; pull it from your cursor. */
export interface Poke {
  streamId: string;
}

/**
 * What a war-room hub also says over /v1/sync/live: `centralBack` when its host reached the
 * central service again (members reconnect to it at once), `members` how many laptops it serves now.
 */
export interface HubNotice {
  centralBack?: true;
  members?: number;
}

/** Any message on /v1/sync/live. */
export type LiveMessage = Partial<Poke> & HubNotice;

/** GET /v1/hub/challenge: what a laptop signs to join (the nonce is good for one join within a minute). */
export interface HubChallenge {
  hubDeviceId: string;
  nonce: string;
}

const deviceIdField = z.string().regex(/^[0-9a-f]{16}$/, { error: 'deviceId must be 16 lowercase hex digits' });

/**
 * POST /v1/hub/join. `proof`: the device key's signature over hubJoinSigningString(hubDeviceId,
 * nonce, code, fingerprint of the hub's TLS certificate as the laptop pinned it). With `certificate`, the principal is who it names (its key must have signed the
 * proof); with `guest` (a laptop never connected to the service), the hub's host issues a guest
 * certificate for that key. Exactly one of the two.
 */
export const joinRequest = z
  .object({
    code: z.string({ error: 'code is required' }).min(4).max(64),
    nonce: z.string({ error: 'nonce is required: ask GET /v1/hub/challenge first' }).regex(/^[A-Za-z0-9_-]{16,64}$/, { error: 'nonce: not one this hub gives' }),
    certificate: z
      .object({ body: z.record(z.string(), z.unknown()), sig: z.string().max(200) })
      .strict()
      .optional(),
    guest: z
      .object({
        name: z.string({ error: 'guest.name is required' }).trim().min(1, { error: 'guest.name: say who you are' }).max(100),
        deviceId: deviceIdField,
        publicKey: z.string().regex(publicKeyPattern, { error: 'guest.publicKey must be a raw Ed25519 public key, base64url' }),
      })
      .strict()
      .optional(),
    proof: z.string({ error: 'proof is required' }).regex(signaturePattern, { error: 'proof must be an Ed25519 signature, base64url' }),
  })
  .strict()
  .refine((r) => (r.certificate === undefined) !== (r.guest === undefined), { error: 'send either certificate or guest, not both or neither' });
export type JoinRequest = z.infer<typeof joinRequest>;

export interface JoinResponse {
  token: string;
  /** Who the hub admitted: the certificate's user, or `guest:<name>`. */
  name: string;
  role: CertRole;
  /** For a guest: the certificate the host issued (also written into the trust stream). */
  certificate?: SignedCertificate;
  /** The organisation keys the host trusts (a guest pins them: it has no other source). */
  orgKeys: OrgKey[];
}

/** Why a hub refused a join: the status to answer with and what to tell the laptop. */
export interface JoinRefusal {
  status: 401 | 403 | 409 | 429;
  message: string;
}

export interface SyncErrorBody {
  error: { code: string; message: string };
}

// ─── Delivery coordination (POST /v1/outbox/claim, /v1/outbox/settle) ─────────────────────────────
// Several replicas may be online with the same published update in their outbox. Before sending it
// to a channel, a replica claims the delivery's key at the coordinator (the central service, or a
// hub with no service above it): one compare-and-set, so one replica holds a lease at a time. The
// holder settles the claim as delivered (nobody sends it again, ever) or releases it after a
// failure (anyone may try again later). A lease that runs out unsettled passes to the next claimer.

export const minLeaseMs = 1_000;
export const maxLeaseMs = 10 * 60_000;

/** The claiming device's signature over the claim or settlement (shared/trust/comms-rules claimSigningString). */
const claimProof = z
  .object({
    certId: z
      .string()
      .regex(/^[0-9a-f]{32}$/, { error: 'proof.certId must be a certificate id (32 hex digits) or null' })
      .nullable(),
    at: z.number({ error: 'proof.at must be the signing time in ms' }).int().min(0),
    sig: z.string({ error: 'proof.sig is required' }).max(200),
  })
  .strict();

export const claimRequest = z
  .object({
    /** incidentId/updateId/channelId */
    key: z.string({ error: 'key is required' }).min(1).max(400),
    /** The claiming device (its device id). */
    holder: z.string({ error: 'holder is required' }).min(1).max(200),
    leaseMs: z.number({ error: 'leaseMs must be a number' }).int().min(minLeaseMs).max(maxLeaseMs),
    proof: claimProof.optional(),
  })
  .strict();
export type ClaimRequest = z.infer<typeof claimRequest>;

export interface ClaimResponse {
  /** The caller holds the lease now and may send. */
  granted: boolean;
  /** Who holds it now (the caller when granted; the finisher when done). */
  holder: string;
  leaseUntil: number;
  /** Delivered already: nobody sends it again. */
  isDone: boolean;
  /** When granted after another holder's lease ran out unsettled: that holder (it may have sent). */
  previousHolder: string | null;
  /** Why the coordinator refused the claim itself (unsigned, a draft, a device not holding the channel). */
  refused?: string;
}

export const settleRequest = z
  .object({
    key: z.string({ error: 'key is required' }).min(1).max(400),
    holder: z.string({ error: 'holder is required' }).min(1).max(200),
    outcome: z.enum(['delivered', 'released'], { error: 'outcome must be delivered or released' }),
    proof: claimProof.optional(),
  })
  .strict();
export type SettleRequest = z.infer<typeof settleRequest>;

export type SettleResponse = { ok: true } | { ok: false; reason: string };

/** What decides which replica sends a delivery: the service's store, a hub, or a replica on its own. */
export interface DeliveryCoordinator {
  claim(request: ClaimRequest): Promise<ClaimResponse>;
  settle(request: SettleRequest): Promise<SettleResponse>;
}
