// The replica scope on real engines and a real central service over HTTP: a laptop pulls only the
// incidents of its scope (open ones, those its user took part in, those closed within N days),
// evicts what leaves the scope but never an op the service has not acknowledged, and gets a stream
// back whole when it returns to the scope. Being out of scope is not a permission: the user may
// still pull any stream it may read.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { createPeerStore } from '../../electron/engine/sync/peer-store';
import { evictOutOfScope } from '../../electron/engine/sync/replica-scope';
import { incidentStream } from '@shared/entities';
import { defaultScope, scopeQueryString, type ScopeSettings } from '@shared/replica-scope';
import type { PullResponse, StreamsResponse } from '@shared/sync';
import { saveScopeOptions } from '../../electron/cli/web-command';
import { openEngine } from '../../electron/engine/engine';
import { call, openTestEngine, refusal } from '../support/engines';
import { tempDir } from '../support/temp';
import { loopbackLink, settle, startCentral, type Central } from '../support/sync';

const day = 24 * 3_600_000;
const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
});

/** Bob's laptop, whose clock starts 200 days ago and catches up with real time when told. */
function oldLaptop(name: string | null) {
  let clock: number | null = Date.now() - 200 * day;
  const engine = openTestEngine({ now: () => clock ?? Date.now(), syncPollMs: 60_000 });
  if (name !== null) engine.replica.setActor(name);
  return { engine, advance: (ms: number) => (clock = (clock ?? Date.now()) + ms), live: () => (clock = null) };
}

function laptop(name: string): Engine {
  const engine = openTestEngine({ syncPollMs: 60_000 });
  engine.replica.setActor(name);
  return engine;
}

/** A laptop connected to the service as `name`, holding the scope given, synced once. */
async function scopedLaptop(central: Central, name: string, role: 'commander' | 'responder' | 'viewer', scope: ScopeSettings): Promise<Engine> {
  const engine = laptop(name);
  await call(engine, 'sync.connect', { url: central.url, token: await central.token(name, role) });
  await call(engine, 'sync.setScope', scope);
  await call(engine, 'sync.now', {});
  return engine;
}

const lastYear: ScopeSettings = { keepClosedDays: 365, isKeepEverything: false };

async function ended(engine: Engine, title: string, status: 'resolved' | 'closed'): Promise<string> {
  const { id } = await call(engine, 'incidents.create', { title, severity: 'SEV2', services: ['orders'], summary: `${title} broke` });
  await call(engine, 'timeline.add', { incidentId: id, kind: 'note', text: `${title}: looking` });
  await call(engine, 'incidents.setStatus', { id, status: 'resolved' });
  if (status === 'closed') await call(engine, 'incidents.setStatus', { id, status: 'closed' });
  return id;
}

const incidentStreams = (engine: Engine) =>
  engine.replica.opLog
    .streamHeads()
    .map((s) => s.streamId)
    .filter((s) => s.startsWith('incident:'))
    .sort();
const opsIn = (engine: Engine, streamId: string) => engine.replica.opLog.streamSince(streamId, 0, 100_000).length;

/** Bob declared and ended three incidents 200 days ago (one under a legal hold), one 30 days ago, and one is open now. */
async function history(central: Central) {
  const { engine: bob, advance, live } = oldLaptop('bob');
  const old = await ended(bob, 'Old outage', 'resolved');
  const held = await ended(bob, 'Held outage', 'closed');
  await call(bob, 'incidents.setLegalHold', { incidentId: held, isHeld: true, reason: 'Regulator inquiry' });
  advance(170 * day);
  const recent = await ended(bob, 'Recent outage', 'closed');
  live();
  const { id: open } = await call(bob, 'incidents.create', { title: 'Open outage', severity: 'SEV1', services: ['orders'], summary: 'down' });
  await call(bob, 'sync.connect', { url: central.url, token: await central.token('bob', 'commander') });
  await call(bob, 'sync.now', {});
  expect((await call(bob, 'sync.status', {})).peers[0]).toMatchObject({ state: 'connected', pending: 0 });
  return { bob, old, held, recent, open };
}

