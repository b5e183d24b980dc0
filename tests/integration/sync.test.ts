// Sync end to end with real servers on loopback: replicas, the central service on SQLite and on
// PostgreSQL, and a war-room hub relaying to it.
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/ids';
import type { Role } from '@shared/roles';
import { hashToken } from '../../server/central-backend';
import { startService } from '../../server/service';
import { fileSecretStore } from '../../electron/engine/core/secrets';
import { tempDir } from '../support/temp';
import { trustStream } from '@shared/entities';
import { certifyAt, timelineOps } from '../support/ops';
import { call, openTestEngine, refusal, stateOf } from '../support/engines';
import { deviceKeyOf, joinRoom, loopbackLink, openStore, pushTo, settle, startCentral, type Central, type Driver } from '../support/sync';

const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
});

async function central(driver: Driver, options?: { rateLimitPerMinute?: number; certDays?: number }) {
  const c = await startCentral(driver, options);
  centrals.push(c);
  return c;
}

const replica = () => openTestEngine({ syncPollMs: 60_000 });

describe.each(['sqlite', 'postgres'] as const)('sync through the central service (%s)', (driver) => {
  it('two replicas converge after offline edits on both sides', async () => {
    const service = await central(driver);
    const alice = replica();
    const bob = replica();
    await call(alice, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    await call(bob, 'sync.connect', { url: service.url, token: await service.token('bob', 'commander') });
    expect(alice.replica.actorId).toBe('alice');

    const incident = await call(alice, 'incidents.create', { title: 'Checkout down', severity: 'SEV2', summary: '' });
    await settle([alice, bob]);
    expect(await call(bob, 'incidents.get', { id: incident.id })).toMatchObject({ title: 'Checkout down' });

    await service.stop(); // the service goes down; both keep working
    await call(alice, 'incidents.update', { id: incident.id, title: 'Checkout down in EU' });
    await call(alice, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Failing over to us-east' });
    await call(bob, 'incidents.update', { id: incident.id, severity: 'SEV1' });
    await call(bob, 'timeline.add', { incidentId: incident.id, kind: 'observation', text: 'Error rate 40%' });
    const offline = await call(alice, 'sync.now', {});
    expect(offline.state).toBe('offline');
    // The title change (with its automatic entry) and the action entry wait in the outbox.
    expect(offline.peers[0]).toMatchObject({ pending: 3, lastError: expect.stringContaining('cannot reach') });
    const waiting = (await call(alice, 'timeline.list', { incidentId: incident.id, limit: 10 })).entries;
    expect(waiting.filter((e) => e.isPending).map((e) => e.text)).toEqual(['alice changed title "Checkout down in EU"', 'Failing over to us-east'].reverse());
    expect(waiting.find((e) => e.text.startsWith('alice declared'))?.isPending).toBe(false);

    await service.restart();
    await settle([alice, bob]);
    for (const engine of [alice, bob]) {
      expect(await call(engine, 'incidents.get', { id: incident.id })).toMatchObject({ title: 'Checkout down in EU', severity: 'SEV1' });
      const page = await call(engine, 'timeline.list', { incidentId: incident.id, limit: 10 });
      const written = page.entries.filter((e) => e.kind !== 'system');
      expect(written.map((e) => e.text).sort()).toEqual(['Error rate 40%', 'Failing over to us-east']);
      expect(page.entries.some((e) => e.isPending)).toBe(false);
      expect((await call(engine, 'sync.status', {})).peers[0]).toMatchObject({ state: 'connected', pending: 0, lastError: null, refused: 0 });
    }
    expect(alice.replica.digest()).toBe(bob.replica.digest());
  });

  it('answers duplicate pushes as duplicates and changes nothing', async () => {
    const service = await central(driver);
    const token = await service.token('alice', 'commander');
    const ops = timelineOps(20, { device: await certifyAt(service.url, token, 'alice') });
    const push = () => pushTo(service.url, token, ops);
    expect((await push()).results.every((r) => r.status === 'accepted')).toBe(true);
    const heads = await service.store.streamHeads();
    expect((await push()).results.every((r) => r.status === 'duplicate')).toBe(true);
    expect(await service.store.streamHeads()).toEqual(heads);
    expect(heads.filter((h) => h.streamId !== trustStream)).toEqual([{ streamId: ops[0].streamId, head: 20 }]);
  });

  it('rejects malformed, oversized, unauthenticated and forged pushes and stores nothing', async () => {
    const service = await central(driver);
    const token = await service.token('carol', 'commander');
    const carol = await certifyAt(service.url, token, 'carol');
    const post = async (body: string, bearer: string | null, contentType = 'application/json') => {
      const response = await fetch(`${service.url}/v1/sync/push`, {
        method: 'POST',
        headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), 'content-type': contentType },
        body,
      });
      return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string }; results?: { status: string; reason?: string }[] } };
    };
    const ops = JSON.stringify({ ops: timelineOps(2, { device: carol }) });
    const cases: [string, Promise<{ status: number; body: { error?: { code: string; message: string } } }>, number][] = [
      ['no token', post(ops, null), 401],
      ['an unknown token', post(ops, 'hf_not-a-token'), 401],
      ['broken JSON', post('{"ops": [', token), 400],
      ['ops that are not a list', post('{"ops": {"a": 1}}', token), 400],
      ['too many ops', post(JSON.stringify({ ops: Array(2001).fill({}) }), token), 400],
      ['an oversized body', post(JSON.stringify({ ops: [{ text: 'x'.repeat(9 * 1024 * 1024) }] }), token), 413],
    ];
    for (const [label, pending, status] of cases) {
      const result = await pending;
      expect({ label, status: result.status }).toEqual({ label, status });
      expect(result.body.error?.message ?? '').not.toBe('');
    }
    const forged = timelineOps(1, { device: carol }).map((op) => ({ ...op, fields: { ...op.fields, text: 'forged' } }));
    const mixed = await post(JSON.stringify({ ops: [...forged, { nonsense: true }] }), token);
    expect(mixed.status).toBe(200);
    expect(mixed.body.results?.map((r) => r.reason)).toEqual(["hash: does not match the op's content", 'op: unexpected field "nonsense"']);
    expect((await service.store.streamHeads()).filter((h) => h.streamId !== trustStream)).toEqual([]);
  });

  it('answers 429 past the rate limit', async () => {
    const service = await central(driver, { rateLimitPerMinute: 3 });
    const token = await service.token('alice', 'commander');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      statuses.push((await fetch(`${service.url}/v1/sync/streams`, { headers: { authorization: `Bearer ${token}` } })).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });
});

