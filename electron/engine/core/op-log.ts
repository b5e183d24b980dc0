// SQL for the op log: the record every projection is derived from. Rows are only ever inserted,
// except that a purge record removes its incident's whole stream (every device's chain in it).
// A refused op (authentic, but its signer may not write it) is kept with its reason, never projected.
import type { Database } from 'better-sqlite3';
import { canonicalJson } from '@shared/canonical';
import { genesisHash, type Op } from '@shared/ops';
import { hashBytes, hexOfStored, storedHashOf, toOp, type OpRow, type StoredHash } from '@shared/node/op-rows';

export { toOp, type OpRow } from '@shared/node/op-rows';

export type StoredOp = Op & { seq: number };

/** An op kept in the log although its signer was not allowed to write it. */
export interface RefusedOp {
  opId: string;
  seq: number;
  deviceId: string;
  streamId: string;
  reason: string;
}

const toStored = (row: OpRow): StoredOp => ({ ...toOp(row), seq: row.seq });

export function createOpLog(db: Database) {
  // Prepared on first use: verify-chain and backup verification read logs of older schemas,
  // which have no signing columns.
  const lazy = <T>(make: () => T) => {
    let made: T | undefined;
    return () => (made ??= make());
  };
  const insert = lazy(() =>
    db.prepare(`INSERT OR IGNORE INTO ops
    (op_id, hlc, stream_id, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at, source, cert_id, sig, refusal)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
  );
  const projectableSince = lazy(() => db.prepare("SELECT * FROM ops WHERE seq > ? AND (refusal IS NULL OR entity = 'device_cert') ORDER BY seq LIMIT ?"));
  const refused = lazy(() =>
    db.prepare('SELECT op_id AS opId, seq, device_id AS deviceId, stream_id AS streamId, refusal AS reason FROM ops WHERE refusal IS NOT NULL ORDER BY seq'),
  );
  const hashOf = db.prepare('SELECT hash FROM ops WHERE op_id = ?').pluck();
  const hashesOf = db.prepare('SELECT op_id AS opId, hash FROM ops WHERE op_id IN (SELECT value FROM json_each(?))');
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
  const streamOutbox = db.prepare(`SELECT * FROM ops WHERE stream_id = ? AND seq > ? AND (source IS NULL OR source <> ?) ORDER BY seq LIMIT ?`);
  const outboxCount = db.prepare('SELECT count(*) FROM ops WHERE seq > ? AND (source IS NULL OR source <> ?) AND (? IS NULL OR device_id = ?)').pluck();

  return {
    /** Inserts an op (with `refusal` when it is kept but not projected); false when its opId is already known (a duplicate). */
    insert(op: Op, receivedAt: number, source: string | null = null, refusal: string | null = null): boolean {
      const fields = canonicalJson(op.fields);
      const { opId, hlc, streamId, actorId, deviceId, entity, rowId, kind, prevHash, hash } = op;
      const row = [opId, hlc, streamId, actorId, deviceId, entity, rowId, kind, fields, storedHashOf(prevHash), hashBytes(hash), receivedAt, source];
      return insert().run(...row, op.certId ?? null, op.sig ?? null, refusal).changes === 1;
    },
    /** The hash stored under an opId, if the op is in the log. */
    storedHash(opId: string): string | undefined {
      const stored = hashOf.get(opId) as StoredHash | undefined;
      return stored === undefined ? undefined : hexOfStored(stored);
    },
    /** The hashes stored under these opIds (one query for a whole batch); opIds not in the log are absent. */
    storedHashes(opIds: readonly string[]): Map<string, string> {
      const rows = hashesOf.all(JSON.stringify(opIds)) as { opId: string; hash: StoredHash }[];
      return new Map(rows.map((row) => [row.opId, hexOfStored(row.hash)]));
    },
    /**
     * What projections are rebuilt from, after `seq`: the valid ops, and certificates even when the
     * op carrying them was refused (see projectsWhenRefused in replica.ts).
     */
    projectableSince(seq: number, limit: number): StoredOp[] {
      return (projectableSince().all(seq, limit) as OpRow[]).map(toStored);
    },
    /** Every refused op, in log order, with its reason. */
    refused(): RefusedOp[] {
      return refused().all() as RefusedOp[];
    },
    /** Hash of a device's newest op in a stream: what its next op chains to. */
    chainHead(deviceId: string, streamId: string): string {
      const stored = head.get(deviceId, streamId) as StoredHash | undefined;
      return stored === undefined ? genesisHash : hexOfStored(stored);
    },
    newestHlcOf(deviceId: string): string | undefined {
      return (newestHlc.get(deviceId) as string | null) ?? undefined;
    },
    *inChainOrder(): Generator<StoredOp> {
      for (const row of byChain.iterate() as Iterable<OpRow>) yield toStored(row);
    },
    since(seq: number, limit: number): StoredOp[] {
      return (since.all(seq, limit) as OpRow[]).map(toStored);
    },
    /** A stream's ops after a local seq: what a war-room hub serves to pulls. */
    streamSince(streamId: string, seq: number, limit: number): StoredOp[] {
      return (streamSince.all(streamId, seq, limit) as OpRow[]).map(toStored);
    },
    streamHeads(): { streamId: string; head: number }[] {
      return streamHeads.all() as { streamId: string; head: number }[];
    },
    /**
     * Ops after `seq` that did not come from `peerId` (and, when `deviceId` is given, were written
     * on that device): what still has to be pushed to the peer.
     */
    outbox(peerId: string, seq: number, limit: number, deviceId: string | null = null): StoredOp[] {
      return (outbox.all(seq, peerId, deviceId, deviceId, limit) as OpRow[]).map(toStored);
    },
    /** The same for one stream only (the trust stream goes first), read through its index. */
    streamOutbox(peerId: string, streamId: string, seq: number, limit: number): StoredOp[] {
      return (streamOutbox.all(streamId, seq, peerId, limit) as OpRow[]).map(toStored);
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
