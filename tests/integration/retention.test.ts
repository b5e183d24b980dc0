// Purging an incident under the retention setting, on real engines and real sync services: the
// purge record removes the incident's whole stream and every projection row of it from each
// replica in the transaction that applies it, whatever order the ops arrive in; ops of it that
// arrive later are refused as gone; chains still verify and a rebuild gives the same state; the
// central service (SQLite and PostgreSQL) deletes the stream and refuses it for good; a war-room
// hub relays purges to the room but takes none from its members.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { verifyChains, verifyCustody } from '../../electron/engine/core/chain';
import { databaseFileName } from '../../electron/engine/core/database';
import { createCentralBackend } from '../../server/central-backend';
import { describePurge } from '../../server/service';
import type { AppInfo } from '@shared/contract';
import { ApiError } from '@shared/errors';
import type { Op } from '@shared/ops';
import { goneReason } from '@shared/purge';
import { call, openTestEngine, opsOf, refusal } from '../support/engines';
import { deliveries } from '../support/deliveries';
import { certifyAt, timelineOps } from '../support/ops';
import { joinRoom, pushTo, settle, startCentral, type Central, type Driver } from '../support/sync';

const day = 24 * 3_600_000;
/** A word only the purged incident's text holds: no trace of it may stay anywhere. */
const secret = 'Zanzibar';

const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
});

/** An engine whose clock starts 60 days ago, moves when told, and can catch up with real time. */
function engineAt(name: string) {
  let clock: number | null = Date.now() - 60 * day;
  const engine = openTestEngine({ now: () => clock ?? Date.now(), syncPollMs: 60_000 });
  engine.replica.setActor(name);
  return {
    engine,
    advance: (ms: number) => (clock = (clock ?? Date.now()) + ms),
    /** From now on the engine's clock is the real one (other replicas' ops would be too far ahead otherwise). */
    live: () => (clock = null),
  };
}

function realEngine(name: string): Engine {
  const engine = openTestEngine({ syncPollMs: 60_000 });
  engine.replica.setActor(name);
  return engine;
}

