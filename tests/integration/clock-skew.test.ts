// Laptops with wrong clocks against a real service on loopback (clocks injected): every write
// reaches every replica, the pull position never passes an op that was neither applied nor held,
// a push the service will not take yet stays queued with its reason, and the status says so.
import { afterEach, describe, expect, it } from 'vitest';
import type { PeerStatus } from '@shared/domain/sync-status';
import { decodeHlc } from '@shared/hlc';
import type { Engine } from '../../electron/engine/engine';
import { openDatabase } from '../../electron/engine/core/database';
import { call, openTestEngine } from '../support/engines';
import { loopbackLink, startCentral, type Central } from '../support/sync';
import { tempDir } from '../support/temp';

const hour = 3600_000;
const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
});

/** A laptop whose wall clock reads the real time plus `shift.ms` (the test moves it). */
function laptop(shift: { ms: number }, dataDir = tempDir()): Engine {
  return openTestEngine({ dataDir, syncPollMs: 60_000, now: () => Date.now() + shift.ms });
}

async function centralPeer(engine: Engine): Promise<PeerStatus> {
  const status = await call(engine, 'sync.now', {});
  const peer = status.peers.find((p) => p.kind === 'central');
  if (!peer) throw new Error('no central peer');
  return peer;
}

/** Syncs the engines in turn until `done` holds (or fails after `rounds`). */
async function syncUntil(engines: Engine[], done: () => Promise<boolean> | boolean, rounds = 40): Promise<void> {
  for (let round = 0; round < rounds; round += 1) {
    for (const engine of engines) await call(engine, 'sync.now', {});
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  throw new Error(`not done after ${rounds} rounds: ${JSON.stringify(engines.map((e) => call(e, 'sync.status', {})))}`);
}

const texts = async (engine: Engine, incidentId: string): Promise<string[]> =>
  (await call(engine, 'timeline.list', { incidentId, limit: 200 })).entries.filter((e) => e.kind !== 'system').map((e) => e.text);

const hasIncident = async (engine: Engine, id: string) => (await call(engine, 'incidents.list', {})).some((i: { id: string }) => i.id === id);

describe('a laptop whose clock is hours behind', () => {
  it("takes what others wrote, stamps at the service's time and reports its offset", async () => {
    const service = await startCentral('sqlite');
    centrals.push(service);
    const alice = laptop({ ms: 0 });
    const bob = laptop({ ms: -3 * hour });
    await call(alice, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    const incident = await call(alice, 'incidents.create', { title: 'Checkout down', severity: 'SEV2', summary: '' });
    await call(alice, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Rolled back the deploy' });
    await call(bob, 'sync.connect', { url: service.url, token: await service.token('bob', 'commander') });
    await syncUntil([alice, bob], async () => (await texts(bob, incident.id)).includes('Rolled back the deploy'));

    const peer = await centralPeer(bob);
    // The service's clock minus bob's: three hours, give or take the exchange.
    expect(Math.abs((peer.clockOffsetMs ?? 0) - 3 * hour)).toBeLessThan(2000);
    expect(peer).toMatchObject({ held: 0, waitingRefused: 0, refused: 0 });
    expect(Math.abs((await centralPeer(alice)).clockOffsetMs ?? Infinity)).toBeLessThan(2000);

    // What bob writes now carries the service's time, not his clock's.
    const entry = await call(bob, 'timeline.add', { incidentId: incident.id, kind: 'observation', text: 'Errors back to normal' });
    const op = bob.replica.opLog.since(0, 10_000).find((o) => o.rowId === entry.id)!;
    expect(Math.abs(decodeHlc(op.hlc).ms - Date.now())).toBeLessThan(5000);
    await syncUntil([bob, alice], async () => (await texts(alice, incident.id)).includes('Errors back to normal'));
    expect(alice.replica.digest()).toBe(bob.replica.digest());
    // The time the entry records is the service's too: it sorts where it happened, and is not "late".
    const seen = (await call(alice, 'timeline.list', { incidentId: incident.id, limit: 50 })).entries.find((e) => e.text === 'Errors back to normal')!;
    expect(Math.abs(seen.eventAt - Date.now())).toBeLessThan(5000);
    expect(Math.abs(seen.recordedAt - seen.eventAt)).toBeLessThan(60_000);
  });

  it('holds ops stamped beyond what it takes, keeps them across a restart, and applies them once its clock is right', async () => {
    const service = await startCentral('sqlite');
    centrals.push(service);
    const alice = laptop({ ms: 0 });
    const bobShift = { ms: 0 };
    const bobDir = tempDir();
    let bob = laptop(bobShift, bobDir);
    await call(alice, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    await call(bob, 'sync.connect', { url: service.url, token: await service.token('bob', 'responder') });
    await bob.close();
    // Bob's clock then runs 30 h behind, he remembers no time the service gave (a laptop that
    // never reached it, or a peer that sends no time), and he cannot measure.
    bobShift.ms = -30 * hour;
    const forgetting = openDatabase(bobDir);
    forgetting.prepare("DELETE FROM replica_meta WHERE key = 'clock_floor'").run();
    forgetting.close();
    const uncorrected = (engine: Engine) => {
      engine.replica.clockOffset.observe = () => undefined;
    };
    bob = laptop(bobShift, bobDir);
    uncorrected(bob);
    const incident = await call(alice, 'incidents.create', { title: 'Payments slow', severity: 'SEV3', summary: '' });
    for (const text of ['Paged the payments team', 'Queue depth 40k']) await call(alice, 'timeline.add', { incidentId: incident.id, kind: 'action', text });
    await syncUntil([alice], async () => (await centralPeer(alice)).pending === 0);

    await syncUntil([bob], async () => ((await centralPeer(bob)).held ?? 0) > 0);
    const held = (await centralPeer(bob)).held!;
    expect(held).toBeGreaterThanOrEqual(3);
    expect(await hasIncident(bob, incident.id)).toBe(false);
    // The pull position moved past them: they are in the held table, not lost.
    expect(bob.db.prepare('SELECT count(*) FROM ops_clock_held').pluck().get()).toBe(held);
    expect((await centralPeer(bob)).state).toBe('connected');

    // Restarted with its clock still wrong: still held (durably).
    await bob.close();
    bob = laptop(bobShift, bobDir);
    uncorrected(bob);
    await call(bob, 'sync.now', {});
    expect((await centralPeer(bob)).held).toBe(held);

    // The clock is set right and the app restarted: everything arrives.
    await bob.close();
    bobShift.ms = 0;
    bob = laptop(bobShift, bobDir);
    await syncUntil([bob], async () => (await texts(bob, incident.id)).length === 2 && (await centralPeer(bob)).held === 0);
    expect((await texts(bob, incident.id)).sort()).toEqual(['Paged the payments team', 'Queue depth 40k']);
    expect(bob.db.prepare('SELECT count(*) FROM ops_clock_held').pluck().get()).toBe(0);
    expect(bob.replica.digest()).toBe(alice.replica.digest());
  });
});

describe('a laptop whose clock is hours behind, restarted with no route to the service', () => {
  it('still writes, stamped after the last time the service gave it, and its writes reach everyone', async () => {
    const service = await startCentral('sqlite');
    centrals.push(service);
    const alice = laptop({ ms: 0 });
    const bobDir = tempDir();
    let bob = laptop({ ms: -3 * hour }, bobDir);
    await call(alice, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    await call(bob, 'sync.connect', { url: service.url, token: await service.token('bob', 'commander') });
    const incident = await call(alice, 'incidents.create', { title: 'VPN down', severity: 'SEV2', summary: '' });
    await syncUntil([alice, bob], () => hasIncident(bob, incident.id));
    const heard = Date.now();

    await service.stop();
    await bob.close();
    bob = laptop({ ms: -3 * hour }, bobDir);
    // Three hours behind, his certificate (issued at the service's time) would not cover his clock's time.
    const entry = await call(bob, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Bob: restarted the VPN concentrator' });
    const op = bob.replica.opLog.since(0, 10_000).find((o) => o.rowId === entry.id)!;
    expect(decodeHlc(op.hlc).ms).toBeGreaterThanOrEqual(heard - 60_000);
    expect(decodeHlc(op.hlc).ms).toBeLessThanOrEqual(Date.now());

    await service.restart();
    await syncUntil([bob, alice], async () => (await texts(alice, incident.id)).includes('Bob: restarted the VPN concentrator'));
    expect((await centralPeer(bob)).refused).toBe(0);
  });
});

describe('a laptop an earlier version let skip ops for their clock', () => {
  it('pulls that peer again from the start and gets them', async () => {
    const service = await startCentral('sqlite');
    centrals.push(service);
    const alice = laptop({ ms: 0 });
    const bobDir = tempDir();
    let bob = laptop({ ms: 0 }, bobDir);
    await call(alice, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    await call(bob, 'sync.connect', { url: service.url, token: await service.token('bob', 'commander') });
    const incident = await call(alice, 'incidents.create', { title: 'Checkout down', severity: 'SEV2', summary: '' });
    await syncUntil([alice, bob], () => hasIncident(bob, incident.id));
    await bob.close();
    await call(alice, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Refused once for its clock' });
    await syncUntil([alice], async () => (await centralPeer(alice)).pending === 0);
    const missed = alice.replica.opLog.since(0, 10_000).at(-1)!;

    // What the earlier version left: the refusal, and the cursor past the op.
    const stream = `incident:${incident.id}`;
    const head = (await service.store.streamHeads()).find((h) => h.streamId === stream)!.head;
    const db = openDatabase(bobDir);
    db.prepare('UPDATE sync_cursors SET cursor = ? WHERE peer_id = ? AND stream_id = ?').run(head, 'central', stream);
    db.prepare("INSERT INTO sync_rejections (peer_id, op_id, direction, reason, at) VALUES ('central', ?, 'pull', ?, ?)").run(
      missed.opId,
      `clock ${missed.hlc} is 10800 s ahead of this computer (limit 300 s): check the sending device's clock`,
      Date.now(),
    );
    db.close();

    bob = laptop({ ms: 0 }, bobDir);
    await syncUntil([bob], async () => (await texts(bob, incident.id)).includes('Refused once for its clock'));
    expect((await centralPeer(bob)).refused).toBe(0);
    expect(bob.replica.digest()).toBe(alice.replica.digest());
  });
});

describe('a laptop whose clock is hours ahead', () => {
  it('has its offline writes taken, stamps at the real time once its clock is fixed, and strands nothing', async () => {
    const service = await startCentral('sqlite');
    centrals.push(service);
    const alice = laptop({ ms: 0 });
    const carolShift = { ms: 3 * hour };
    const carolDir = tempDir();
    let carol = laptop(carolShift, carolDir);
    await call(alice, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    await call(carol, 'sync.connect', { url: service.url, token: await service.token('carol', 'commander') });
    const incident = await call(alice, 'incidents.create', { title: 'Login errors', severity: 'SEV2', summary: '' });
    await syncUntil([alice, carol], () => hasIncident(carol, incident.id));
    expect(Math.abs(((await centralPeer(carol)).clockOffsetMs ?? 0) + 3 * hour)).toBeLessThan(2000);

    // The service goes down; carol restarts (no offset measured yet) and writes with her clock 3 h fast.
    await service.stop();
    await carol.close();
    carol = laptop(carolShift, carolDir);
    const offline = Array.from({ length: 16 }, (_, i) => `Offline note ${i + 1}`);
    for (const text of offline) await call(carol, 'timeline.add', { incidentId: incident.id, kind: 'observation', text });
    const ahead = carol.replica.opLog.since(0, 10_000).filter((o) => o.deviceId === carol.replica.deviceId && decodeHlc(o.hlc).ms > Date.now() + 2 * hour);
    expect(ahead.length).toBeGreaterThanOrEqual(16);

    // Her clock is fixed and she restarts: a new incident is stamped at the real time (the clock
    // recovered); a note in the incident she wrote to while ahead follows her own notes there.
    await carol.close();
    carolShift.ms = 0;
    carol = laptop(carolShift, carolDir);
    const other = await call(carol, 'incidents.create', { title: 'Search slow', severity: 'SEV4', summary: '' });
    const otherOp = carol.replica.opLog.since(0, 10_000).find((o) => o.rowId === other.id)!;
    expect(Math.abs(decodeHlc(otherOp.hlc).ms - Date.now())).toBeLessThan(5000);
    await call(carol, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'After the fix' });

    await service.restart();
    await syncUntil([carol, alice], async () => (await texts(alice, incident.id)).length === 17 && (await hasIncident(alice, other.id)));
    expect((await texts(alice, incident.id)).sort()).toEqual([...offline, 'After the fix'].sort());
    const peer = await centralPeer(carol);
    expect(peer).toMatchObject({ pending: 0, waitingRefused: 0, refused: 0, held: 0 });
    expect(alice.replica.digest()).toBe(carol.replica.digest());
    // Chains verify in clock order on the service as everywhere.
    expect(carol.replica.verdictDigest()).toBe(alice.replica.verdictDigest());
  });

  it('keeps a push the service will not take yet queued with its reason, sends it again, and it is taken once its time is near', async () => {
    const serviceShift = { ms: 0 };
    const service = await startCentral('sqlite', { now: () => Date.now() + serviceShift.ms });
    centrals.push(service);
    const alice = laptop(serviceShift);
    const daveShift = { ms: 30 * hour };
    const daveDir = tempDir();
    let dave = laptop(daveShift, daveDir);
    // Dave writes before ever reaching the service, his clock 30 h fast.
    const incident = await call(dave, 'incidents.create', { title: 'Disk full on db-3', severity: 'SEV3', summary: '' });
    await call(dave, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Freed 20 GB' });
    await call(dave, 'sync.connect', { url: service.url, token: await service.token('dave', 'commander') });
    await call(alice, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    await syncUntil([dave], async () => ((await centralPeer(dave)).waitingRefused ?? 0) > 0);
    let peer = await centralPeer(dave);
    expect(peer.waitingRefused).toBeGreaterThanOrEqual(2);
    expect(peer.waitingReasons?.[0]).toMatch(/^clock ahead: the op is stamped 30 h ahead of the service/);
    // Not marked pushed, not counted as refused: waiting.
    expect(peer.refused).toBe(0);
    expect(Math.abs((peer.clockOffsetMs ?? 0) + 30 * hour)).toBeLessThan(2000);

    // A new write is stamped at the service's time and taken at once (a new incident: its own chain).
    const fresh = await call(dave, 'incidents.create', { title: 'Cache misses', severity: 'SEV4', summary: '' });
    await syncUntil([dave, alice], () => hasIncident(alice, fresh.id));
    expect(await hasIncident(alice, incident.id)).toBe(false);

    // Still waiting after a restart with the clock fixed.
    await dave.close();
    daveShift.ms = 0;
    dave = laptop(daveShift, daveDir);
    await call(dave, 'sync.now', {});
    peer = await centralPeer(dave);
    expect(peer.waitingRefused).toBeGreaterThanOrEqual(2);

    // Seven hours later (the service's clock), the stamps are within a day: taken, and everyone has them.
    serviceShift.ms = 7 * hour;
    await syncUntil([dave, alice], async () => (await texts(alice, incident.id)).includes('Freed 20 GB'));
    expect((await centralPeer(dave)).waitingRefused).toBe(0);
  });
});

describe('a war room whose laptops all run hours behind', () => {
  it("stamps at the service's time, as the hub's host measured it, with the service out of reach", async () => {
    const service = await startCentral('sqlite');
    centrals.push(service);
    const host = laptop({ ms: -3 * hour });
    await call(host, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    const incident = await call(host, 'incidents.create', { title: 'Datacenter power loss', severity: 'SEV1', summary: '' });
    await syncUntil([host], async () => (await centralPeer(host)).pending === 0);
    const room = await call(host, 'hub.start', { port: 0 });

    // Bob, certified by the service earlier, joins the room with no route to the service; his clock too is 3 h behind.
    const bob = laptop({ ms: -3 * hour });
    await call(bob, 'sync.connect', { url: service.url, token: await service.token('bob', 'responder') });
    await call(bob, 'sync.disconnect', { peerId: 'central' });
    bob.replica.clockOffset.forget('central');
    await call(bob, 'sync.join', { link: loopbackLink(room) });
    await syncUntil([bob], async () => (await call(bob, 'sync.status', {})).peers.some((p) => p.kind === 'hub' && p.state === 'connected' && p.clockOffsetMs != null));
    const hub = (await call(bob, 'sync.status', {})).peers.find((p) => p.kind === 'hub')!;
    // The hub answers with its host's time corrected against the service: three hours ahead of bob's clock.
    expect(Math.abs((hub.clockOffsetMs ?? 0) - 3 * hour)).toBeLessThan(2000);

    const entry = await call(bob, 'timeline.add', { incidentId: incident.id, kind: 'observation', text: 'UPS on battery' });
    const op = bob.replica.opLog.since(0, 10_000).find((o) => o.rowId === entry.id)!;
    expect(Math.abs(decodeHlc(op.hlc).ms - Date.now())).toBeLessThan(5000);
    await syncUntil([bob, host], async () => (await texts(host, incident.id)).includes('UPS on battery') && (await centralPeer(host)).pending === 0);
    expect((await service.store.readOps(`incident:${incident.id}`, 0, 100)).some((o) => o.opId === op.opId)).toBe(true);
  });
});

describe('a hub whose clock is years ahead', () => {
  it('does not move a laptop that joins it, neither then nor after a restart offline', async () => {
    const service = await startCentral('sqlite');
    centrals.push(service);
    const hostShift = { ms: 0 };
    const host = laptop(hostShift);
    await call(host, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    await call(host, 'incidents.create', { title: 'Datacenter power loss', severity: 'SEV1', summary: '' });
    await syncUntil([host], async () => (await centralPeer(host)).pending === 0);
    const room = await call(host, 'hub.start', { port: 0 });
    // The host loses the service and its clock is set ten years ahead: its hub answers with that time.
    await call(host, 'sync.disconnect', { peerId: 'central' });
    host.replica.clockOffset.forget('central');
    hostShift.ms = 10 * 365 * 24 * hour;

    const bobDir = tempDir();
    let bob = laptop({ ms: 0 }, bobDir);
    await call(bob, 'sync.connect', { url: service.url, token: await service.token('bob', 'responder') });
    await call(bob, 'sync.disconnect', { peerId: 'central' });
    bob.replica.clockOffset.forget('central');
    await call(bob, 'sync.join', { link: loopbackLink(room) });
    const hubId = async () => (await call(bob, 'sync.status', {})).peers.find((p) => p.kind === 'hub')?.id ?? '';
    await syncUntil([bob], async () => (await call(bob, 'sync.status', {})).peers.some((p) => p.kind === 'hub' && p.state === 'connected'));
    expect(Math.abs(bob.replica.clockOffset.time() - Date.now())).toBeLessThan(5000);
    const incident = await call(bob, 'incidents.create', { title: 'Disk full', severity: 'SEV3', summary: '' });
    const op = bob.replica.opLog.since(0, 10_000).find((o) => o.rowId === incident.id)!;
    expect(Math.abs(decodeHlc(op.hlc).ms - Date.now())).toBeLessThan(5000);
    // Its time was refused, and that is reported.
    expect(bob.replica.clockOffset.refused(await hubId())?.offsetMs).toBeGreaterThan(9 * 365 * 24 * hour);

    // Restarted with no route anywhere: nothing the hub said was stored as the floor.
    await bob.close();
    const db = openDatabase(bobDir);
    const stored = db.prepare("SELECT value FROM replica_meta WHERE key = 'clock_floor'").get() as { value: string } | undefined;
    db.close();
    expect(Number(stored?.value ?? 0)).toBeLessThan(Date.now() + 5000);
    bob = laptop({ ms: 0 }, bobDir);
    expect(Math.abs(bob.replica.clockOffset.time() - Date.now())).toBeLessThan(5000);
    await bob.close();
    await host.close();
  });
});
