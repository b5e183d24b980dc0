// Ops: every change to a replica is one. An op is identified by its UUIDv7 `opId` (the dedupe key
// everywhere), ordered by its HLC, scoped to a stream, and chained: each op a device writes in a
// stream carries the hash of that device's previous op in the stream, so a removed, reordered or
// altered record breaks the chain at a position anyone can name.
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson, type Json } from './canonical';
import { entitySpecs, isEntityName, type EntityName } from './entities';
import { decodeHlc, deviceIdPattern, isHlc } from './hlc';
import { isUuidV7 } from './ids';

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
}

/** What a domain service asks to write; the replica stamps it into an Op. */
export interface OpDraft {
  entity: EntityName;
  rowId: string;
  fields: Record<string, Json>;
}

export const genesisHash = '0'.repeat(64);
const hexHash = /^[0-9a-f]{64}$/;
const streamPattern = /^(incident:[0-9a-f-]{36}|library|directory|org|comms)$/;

/**
 * The hashed body of an op: the canonical JSON of everything but its chain fields. Written out by
 * hand because it is on the hot path; it equals `canonicalJson` of the same object (keys sorted).
 */
export function opBody(op: Omit<Op, 'hash'>): string {
  const q = JSON.stringify;
  return (
    `{"actorId":${q(op.actorId)},"deviceId":${q(op.deviceId)},"entity":${q(op.entity)},"fields":${canonicalJson(op.fields)},` +
    `"hlc":${q(op.hlc)},"kind":${q(op.kind)},"opId":${q(op.opId)},"rowId":${q(op.rowId)},"streamId":${q(op.streamId)}}`
  );
}

/** SHA-256 of UTF-8 text as lowercase hex. Node hosts pass their native one; this is the portable one. */
export type Sha256Hex = (text: string) => string;
export const portableSha256Hex: Sha256Hex = (text) => bytesToHex(sha256(utf8ToBytes(text)));

export function hashOp(op: Omit<Op, 'hash'>, sha256Hex: Sha256Hex = portableSha256Hex): string {
  return sha256Hex(`${op.prevHash}\n${opBody(op)}`);
}

const envelopeKeys = ['opId', 'hlc', 'streamId', 'actorId', 'deviceId', 'entity', 'rowId', 'kind', 'fields', 'prevHash', 'hash'];

/** The envelope of an op, checked by hand: this runs for every op a replica or the service receives. */
function envelopeProblem(input: unknown): string | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return 'op: must be an object';
  const op = input as Record<string, unknown>;
  for (const key of Object.keys(op)) if (!envelopeKeys.includes(key)) return `op: unexpected field "${key.slice(0, 40)}"`;
  const text = (key: string, max: number) => typeof op[key] === 'string' && op[key].length > 0 && op[key].length <= max;
  if (!text('opId', 36) || !isUuidV7(op.opId as string)) return 'opId: must be a UUIDv7';
  if (!text('hlc', 40) || !isHlc(op.hlc as string)) return 'hlc: must be a clock value ms-counter-device';
  if (!text('streamId', 50) || !streamPattern.test(op.streamId as string)) return 'streamId: must be incident:<id>, library, directory, org or comms';
  if (!text('actorId', 200)) return 'actorId: must be 1 to 200 characters';
  if (!text('deviceId', 16) || !deviceIdPattern.test(op.deviceId as string)) return 'deviceId: must be 16 lowercase hex digits';
  if (typeof op.entity !== 'string') return 'entity: must be text';
  if (!text('rowId', 100)) return 'rowId: must be 1 to 100 characters';
  if (op.kind !== 'set' && op.kind !== 'append') return 'kind: must be "set" or "append"';
  if (typeof op.fields !== 'object' || op.fields === null || Array.isArray(op.fields)) return 'fields: must be an object';
  if (typeof op.prevHash !== 'string' || !hexHash.test(op.prevHash)) return 'prevHash: must be 64 hex digits';
  if (typeof op.hash !== 'string' || !hexHash.test(op.hash)) return 'hash: must be 64 hex digits';
  return null;
}

/** The opId of something that claims to be an op, for reporting why it was refused. */
export function claimedOpId(input: unknown): string | null {
  const opId = (input as { opId?: unknown } | null)?.opId;
  return typeof opId === 'string' ? opId : null;
}

export type OpCheck = { ok: true; op: Op } | { ok: false; reason: string };

/**
 * Checks an op from outside (another replica, the service, an import): its shape, its entity and
 * fields, its stream, that its clock belongs to its device, and that its hash is its own.
 */
export function checkOp(input: unknown, sha256Hex: Sha256Hex = portableSha256Hex): OpCheck {
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
  if (decodeHlc(op.hlc).deviceId !== op.deviceId) return { ok: false, reason: 'hlc: clock was not issued by this op\'s device' };
  if (hashOp(op, sha256Hex) !== op.hash) return { ok: false, reason: 'hash: does not match the op\'s content' };
  // A fresh object with exactly the envelope's keys, so nothing else the sender attached travels on.
  const { opId, hlc, streamId, actorId, deviceId, entity, rowId, kind, fields, prevHash, hash } = op;
  return { ok: true, op: { opId, hlc, streamId, actorId, deviceId, entity, rowId, kind, fields, prevHash, hash } };
}
