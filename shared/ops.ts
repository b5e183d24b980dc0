// Ops: every change to a replica is one. An op is identified by its UUIDv7 `opId` (the dedupe key
// everywhere), ordered by its HLC, scoped to a stream, and chained: each op a device writes in a
// stream carries the hash of that device's previous op in the stream, so a removed, reordered or
// altered record breaks the chain at a position anyone can name. A signed op also names the
// certificate it was written under (`certId`, hashed) and carries its device's signature (`sig`).
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson, type Json } from './canonical';
import { entitySpecs, isEntityName, type EntityName } from './entities';
import { decodeHlc, deviceIdPattern, isHlc } from './hlc';
import { isUuidV7 } from './ids';
import { shortIdPattern, signaturePattern } from './trust/types';

export const opKinds = ['set', 'append'] as const;
export type OpKind = (typeof opKinds)[number];

export interface Op {
  opId: string;
  hlc: string;
  streamId: string;
  actorId: string;
  deviceId: string;
  entity: EntityName;
  rowId: string;
  kind: OpKind;
  fields: Record<string, Json>;
  /** Hash of this device's previous op in this stream; `genesisHash` for its first. */
  prevHash: string;
  /** sha256(prevHash ‖ canonical op). */
  hash: string;
  /** The certificate the op was written under (32 hex). Inside the hash; absent on legacy and standalone ops. */
  certId?: string;
  /** The device's Ed25519 signature (base64url) over opSigningString(hash). Outside the hash; absent on legacy ops. */
  sig?: string;
}

/** What a domain service asks to write; the replica stamps it into an Op. */
export interface OpDraft {
  entity: EntityName;
  rowId: string;
  fields: Record<string, Json>;
}

export const genesisHash = '0'.repeat(64);
const hexHash = /^[0-9a-f]{64}$/;
const streamPattern = /^(incident:[0-9a-f-]{36}|library|directory|org|comms|trust)$/;

/**
 * The hashed body of an op: the canonical JSON of everything but its chain fields and signature.
 * Written out by hand because it is on the hot path; it equals `canonicalJson` of the same object
 * (keys sorted). `certId` is written only when present, so an op without one (every op from before
 * signing) hashes byte for byte as it always did.
 */
export function opBody(op: Omit<Op, 'hash' | 'sig'>): string {
  const q = JSON.stringify;
  const certId = op.certId === undefined ? '' : `"certId":${q(op.certId)},`;
  return (
    `{"actorId":${q(op.actorId)},${certId}"deviceId":${q(op.deviceId)},"entity":${q(op.entity)},"fields":${canonicalJson(op.fields)},` +
    `"hlc":${q(op.hlc)},"kind":${q(op.kind)},"opId":${q(op.opId)},"rowId":${q(op.rowId)},"streamId":${q(op.streamId)}}`
  );
}

/** SHA-256 of UTF-8 text as lowercase hex. Node hosts pass their native one; this is the portable one. */
export type Sha256Hex = (text: string) => string;
export const portableSha256Hex: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

export function hashOp(op: Omit<Op, 'hash' | 'sig'>, sha256Hex: Sha256Hex = portableSha256Hex): string {
  return sha256Hex(`${op.prevHash}\n${opBody(op)}`);
}

/** Every property an op may have; anything else is refused, so nothing unhashed rides along. */
export const envelopeKeys: readonly (keyof Op)[] = [
  'opId',
  'hlc',
  'streamId',
  'actorId',
  'deviceId',
  'entity',
  'rowId',
  'kind',
  'fields',
  'prevHash',
  'hash',
  'certId',
  'sig',
];

const envelopeKeySet: ReadonlySet<string> = new Set(envelopeKeys);