describe('connecting', () => {
  it.each(['sqlite', 'postgres'] as const)('certifies the device, and work written before connecting reaches the service under the user (%s)', async (driver) => {
    const service = await central(driver);
    const laptop = replica();
    const before = laptop.replica.actorId; // the computer's login name
    const incident = await call(laptop, 'incidents.create', { title: 'Declared before connecting', severity: 'SEV3', summary: '' });
    await call(laptop, 'sync.connect', { url: service.url, token: await service.token('rita', 'responder') });
    expect(laptop.replica.trust.mode()).toBe('certified');
    expect(laptop.replica.trust.certificate()?.body).toMatchObject({ user: 'rita', role: 'responder', adopts: true, aliases: [before] });
    const other = replica();
    await call(other, 'sync.connect', { url: service.url, token: await service.token('olga', 'commander') });
    await settle([laptop, other]);
    expect(await call(other, 'incidents.get', { id: incident.id })).toMatchObject({ title: 'Declared before connecting' });
    expect((await call(laptop, 'sync.status', {})).peers[0]).toMatchObject({ refused: 0, pending: 0 });
  });

  it("refuses a connected responder's severity change and legal hold before writing anything", async () => {
    const service = await central('sqlite');
    const olga = replica();
    await call(olga, 'sync.connect', { url: service.url, token: await service.token('olga', 'commander') });
    const incident = await call(olga, 'incidents.create', { title: 'Payments failing', severity: 'SEV2', summary: '' });
    const rita = replica();
    await call(rita, 'sync.connect', { url: service.url, token: await service.token('rita', 'responder') });
    await settle([olga, rita]);
    const before = stateOf(rita);
    const attempts = [
      () => call(rita, 'incidents.update', { id: incident.id, severity: 'SEV1' }),
      () => call(rita, 'incidents.setLegalHold', { incidentId: incident.id, isHeld: true, reason: 'litigation' }),
    ];
    for (const attempt of attempts) {
      const error = await refusal(attempt);
      expect(error.code).toBe('forbidden');
      expect(error.message).toContain('responder');
    }
    expect(stateOf(rita)).toEqual(before);
  });

  it('renews the certificate on a sync pass once a third of its life has gone', async () => {
    const service = await central('sqlite', { certDays: 6 / 86_400 }); // certificates for six seconds
    const laptop = replica();
    await call(laptop, 'sync.connect', { url: service.url, token: await service.token('rita', 'responder') });
    const first = laptop.replica.trust.certificate()!;
    await call(laptop, 'sync.now', {});
    expect(laptop.replica.trust.certificate()?.certId).toBe(first.certId); // not due yet
    await new Promise((resolve) => setTimeout(resolve, 2100));
    await call(laptop, 'sync.now', {});
    const renewed = laptop.replica.trust.certificate()!;
    expect(renewed.certId).not.toBe(first.certId);
    expect(renewed.body).toMatchObject({ user: 'rita', role: 'responder', deviceId: laptop.replica.deviceId });
    expect(renewed.body.notAfter).toBeGreaterThan(first.body.notAfter);
  });

  it('certifies a laptop that connected before the service issued certificates, on its next pass', async () => {
    const service = await central('sqlite');
    const dataDir = tempDir();
    const before = openTestEngine({ dataDir, syncPollMs: 60_000 });
    // What such a laptop has: the service as a peer and its token, but no pinned key and no certificate.
    before.db.prepare("INSERT INTO sync_peers (id, kind, url, user_name, added_at) VALUES ('central', 'central', ?, 'rita', 1)").run(service.url);
    fileSecretStore(dataDir).set('sync-token:central', await service.token('rita', 'responder'));
    before.replica.setActor('rita');
    await before.close();
    const after = openTestEngine({ dataDir, syncPollMs: 60_000 });
    await call(after, 'sync.now', {});
    expect(after.replica.trust.mode()).toBe('certified');
    expect(after.replica.trust.certificate()?.body).toMatchObject({ user: 'rita', role: 'responder', deviceId: after.replica.deviceId });
    expect(after.replica.trust.pinnedOrgKeys()[0].keyId).toBe(service.trust.root().orgKeyId);
  });

  it('refuses a service without an organisation key, and another organisation than the one pinned', async () => {
    const { store } = await openStore('sqlite');
    const old = await startService({ store, port: 0 });
    const laptop = replica();
    const token = `hf_${'a'.repeat(32)}`;
    await store.addUser({ name: 'rita', role: 'responder', tokenHash: hashToken(token), createdAt: Date.now() });
    const error = await refusal(() => call(laptop, 'sync.connect', { url: old.url, token }));
    expect(error.message).toContain('has no organisation key');
    await old.close();
    await store.close();
    expect(laptop.replica.trust.mode()).toBe('standalone');

    const [first, second] = [await central('sqlite'), await central('sqlite')];
    await call(laptop, 'sync.connect', { url: first.url, token: await first.token('rita', 'responder') });
    const other = await refusal(async () => call(laptop, 'sync.connect', { url: second.url, token: await second.token('rita', 'responder') }));
    const fingerprints = [first, second].map((c) => c.trust.root().keys[0].fingerprint.replace(/(.{4})(?=.)/g, '$1 '));
    expect(other.message).toContain(fingerprints[0]);
    expect(other.message).toContain(fingerprints[1]);
    expect(laptop.replica.trust.pinnedOrgKeys()[0].keyId).toBe(first.trust.root().orgKeyId);
  });
});