/** Every kind of record an incident can have, so the purge is seen to remove each. Returns its id. */
async function fullIncident(engine: Engine, advance: (ms: number) => number): Promise<string> {
  const incident = await call(engine, 'incidents.create', { title: 'Old outage', severity: 'SEV1', services: ['orders-db'], summary: `${secret} summary of what broke` });
  const id = incident.id;
  const entry = await call(engine, 'timeline.add', { incidentId: id, kind: 'decision', text: `${secret} decided to fail over` });
  await call(engine, 'timeline.pin', { entryId: entry.id, isPinned: true });
  await call(engine, 'tasks.create', { incidentId: id, title: `${secret} expand the volume`, ownerId: 'dmitri' });
  const [freeze] = await call(engine, 'freeze.declare', { incidentId: id, scope: 'orders-db', reason: `${secret} failover` });
  await call(engine, 'roles.addExpert', { incidentId: id, personId: 'dmitri', label: 'Postgres' });
  const run = await call(engine, 'runs.start', { incidentId: id, runbookId: 'promote' });
  await call(engine, 'runs.setStep', { runId: run.id, step: 1, state: 'done', note: `${secret} primary is down` });
  const artifact = await call(engine, 'evidence.add', { incidentId: id, artifactType: 'log', what: `${secret} application logs` });
  await call(engine, 'evidence.addCustody', { artifactId: artifact.id, action: 'stored', to: 'locker 4', note: `${secret} sealed bag` });
  const draft = await call(engine, 'comms.start', { incidentId: id, audience: 'internal' });
  await call(engine, 'comms.save', {
    incidentId: id,
    updateId: draft.id,
    values: { impact: `${secret} checkout down`, status: 'Failing over', actions: 'Promoting the replica' },
  });
  await call(engine, 'comms.publish', { incidentId: id, updateId: draft.id });
  // No channel is configured here: a delivery record of the update, and this replica's own claim on it.
  const deliveryKey = `${id}/${draft.id}/chan-1`;
  engine.replica.commitLocal([
    {
      entity: 'comms_delivery',
      rowId: deliveryKey,
      fields: {
        incidentId: id,
        updateId: draft.id,
        channelId: 'chan-1',
        channelName: 'Slack',
        kind: 'webhook',
        state: 'delivered',
        attempts: 1,
        deliveredAt: Date.now(),
        detail: 'HTTP 200',
        by: `${engine.replica.actorId}@${engine.replica.deviceId}`,
      },
    },
  ]);
  engine.db.prepare("INSERT INTO delivery_claims (key, holder, lease_until, state, updated_at) VALUES (?, ?, 0, 'done', 0)").run(deliveryKey, engine.replica.deviceId);
  // A page sent to an on-call service and the incident's chat mirror (no target is configured here either).
  engine.replica.commitLocal([
    {
      entity: 'integration_send',
      rowId: `${id}/page-1/target-1`,
      fields: {
        incidentId: id,
        sendId: 'page-1',
        targetId: 'target-1',
        targetName: 'On-call',
        kind: 'pagerduty',
        purpose: 'page',
        title: `${secret} orders-db down`,
        text: `${secret} page the database team`,
        link: '',
        dedupKey: `holdfast-${id}`,
        teamId: null,
        sourceId: null,
        requestedBy: engine.replica.actorId,
        requestedAt: Date.now(),
        state: 'delivered',
        attempts: 1,
        lastError: '',
        nextAttemptAt: null,
        deliveredAt: Date.now(),
        detail: 'HTTP 202',
        remoteId: null,
        remoteUrl: null,
        sentDigest: null,
        by: `${engine.replica.actorId}@${engine.replica.deviceId}`,
      },
    },
    {
      entity: 'incident_mirror',
      rowId: `${id}/target-2`,
      fields: {
        incidentId: id,
        targetId: 'target-2',
        kinds: ['decision'],
        internalUpdates: false,
        isEnabled: true,
        since: Date.now(),
        updatedBy: engine.replica.actorId,
      },
    },
  ]);
  // A receipt of one of the incident's ops (receipts are purged with their incident).
  engine.replica.commitLocal([{ entity: 'op_receipt', rowId: '', fields: { incidentId: id, held: [{ at: engine.replica.clockOffset.time(), opIds: [id] }] } }]);
  advance(5 * 60_000);
  await call(engine, 'incidents.setStatus', { id, status: 'mitigated' });
  advance(30 * 60_000);
  await call(engine, 'incidents.setStatus', { id, status: 'resolved' });
  await call(engine, 'freeze.lift', { freezeId: freeze.id, reason: `${secret} stable` });
  await call(engine, 'incidents.setStatus', { id, status: 'closed' });
  await call(engine, 'reviews.generate', { incidentId: id });
  await call(engine, 'actions.add', { incidentId: id, title: `${secret} alert on replication lag`, type: 'detect', ownerId: 'bob', dueAt: Date.now() + 14 * day });
  return id;
}

async function saveRunbook(engine: Engine): Promise<void> {
  await call(engine, 'runbooks.save', {
    source: '---\nid: promote\ntitle: Promote the replica\n---\n\n1. [check] Confirm the primary is down\n2. [recovery] Promote orders-db-2\n',
  });
}

/** Rows of the incident in every table that keeps incident data on a replica, by table. */
function rowsOf(engine: Engine, incidentId: string): Record<string, number> {
  const { db } = engine;
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'purge_records' ORDER BY name").pluck().all() as string[]).filter((table) =>
    (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).includes('incident_id'),
  );
  const count = (sql: string, ...args: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .get(...args) as number;
  return {
    ops: count('SELECT count(*) FROM ops WHERE stream_id = ?', `incident:${incidentId}`),
    incidents: count('SELECT count(*) FROM incidents WHERE id = ?', incidentId),
    delivery_claims: count("SELECT count(*) FROM delivery_claims WHERE key LIKE ? || '/%'", incidentId),
    ...Object.fromEntries(tables.map((table) => [table, count(`SELECT count(*) FROM ${table} WHERE incident_id = ? OR id LIKE ? || '/%'`, incidentId, incidentId)])),
  };
}

/** Full-text index entries holding the secret word (the backlog indexed first, as a search does). */
function indexedSecret(engine: Engine): { timeline: number; incidents: number } {
  engine.db.exec(
    'INSERT INTO timeline_fts (rowid, text) SELECT rowid, text FROM timeline_entries WHERE rowid IN (SELECT entry_rowid FROM fts_backlog); DELETE FROM fts_backlog',
  );
  const count = (index: string) => engine.db.prepare(`SELECT count(*) FROM ${index} WHERE ${index} MATCH ?`).pluck().get(secret) as number;
  return { timeline: count('timeline_fts'), incidents: count('incidents_fts') };
}

