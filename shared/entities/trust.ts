// Entities of the trust stream: org keys, device certificates and their revocations, each carrying
// its issuer's signature so any node can check it without the service; and legacy seals, the
// service's list of the unsigned ops (written before signing existed) it vouches for. Ordinary roles are granted
// nothing here: the trust branch of judgeOp (shared/trust/judge.ts) decides who may write them.
import { z } from 'zod';
import { publicKeyPattern, shortIdPattern, signaturePattern } from '../trust/types';
import { epochMs, userName } from './common';
import type { EntityAuthority } from './authority';
import { declareEntity } from './declare';
import { placements } from './streams';

const shortId = z.string().regex(shortIdPattern, { error: 'must be 32 hex digits' });
const publicKey = z.string().regex(publicKeyPattern, { error: 'must be a base64url Ed25519 public key' });
const signature = z.string().regex(signaturePattern, { error: 'must be a base64url Ed25519 signature' });

// Roles are checked against certRoles by the judge (importing shared/roles here would make a cycle
// with shared/entities); the schema only bounds the text.
export const certificateBodySchema = z
  .object({
    v: z.literal(1),
    org: shortId,
    user: z.string().min(1).max(200),
    role: z.string().regex(/^[a-z]{1,20}$/),
    deviceId: z.string().regex(/^[0-9a-f]{16}$/),
    publicKey,
    issuedAt: epochMs,
    notBefore: epochMs,
    notAfter: epochMs,
    adopts: z.boolean(),
    aliases: z.array(userName).max(20),
    issuer: z.discriminatedUnion('kind', [z.object({ kind: z.literal('org'), keyId: shortId }).strict(), z.object({ kind: z.literal('hub'), certId: shortId }).strict()]),
  })
  .strict();

export const revocationBodySchema = z
  .object({ v: z.literal(1), org: shortId, certId: shortId, effectiveAt: epochMs, issuedAt: epochMs, reason: z.string().max(500) })
  .strict();

/** Nobody writes trust records by role; judgeOp's trust branch checks the issuer's signature and the writer. */
const trustBranch: EntityAuthority<never> = {
  grants: { commander: 'none', comms: 'none', responder: 'none' },
  refusal: () => 'only the service writes the trust stream (org keys, certificates, revocations)',
};

/** The most op hashes one legacy seal lists; a bigger stream is sealed by several. */
export const maxLegacySealHashes = 2000;

/** An org public key (row id: the op id). The first is pinned out of band; later ones are endorsed by an earlier one. */
export const org_key = declareEntity({
  kind: 'append',
  fields: z.object({ keyId: shortId, publicKey, createdAt: epochMs, endorsedBy: shortId.optional(), endorsement: signature.optional() }).strict(),
  stream: placements.trust,
  table: 'trust_org_keys',
  authority: trustBranch,
});

/** A device certificate as issued (row id: the op id; its natural key is its certId). */
export const device_cert = declareEntity({
  kind: 'append',
  fields: z.object({ body: certificateBodySchema, sig: signature }).strict(),
  stream: placements.trust,
  table: 'trust_certs',
  authority: trustBranch,
});

/** The revocation of a certificate from a point in time (row id: the op id). */
export const cert_revocation = declareEntity({
  kind: 'append',
  fields: z.object({ body: revocationBodySchema, sig: signature }).strict(),
  stream: placements.trust,
  table: 'trust_revocations',
  authority: trustBranch,
});

/**
 * The service vouches for unsigned ops of a stream that it stored before it had an org key (row id:
 * the op id): every node treats an unsigned op whose full hash is listed here as valid (`legacy`).
 * Only a `service`-role certificate may write one (judgeOp's trust branch).
 */
export const legacy_seal = declareEntity({
  kind: 'append',
  fields: z
    .object({
      streamId: z.string().regex(/^(incident:[0-9a-f-]{36}|library|directory|org|comms)$/, { error: 'must name a stream that may hold unsigned ops' }),
      hashes: z
        .array(z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be a full op hash (64 hex digits)' }))
        .min(1, { error: 'a legacy seal lists at least one op hash' })
        .max(maxLegacySealHashes, { error: `a legacy seal lists at most ${maxLegacySealHashes} op hashes: write several` }),
    })
    .strict(),
  stream: placements.trust,
  table: 'trust_legacy',
  authority: trustBranch,
});
