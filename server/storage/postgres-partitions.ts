// The op log's partitions (migration 008): one per month of incident declaration, plus ops_permanent
// for every stream that is not an incident. Partitions are made ahead (this month and the next two,
// at open and daily) and on demand before a push writes into a month that has none (an incident
// declared long ago, pushed from an old laptop). A purge hides its stream at once; reclaimPurged
// then drops a month whose incidents are all purged, or rewrites it without the purged ones when
// they hold most of it, so retention never deletes op rows one by one.
import type pg from 'pg';
import { inTransaction, sqlState } from './postgres-pool';

const incidentStreamPattern = /^incident:[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The partition key of a stream's ops: yyyymm of its incident's declaration (UUIDv7 time), 0 for other streams. Same rule as holdfast_ops_month in SQL. */
export function opsMonth(streamId: string): number {
  if (!incidentStreamPattern.test(streamId)) return 0;
  const ms = Number.parseInt(streamId.slice(9, 17) + streamId.slice(18, 22), 16);
  const date = new Date(ms);
  return date.getUTCFullYear() * 100 + date.getUTCMonth() + 1;
}

/** yyyymm of a moment, and of the months after it. */
export function monthOf(ms: number, monthsAhead = 0): number {
  const date = new Date(ms);
  const index = date.getUTCFullYear() * 12 + date.getUTCMonth() + monthsAhead;
  return Math.floor(index / 12) * 100 + (index % 12) + 1;
}

export const partitionName = (month: number) => (month === 0 ? 'ops_permanent' : `ops_m${month}`);

/** Class of the advisory locks partition changes take (two-key space, beside the stream locks). */
const partitionLockClass = 0x48667074; // "Hfpt"

/** Creates partitions as they are needed; remembers those it knows exist. */
export function createPartitioner(pool: pg.Pool) {
  const known = new Set<number>([0]);
  let loaded: Promise<void> | null = null;
  const load = () =>
    (loaded ??= (async () => {
      const { rows } = await pool.query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'ops'::regclass`,
      );
      for (const { name } of rows) if (/^ops_m\d+$/.test(name)) known.add(Number(name.slice(5)));
    })().catch((error: unknown) => {
      loaded = null;
      throw error;
    }));

  /** Makes sure every month has its partition (outside any push's transaction: creating one locks the op log briefly). */
  async function ensure(months: Iterable<number>): Promise<void> {
    await load();
    for (const month of new Set(months)) {
      if (known.has(month)) continue;
      if (!Number.isSafeInteger(month) || month <= 0) throw new RangeError(`op log partition month ${month} is not a yyyymm`);
      await inTransaction(pool, async (client) => {
        await client.query('SELECT pg_advisory_xact_lock($1, $2)', [partitionLockClass, month]);
        const exists = await client.query('SELECT 1 FROM pg_class WHERE relname = $1', [partitionName(month)]);
        if (exists.rowCount === 0) {
          await client.query(`CREATE TABLE ${client.escapeIdentifier(partitionName(month))} PARTITION OF ops FOR VALUES IN (${month})`);
        }
      });
      known.add(month);
    }
  }

  /** This month's partition and the next two. */
  const ahead = (now: number) => ensure([monthOf(now), monthOf(now, 1), monthOf(now, 2)]);

  /** Forgets what it knew (a reclaim dropped partitions). */
  const forget = (months: Iterable<number>) => {
    for (const month of months) known.delete(month);
  };

  return { ensure, ahead, forget };
}

export type Partitioner = ReturnType<typeof createPartitioner>;

export interface ReclaimReport {
  /** Months whose partition was dropped: every incident in it purged. */
  dropped: number[];
  /** Months rewritten without their purged incidents (the others, e.g. under legal hold, kept). */
  rewritten: number[];
  /** Months left as they are for now: most of their ops belong to incidents not purged. */
  waiting: number[];
}

/**
 * Removes the rows of purged streams by whole partitions. For each month with purges not yet
 * reclaimed: no other stream left in it, the partition is dropped; the purged ops at least as many
 * as the others, it is replaced by a new partition holding only the others; otherwise it waits
 * (the purged ops stay hidden from every read until then). Takes the op log's exclusive lock for
 * each month it changes: pushes and pulls wait that long (a drop is instant; a rewrite copies the
 * ops kept).
 */
export async function reclaimPurged(pool: pg.Pool, partitioner: Partitioner, now: number): Promise<ReclaimReport> {
  const report: ReclaimReport = { dropped: [], rewritten: [], waiting: [] };
  // Month 0 (ops_permanent) is never dropped: an incident whose id is not a UUIDv7 lives there, and
  // its purged rows are deleted (rare: every incident id the app makes is a UUIDv7). Reported as a
  // rewrite of month 0.
  const permanent = await inTransaction(pool, async (client) => {
    const streams = (
      await client.query<{ stream_id: string }>('UPDATE purged_streams SET reclaimed_at = $1 WHERE month = 0 AND reclaimed_at IS NULL RETURNING stream_id', [now])
    ).rows.map((row) => row.stream_id);
    if (streams.length > 0) await client.query('DELETE FROM ops WHERE month = 0 AND stream_id = ANY($1::text[])', [streams]);
    return streams.length;
  });
  if (permanent > 0) report.rewritten.push(0);
  const pending = (await pool.query<{ month: number }>('SELECT DISTINCT month FROM purged_streams WHERE reclaimed_at IS NULL AND month <> 0 ORDER BY month')).rows;
  for (const { month } of pending) {
    const outcome = await inTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [partitionLockClass, month]);
      const table = client.escapeIdentifier(partitionName(month));
      if ((await client.query('SELECT 1 FROM pg_class WHERE relname = $1', [partitionName(month)])).rowCount === 0) {
        await client.query('UPDATE purged_streams SET reclaimed_at = $2 WHERE month = $1 AND reclaimed_at IS NULL', [month, now]);
        return 'dropped' as const;
      }
      const keep = `NOT EXISTS (SELECT 1 FROM purged_streams p WHERE p.stream_id = o.stream_id)`;
      const count = async () =>
        (
          await client.query<{ kept: number; purged: number }>(
            `SELECT count(*) FILTER (WHERE ${keep})::bigint AS kept, count(*) FILTER (WHERE NOT ${keep})::bigint AS purged FROM ${table} o`,
          )
        ).rows[0];
      const isWaiting = ({ kept, purged }: { kept: number; purged: number }) => kept > 0 && kept > purged;
      if (isWaiting(await count())) return 'waiting' as const;
      // The whole op log, first: dropping or attaching a partition takes it anyway, and a push that
      // holds it while waiting for this month's partition would otherwise deadlock with us. Then
      // counted again: a push may have written into the month meanwhile.
      await client.query('LOCK TABLE ops IN ACCESS EXCLUSIVE MODE');
      const counts = await count();
      if (isWaiting(counts)) return 'waiting' as const;
      if (counts.kept === 0) {
        await client.query(`DROP TABLE ${table}`);
      } else {
        const fresh = client.escapeIdentifier(`${partitionName(month)}_kept`);
        await client.query(`CREATE TABLE ${fresh} (LIKE ops INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`);
        await client.query(`INSERT INTO ${fresh} SELECT * FROM ${table} o WHERE ${keep}`);
        await client.query(`DROP TABLE ${table}`);
        await client.query(`ALTER TABLE ${fresh} RENAME TO ${table}`);
        await client.query(`ALTER TABLE ops ATTACH PARTITION ${table} FOR VALUES IN (${month})`);
      }
      await client.query('UPDATE purged_streams SET reclaimed_at = $2 WHERE month = $1 AND reclaimed_at IS NULL', [month, now]);
      return counts.kept === 0 ? ('dropped' as const) : ('rewritten' as const);
    }).catch((error: unknown) => {
      // A partition made by another node while we looked: try again on the next reclaim.
      if (sqlState(error) === '42P07') return 'waiting' as const;
      throw error;
    });
    report[outcome].push(month);
    if (outcome === 'dropped') partitioner.forget([month]);
  }
  return report;
}