describe('replica scope with the central service', () => {
  it('a laptop pulls open, recent and worked-on incidents only; out of scope is still readable on request', async () => {
    const central = await startCentral('sqlite');
    centrals.push(central);
    const { bob, old, held, recent, open } = await history(central);
    // Bob took part in all of them: his own laptop holds all four.
    expect(incidentStreams(bob)).toEqual([old, held, recent, open].map(incidentStream).sort());

    const carolToken = await central.token('carol', 'responder');
    const carol = laptop('carol');
    await call(carol, 'sync.connect', { url: central.url, token: carolToken });
    await call(carol, 'sync.now', {});
    expect(incidentStreams(carol)).toEqual([recent, open].map(incidentStream).sort());
    expect((await call(carol, 'incidents.list', {})).map((i) => i.id).sort()).toEqual([recent, open].sort());
    // The library, directory and trust streams come whatever the scope.
    expect(carol.replica.opLog.streamHeads().some((s) => s.streamId === 'trust')).toBe(true);

    // Straight at the protocol: the scoped list leaves the old incidents out, the unscoped one does
    // not, and a pull of an out-of-scope stream the user may read is answered (the scope is what a
    // laptop keeps, not what it may see).
    const get = <T>(path: string) =>
      fetch(`${central.url}${path}`, { headers: { authorization: `Bearer ${carolToken}` } }).then(async (r) => ({ status: r.status, body: (await r.json()) as T }));
    const scoped = await get<StreamsResponse>(`/v1/sync/streams?${scopeQueryString(defaultScope)}`);
    expect(scoped.body.streams.map((s) => s.streamId)).not.toContain(incidentStream(old));
    expect((await get<StreamsResponse>('/v1/sync/streams')).body.streams.map((s) => s.streamId)).toContain(incidentStream(old));
    const everything = await get<StreamsResponse>(`/v1/sync/streams?keepClosedDays=1&keepEverything=1`);
    expect(everything.body.streams.filter((s) => s.streamId.startsWith('incident:'))).toHaveLength(4);
    // A responder never learns of delivery channels, whatever scope it asks for.
    expect(everything.body.streams.map((s) => s.streamId)).not.toContain('comms');
    const pulled = await get<PullResponse>(`/v1/sync/pull?stream=${encodeURIComponent(incidentStream(old))}&after=0&limit=1000`);
    expect(pulled.body.ops.length).toBe((await central.store.readOps(incidentStream(old), 0, 1000)).length);
    // A bad scope is refused with what to fix.
    const bad = await get<{ error: { message: string } }>('/v1/sync/streams?keepClosedDays=0');
    expect(bad).toEqual({ status: 400, body: { error: { code: 'bad_request', message: 'keepClosedDays: keepClosedDays must be at least 1 day' } } });
  });

  it('evicts what leaves the scope, never an op the service has not acknowledged, and takes a stream back whole', async () => {
    const central = await startCentral('sqlite');
    centrals.push(central);
    const { bob, old, held, recent, open } = await history(central);
    const carol = await scopedLaptop(central, 'carol', 'commander', lastYear);
    expect(incidentStreams(carol)).toEqual([old, held, recent, open].map(incidentStream).sort());

    // Dan, off the service, writes in the old incident; his op reaches carol through a war room
    // (a hub's relay), not yet the service.
    const dan = await scopedLaptop(central, 'dan', 'responder', lastYear);
    await call(dan, 'sync.disconnect', { peerId: 'central' });
    const note = await call(dan, 'timeline.add', { incidentId: old, kind: 'note', text: 'Found the root cause after all' });
    const danOp = dan.replica.opLog.streamSince(incidentStream(old), 0, 100_000).find((op) => op.rowId === note.id)!;
    const { seq: _seq, ...relayed } = danOp;
    expect(carol.replica.applyRemote([relayed], 'hub:room.example:7443')).toEqual([{ opId: danOp.opId, status: 'accepted' }]);

    // Carol narrows her scope back to 90 days. An eviction that runs before her next push (racing
    // it) keeps the old incident: dan's op has not reached the service.
    await call(carol, 'sync.setScope', { keepClosedDays: 90, isKeepEverything: false });
    const scoped = (await fetch(`${central.url}/v1/sync/streams?${scopeQueryString(defaultScope)}`, {
      headers: { authorization: `Bearer ${await central.token('carol2', 'commander')}` },
    }).then((r) => r.json())) as StreamsResponse;
    const listed = new Set(scoped.streams.map((s) => s.streamId));
    const early = evictOutOfScope({ replica: carol.replica, db: carol.db, store: createPeerStore(carol.db), settings: defaultScope, now: Date.now() }, 'central', listed);
    expect(early).toEqual({ evicted: [incidentStream(held)], keptUnsent: [incidentStream(old)], keptInScope: [] });
    expect(opsIn(carol, incidentStream(old))).toBeGreaterThan(0);
    // The legal hold keeps an incident only on the laptops of those who work on it: carol never did.
    expect((await refusal(() => call(carol, 'incidents.get', { id: held }))).code).toBe('not_found');

    // Her next pass pushes dan's op first; once the service has it, the old incident leaves too.
    await call(carol, 'sync.now', {});
    expect((await central.store.readOps(incidentStream(old), 0, 100_000)).map((op) => op.opId)).toContain(danOp.opId);
    expect(incidentStreams(carol)).toEqual([recent, open].map(incidentStream).sort());
    expect(carol.db.prepare("SELECT count(*) FROM sync_cursors WHERE stream_id LIKE 'incident:%'").pluck().get()).toBe(2);
    expect((await call(carol, 'sync.status', {})).peers[0]).toMatchObject({ state: 'connected', pending: 0 });

    // Bob reopens the old incident: it is open again, so carol pulls it from the start, whole.
    await call(bob, 'sync.now', {});
    await call(bob, 'incidents.setStatus', { id: old, status: 'investigating', reason: 'It is back' });
    await call(bob, 'sync.now', {});
    await call(carol, 'sync.now', {});
    const onService = await central.store.readOps(incidentStream(old), 0, 100_000);
    expect(opsIn(carol, incidentStream(old))).toBe(onService.length);
    expect((await call(carol, 'incidents.get', { id: old })).status).toBe('investigating');
  });

  it('an archive laptop keeps everything, and a laptop keeps every incident its user took part in', async () => {
    const central = await startCentral('sqlite');
    centrals.push(central);
    const { old, held, recent, open } = await history(central);
    const archive = await scopedLaptop(central, 'erin', 'viewer', { keepClosedDays: 1, isKeepEverything: true });
    expect(incidentStreams(archive)).toEqual([old, held, recent, open].map(incidentStream).sort());

    // Frank, counsel's contact, renews the legal hold on the closed incident, then narrows his
    // scope: the held incident he works on stays on his laptop.
    const frank = await scopedLaptop(central, 'frank', 'commander', lastYear);
    await call(frank, 'incidents.setLegalHold', { incidentId: held, isHeld: false, reason: 'Renewing under the new case number' });
    await call(frank, 'incidents.setLegalHold', { incidentId: held, isHeld: true, reason: 'Case 2026-118' });
    await call(frank, 'sync.setScope', { keepClosedDays: 90, isKeepEverything: false });
    await call(frank, 'sync.now', {});
    expect(incidentStreams(frank)).toEqual([held, recent, open].map(incidentStream).sort());
    expect((await call(frank, 'sync.scope', {})).lastEviction).toEqual({ evicted: [incidentStream(old)], keptUnsent: [], keptInScope: [] });
  });

  it("never evicts a stream holding this laptop's own ops, whatever name they were written under", async () => {
    const central = await startCentral('sqlite');
    centrals.push(central);
    // Written standalone 200 days ago, under the name the laptop had then (the OS user's).
    const { engine: jane, live } = oldLaptop(null);
    const osName = jane.replica.actorId;
    const own = await ended(jane, 'Own outage', 'closed');
    live();
    const token = await central.token('jane', 'commander');
    await call(jane, 'sync.connect', { url: central.url, token });
    await call(jane, 'sync.now', {});
    expect(jane.replica.actorId).not.toBe(osName);
    expect((await call(jane, 'sync.status', {})).peers[0]).toMatchObject({ state: 'connected', pending: 0 });
    // The service does not list it for her scope, and the rule judged as "jane" says it left; her
    // own ops keep it all the same (pulls never send a device its own ops back from a cursor).
    const listed = await fetch(`${central.url}/v1/sync/streams?${scopeQueryString(defaultScope)}`, {
      headers: { authorization: `Bearer ${token}` },
    }).then(async (r) => ((await r.json()) as StreamsResponse).streams.map((x) => x.streamId));
    expect(listed).not.toContain(incidentStream(own));
    expect(incidentStreams(jane)).toEqual([incidentStream(own)]);
    expect((await call(jane, 'sync.scope', {})).lastEviction).toEqual({ evicted: [], keptUnsent: [incidentStream(own)], keptInScope: [] });
    expect((await call(jane, 'incidents.get', { id: own })).status).toBe('closed');
  });

  it('keeps a stream while one of its ops waits here for a certificate or for its clock', async () => {
    const central = await startCentral('sqlite');
    centrals.push(central);
    const { old } = await history(central);
    const carol = await scopedLaptop(central, 'carol', 'commander', lastYear);
    const stream = incidentStream(old);
    const [first] = carol.replica.opLog.streamSince(stream, 0, 1);
    const { seq: _seq, ...op } = first;
    const waiting = JSON.stringify({ ...op, opId: 'waiting-op' });
    await call(carol, 'sync.setScope', defaultScope);
    for (const table of ['ops_held', 'ops_clock_held'] as const) {
      if (table === 'ops_held')
        carol.db
          .prepare('INSERT INTO ops_held (op_id, op, reason, source, received_at) VALUES (?, ?, ?, ?, ?)')
          .run('waiting-op', waiting, 'no certificate yet', 'central', Date.now());
      else
        carol.db
          .prepare('INSERT INTO ops_clock_held (op_id, op, reason, source, due_at, held_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run('waiting-op', waiting, 'clock ahead', 'central', Date.now() + day, Date.now());
      await call(carol, 'sync.now', {});
      expect(incidentStreams(carol)).toContain(stream);
      expect((await call(carol, 'sync.scope', {})).lastEviction?.keptUnsent).toEqual([stream]);
      carol.db.prepare(`DELETE FROM ${table} WHERE op_id = 'waiting-op'`).run();
    }
    await call(carol, 'sync.now', {});
    expect(incidentStreams(carol)).not.toContain(stream);
  });

  it('does not pull an evicted stream back from a war room, yet takes a new incident declared there during an outage', async () => {
    const central = await startCentral('sqlite');
    centrals.push(central);
    const { bob, old, held, recent, open } = await history(central);
    const carol = await scopedLaptop(central, 'carol', 'commander', lastYear);
    await call(carol, 'sync.setScope', defaultScope);
    await call(carol, 'sync.now', {});
    expect(incidentStreams(carol)).toEqual([recent, open].map(incidentStream).sort());

    // Bob, who holds every incident, hosts a war room; carol joins it.
    const room = await call(bob, 'hub.start', { port: 0 });
    await call(carol, 'sync.join', { link: loopbackLink(room) });
    await settle([carol]);
    expect((await call(carol, 'sync.status', {})).peers.map((p) => [p.kind, p.state])).toEqual([
      ['central', 'connected'],
      ['hub', 'connected'],
    ]);
    // The room lists what bob holds, the old incidents too: carol does not take them back, so
    // nothing is pushed to the service again and nothing is evicted again on the next pass.
    expect(incidentStreams(carol)).toEqual([recent, open].map(incidentStream).sort());
    await call(carol, 'sync.now', {});
    expect((await call(carol, 'sync.scope', {})).lastEviction).toEqual({ evicted: [], keptUnsent: [], keptInScope: [] });

    // The service goes away; bob declares an incident in the room: open, so carol takes it.
    await call(bob, 'sync.disconnect', { peerId: 'central' });
    await call(carol, 'sync.disconnect', { peerId: 'central' });
    const { id: fresh } = await call(bob, 'incidents.create', { title: 'Room outage', severity: 'SEV1', services: ['orders'], summary: 'down' });
    await call(carol, 'sync.now', {});
    expect(incidentStreams(carol)).toEqual([recent, open, fresh].map(incidentStream).sort());
    expect(incidentStreams(carol)).not.toContain(incidentStream(old));
    expect(incidentStreams(carol)).not.toContain(incidentStream(held));
  });
});

describe('holdfast web --keep-closed-days / --keep-everything', () => {
  it('are saved before the engine starts, and N days alone turns keep-everything off', async () => {
    const dataDir = join(tempDir(), 'fresh');
    expect(saveScopeOptions(dataDir, { isKeepEverything: true })).toEqual({ keepClosedDays: defaultScope.keepClosedDays, isKeepEverything: true });
    expect(saveScopeOptions(dataDir, { keepClosedDays: 30 })).toEqual({ keepClosedDays: 30, isKeepEverything: false });
    expect(saveScopeOptions(dataDir, { isKeepEverything: true })).toEqual({ keepClosedDays: 30, isKeepEverything: true });
    expect(saveScopeOptions(dataDir, { keepClosedDays: 7, isKeepEverything: true })).toEqual({ keepClosedDays: 7, isKeepEverything: true });
    // The engine opened afterwards holds it from its start (its first pass asks for it).
    const engine = openEngine({ dataDir, host: 'web' });
    try {
      expect((await call(engine, 'sync.scope', {})).settings).toEqual({ keepClosedDays: 7, isKeepEverything: true });
      // While an engine holds the folder, the options are refused rather than written beside it.
      expect(() => saveScopeOptions(dataDir, { keepClosedDays: 9 })).toThrow();
    } finally {
      await engine.close();
    }
  });
});