/**
 * Tables holding the incident's id or text anywhere in a row, leaving out what is kept by design:
 * the purge record (its op and its row name the incident and its title), sync bookkeeping (cursors
 * by stream, refusals whose reason names the incident).
 */
function tracesOf(engine: Engine, incidentId: string): string[] {
  const { db } = engine;
  const kept = ['purge_records', 'sync_cursors', 'sync_rejections'];
  const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter((t) => !kept.includes(t));
  return tables.filter((table) => {
    const rows = db.prepare(table === 'ops' ? "SELECT * FROM ops WHERE entity <> 'purge_record'" : `SELECT * FROM "${table}"`).all();
    return rows.some((row) => {
      const text = JSON.stringify(row, (_key, value: unknown) => (Buffer.isBuffer(value) ? value.toString('latin1') : value));
      return text.includes(incidentId) || text.toLowerCase().includes(secret.toLowerCase());
    });
  });
}

/** The database file's bytes, write-ahead log included, hold the secret text. */
function fileHasSecret(engine: Engine): boolean {
  const file = join((engine.handlers['app.info']({}) as AppInfo).dataDir, databaseFileName);
  const bytes = Buffer.concat([readFileSync(file), existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0)])
    .toString('latin1')
    .toLowerCase();
  return bytes.includes(secret.toLowerCase());
}

function expectIntact(engine: Engine): void {
  expect(verifyChains(engine.db).firstBreak).toBeNull();
  expect(verifyCustody(engine.db).problem).toBeNull();
  const digest = engine.replica.digest();
  expect(engine.replica.rebuild()).toMatchObject({ isIdentical: true, before: digest, after: digest });
}

const opIdsOf = (engine: Engine) =>
  opsOf(engine)
    .map((op) => op.opId)
    .sort();

/** An entry written straight to the op log (the incident is closed, so no call would take it). */
const lateEntry = (engine: Engine, incidentId: string, text: string): Op =>
  engine.replica.commitLocal([{ entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text, eventAt: Date.now() } }])[0];

/** A commander's laptop with one incident to purge (closed 60 days ago) and one to keep. */
async function purgeable(name = 'alice') {
  const { engine, advance, live } = engineAt(name);
  await saveRunbook(engine);
  const purged = await fullIncident(engine, advance);
  const kept = (await call(engine, 'incidents.create', { title: 'Still burning', severity: 'SEV3', summary: 'unrelated' })).id;
  await call(engine, 'timeline.add', { incidentId: kept, kind: 'note', text: 'still here' });
  live();
  await call(engine, 'retention.set', { keepDays: 30 });
  return { engine, purged, kept };
}

async function purge(engine: Engine, incidentId: string): Promise<Op> {
  const before = new Set(opIdsOf(engine));
  await call(engine, 'retention.purge', { incidentIds: [incidentId], reason: 'Retention policy: 30 days' });
  const [record] = opsOf(engine).filter((op) => !before.has(op.opId));
  expect(record).toMatchObject({ entity: 'purge_record', streamId: 'org', fields: { incidentId } });
  return record;
}

