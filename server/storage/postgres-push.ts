// Writing ops to PostgreSQL: a push inserted and numbered gap-free per stream in commit order,
// purges applied under their stream's exclusive lock, and the service's own writes chained and
// made idempotent. Locks are taken in one global order, so concurrent writers cannot deadlock.
import type pg from 'pg';
import type { PoolClient } from 'pg';
import { canonicalJson } from '@shared/canonical';
import { incidentOfStream } from '@shared/entities';
import { purgedStreamOf } from '@shared/purge';
import { opsMonth } from './postgres-partitions';
import { inTransaction } from './postgres-pool';
import {
  acceptedHeads,
  planPush,
  stampServiceOps,
  toIdempotencyRecord,
  type IdempotencyRow,
  type InsertStatus,
  type ServiceWrite,
  type ServiceWriteOutcome,
  type StoredOp,
} from './sync-store';

// Step 0 of a push: the stream locks it needs, one per key, in key order (a transaction-level
// advisory lock in the two-key space, so it never meets the migration lock's single-key one).
const streamLockClass = 0x48667374; // "Hfst"
const lockKeysSql = `
  SELECT hashtext(t.stream_id) AS key, bool_or(t.exclusive) AS exclusive
  FROM unnest($1::text[], $2::boolean[]) AS t(stream_id, exclusive)
  GROUP BY 1 ORDER BY 1`;

// Step 1 of a push: lock the heads of the streams it writes, in stream order (making the missing
// ones), and read them. The head rows stay locked until commit, so the writers of one stream take
// turns and its numbers are handed out in commit order.
const lockHeadsSql = `
  INSERT INTO stream_heads AS h (stream_id, head)
  SELECT s, 0 FROM unnest($1::text[]) AS s ORDER BY s
  ON CONFLICT (stream_id) DO UPDATE SET head = h.head
  RETURNING stream_id, head`;

// Step 2: claim the opIds in op_ids (migration 009), the op log's one key across partitions. Those
// not returned are stored already. A concurrent push claiming the same opId makes this wait for its
// commit and then skip it (or take it, if that push rolled back); claiming in sorted order means two
// pushes sharing several opIds wait in one direction only, so they cannot deadlock.
const claimOpIdsSql = 'INSERT INTO op_ids (op_id) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT DO NOTHING RETURNING op_id';

// Step 3: insert the new ops with their numbers, in one statement.
const insertOpsSql = `
  INSERT INTO ops (op_id, stream_id, seq, hlc, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at, cert_id, sig, refusal, month)
  SELECT t.op_id, t.stream_id, t.seq, t.hlc, t.actor_id, t.device_id, t.entity, t.row_id, t.kind, t.fields, t.prev_hash, t.hash, $13::bigint, t.cert_id, t.sig, t.refusal, t.month
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $14::text[], $15::text[], $16::text[], $17::integer[])
    AS t(op_id, stream_id, seq, hlc, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, cert_id, sig, refusal, month)`;