/** The envelope of an op, checked by hand: this runs for every op a replica or the service receives. */
function envelopeProblem(input: unknown): string | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'op: must be an object';
  const op = input as Record<string, unknown>;
  for (const key of Object.keys(op)) if (!envelopeKeySet.has(key)) return `op: unexpected field "${key.slice(0, 40)}"`;
  const text = (key: string, max: number) => typeof op[key] === 'string' && op[key].length > 0 && op[key].length <= max;
  if (!text('opId', 36) || !isUuidV7(op.opId as string)) return 'opId: must be a UUIDv7';
  if (!text('hlc', 40) || !isHlc(op.hlc as string)) return 'hlc: must be a clock value ms-counter-device';
  if (!text('streamId', 50) || !streamPattern.test(op.streamId as string)) return 'streamId: must be incident:<id>, library, directory, org, comms or trust';
  if (!text('actorId', 200)) return 'actorId: must be 1 to 200 characters';
  if (!text('deviceId', 16) || !deviceIdPattern.test(op.deviceId as string)) return 'deviceId: must be 16 lowercase hex digits';
  if (typeof op.entity !== 'string') return 'entity: must be text';
  if (!text('rowId', 100)) return 'rowId: must be 1 to 100 characters';
  if (op.kind !== 'set' && op.kind !== 'append') return 'kind: must be "set" or "append"';
  if (typeof op.fields !== 'object' || op.fields === null || Array.isArray(op.fields)) return 'fields: must be an object';
  if (typeof op.prevHash !== 'string' || !hexHash.test(op.prevHash)) return 'prevHash: must be 64 hex digits';
  if (typeof op.hash !== 'string' || !hexHash.test(op.hash)) return 'hash: must be 64 hex digits';
  if (op.certId !== undefined && (typeof op.certId !== 'string' || !shortIdPattern.test(op.certId))) return 'certId: must be 32 hex digits';
  if (op.sig !== undefined && (typeof op.sig !== 'string' || !signaturePattern.test(op.sig))) return 'sig: must be a base64url Ed25519 signature';
  // Without a signature nothing binds the op to its certificate's key: a bare certId is a claim.
  if (op.certId !== undefined && op.sig === undefined) return 'sig: an op that names a certificate must be signed';
  return null;
}

/** The opId of something that claims to be an op, for reporting why it was refused. */
export function claimedOpId(input: unknown): string | null {
  const opId = (input as { opId?: unknown } | null)?.opId;
  return typeof opId === 'string' ? opId : null;
}

export type OpCheck = { ok: true; op: Op } | { ok: false; reason: string };

export interface CheckOptions {
  /**
   * Refuse unsigned ops whose clock is at or after this time (ms): a node that requires signatures
   * sets it to its first org key's createdAt. Absent: unsigned ops are accepted (legacy behaviour).
   */
  legacyBefore?: number;
}

/**
 * Checks an op from outside (another replica, the service, an import): its shape, its entity and
 * fields, its stream, that its clock belongs to its device, and that its hash is its own. Signatures
 * are checked for format only: verifying them is shared/trust/coverage's job, batched.
 */
export function checkOp(input: unknown, sha256Hex: Sha256Hex = portableSha256Hex, options: CheckOptions = {}): OpCheck {
  const problem = envelopeProblem(input);
  if (problem) return { ok: false, reason: problem };
  const op = input as Op;
  if (!isEntityName(op.entity)) return { ok: false, reason: `entity: unknown entity "${String(op.entity).slice(0, 40)}"` };
  const spec = entitySpecs[op.entity];
  if (op.kind !== spec.kind) return { ok: false, reason: `kind: ${op.entity} ops must be "${spec.kind}"` };
  if (spec.kind === 'append' && op.rowId !== op.opId) return { ok: false, reason: 'rowId: an append record is identified by its opId' };
  if (spec.kind === 'set' && Object.keys(op.fields).length === 0) return { ok: false, reason: 'fields: a set op must change at least one field' };
  const parsed = spec.fields.safeParse(op.fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const detail = issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : issue.message;
    return { ok: false, reason: `fields.${issue.path.join('.') || ''}: ${detail}`.replace('fields.: ', 'fields: ') };
  }
  if (op.streamId !== spec.streamOf(op.rowId, op.fields)) return { ok: false, reason: `streamId: ${op.entity} ${op.rowId} belongs to another stream` };
  if (decodeHlc(op.hlc).deviceId !== op.deviceId) return { ok: false, reason: "hlc: clock was not issued by this op's device" };
  if (options.legacyBefore !== undefined && op.sig === undefined && decodeHlc(op.hlc).ms >= options.legacyBefore) {
    return { ok: false, reason: 'sig: this service requires signed ops: update Holdfast' };
  }
  if (hashOp(op, sha256Hex) !== op.hash) return { ok: false, reason: "hash: does not match the op's content" };
  // A fresh object with exactly the envelope's keys, so nothing else the sender attached travels on.
  const { opId, hlc, streamId, actorId, deviceId, entity, rowId, kind, fields, prevHash, hash, certId, sig } = op;
  const checked: Op = { opId, hlc, streamId, actorId, deviceId, entity, rowId, kind, fields, prevHash, hash };
  if (certId !== undefined) checked.certId = certId;
  if (sig !== undefined) checked.sig = sig;
  return { ok: true, op: checked };
}
