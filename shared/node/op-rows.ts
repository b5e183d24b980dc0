// Op-log rows as the replica's and the service's tables store them, and back to ops.
import type { Json } from '../canonical';
import { genesisHash, type Op } from '../ops';

/**
 * A hash as a row holds it: hex text (the service's tables, replica logs before schema 23) or its 32
 * bytes (the replica's log since schema 23, where NULL stands for the genesis link).
 */
export type StoredHash = string | Uint8Array;

/** A stored hash as hex text; NULL (a replica's genesis link) is the genesis hash. */
export const hexOfStored = (value: StoredHash | null): string =>
  value === null ? genesisHash : typeof value === 'string' ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex');

/** How the replica's op log (schema 23 on) stores a hash: its bytes, and the genesis link as NULL. */
export const storedHashOf = (hex: string): Buffer | null => (hex === genesisHash ? null : hashBytes(hex));

/** A hash's 32 bytes; anything but 64 hex digits is refused (Buffer.from would drop what it cannot read). */
export function hashBytes(hex: string): Buffer {
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`not a SHA-256 hash in lowercase hex: ${JSON.stringify(hex.slice(0, 80))}`);
  return Buffer.from(hex, 'hex');
}

/** An op as a row of an op-log table (the replica's and the service's share these columns). */
export interface OpRow {
  seq: number;
  op_id: string;
  hlc: string;
  stream_id: string;
  actor_id: string;
  device_id: string;
  entity: Op['entity'];
  row_id: string;
  kind: Op['kind'];
  fields: string;
  prev_hash: StoredHash | null;
  hash: StoredHash;
  /** Present once the table has the signing columns (replica 017, service 006); NULL on legacy ops. */
  cert_id?: string | null;
  sig?: string | null;
}

export function toOp(row: OpRow): Op {
  return {
    opId: row.op_id,
    hlc: row.hlc,
    streamId: row.stream_id,
    actorId: row.actor_id,
    deviceId: row.device_id,
    entity: row.entity,
    rowId: row.row_id,
    kind: row.kind,
    fields: JSON.parse(row.fields) as Record<string, Json>,
    prevHash: hexOfStored(row.prev_hash),
    hash: hexOfStored(row.hash),
    // Only when present, so a legacy op reads back with exactly the keys it was written with.
    ...(row.cert_id == null ? {} : { certId: row.cert_id }),
    ...(row.sig == null ? {} : { sig: row.sig }),
  };
}