describe('purging an incident on a replica', () => {
  it('removes its ops and every row of it in one transaction, keeps the purge record, and leaves no trace in the file', async () => {
    const { engine, purged, kept } = await purgeable();
    const before = rowsOf(engine, purged);
    // Every table that keeps incident data has some of this incident's, so each is seen to be emptied.
    expect(Object.entries(before).filter(([, rows]) => rows === 0)).toEqual([]);
    expect(indexedSecret(engine)).toEqual({ timeline: expect.any(Number) as number, incidents: 1 });
    expect(indexedSecret(engine).timeline).toBeGreaterThan(3);
    expect(fileHasSecret(engine)).toBe(true);
    const keptRows = rowsOf(engine, kept);
    const events: unknown[] = [];
    engine.onEvent((event, payload) => events.push([event, payload]));

    const record = await purge(engine, purged);

    expect(Object.entries(rowsOf(engine, purged)).filter(([, rows]) => rows > 0)).toEqual([]);
    expect(rowsOf(engine, kept)).toEqual(keptRows);
    expect(indexedSecret(engine)).toEqual({ timeline: 0, incidents: 0 });
    expect(tracesOf(engine, purged)).toEqual([]);
    expect(fileHasSecret(engine)).toBe(false);
    expect(engine.replica.opLog.streamHeads().map((s) => s.streamId)).not.toContain(`incident:${purged}`);
    expect((await refusal(() => call(engine, 'incidents.get', { id: purged }))).code).toBe('not_found');
    expect((await call(engine, 'incidents.list', {})).map((i) => i.id)).toEqual([kept]);
    expect(await call(engine, 'search.query', { text: secret, limit: 10 })).toEqual([]);
    expect((await call(engine, 'retention.get', {})).purged).toEqual([
      expect.objectContaining({
        incidentId: purged,
        title: 'Old outage',
        severity: 'SEV1',
        reason: 'Retention policy: 30 days',
        purgedAt: record.fields.purgedAt,
        purgedBy: 'alice',
      }),
    ]);
    // Screens showing it are told it changed.
    expect(events).toContainEqual(['incidents.changed', { incidentId: purged }]);
    expectIntact(engine);

    // Nothing more can be written to it on this replica.
    expect((await refusal(() => call(engine, 'timeline.add', { incidentId: purged, kind: 'note', text: 'late' }))).code).toBe('not_found');
    const gone = goneReason(purged, record.fields.purgedAt as number);
    expect(() => engine.replica.commitLocal([{ entity: 'incident', rowId: purged, fields: { title: 'back again' } }])).toThrow(new ApiError('not_found', gone));
    expect(gone).toMatch(new RegExp(`^gone: incident ${purged} was purged under the retention setting on \\d{4}-\\d{2}-\\d{2}$`));
  });

  it('converges: replicas that receive the same ops in any order, the purge before or after the incident, end equal', async () => {
    const { engine: alice, purged } = await purgeable();
    const history = opsOf(alice);
    const record = await purge(alice, purged);
    const gone = goneReason(purged, record.fields.purgedAt as number);
    const expected = { digest: alice.replica.digest(), opIds: opIdsOf(alice) };

    // Heard of the incident first, then of the purge.
    const before = realEngine('bob');
    expect(before.replica.applyRemote(history).every((r) => r.status === 'accepted')).toBe(true);
    expect(rowsOf(before, purged).incidents).toBe(1);
    expect(before.replica.applyRemote([record])).toEqual([{ opId: record.opId, status: 'accepted' }]);
    // Heard of the purge first: the incident's ops are refused as they come, the others taken.
    const after = realEngine('carol');
    after.replica.applyRemote([record]);
    const results = after.replica.applyRemote(history);
    history.forEach((op, i) => {
      expect(results[i]).toEqual(op.streamId === `incident:${purged}` ? { opId: op.opId, status: 'rejected', reason: gone } : { opId: op.opId, status: 'accepted' });
    });
    // Everything shuffled, duplicated and batched, five ways.
    const shuffled = [1, 2, 3, 4, 5].map((seed) => {
      const engine = realEngine(`dana${seed}`);
      for (const batch of deliveries([...history, record], seed * 7919, { resend: 0.2, maxBatch: 8 })) engine.replica.applyRemote(batch);
      return engine;
    });

    for (const engine of [before, after, ...shuffled]) {
      expect({ digest: engine.replica.digest(), opIds: opIdsOf(engine) }).toEqual(expected);
      expect(Object.entries(rowsOf(engine, purged)).filter(([, rows]) => rows > 0)).toEqual([]);
      expect(tracesOf(engine, purged)).toEqual([]);
      expectIntact(engine);
    }
    expect(fileHasSecret(before)).toBe(false);
  });

  it('drops ops of the purged incident written elsewhere before the purge was heard of, on both sides', async () => {
    const { engine: alice, purged, kept } = await purgeable();
    const bob = realEngine('bob');
    bob.replica.applyRemote(opsOf(alice));
    // Offline, bob writes to both incidents while alice purges one.
    const late = lateEntry(bob, purged, `${secret} one more thing`);
    await call(bob, 'timeline.add', { incidentId: kept, kind: 'note', text: 'and here' });
    const record = await purge(alice, purged);
    const gone = goneReason(purged, record.fields.purgedAt as number);

    const fromBob = opsOf(bob);
    const results = alice.replica.applyRemote(fromBob);
    // Everything of the incident is refused as gone (bob's late entry with what alice had written);
    // bob's entry in the other incident is taken.
    fromBob.forEach((op, i) => {
      if (op.streamId === `incident:${purged}`) expect(results[i]).toEqual({ opId: op.opId, status: 'rejected', reason: gone });
      else expect(results[i].status).toBe(op.deviceId === bob.replica.deviceId ? 'accepted' : 'duplicate');
    });
    expect(fromBob.map((op) => op.opId)).toContain(late.opId);
    expect(alice.replica.opLog.streamHeads().map((s) => s.streamId)).not.toContain(`incident:${purged}`);
    // Bob hears of the purge: his own late entry goes with the rest, including from his outbox.
    bob.replica.applyRemote(opsOf(alice));
    expect(bob.replica.opLog.outbox('central', 0, 10_000).filter((op) => op.streamId === `incident:${purged}`)).toEqual([]);
    for (const engine of [alice, bob]) {
      expect(tracesOf(engine, purged)).toEqual([]);
      expectIntact(engine);
    }
    expect(bob.replica.digest()).toBe(alice.replica.digest());
    expect(opIdsOf(bob)).toEqual(opIdsOf(alice));
  });

  it('purges several incidents in one call, and a second purge of the same incident changes nothing more', async () => {
    const { engine, purged, kept } = await purgeable();
    const laptop = realEngine('bob');
    laptop.replica.applyRemote(opsOf(engine));
    // The other incident is still open, so no engine call would purge it: records written directly.
    const [first, second] = laptop.replica.commitLocal(
      [purged, kept].map((incidentId) => ({
        entity: 'purge_record' as const,
        rowId: '',
        fields: { incidentId, title: 't', severity: 'SEV3', closedAt: 1, reason: 'by hand', purgedAt: Date.now() },
      })),
    );
    expect([first.fields.incidentId, second.fields.incidentId]).toEqual([purged, kept]);
    expect((await call(laptop, 'incidents.list', {})).map((i) => i.id)).toEqual([]);
    const again = laptop.replica.commitLocal([
      { entity: 'purge_record', rowId: '', fields: { incidentId: purged, title: 't', severity: 'SEV3', closedAt: 1, reason: 'again', purgedAt: Date.now() + 1 } },
    ]);
    expect(laptop.replica.applyRemote(opsOf(engine)).filter((r) => r.status === 'accepted')).toEqual([]);
    // The first purge record names the day in the reason.
    expect(laptop.replica.applyRemote(timelineOps(1, { incidentId: purged }))[0]).toMatchObject({
      status: 'rejected',
      reason: goneReason(purged, first.fields.purgedAt as number),
    });
    expect(again).toHaveLength(1);
    expect((await call(laptop, 'retention.get', {})).purged).toHaveLength(3);
    for (const incidentId of [purged, kept]) expect(tracesOf(laptop, incidentId)).toEqual([]);
    expectIntact(laptop);
  });
});

