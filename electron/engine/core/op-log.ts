// SQL for the op log: the record every projection is derived from. Rows are only ever inserted,
// except that a purge record removes its incident's whole stream (every device's chain in it).
import type { Database } from 'better-sqlite3';
import { canonicalJson } from '@shared/canonical';
import { genesisHash, type Op } from '@shared/ops';
import { toOp, type OpRow } from '@shared/node/op-rows';

export { toOp, type OpRow } from '@shared/node/op-rows';

export type StoredOp = Op & { seq: number };

export function createOpLog(db: Database) {
  const insert = db.prepare(`INSERT OR IGNORE INTO ops
    (op_id, hlc, stream_id, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at, source)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const head = db.prepare('SELECT hash FROM ops WHERE device_id = ? AND stream_id = ? ORDER BY hlc DESC LIMIT 1').pluck();
  const newestHlc = db.prepare('SELECT max(hlc) FROM ops WHERE device_id = ?').pluck();
  const byChain = db.prepare('SELECT * FROM ops ORDER BY device_id, stream_id, hlc, op_id');
  const count = db.prepare('SELECT count(*) FROM ops').pluck();
  const newestSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM ops').pluck();
  const removeStream = db.prepare('DELETE FROM ops WHERE stream_id = ?');
  const since = db.prepare('SELECT * FROM ops WHERE seq > ? ORDER BY seq LIMIT ?');
  const streamSince = db.prepare('SELECT * FROM ops WHERE stream_id = ? AND seq > ? ORDER BY seq LIMIT ?');
  const streamHeads = db.prepare('SELECT stream_id AS streamId, max(seq) AS head FROM ops GROUP BY stream_id ORDER BY stream_id');
  const outbox = db.prepare(`SELECT * FROM ops WHERE seq > ? AND (source IS NULL OR source <> ?) AND (? IS NULL OR device_id = ?)
    ORDER BY seq LIMIT ?`);
  const outboxCount = db.prepare('SELECT count(*) FROM ops WHERE seq > ? AND (source IS NULL OR source <> ?) AND (? IS NULL OR device_id = ?)').pluck();

  return {
    /** Inserts an op; false when its opId is already known (a duplicate). */
    insert(op: Op, receivedAt: number, source: string | null = null): boolean {
      const fields = canonicalJson(op.fields);
      const result = insert.run(op.opId, op.hlc, op.streamId, op.actorId, op.deviceId, op.entity, op.rowId, op.kind, fields, op.prevHash, op.hash, receivedAt, source);
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
    /** A stream's ops after a local seq: what a war-room hub serves to pulls. */
    streamSince(streamId: string, seq: number, limit: number): StoredOp[] {
      return (streamSince.all(streamId, seq, limit) as OpRow[]).map((row) => ({ ...toOp(row), seq: row.seq }));
    },
    streamHeads(): { streamId: string; head: number }[] {
      return streamHeads.all() as { streamId: string; head: number }[];
    },
    /**
     * Ops after `seq` that did not come from `peerId` (and, when `deviceId` is given, were written
     * on that device): what still has to be pushed to the peer.
     */
    outbox(peerId: string, seq: number, limit: number, deviceId: string | null = null): StoredOp[] {
      return (outbox.all(seq, peerId, deviceId, deviceId, limit) as OpRow[]).map((row) => ({ ...toOp(row), seq: row.seq }));
    },
    outboxCount(peerId: string, seq: number, deviceId: string | null = null): number {
      return outboxCount.get(seq, peerId, deviceId, deviceId) as number;
    },
    count(): number {
      return count.get() as number;
    },
    /** The seq of the newest op held (0 when the log is empty). */
    newestSeq(): number {
      return newestSeq.get() as number;
    },
    /**
     * Removes every op of a stream (an incident purged under the retention setting). Whole chains
     * go, so every chain left still verifies. Returns how many ops were removed.
     */
    removeStream(streamId: string): number {
      return removeStream.run(streamId).changes;
    },
  };
}
export type OpLog = ReturnType<typeof createOpLog>;
