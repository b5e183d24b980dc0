// Writing ops to PostgreSQL: a push inserted and numbered gap-free per stream in commit order,
// purges applied under their stream's exclusive lock, and the service's own writes chained and
// made idempotent. Locks are taken in one global order, so concurrent writers cannot deadlock.
import type pg from 'pg';
import type { PoolClient } from 'pg';
import { canonicalJson } from '@shared/canonical';
import { incidentOfStream } from '@shared/entities';
import { purgedStreamOf } from '@shared/purge';
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

// Step 1 of a push: insert the new ops without a seq. ON CONFLICT DO NOTHING skips a known opId
// without spending a number; one being inserted by a transaction still open makes this wait until
// that one ends, then skip it (or insert it, if that one rolled back). RETURNING names the new ones.
const insertOpsSql = `
  INSERT INTO ops (op_id, stream_id, hlc, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at, cert_id, sig, refusal)
  SELECT t.op_id, t.stream_id, t.hlc, t.actor_id, t.device_id, t.entity, t.row_id, t.kind, t.fields, t.prev_hash, t.hash, $12::bigint, t.cert_id, t.sig, t.refusal
  FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $13::text[], $14::text[], $15::text[])
    WITH ORDINALITY AS t(op_id, stream_id, hlc, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, cert_id, sig, refusal, ord)
  ORDER BY t.ord
  ON CONFLICT (op_id) DO NOTHING
  RETURNING op_id`;

// Step 2: move each stream's head past its new ops. The head row stays locked until commit, so
// the writers of one stream take turns and its numbers are handed out in commit order.
const bumpHeadsSql = `
  INSERT INTO stream_heads AS h (stream_id, head)
  SELECT t.stream_id, t.added FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS t(stream_id, added, ord)
  ORDER BY t.ord
  ON CONFLICT (stream_id) DO UPDATE SET head = h.head + EXCLUDED.head
  RETURNING stream_id, head`;

// Step 3: give the new ops their numbers.
const numberOpsSql = `
  UPDATE ops SET seq = v.seq
  FROM unnest($1::text[], $2::bigint[]) AS v(op_id, seq)
  WHERE ops.op_id = v.op_id AND ops.seq IS NULL`;

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
  // locks first (by key), then opIds (sorted), then stream heads (sorted), never an opId while
  // holding a head. A stream lock held shared by every push writing the stream and exclusive
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
    const deleted = await client.query('DELETE FROM ops WHERE stream_id = $1', [streamId]);
    await client.query('DELETE FROM stream_heads WHERE stream_id = $1', [streamId]);
    await client.query('DELETE FROM service_chain_heads WHERE stream_id = $1', [streamId]);
    await client.query(
      `INSERT INTO purged_streams (stream_id, incident_id, purge_op_id, purged_at, recorded_at, deleted_ops)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [streamId, incidentOfStream(streamId), purge.opId, purge.fields.purgedAt as number, receivedAt, deleted.rowCount ?? 0],
    );
  }

  return ops.map((op, index): InsertStatus => (gone[index] ? 'gone' : firstIndex.get(op.opId) === index && isNew.has(op.opId) ? 'accepted' : 'duplicate'));
}

/** Inserts and numbers the ops not yet stored (candidates: one copy per opId); returns their opIds. */
async function insertNew(client: PoolClient, candidates: readonly StoredOp[], receivedAt: number): Promise<Set<string>> {
  const byOpId = [...candidates].sort((a, b) => byText(a.opId, b.opId));
  const column = (pick: (op: StoredOp) => string | null) => byOpId.map(pick);
  const { rows } = await client.query<{ op_id: string }>(insertOpsSql, [
    column((op) => op.opId),
    column((op) => op.streamId),
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
  ]);
  const isNew = new Set(rows.map((row) => row.op_id));
  if (isNew.size === 0) return isNew;

  // New ops per stream, in input order: that is the order they are numbered in.
  const newByStream = new Map<string, StoredOp[]>();
  for (const op of candidates) {
    if (!isNew.has(op.opId)) continue;
    const list = newByStream.get(op.streamId);
    if (list) list.push(op);
    else newByStream.set(op.streamId, [op]);
  }
  const streams = [...newByStream.keys()].sort(byText);
  const heads = await client.query<{ stream_id: string; head: number }>(bumpHeadsSql, [streams, streams.map((streamId) => newByStream.get(streamId)!.length)]);
  const opIds: string[] = [];
  const seqs: number[] = [];
  for (const { stream_id: streamId, head } of heads.rows) {
    const list = newByStream.get(streamId)!;
    list.forEach((op, i) => {
      opIds.push(op.opId);
      seqs.push(head - list.length + 1 + i);
    });
  }
  const numbered = await client.query(numberOpsSql, [opIds, seqs]);
  if (heads.rowCount !== streams.length || numbered.rowCount !== isNew.size) {
    throw new Error(`insertOps: numbered ${numbered.rowCount} of ${isNew.size} new ops in ${heads.rowCount} of ${streams.length} streams`);
  }
  return isNew;
}

// Service writes: the identity row locked first (FOR UPDATE), so they take turns across nodes;
// then what a push takes (stream locks, opIds, heads). A push never waits for the identity row,
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