// Step 4: move each stream's head past its new ops.
const moveHeadsSql = `
  UPDATE stream_heads AS h SET head = v.head
  FROM unnest($1::text[], $2::bigint[]) AS v(stream_id, head)
  WHERE h.stream_id = v.stream_id`;

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** insertOps inside a transaction the caller holds (a push's own, or a service write's). */
export async function insertIn(client: PoolClient, ops: readonly StoredOp[], receivedAt: number): Promise<InsertStatus[]> {
  // The first copy of an opId in a push is the candidate; later copies are duplicates of it.
  const firstIndex = new Map<string, number>();
  ops.forEach((op, index) => {
    if (!firstIndex.has(op.opId)) firstIndex.set(op.opId, index);
  });
  // The streams this push writes (shared locks) and those its purge records remove (exclusive).
  const written = new Set(ops.map((op) => op.streamId));
  const removed = new Set(ops.map((op) => (op.refusal === undefined ? purgedStreamOf(op) : null)).filter((streamId): streamId is string => streamId !== null));
  const lockStreams = [...new Set([...written, ...removed])];

  // Locks are always taken in one global order, so concurrent pushes cannot deadlock: stream
  // locks first (by key), then stream heads (sorted), then the opIds in op_ids (sorted), then the
  // new op rows. Two pushes of one opId (a forged copy under another stream, of any month) meet in
  // op_ids: the second waits for the first and finds it stored. A stream lock held shared by every push writing the stream and exclusive
  // by one purging it means a purge sees every op committed before it, and a push after it
  // sees the purge.
  const keys = await client.query<{ key: number; exclusive: boolean }>(lockKeysSql, [lockStreams, lockStreams.map((streamId) => removed.has(streamId))]);
  for (const { key, exclusive } of keys.rows) {
    await client.query(exclusive ? 'SELECT pg_advisory_xact_lock($1, $2)' : 'SELECT pg_advisory_xact_lock_shared($1, $2)', [streamLockClass, key]);
  }
  const purgedBefore = new Set(
    (await client.query<{ stream_id: string }>('SELECT stream_id FROM purged_streams WHERE stream_id = ANY($1::text[])', [lockStreams])).rows.map((row) => row.stream_id),
  );
  const { gone, purges } = planPush(ops, (streamId) => purgedBefore.has(streamId));
  const candidates = [...firstIndex.values()].filter((index) => !gone[index]).map((index) => ops[index]);
  const isNew = candidates.length > 0 ? await insertNew(client, candidates, receivedAt) : new Set<string>();
  for (const [streamId, purge] of [...purges].sort(([a], [b]) => byText(a, b))) {
    // Its rows stay in their month's partition, left out of every read from now on, until
    // reclaimPurged drops or rewrites that partition (postgres-partitions.ts).
    const month = opsMonth(streamId);
    const hidden = await client.query<{ count: number }>('SELECT count(*)::bigint AS count FROM ops WHERE month = $1 AND stream_id = $2', [month, streamId]);
    await client.query('DELETE FROM stream_heads WHERE stream_id = $1', [streamId]);
    await client.query('DELETE FROM service_chain_heads WHERE stream_id = $1', [streamId]);
    await client.query(
      `INSERT INTO purged_streams (stream_id, incident_id, purge_op_id, purged_at, recorded_at, deleted_ops, month)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [streamId, incidentOfStream(streamId), purge.opId, purge.fields.purgedAt as number, receivedAt, hidden.rows[0].count, month],
    );
  }

  return ops.map((op, index): InsertStatus => (gone[index] ? 'gone' : firstIndex.get(op.opId) === index && isNew.has(op.opId) ? 'accepted' : 'duplicate'));
}

/** Inserts and numbers the ops not yet stored (candidates: one copy per opId); returns their opIds. */
async function insertNew(client: PoolClient, candidates: readonly StoredOp[], receivedAt: number): Promise<Set<string>> {
  const streams = [...new Set(candidates.map((op) => op.streamId))].sort(byText);
  const heads = new Map((await client.query<{ stream_id: string; head: number }>(lockHeadsSql, [streams])).rows.map((row) => [row.stream_id, row.head]));
  if (heads.size !== streams.length) throw new Error(`insertOps: locked ${heads.size} of ${streams.length} stream heads`);

  const claimed = (await client.query<{ op_id: string }>(claimOpIdsSql, [candidates.map((op) => op.opId)])).rows;
  const isNew = new Set(claimed.map((row) => row.op_id));
  const fresh = candidates.filter((op) => isNew.has(op.opId));
  if (fresh.length === 0) return isNew;

  // Numbered per stream in input order.
  const seqs = fresh.map((op) => {
    const seq = heads.get(op.streamId)! + 1;
    heads.set(op.streamId, seq);
    return seq;
  });
  const column = (pick: (op: StoredOp) => string | null) => fresh.map(pick);
  await client.query(insertOpsSql, [
    column((op) => op.opId),
    column((op) => op.streamId),
    seqs,
    column((op) => op.hlc),
    column((op) => op.actorId),
    column((op) => op.deviceId),
    column((op) => op.entity),
    column((op) => op.rowId),
    column((op) => op.kind),
    column((op) => canonicalJson(op.fields)),
    column((op) => op.prevHash),
    column((op) => op.hash),
    receivedAt,
    column((op) => op.certId ?? null),
    column((op) => op.sig ?? null),
    column((op) => op.refusal ?? null),
    fresh.map((op) => opsMonth(op.streamId)),
  ]);
  const moved = [...new Set(fresh.map((op) => op.streamId))];
  await client.query(moveHeadsSql, [moved, moved.map((streamId) => heads.get(streamId)!)]);
  return isNew;
}

// Service writes: the identity row locked first (FOR UPDATE), so they take turns across nodes;
// then what a push takes (stream locks, heads, op rows). A push never waits for the identity row,
// so the order stays global.
export async function writeAsService(pool: pg.Pool, write: ServiceWrite, receivedAt: number): Promise<ServiceWriteOutcome> {
  return inTransaction(pool, async (client): Promise<ServiceWriteOutcome> => {
    const self = (
      await client.query<{ deviceId: string; lastHlc: string | null }>(
        'SELECT device_id AS "deviceId", last_hlc AS "lastHlc" FROM service_identity WHERE id = 1 FOR UPDATE',
      )
    ).rows[0];
    if (!self) throw new Error('service_identity has no row: the store was not opened properly');
    const { idempotency } = write;
    if (idempotency) {
      const row = (
        await client.query<IdempotencyRow>('SELECT fingerprint, status, body, created_at FROM idempotency_keys WHERE user_name = $1 AND key = $2', [
          idempotency.userName,
          idempotency.key,
        ])
      ).rows[0];
      if (row) {
        const record = toIdempotencyRecord(row);
        return record.fingerprint === idempotency.fingerprint ? { outcome: 'replayed', reply: record.reply } : { outcome: 'conflict', recordedAt: record.recordedAt };
      }
    }
    const streams = [...new Set(write.drafts.map((draft) => draft.streamId))];
    const heads = new Map(
      (await client.query<{ stream_id: string; hash: string }>('SELECT stream_id, hash FROM service_chain_heads WHERE stream_id = ANY($1::text[])', [streams])).rows.map(
        (row) => [row.stream_id, row.hash],
      ),
    );
    const { ops, lastHlc } = stampServiceOps(write.drafts, self, heads, receivedAt, write.signer);
    const statuses = ops.length > 0 ? await insertIn(client, ops, receivedAt) : [];
    for (const [streamId, hash] of [...acceptedHeads(ops, statuses)].sort(([a], [b]) => byText(a, b))) {
      await client.query('INSERT INTO service_chain_heads (stream_id, hash) VALUES ($1, $2) ON CONFLICT (stream_id) DO UPDATE SET hash = EXCLUDED.hash', [
        streamId,
        hash,
      ]);
    }
    if (lastHlc !== self.lastHlc) await client.query('UPDATE service_identity SET last_hlc = $1 WHERE id = 1', [lastHlc]);
    const reply = write.reply(statuses);
    if (idempotency && reply.status < 400) {
      await client.query('INSERT INTO idempotency_keys (user_name, key, fingerprint, status, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)', [
        idempotency.userName,
        idempotency.key,
        idempotency.fingerprint,
        reply.status,
        canonicalJson(reply.body),
        receivedAt,
      ]);
    }
    return { outcome: 'written', reply, ops: ops.filter((_, i) => statuses[i] === 'accepted'), statuses };
  });
}