describe.each(['sqlite', 'postgres'] as const)('purging through the central service (%s)', (driver: Driver) => {
  it('refuses a purge of an incident that a hold placed elsewhere reached first', async () => {
    const service = await startCentral(driver);
    centrals.push(service);
    const { engine: alice, purged } = await purgeable();
    const bob = realEngine('bob');
    await call(alice, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    await call(bob, 'sync.connect', { url: service.url, token: await service.token('bob', 'commander') });
    await settle([alice, bob]);
    // Alice goes offline; Bob places a hold, which reaches the service; Alice, not knowing, purges.
    await call(alice, 'sync.disconnect', { peerId: 'central' });
    await call(bob, 'incidents.setLegalHold', { incidentId: purged, isHeld: true, reason: 'Regulator inquiry 2026-04' });
    await call(bob, 'sync.now', {});
    const record = await purge(alice, purged);
    const results = await createCentralBackend({ store: service.store }).push({ name: 'alice', role: 'commander' }, [record]);
    expect(results).toEqual([
      { opId: record.opId, status: 'rejected', reason: 'conflict: the incident is under a legal hold (Regulator inquiry 2026-04); lift the hold before purging' },
    ]);
    expect((await service.store.readOps(`incident:${purged}`, 0, 10_000)).length).toBeGreaterThan(20);
    await call(bob, 'sync.now', {});
    expect((await call(bob, 'incidents.get', { id: purged })).isLegalHold).toBe(true);
  });

  it('deletes the stream on the service, refuses its later ops as gone, and a replica syncing from scratch never sees the incident', async () => {
    const service = await startCentral(driver);
    centrals.push(service);
    const { engine: alice, purged, kept } = await purgeable();
    const bob = realEngine('bob');
    const aliceToken = await service.token('alice', 'commander');
    await call(alice, 'sync.connect', { url: service.url, token: aliceToken });
    const bobToken = await service.token('bob', 'commander');
    await call(bob, 'sync.connect', { url: service.url, token: bobToken });
    await settle([alice, bob]);
    const streamId = `incident:${purged}`;
    const stored = (await service.store.readOps(streamId, 0, 10_000)).length;
    expect(stored).toBeGreaterThan(20);

    // While the service is down, bob writes to the incident and alice purges it; the purge reaches
    // the service first (pushed here through the service's backend on its store, so the order is
    // certain), and bob's entry after it. Bob's laptop is off the network meanwhile (disconnected, so
    // no retry of its own can hear of the purge before its entry goes up), and connects again after.
    await call(bob, 'sync.disconnect', { peerId: 'central' });
    await service.stop();
    const late = lateEntry(bob, purged, `${secret} late note`);
    const record = await purge(alice, purged);
    const gone = goneReason(purged, record.fields.purgedAt as number);
    const logged: string[] = [];
    const backend = createCentralBackend({ store: service.store, onPurged: (p) => logged.push(describePurge(p)) });
    expect(await backend.push({ name: 'alice', role: 'commander' }, [record])).toEqual([{ opId: record.opId, status: 'accepted' }]);
    expect(logged).toEqual([
      expect.stringContaining(`purged incident ${purged} under the retention setting: ${stored} ops deleted (purge record ${record.opId} by alice`),
    ]);
    expect(await service.store.readOps(streamId, 0, 10_000)).toEqual([]);
    expect((await service.store.streamHeads()).map((s) => s.streamId)).not.toContain(streamId);
    expect(await service.store.purgedStream(streamId)).toEqual({
      streamId,
      incidentId: purged,
      purgeOpId: record.opId,
      purgedAt: record.fields.purgedAt,
      recordedAt: expect.any(Number) as number,
      deletedOps: stored,
    });
    await service.restart();
    await call(bob, 'sync.connect', { url: service.url, token: bobToken });
    await settle([alice, bob]);
    const bobPeer = (await call(bob, 'sync.status', {})).peers[0];
    expect(bobPeer).toMatchObject({ state: 'connected', pending: 0, refused: 1 });
    expect(bob.db.prepare('SELECT op_id AS opId, direction, reason FROM sync_rejections').all()).toEqual([{ opId: late.opId, direction: 'push', reason: gone }]);
    expect(await service.store.readOps(streamId, 0, 10_000)).toEqual([]);

    // Straight at the protocol: a push to the stream is refused per op, a pull returns nothing, and
    // the stream is not listed.
    const api = (path: string, body?: unknown) =>
      fetch(`${service.url}${path}`, {
        method: body ? 'POST' : 'GET',
        headers: { authorization: `Bearer ${aliceToken}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }).then((r) => r.json() as Promise<Record<string, unknown>>);
    // Signed by a device the service certified for alice: the service judges each op by its own
    // signature, and a gone stream is answered before anything is judged.
    const device = await certifyAt(service.url, aliceToken, 'alice');
    const stray = timelineOps(1, { incidentId: purged, device });
    const other = timelineOps(1, { incidentId: kept, device });
    expect((await api('/v1/sync/push', { ops: [...stray, ...other] })).results).toEqual([
      { opId: stray[0].opId, status: 'rejected', reason: gone },
      { opId: other[0].opId, status: 'accepted' },
    ]);
    expect(await api(`/v1/sync/pull?stream=${encodeURIComponent(streamId)}&after=0&limit=100`)).toEqual({ ops: [], cursor: 0, hasMore: false });
    expect(((await api('/v1/sync/streams')).streams as { streamId: string }[]).map((s) => s.streamId)).not.toContain(streamId);

    // A replica syncing from scratch gets the purge record but nothing of the incident.
    const carol = realEngine('carol');
    await call(carol, 'sync.connect', { url: service.url, token: await service.token('carol', 'commander') });
    await settle([alice, bob, carol]);
    expect((await carol.handlers['sync.status']({})).peers[0]).toMatchObject({ refused: 0 });
    expect((await call(carol, 'retention.get', {})).purged).toEqual([expect.objectContaining({ incidentId: purged, title: 'Old outage', purgedBy: 'alice' })]);
    expect((await call(carol, 'incidents.list', {})).map((i) => i.id)).toEqual([kept]);
    expect(carol.replica.opLog.streamHeads().map((s) => s.streamId)).not.toContain(streamId);
    for (const engine of [alice, bob, carol]) {
      expect(tracesOf(engine, purged)).toEqual([]);
      expectIntact(engine);
    }
    expect(opIdsOf(carol)).toEqual(opIdsOf(alice));
  });
});

describe('purging and a war-room hub', () => {
  it('relays a purge from its host to the room, refuses one from a member, and drops late ops of the purged incident', async () => {
    // The host connected to the service once (certified as a commander), then went off on its own.
    const service = await startCentral('sqlite');
    centrals.push(service);
    const { engine: host, purged, kept } = await purgeable('hana');
    await call(host, 'sync.connect', { url: service.url, token: await service.token('hana', 'commander') });
    await settle([host]);
    await call(host, 'sync.disconnect', { peerId: 'central' });
    const room = await call(host, 'hub.start', { port: 0 });
    const hubUrl = room.urls.find((u) => u.includes('127.0.0.1'))!;
    // A laptop that never connected joins as a guest.
    const member = realEngine('bob');
    await call(member, 'sync.join', { link: room.links!.find((l) => l.startsWith(hubUrl))! });
    await settle([member]);
    expect(member.replica.trust.mode()).toBe('guest');
    expect((await call(member, 'incidents.list', {})).map((i) => i.id).sort()).toEqual([purged, kept].sort());

    // A member cannot purge: its own replica judges the purge record by its guest certificate and
    // refuses it before writing anything.
    const mine = { incidentId: kept, title: 'Still burning', severity: 'SEV3', closedAt: 1, reason: 'mine', purgedAt: Date.now() };
    const before = opIdsOf(member);
    expect(() => member.replica.commitLocal([{ entity: 'purge_record', rowId: '', fields: mine }])).toThrow("guests may only add notes to an incident's timeline");
    expect(opIdsOf(member)).toEqual(before);
    // A purge record forged by another guest and pushed anyway is kept refused by the hub and purges nothing.
    const intruder = await joinRoom(hubUrl, room.joinCode!, { guest: 'mallory' });
    const forged = intruder.write!({ entity: 'purge_record', rowId: '', fields: mine }, Date.now());
    expect((await pushTo(hubUrl, intruder.body.token!, [forged])).results).toEqual([
      { opId: forged.opId, status: 'refused', reason: "guests may only add notes to an incident's timeline" },
    ]);
    expect(host.replica.opLog.refused().map((op) => op.opId)).toContain(forged.opId);
    expect((await call(host, 'incidents.list', {})).map((i) => i.id).sort()).toEqual([purged, kept].sort());
    // The member writes to the incident while the host purges it. Whichever reaches the hub first,
    // the note goes with the incident: pushed before the purge it is purged with it on the host,
    // pulled purge first it leaves the member's own log unsent.
    const late = lateEntry(member, purged, 'late note');
    const record = await purge(host, purged);
    await settle([member]);
    expect(opIdsOf(host)).not.toContain(late.opId);
    expect(opIdsOf(member)).not.toContain(late.opId);
    // A note of the purged incident pushed after the purge is refused as gone, for good.
    const after = intruder.write!(
      { entity: 'timeline_entry', rowId: '', fields: { incidentId: purged, kind: 'note', text: 'later still', eventAt: Date.now() } },
      Date.now(),
    );
    expect((await pushTo(hubUrl, intruder.body.token!, [after])).results).toEqual([
      { opId: after.opId, status: 'rejected', reason: goneReason(purged, record.fields.purgedAt as number) },
    ]);
    expect(opIdsOf(host)).not.toContain(after.opId);
    expect((await call(host, 'incidents.list', {})).map((i) => i.id)).toEqual([kept]);
    expect((await call(member, 'incidents.list', {})).map((i) => i.id)).toEqual([kept]);
    expect(tracesOf(host, purged)).toEqual([]);
    expect(tracesOf(member, purged)).toEqual([]);
    expectIntact(host);
    expectIntact(member);
  });
});
