// SQL for the op log: the record every projection is derived from. Rows are only ever inserted.
import type { Database } from 'better-sqlite3';
import type { Json } from '../../shared/canonical';
import { canonicalJson } from '../../shared/canonical';
import { genesisHash, type Op } from '../../shared/ops';

interface OpRow {
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
  };
}

export type StoredOp = Op & { seq: number };

export function createOpLog(db: Database) {
  const insert = db.prepare(`INSERT OR IGNORE INTO ops
    (op_id, hlc, stream_id, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const head = db.prepare('SELECT hash FROM ops WHERE device_id = ? AND stream_id = ? ORDER BY hlc DESC LIMIT 1').pluck();
  const newestHlc = db.prepare('SELECT max(hlc) FROM ops WHERE device_id = ?').pluck();
  const byChain = db.prepare('SELECT * FROM ops ORDER BY device_id, stream_id, hlc, op_id');
  const count = db.prepare('SELECT count(*) FROM ops').pluck();
  const since = db.prepare('SELECT * FROM ops WHERE seq > ? ORDER BY seq LIMIT ?');

  return {
    /** Inserts an op; false when its opId is already known (a duplicate). */
    insert(op: Op, receivedAt: number): boolean {
      const fields = canonicalJson(op.fields);
      const result = insert.run(op.opId, op.hlc, op.streamId, op.actorId, op.deviceId, op.entity, op.rowId, op.kind, fields, op.prevHash, op.hash, receivedAt);
      return result.changes === 1;
    },
    /** Hash of a device's newest op in a stream: what its next op chains to. */
    chainHead(deviceId: string, streamId: string): string {
      return (head.get(deviceId, streamId) as string | undefined) ?? genesisHash;
    },
    newestHlcOf(deviceId: string): string | undefined {
      return (newestHlc.get(deviceId) as string | null) ?? undefined;
    },
    *inChainOrder(): Generator<StoredOp> {
      for (const row of byChain.iterate() as Iterable<OpRow>) yield { ...toOp(row), seq: row.seq };
    },
    since(seq: number, limit: number): StoredOp[] {
      return (since.all(seq, limit) as OpRow[]).map((row) => ({ ...toOp(row), seq: row.seq }));
    },
    count(): number {
      return count.get() as number;
    },
  };
}
export type OpLog = ReturnType<typeof createOpLog>;
