// Op-log rows as the replica's and the service's tables store them, and back to ops.
import type { Json } from '../canonical';
import type { Op } from '../ops';

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
  prev_hash: string;
  hash: string;
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
    prevHash: row.prev_hash,
    hash: row.hash,
    // Only when present, so a legacy op reads back with exactly the keys it was written with.
    ...(row.cert_id == null ? {} : { certId: row.cert_id }),
    ...(row.sig == null ? {} : { sig: row.sig }),
  };
}
