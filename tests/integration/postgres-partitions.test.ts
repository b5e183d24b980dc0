// The PostgreSQL op log's partitions (migration 008, server/storage/postgres-partitions.ts) and its
// read replica (DATABASE_READ_URL): the month rule, the conversion of a database made before
// partitioning, partitions made ahead, retention reclaiming whole partitions, and pulls served by
// a replica that lags.
import net from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/ids';
import { migrate, migrations } from '../../server/storage/postgres-pool';
import { monthOf, opsMonth } from '../../server/storage/postgres-partitions';
import { openPostgresSyncStore, type PostgresSyncStore } from '../../server/storage/postgres-store';
import { purgeOp, timelineOps } from '../support/ops';
import { postgresDatabase, postgresStandby } from '../support/postgres';

const stores: PostgresSyncStore[] = [];
const clients: pg.Client[] = [];
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const client of clients.splice(0)) await client.end();
});

async function openStore(url: string, readUrl?: string, onError: (message: string, error: unknown) => void = () => {}) {
  const store = await openPostgresSyncStore(url, { readUrl, onError });
  stores.push(store);
  return store;
}

async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  clients.push(client);
  return client;
}

const partitionsOf = async (client: pg.Client) =>
  (
    await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'ops'::regclass ORDER BY 1`,
    )
  ).rows.map((row) => row.name);

/** An incident id declared at `ms` (UUIDv7), and its stream. */
const incidentAt = (ms: number) => uuidv7(ms);

describe('op log partitions (postgres)', () => {
  it('puts an incident in the month of its declaration, the same in TypeScript and SQL; other streams in month 0', async () => {
    const url = await postgresDatabase();
    await openStore(url);
    const client = await connect(url);
    const samples = [
      `incident:${incidentAt(Date.UTC(2026, 11, 31, 23, 59, 59, 999))}`,
      `incident:${incidentAt(Date.UTC(2027, 0, 1))}`,
      `incident:${incidentAt(Date.UTC(2019, 1, 28, 12))}`,
      'incident:not-a-uuid',
      `incident:${incidentAt(Date.UTC(2027, 0, 1)).toUpperCase()}`,
      'org',
      'library',
      'trust',
    ];
    expect(samples.map(opsMonth)).toEqual([202612, 202701, 201902, 0, 0, 0, 0, 0]);
    const { rows } = await client.query<{ month: number }>('SELECT holdfast_ops_month(s) AS month FROM unnest($1::text[]) WITH ORDINALITY AS t(s, i) ORDER BY i', [
      samples,
    ]);
    expect(rows.map((row) => row.month)).toEqual(samples.map(opsMonth));
  });

  it('converts a database made before partitioning, keeping every op, cursor and purge', async () => {
    const url = await postgresDatabase();
    const client = await connect(url);
    // The database as the service left it at migration 007: ops in one table.
    const before = new pg.Pool({ connectionString: url });
    try {
      await migrate(before, migrations.slice(0, 7));
    } finally {
      await before.end();
    }
    const incidentId = incidentAt(Date.UTC(2025, 4, 20));
    const ops = [...timelineOps(3, { incidentId }), ...timelineOps(2)];
    const seqs = new Map<string, number>();
    for (const op of ops) {
      const seq = (seqs.get(op.streamId) ?? 0) + 1;
      seqs.set(op.streamId, seq);
      await client.query(
        `INSERT INTO ops (op_id, stream_id, seq, hlc, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)`,
        [op.opId, op.streamId, seq, op.hlc, op.actorId, op.deviceId, op.entity, op.rowId, op.kind, JSON.stringify(op.fields), op.prevHash, op.hash],
      );
    }
    for (const [streamId, head] of seqs) await client.query('INSERT INTO stream_heads (stream_id, head) VALUES ($1, $2)', [streamId, head]);
    const gone = incidentAt(Date.UTC(2024, 0, 2));
    await client.query(`INSERT INTO purged_streams VALUES ($1, $2, 'p', 5, 6, 7)`, [`incident:${gone}`, gone]);

    const store = await openStore(url);
    expect((await store.readOps(`incident:${incidentId}`, 0, 10)).map((op) => [op.opId, op.seq])).toEqual(ops.slice(0, 3).map((op, i) => [op.opId, i + 1]));
    expect((await store.readOps(ops[3].streamId, 1, 10)).map((op) => op.opId)).toEqual([ops[4].opId]);
    expect(await partitionsOf(client)).toEqual(expect.arrayContaining(['ops_m202505', 'ops_permanent']));
    expect((await client.query('SELECT count(*)::int AS n FROM ops_m202505')).rows[0].n).toBe(3);
    expect((await client.query('SELECT month, reclaimed_at FROM purged_streams')).rows).toEqual([{ month: 202401, reclaimed_at: '6' }]);
    expect(await store.purgedStream(`incident:${gone}`)).toMatchObject({ incidentId: gone, deletedOps: 7 });
    // New ops go on from the converted heads.
    const next = timelineOps(4, { incidentId });
    expect(await store.insertOps([next[3]], 2)).toEqual(['accepted']);
    expect((await store.readOps(`incident:${incidentId}`, 3, 10)).map((op) => op.seq)).toEqual([4]);
  });

  it('makes this month and the next two ahead, and a past month when an incident of it is pushed', async () => {
    const url = await postgresDatabase();
    const client = await connect(url);
    const store = await openStore(url);
    const now = Date.now();
    expect(await partitionsOf(client)).toEqual(expect.arrayContaining([0, 1, 2].map((ahead) => `ops_m${monthOf(now, ahead)}`)));
    const old = incidentAt(Date.UTC(2018, 6, 4));
    expect(await store.insertOps(timelineOps(2, { incidentId: old }), 1)).toEqual(['accepted', 'accepted']);
    expect(await partitionsOf(client)).toContain('ops_m201807');
    expect((await client.query('SELECT count(*)::int AS n FROM ops_m201807')).rows[0].n).toBe(2);
  });

  it('reclaims purged incidents by dropping their month, or rewriting it without them; a held incident keeps its ops', async () => {
    const url = await postgresDatabase();
    const client = await connect(url);
    const store = await openStore(url);
    const march = [incidentAt(Date.UTC(2025, 2, 3)), incidentAt(Date.UTC(2025, 2, 17))];
    const april = incidentAt(Date.UTC(2025, 3, 9));
    // In March: one incident to purge (5 ops) and one under legal hold (2 ops), which the service
    // never lets a purge record remove (central-backend refuses it); in April only one, purged.
    const purgedMarch = timelineOps(5, { incidentId: march[0] });
    const held = timelineOps(2, { incidentId: march[1] });
    const purgedApril = timelineOps(3, { incidentId: april });
    await store.insertOps([...purgedMarch, ...held, ...purgedApril, ...timelineOps(1)], 1);
    expect(await partitionsOf(client)).toEqual(expect.arrayContaining(['ops_m202503', 'ops_m202504']));

    // A purge hides the stream at once, before any partition changes.
    expect(await store.insertOps([purgeOp(march[0]), purgeOp(april)], 2)).toEqual(['accepted', 'accepted']);
    expect(await store.readOps(`incident:${march[0]}`, 0, 10)).toEqual([]);
    expect(await store.knownOpIds(purgedApril.map((op) => op.opId))).toEqual(new Set());
    expect(await store.purgedStream(`incident:${april}`)).toMatchObject({ deletedOps: 3 });

    await store.reclaimPurged();
    const partitions = await partitionsOf(client);
    expect(partitions).toContain('ops_m202503');
    expect(partitions).not.toContain('ops_m202504');
    // March was rewritten with the held incident alone.
    expect((await client.query('SELECT stream_id, count(*)::int AS n FROM ops_m202503 GROUP BY 1')).rows).toEqual([{ stream_id: `incident:${march[1]}`, n: 2 }]);
    expect((await store.readOps(`incident:${march[1]}`, 0, 10)).map((op) => op.opId)).toEqual(held.map((op) => op.opId));
    expect((await client.query('SELECT count(*)::int AS n FROM purged_streams WHERE reclaimed_at IS NULL')).rows[0].n).toBe(0);
    // The held incident goes on; the purged ones stay gone.
    const more = timelineOps(3, { incidentId: march[1] });
    expect(await store.insertOps([more[2], purgedApril[0]], 3)).toEqual(['accepted', 'gone']);
    expect((await store.readOps(`incident:${march[1]}`, 2, 10)).map((op) => op.seq)).toEqual([3]);
  });

  it('leaves a month as it is while most of its ops belong to incidents not purged', async () => {
    const url = await postgresDatabase();
    const client = await connect(url);
    const store = await openStore(url);
    const [small, large] = [incidentAt(Date.UTC(2025, 5, 1)), incidentAt(Date.UTC(2025, 5, 2))];
    await store.insertOps([...timelineOps(2, { incidentId: small }), ...timelineOps(6, { incidentId: large })], 1);
    await store.insertOps([purgeOp(small)], 2);
    expect(await store.reclaimPurged()).toMatchObject({ waiting: [202506], dropped: [], rewritten: [] });
    expect((await client.query('SELECT count(*)::int AS n FROM ops_m202506')).rows[0].n).toBe(8);
    expect(await store.readOps(`incident:${small}`, 0, 10)).toEqual([]);
  });
});

describe('reclaim in the background (postgres)', () => {
  it('deletes the rows of a purged incident whose id is not a UUIDv7 (month 0), keeping its op ids reserved', async () => {
    const url = await postgresDatabase();
    const client = await connect(url);
    const store = await openStore(url);
    const legacy = 'legacy-incident-7';
    const [gone, kept] = [timelineOps(3, { incidentId: legacy }), timelineOps(2)];
    await store.insertOps([...gone, ...kept], 1);
    expect(opsMonth(`incident:${legacy}`)).toBe(0);
    await store.insertOps([purgeOp(legacy)], 2);
    // The reclaim the purge started runs first; this one waits for it.
    await store.reclaimPurged();
    expect((await client.query('SELECT count(*)::int AS n FROM ops WHERE stream_id = $1', [`incident:${legacy}`])).rows[0].n).toBe(0);
    expect((await client.query('SELECT count(*)::int AS n FROM purged_streams WHERE reclaimed_at IS NULL')).rows[0].n).toBe(0);
    expect((await store.readOps(kept[0].streamId, 0, 10)).map((op) => op.seq)).toEqual([1, 2]);
    // A purged op id stays reserved: a copy under another stream is a duplicate, never stored again.
    expect(await store.insertOps([{ ...gone[0], streamId: kept[0].streamId }], 3)).toEqual(['duplicate']);
  });

  it('reclaims at open what was purged while no node reclaimed it', async () => {
    const url = await postgresDatabase();
    const client = await connect(url);
    const first = await openStore(url);
    const incidentId = incidentAt(Date.UTC(2025, 9, 1));
    const streamId = `incident:${incidentId}`;
    await first.insertOps(timelineOps(2, { incidentId }), 1);
    await first.close();
    // Purged by a node that stopped before its reclaim ran: recorded, its rows still in ops_m202510.
    await client.query('DELETE FROM stream_heads WHERE stream_id = $1', [streamId]);
    await client.query(
      `INSERT INTO purged_streams (stream_id, incident_id, purge_op_id, purged_at, recorded_at, deleted_ops, month) VALUES ($1, $2, 'p', 2, 2, 2, 202510)`,
      [streamId, incidentId],
    );
    await openStore(url);
    await expect.poll(async () => partitionsOf(client)).not.toContain('ops_m202510');
  });

  it('tells the onError option when a background reclaim fails', async () => {
    const url = await postgresDatabase();
    const client = await connect(url);
    const messages: string[] = [];
    const store = await openStore(url, undefined, (message) => messages.push(message));
    const incidentId = incidentAt(Date.UTC(2025, 10, 1));
    await store.insertOps(timelineOps(2, { incidentId }), 1);
    // A reclaim that cannot run: every DROP refused.
    await client.query(`CREATE FUNCTION refuse_drop() RETURNS event_trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'drop refused by test'; END $$`);
    await client.query('CREATE EVENT TRIGGER refuse_drop ON sql_drop EXECUTE FUNCTION refuse_drop()');
    await store.insertOps([purgeOp(incidentId)], 2);
    await expect.poll(() => messages).toEqual([expect.stringContaining('reclaiming purged incidents failed')]);
    await client.query('DROP EVENT TRIGGER refuse_drop');
  });
});

describe('op ids across partitions (postgres)', () => {
  it('stores one op id once when two nodes push it at the same time under streams of different months', async () => {
    const url = await postgresDatabase();
    const [nodeA, nodeB] = [await openStore(url), await openStore(url)];
    const client = await connect(url);
    const [march, april] = [incidentAt(Date.UTC(2025, 2, 3)), incidentAt(Date.UTC(2025, 3, 9))];
    // Twenty op ids, each pushed by both nodes at once: as itself on one, as a forged copy naming
    // an incident of another month on the other.
    const ops = timelineOps(20, { incidentId: march });
    const copies = ops.map((op) => ({ ...op, streamId: `incident:${april}` }));
    const results = await Promise.all(ops.map((op, i) => Promise.all([nodeA.insertOps([op], 1), nodeB.insertOps([copies[i]], 1)])));
    for (const [[a], [b]] of results) expect([a, b].sort()).toEqual(['accepted', 'duplicate']);
    const { rows } = await client.query<{ op_id: string; n: number }>('SELECT op_id, count(*)::int AS n FROM ops WHERE op_id = ANY($1::text[]) GROUP BY 1', [
      ops.map((op) => op.opId),
    ]);
    expect(rows).toHaveLength(20);
    expect(rows.every((row) => row.n === 1)).toBe(true);
  });

  it('makes a push wait for a concurrent claim of its op id, then skip it if that commits or store it if that rolls back', async () => {
    const url = await postgresDatabase();
    const store = await openStore(url);
    const [holder, watcher] = [await connect(url), await connect(url)];
    const [kept, dropped] = timelineOps(2, { incidentId: incidentAt(Date.UTC(2025, 6, 1)) });
    const claimedElsewhere = async (opId: string, outcome: 'COMMIT' | 'ROLLBACK') => {
      await holder.query('BEGIN');
      await holder.query('INSERT INTO op_ids (op_id) VALUES ($1)', [opId]);
      const pushed = store.insertOps([opId === kept.opId ? kept : dropped], 1);
      // The push is blocked on the holder's uncommitted row (a later event, not a sleep).
      const pid = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      await expect
        .poll(
          async () =>
            (await watcher.query<{ n: number }>('SELECT count(*)::int AS n FROM pg_locks WHERE NOT granted AND $1 = ANY(pg_blocking_pids(pid))', [pid])).rows[0].n,
        )
        .toBeGreaterThan(0);
      await holder.query(outcome);
      return pushed;
    };
    expect(await claimedElsewhere(kept.opId, 'COMMIT')).toEqual(['duplicate']);
    expect(await claimedElsewhere(dropped.opId, 'ROLLBACK')).toEqual(['accepted']);
  });

  it('fills op_ids from the op log when converting, so an op stored before stays a duplicate', async () => {
    const url = await postgresDatabase();
    const before = new pg.Pool({ connectionString: url });
    // Stored by a node at migration 008, in ops_permanent (the one partition that always exists).
    const op = { ...timelineOps(1)[0], streamId: 'library' };
    try {
      await migrate(before, migrations.slice(0, 8));
      await before.query(
        `INSERT INTO ops (op_id, stream_id, seq, hlc, actor_id, device_id, entity, row_id, kind, fields, prev_hash, hash, received_at, month)
         VALUES ($1, $2, 1, $3, $4, $5, $6, $7, $8, $9, $10, $11, 1, 0)`,
        [op.opId, op.streamId, op.hlc, op.actorId, op.deviceId, op.entity, op.rowId, op.kind, JSON.stringify(op.fields), op.prevHash, op.hash],
      );
    } finally {
      await before.end();
    }
    const store = await openStore(url);
    expect(await store.insertOps([{ ...op, streamId: `incident:${incidentAt(Date.UTC(2025, 8, 1))}` }], 2)).toEqual(['duplicate']);
  });
});

describe('read replica (postgres)', () => {
  // A second database standing in for a replica that lags: it holds a prefix of the primary's
  // commits, written through its own store in the same order, so its seqs are the primary's.
  it('serves pulls from the replica, and the primary gives what the replica does not have yet', async () => {
    const [primaryUrl, replicaUrl] = [await postgresDatabase(), await postgresDatabase()];
    const incidentId = incidentAt(Date.UTC(2026, 0, 5));
    const streamId = `incident:${incidentId}`;
    const ops = timelineOps(6, { incidentId });
    const primary = await openStore(primaryUrl);
    const lagging = await openStore(replicaUrl);
    await primary.insertOps(ops, 1);
    await lagging.insertOps(ops.slice(0, 4), 1);
    const store = await openStore(primaryUrl, replicaUrl);
    const read = async (after: number, limit: number) => (await store.readOps(streamId, after, limit)).map((op) => [op.opId, op.seq]);
    const expected = ops.map((op, i) => [op.opId, i + 1]);

    expect(await read(0, 10)).toEqual(expected);
    expect(await read(3, 2)).toEqual(expected.slice(3, 5));
    expect(await read(4, 10)).toEqual(expected.slice(4));
    expect(await read(6, 10)).toEqual([]);
    // The replica answers a full page alone: an op only it holds shows that it was read there.
    const stray = timelineOps(1, { incidentId: incidentAt(Date.UTC(2026, 0, 6)), deviceId: '00000000000000fe' });
    await lagging.insertOps(stray, 2);
    expect((await store.readOps(stray[0].streamId, 0, 1)).map((op) => op.opId)).toEqual([stray[0].opId]);
    // …but a short page is checked against the primary, which has no such stream.
    expect(await store.readOps(stray[0].streamId, 0, 10)).toEqual([]);
    // A purge the replica has not replayed: even a full page from it is not returned.
    await primary.insertOps([purgeOp(incidentId)], 3);
    expect(await store.readOps(streamId, 0, 2)).toEqual([]);
  });

  it('reads from the primary when the replica cannot answer', async () => {
    const primaryUrl = await postgresDatabase();
    const unreachable = new URL(primaryUrl);
    unreachable.pathname = '/holdfast_no_such_database';
    const ops = timelineOps(3);
    const store = await openStore(primaryUrl, unreachable.toString());
    await store.insertOps(ops, 1);
    expect((await store.readOps(ops[0].streamId, 0, 10)).map((op) => op.seq)).toEqual([1, 2, 3]);
  });

  it('answers from the primary promptly when the replica accepts connections but never answers, then leaves it alone', async () => {
    const primaryUrl = await postgresDatabase();
    // A "replica" that takes the connection and says nothing (a hung server, a dropped network path).
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const replicaUrl = new URL(primaryUrl);
      replicaUrl.host = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
      const errors: string[] = [];
      const store = await openStore(primaryUrl, replicaUrl.toString(), (message) => errors.push(message));
      const ops = timelineOps(3);
      await store.insertOps(ops, 1);
      const started = performance.now();
      expect((await store.readOps(ops[0].streamId, 0, 10)).map((op) => op.seq)).toEqual([1, 2, 3]);
      expect(performance.now() - started).toBeLessThan(10_000);
      expect(errors).toEqual([expect.stringContaining('read replica failed')]);
      const tried = sockets.length;
      expect(tried).toBeGreaterThan(0);
      // Resting: the next pulls go straight to the primary, without another attempt at the replica.
      expect((await store.readOps(ops[0].streamId, 1, 10)).map((op) => op.seq)).toEqual([2, 3]);
      expect(sockets.length).toBe(tried);
      expect(errors).toHaveLength(1);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('read replica by streaming replication (postgres)', () => {
  // A second PostgreSQL server following the first (hot standby, base backup of the embedded one).
  it('pulls from the standby; while its replay is paused, what it lacks comes from the primary', async () => {
    const url = await postgresDatabase();
    const primary = await openStore(url);
    const standby = await postgresStandby();
    try {
      const incidentId = incidentAt(Date.UTC(2026, 1, 2));
      const streamId = `incident:${incidentId}`;
      const ops = timelineOps(6, { incidentId });
      await primary.insertOps(ops.slice(0, 3), 1);
      await standby.caughtUp();
      const replicaErrors: string[] = [];
      const store = await openStore(url, standby.urlOf(url), (message) => replicaErrors.push(message));
      const standbyClient = await connect(standby.urlOf(url));
      expect((await standbyClient.query('SELECT pg_is_in_recovery() AS standby')).rows[0]).toEqual({ standby: true });
      expect((await store.readOps(streamId, 0, 10)).map((op) => op.seq)).toEqual([1, 2, 3]);

      await standby.query('SELECT pg_wal_replay_pause()');
      await expect.poll(async () => (await standby.query<{ state: string }>('SELECT pg_get_wal_replay_pause_state() AS state'))[0].state).toBe('paused');
      // A row changed on the primary alone while the standby's replay is paused: the standby's own
      // version in a full page shows the page was read there.
      const primaryClient = await connect(url);
      await primaryClient.query(`UPDATE ops SET actor_id = 'changed-on-primary' WHERE op_id = $1`, [ops[0].opId]);
      expect((await store.readOps(streamId, 0, 2)).map((op) => op.actorId)).toEqual([ops[0].actorId, ops[1].actorId]);
      expect(ops[0].actorId).not.toBe('changed-on-primary');
      await store.insertOps(ops.slice(3), 2);
      // The standby still has three; a pull still gets all six, in order, none skipped.
      expect((await standbyClient.query('SELECT count(*)::int AS n FROM ops WHERE stream_id = $1', [streamId])).rows[0].n).toBe(3);
      expect((await store.readOps(streamId, 0, 10)).map((op) => op.opId)).toEqual(ops.map((op) => op.opId));
      expect((await store.readOps(streamId, 2, 2)).map((op) => op.seq)).toEqual([3, 4]);

      await standby.query('SELECT pg_wal_replay_resume()');
      await standby.caughtUp();
      expect((await standbyClient.query('SELECT count(*)::int AS n FROM ops WHERE stream_id = $1', [streamId])).rows[0].n).toBe(6);
      expect((await store.readOps(streamId, 4, 10)).map((op) => op.seq)).toEqual([5, 6]);
      expect(replicaErrors).toEqual([]);
    } finally {
      for (const store of stores.splice(0)) await store.close();
      for (const client of clients.splice(0)) await client.end();
      await standby.stop();
    }
  }, 60_000); // a second server started and caught up: slower than one test's usual budget on a busy machine
});
