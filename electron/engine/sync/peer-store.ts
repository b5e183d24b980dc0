// SQL for sync bookkeeping: configured peers, pull cursors, push marks and refused ops.
import type { Database } from 'better-sqlite3';
import type { Op } from '@shared/ops';
import { toOp, type OpRow } from '@shared/node/op-rows';
import { withRelaxedSync } from '../core/relaxed-sync';

export interface PeerRow {
  id: string;
  kind: 'central' | 'hub';
  url: string;
  userName: string;
}

export function createPeerStore(db: Database) {
  const cursor = db.prepare('SELECT cursor FROM sync_cursors WHERE peer_id = ? AND stream_id = ?').pluck();
  const setCursor = db.prepare(`INSERT INTO sync_cursors (peer_id, stream_id, cursor) VALUES (?, ?, ?)
    ON CONFLICT (peer_id, stream_id) DO UPDATE SET cursor = excluded.cursor`);
  const pushed = db.prepare('SELECT seq FROM sync_pushed WHERE peer_id = ?').pluck();
  const setPushed = db.prepare(`INSERT INTO sync_pushed (peer_id, seq) VALUES (?, ?)
    ON CONFLICT (peer_id) DO UPDATE SET seq = excluded.seq`);
  const refuse = db.prepare(`INSERT OR REPLACE INTO sync_rejections (peer_id, op_id, direction, reason, at) VALUES (?, ?, ?, ?, ?)`);
  const refusedCount = db.prepare('SELECT count(*) FROM sync_rejections WHERE peer_id = ?').pluck();
  const wait = db.prepare(`INSERT INTO sync_waiting (peer_id, op_id, reason, at) VALUES (?, ?, ?, ?)
    ON CONFLICT (peer_id, op_id) DO UPDATE SET reason = excluded.reason, at = excluded.at`);
  const unwait = db.prepare('DELETE FROM sync_waiting WHERE peer_id = ? AND op_id = ?');
  const waitingCount = db.prepare('SELECT count(*) FROM sync_waiting WHERE peer_id = ?').pluck();
  const waitingReasons = db.prepare('SELECT reason FROM sync_waiting WHERE peer_id = ? GROUP BY reason ORDER BY max(at) DESC LIMIT ?').pluck();
  // The waiting ops still in the log, oldest first (one of a purged incident is gone: dropped below).
  const waitingOps = db.prepare(`SELECT o.* FROM sync_waiting w JOIN ops o ON o.op_id = w.op_id WHERE w.peer_id = ? ORDER BY o.seq LIMIT ?`);
  const waitingGone = db.prepare('DELETE FROM sync_waiting WHERE peer_id = ? AND op_id NOT IN (SELECT op_id FROM ops)');
  const anyRefused = db.prepare('SELECT 1 FROM sync_rejections WHERE peer_id = ? AND direction = ? LIMIT 1').pluck();
  const clearRefusal = db.prepare('DELETE FROM sync_rejections WHERE peer_id = ? AND op_id = ? AND direction = ?');

  // An op of the stream the peer would not take yet, or refused on push (it may never have reached it).
  const unsettledIn = db
    .prepare(
      `SELECT 1 FROM ops o WHERE o.stream_id = ? AND (
        EXISTS (SELECT 1 FROM sync_waiting w WHERE w.peer_id = ? AND w.op_id = o.op_id)
        OR EXISTS (SELECT 1 FROM sync_rejections r WHERE r.peer_id = ? AND r.op_id = o.op_id AND r.direction = 'push')) LIMIT 1`,
    )
    .pluck();
  const forgetStream = db.prepare('DELETE FROM sync_cursors WHERE stream_id = ?');

  return {
    /** Whether an op of `streamId` waits to be sent to the peer again or was refused by it on push. */
    hasUnsettledIn(peerId: string, streamId: string): boolean {
      return unsettledIn.get(streamId, peerId, peerId) !== undefined;
    },
    /** Forgets every peer's pull cursor of a stream (it left this laptop: pulled again from the start if it comes back). */
    forgetStream(streamId: string): void {
      forgetStream.run(streamId);
    },
    list(): PeerRow[] {
      return db.prepare('SELECT id, kind, url, user_name AS userName FROM sync_peers ORDER BY added_at').all() as PeerRow[];
    },
    add(peer: PeerRow, at: number): void {
      db.prepare(
        `INSERT INTO sync_peers (id, kind, url, user_name, added_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET url = excluded.url, user_name = excluded.user_name`,
      ).run(peer.id, peer.kind, peer.url, peer.userName, at);
    },
    remove(peerId: string): void {
      db.transaction(() => {
        for (const table of ['sync_peers', 'sync_cursors', 'sync_pushed', 'sync_rejections', 'sync_waiting']) {
          db.prepare(`DELETE FROM ${table} WHERE ${table === 'sync_peers' ? 'id' : 'peer_id'} = ?`).run(peerId);
        }
      })();
    },
    cursor(peerId: string, streamId: string): number {
      return (cursor.get(peerId, streamId) as number | undefined) ?? 0;
    },
    /** Moves a pull cursor without waiting for the disk: lost in a power cut, the ops are pulled again. */
    setCursor(peerId: string, streamId: string, value: number): void {
      withRelaxedSync(db, () => setCursor.run(peerId, streamId, value));
    },
    pushedSeq(peerId: string): number {
      return (pushed.get(peerId) as number | undefined) ?? 0;
    },
    /** Lost in a power cut, the ops are pushed again (the peer answers duplicate). */
    setPushedSeq(peerId: string, seq: number): void {
      withRelaxedSync(db, () => setPushed.run(peerId, seq));
    },
    refuse(peerId: string, opId: string, direction: 'push' | 'pull', reason: string, at: number): void {
      refuse.run(peerId, opId, direction, reason, at);
    },
    /**
     * Forgets the refusals of ops the peer (or this replica) later took after all: a refusal
     * resolved is no longer shown. One query when the peer has no refusal in that direction.
     */
    clearRefusals(peerId: string, direction: 'push' | 'pull', opIds: readonly string[]): void {
      if (opIds.length === 0 || anyRefused.get(peerId, direction) === undefined) return;
      db.transaction(() => {
        for (const opId of opIds) clearRefusal.run(peerId, opId, direction);
      })();
    },
    refusedCount(peerId: string): number {
      return refusedCount.get(peerId) as number;
    },
    /** A local op the peer will not take yet (its clock is too far ahead): queued, sent again each pass. */
    wait(peerId: string, opId: string, reason: string, at: number): void {
      wait.run(peerId, opId, reason, at);
    },
    /** The peer took it (or settled it for good): no longer waiting. */
    unwait(peerId: string, opId: string): void {
      unwait.run(peerId, opId);
    },
    waitingCount(peerId: string): number {
      return waitingCount.get(peerId) as number;
    },
    /** The distinct reasons the waiting ops were given, newest first. */
    waitingReasons(peerId: string, limit = 3): string[] {
      return waitingReasons.all(peerId, limit) as string[];
    },
    /**
     * Earlier versions refused pulled ops from a clock over 5 minutes ahead and still moved the pull
     * cursor past them. Where that happened with this peer, its cursors are reset (its streams are
     * pulled again from the start; what is here already comes back as duplicates) and those
     * refusals forgotten. Returns how many such refusals there were.
     */
    recoverClockRefusals(peerId: string): number {
      return db.transaction(() => {
        const lost = db
          .prepare(`DELETE FROM sync_rejections WHERE peer_id = ? AND direction = 'pull' AND reason LIKE 'clock % ahead of this computer (limit %'`)
          .run(peerId).changes;
        if (lost > 0) db.prepare('DELETE FROM sync_cursors WHERE peer_id = ?').run(peerId);
        return lost;
      })();
    },
    /** The waiting ops to send again (those no longer in the log are forgotten). */
    waitingOps(peerId: string, limit: number): Op[] {
      if ((waitingCount.get(peerId) as number) === 0) return [];
      waitingGone.run(peerId);
      return (waitingOps.all(peerId, limit) as OpRow[]).map(toOp);
    },
  };
}
export type PeerStore = ReturnType<typeof createPeerStore>;