describe('war-room hub', () => {
  /** Alice's laptop, connected to the service, with an incident, hosting a war room. */
  async function hostedRoom() {
    const service = await central('sqlite');
    const log: string[] = [];
    const host = openTestEngine({ syncPollMs: 60_000, log: (line) => log.push(line) });
    await call(host, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    const incident = await call(host, 'incidents.create', { title: 'Datacenter power loss', severity: 'SEV1', summary: '' });
    await settle([host]);
    const room = await call(host, 'hub.start', { port: 0 });
    expect(room).toMatchObject({ isRunning: true, joinCode: expect.stringMatching(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/) });
    return { service, host, incident, log, code: room.joinCode!, url: room.urls.find((u) => u.includes('127.0.0.1'))!, link: loopbackLink(room) };
  }

  /** A laptop certified by the service as `name`, then cut off from it. */
  async function certified(service: Central, name: string, role: Role) {
    const laptop = replica();
    await call(laptop, 'sync.connect', { url: service.url, token: await service.token(name, role) });
    await call(laptop, 'sync.disconnect', { peerId: 'central' });
    return laptop;
  }

  it('admits a laptop as the person and role its certificate names, never on a certificate alone', async () => {
    const { service, host, code, url, link, log } = await hostedRoom();
    const bob = await certified(service, 'bob', 'responder');
    const mallory = await certified(service, 'mallory', 'viewer');
    const bobs = bob.replica.trust.certificate()!;
    const stolen = await joinRoom(url, code, { certificate: { body: bobs.body, sig: bobs.sig }, sign: deviceKeyOf(mallory).sign });
    expect(stolen.status).toBe(401);
    expect(stolen.body.error?.message).toContain("not signed by the certificate's key");
    expect(log.some((line) => line.includes('join refused for "bob"') && line.includes("not signed by the certificate's key"))).toBe(true);
    expect((await joinRoom(url, code === '000-000' ? '111-111' : '000-000', { guest: 'eve' })).status).toBe(401);

    bob.replica.setActor('bobby'); // what a laptop calls itself does not matter
    await call(bob, 'sync.join', { link });
    await call(bob, 'sync.join', { link }); // one session per device
    bob.replica.setActor('bob');
    await settle([bob]);
    expect((await call(bob, 'sync.status', {})).peers[0]).toMatchObject({ kind: 'hub', userName: 'bob', role: 'responder', state: 'connected' });
    expect((await call(host, 'hub.status', {})).clients).toEqual(['bob']);
  });

  it('lets a laptop that never connected join as a guest who may only add notes', async () => {
    const { service, host, incident, link } = await hostedRoom();
    const guest = replica();
    guest.replica.setActor('gail');
    await call(guest, 'sync.join', { link });
    expect(guest.replica.trust.mode()).toBe('guest');
    expect(guest.replica.actorId).toBe('guest:gail');
    await settle([guest]);
    expect((await call(guest, 'sync.status', {})).peers[0]).toMatchObject({ kind: 'hub', userName: 'guest:gail', role: 'guest' });
    await call(guest, 'timeline.add', { incidentId: incident.id, kind: 'note', text: 'Smell of smoke in row 4' });
    const before = stateOf(guest);
    for (const attempt of [
      () => call(guest, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Cut power to row 4' }),
      () => call(guest, 'incidents.update', { id: incident.id, severity: 'SEV3' }),
    ]) {
      expect((await refusal(attempt)).message).toContain('guests may only add notes');
    }
    expect(stateOf(guest)).toEqual(before);
    await settle([guest]);
    await settle([host]);
    const carol = replica();
    await call(carol, 'sync.connect', { url: service.url, token: await service.token('carol', 'commander') });
    await settle([carol]);
    for (const engine of [host, carol]) {
      const notes = (await call(engine, 'timeline.list', { incidentId: incident.id, limit: 10 })).entries.filter((e) => e.kind === 'note');
      expect(notes.map((e) => [e.text, e.authorId])).toEqual([['Smell of smoke in row 4', 'guest:gail']]);
    }
  });

  it('keeps what the room cannot judge yet pending, and sends it again on later passes', async () => {
    const { host, link } = await hostedRoom();
    const guest = replica();
    // Written before joining, on a laptop no service ever certified: no certificate vouches for it.
    const incident = await call(guest, 'incidents.create', { title: 'Noticed on my own', severity: 'SEV4', summary: '' });
    const written = guest.replica.opLog.count();
    await call(guest, 'sync.join', { link });
    for (let pass = 0; pass < 2; pass += 1) {
      const peer = (await call(guest, 'sync.now', {})).peers[0];
      expect(peer).toMatchObject({ state: 'connected', lastError: null, pending: written, refused: 0 });
    }
    expect((await refusal(() => call(host, 'incidents.get', { id: incident.id }))).code).toBe('not_found');
    expect(host.replica.trust.held().filter((h) => h.op.deviceId === guest.replica.deviceId)).toHaveLength(written);
  });

  it('refuses, on the hub and at the service, what a joined responder may not write', async () => {
    const { service, host, incident, code, url } = await hostedRoom();
    const bob = await certified(service, 'bob', 'responder');
    const bobs = bob.replica.trust.certificate()!;
    const joined = await joinRoom(url, code, { certificate: { body: bobs.body, sig: bobs.sig }, sign: deviceKeyOf(bob).sign });
    expect(joined.status).toBe(200);
    const at = Date.now();
    const ops = [
      joined.write!({ entity: 'incident', rowId: incident.id, fields: { severity: 'SEV4' } }, at),
      joined.write!({ entity: 'incident', rowId: incident.id, fields: { isLegalHold: true, legalHoldReason: 'mine now' } }, at),
      joined.write!({ entity: 'person', rowId: uuidv7(), fields: { name: 'Bob the Boss', handle: 'bob' } }, at),
    ];
    // What bob's laptop sends a room first: the trust records it holds, its own certificate's among them.
    const trust = bob.replica.opLog.streamSince(trustStream, 0, 1000).map(({ seq: _seq, ...op }) => op);
    expect(trust.some((op) => op.entity === 'device_cert' && (op.fields as { body: { user: string } }).body.user === 'bob')).toBe(true);
    expect((await pushTo(url, joined.body.token!, trust)).status).toBe(200);
    const pushed = await pushTo(url, joined.body.token!, ops);
    expect(pushed.results.map((r) => r.status)).toEqual(['refused', 'refused', 'refused']);
    expect(pushed.results[0].reason).toContain('responder');
    await settle([host]);
    const carol = replica();
    await call(carol, 'sync.connect', { url: service.url, token: await service.token('carol', 'commander') });
    await settle([carol]);
    for (const engine of [host, carol]) {
      expect(await call(engine, 'incidents.get', { id: incident.id })).toMatchObject({ severity: 'SEV1', isLegalHold: false });
      expect((await call(engine, 'directory.list', {})).people).toEqual([]);
    }
    // The service got them (the host relays everything) and stored them refused too.
    expect((await call(host, 'sync.status', {})).peers[0]).toMatchObject({ kind: 'central', pending: 0, refused: 3 });
  });

  it("carries the host's entries to the service through another laptop, and every laptop ends equal", async () => {
    const { service, host, incident, link } = await hostedRoom();
    await call(host, 'sync.disconnect', { peerId: 'central' }); // the host loses the service
    await call(host, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Started generator A' });
    const lee = replica(); // on both the service and the war room, a commander: he holds delivery channels too
    await call(lee, 'sync.connect', { url: service.url, token: await service.token('lee', 'commander') });
    await call(lee, 'sync.join', { link });
    await settle([lee]);
    await call(lee, 'timeline.add', { incidentId: incident.id, kind: 'observation', text: 'UPS at 40%' });
    const carol = replica(); // at head office, on the service only
    await call(carol, 'sync.connect', { url: service.url, token: await service.token('carol', 'commander') });
    await settle([host, lee, carol]);
    const written = (await call(carol, 'timeline.list', { incidentId: incident.id, limit: 10 })).entries.filter((e) => e.kind !== 'system');
    expect(written.map((e) => [e.text, e.authorId]).sort()).toEqual([
      ['Started generator A', 'alice'],
      ['UPS at 40%', 'lee'],
    ]);
    expect(carol.replica.digest()).toBe(host.replica.digest());
    // A delivery channel goes to the service only: the room is not sent it, so nothing waits or is refused there.
    await call(lee, 'comms.saveChannel', { name: 'Status hook', audiences: ['customers'], config: { kind: 'webhook', url: 'https://hooks.example.com/x' } });
    await settle([lee, carol]);
    expect((await call(lee, 'sync.status', {})).peers.map((p) => [p.kind, p.pending, p.refused])).toEqual([
      ['central', 0, 0],
      ['hub', 0, 0],
    ]);
  });

  it('cannot be hosted by a laptop that never connected, and limits code guessing', async () => {
    const laptop = replica();
    const error = await refusal(() => call(laptop, 'hub.start', { port: 0 }));
    expect(error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('must connect to the service once') });
    const { url, code } = await hostedRoom();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i += 1) statuses.push((await joinRoom(url, code === `000-0${i}` ? '999-999' : `000-0${i}`.slice(0, 7), { guest: `guess${i}` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('large pushes', () => {
  it('splits a push of long entries to fit the service body limit', async () => {
    const service = await central('sqlite');
    const laptop = replica();
    await call(laptop, 'sync.connect', { url: service.url, token: await service.token('lena', 'commander') });
    const incident = await call(laptop, 'incidents.create', { title: 'Log pipeline stalled', severity: 'SEV2', summary: '' });
    // 600 entries of ~19,000 characters: about 11 MiB, more than one 8 MiB request may carry.
    laptop.replica.commitLocal(
      Array.from({ length: 600 }, (_, i) => ({
        entity: 'timeline_entry' as const,
        rowId: '',
        fields: { incidentId: incident.id, kind: 'observation', text: `${i} ${'stack trace line '.repeat(1100)}`, eventAt: 1 },
      })),
    );
    await settle([laptop]);
    expect((await call(laptop, 'sync.status', {})).peers[0]).toMatchObject({ pending: 0, refused: 0, lastError: null });
    // Every op of the laptop (the declaration's and the 600 entries) is on the service, in one stream.
    const stream = `incident:${incident.id}`;
    expect((await service.store.streamHeads()).filter((h) => h.streamId !== trustStream).map((h) => h.streamId)).toEqual([stream]);
    const onService = await service.store.readOps(stream, 0, 5000);
    expect(onService.map((op) => op.opId)).toEqual(laptop.replica.opLog.streamSince(stream, 0, 5000).map((op) => op.opId));
    expect(laptop.replica.opLog.count()).toBeGreaterThan(600);
  });
});

describe('entries the service refuses', () => {
  it("show the service's reason on the timeline instead of looking synced", async () => {
    const service = await central('sqlite');
    // A laptop whose clock jumps 30 h fast once it is connected (the jump drops its measured offset
    // until the next exchange): the service will not take its ops yet, and they wait, queued.
    let ahead = 0;
    const laptop = openTestEngine({ syncPollMs: 60_000, now: () => Date.now() + ahead });
    await call(laptop, 'sync.connect', { url: service.url, token: await service.token('fay', 'commander') });
    await settle([laptop]);
    ahead = 30 * 60 * 60_000;
    const incident = await call(laptop, 'incidents.create', { title: 'Clock skew on a laptop', severity: 'SEV4' });
    await settle([laptop]);
    const entries = (await call(laptop, 'timeline.list', { incidentId: incident.id, limit: 10 })).entries;
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry.refusal).toMatch(/^clock ahead: the op is stamped 30 h ahead of the service/);
  });
});
