// Sync end to end with real servers on loopback: replicas, the central service on SQLite and on
// PostgreSQL, and a war-room hub relaying to it.
import { afterEach, describe, expect, it } from 'vitest';
import { timelineOps } from '../support/ops';
import { call, openTestEngine } from '../support/engines';
import { settle, startCentral, type Central, type Driver } from '../support/sync';

const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
});

async function central(driver: Driver, options?: { rateLimitPerMinute?: number }) {
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
    const ops = timelineOps(20, { actorId: 'alice' });
    const push = () =>
      fetch(`${service.url}/v1/sync/push`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ops }),
      }).then((r) => r.json() as Promise<{ results: { status: string }[] }>);
    expect((await push()).results.every((r) => r.status === 'accepted')).toBe(true);
    const heads = await service.store.streamHeads();
    expect((await push()).results.every((r) => r.status === 'duplicate')).toBe(true);
    expect(await service.store.streamHeads()).toEqual(heads);
    expect(heads).toEqual([{ streamId: ops[0].streamId, head: 20 }]);
  });

  it('rejects malformed, oversized, unauthenticated and unauthorized pushes and stores nothing', async () => {
    const service = await central(driver);
    const tokens = {
      commander: await service.token('carol', 'commander'),
      responder: await service.token('rita', 'responder'),
      viewer: await service.token('vic', 'viewer'),
    };
    const post = async (body: string, token: string | null, contentType = 'application/json') => {
      const response = await fetch(`${service.url}/v1/sync/push`, {
        method: 'POST',
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': contentType },
        body,
      });
      return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string }; results?: { status: string; reason?: string }[] } };
    };
    const ops = JSON.stringify({ ops: timelineOps(2, { actorId: 'carol' }) });
    const cases: [string, Promise<{ status: number; body: { error?: { code: string; message: string } } }>, number][] = [
      ['no token', post(ops, null), 401],
      ['an unknown token', post(ops, 'hf_not-a-token'), 401],
      ['broken JSON', post('{"ops": [', tokens.commander), 400],
      ['ops that are not a list', post('{"ops": {"a": 1}}', tokens.commander), 400],
      ['too many ops', post(JSON.stringify({ ops: Array(2001).fill({}) }), tokens.commander), 400],
      ['an oversized body', post(JSON.stringify({ ops: [{ text: 'x'.repeat(9 * 1024 * 1024) }] }), tokens.commander), 413],
      ['a viewer', post(JSON.stringify({ ops: timelineOps(1, { actorId: 'vic' }) }), tokens.viewer), 403],
      ['a responder writing as someone else', post(ops, tokens.responder), 403],
    ];
    for (const [label, pending, status] of cases) {
      const result = await pending;
      expect({ label, status: result.status }).toEqual({ label, status });
      expect(result.body.error?.message ?? '').not.toBe('');
    }
    const forged = timelineOps(1, { actorId: 'carol' }).map((op) => ({ ...op, fields: { ...op.fields, text: 'forged' } }));
    const mixed = await post(JSON.stringify({ ops: [...forged, { nonsense: true }] }), tokens.commander);
    expect(mixed.status).toBe(200);
    expect(mixed.body.results?.map((r) => r.reason)).toEqual(["hash: does not match the op's content", 'op: unexpected field "nonsense"']);
    expect(await service.store.streamHeads()).toEqual([]);
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

describe('war-room hub', () => {
  it('relays replica → hub → central → another replica, with roles checked at the service', async () => {
    const service = await central('sqlite');
    const [aliceToken, carolToken] = [await service.token('alice', 'commander'), await service.token('carol', 'commander')];
    await service.token('bob', 'responder');

    const host = replica(); // alice's laptop hosts the war room and can reach the service
    await call(host, 'sync.connect', { url: service.url, token: aliceToken });
    const incident = await call(host, 'incidents.create', { title: 'Datacenter power loss', severity: 'SEV1', summary: '' });
    const room = await call(host, 'hub.start', { port: 0 });
    expect(room).toMatchObject({ isRunning: true, joinCode: expect.stringMatching(/^\d{3}-\d{3}$/) });
    const hubUrl = room.urls.find((u) => u.includes('127.0.0.1'))!;

    const bob = replica(); // bob's laptop only reaches the hub
    bob.replica.setActor('bob');
    await expect(call(bob, 'sync.join', { url: hubUrl, code: '000-000' === room.joinCode ? '111-111' : '000-000' })).rejects.toMatchObject({
      code: 'unauthorized',
    });
    await call(bob, 'sync.join', { url: hubUrl, code: room.joinCode! });
    await settle([bob]);
    expect(await call(bob, 'incidents.get', { id: incident.id })).toMatchObject({ title: 'Datacenter power loss' });
    await call(bob, 'timeline.add', { incidentId: incident.id, kind: 'observation', text: 'Generator B did not start' });
    bob.replica.commitLocal([{ entity: 'incident', rowId: incident.id, fields: { severity: 'SEV3' } }]); // not a responder's call
    await settle([bob, host]);
    expect((await call(host, 'hub.status', {})).clients).toEqual(['bob']);

    const carol = replica(); // at head office, on the central service
    await call(carol, 'sync.connect', { url: service.url, token: carolToken });
    await settle([carol]);
    const entries = (await call(carol, 'timeline.list', { incidentId: incident.id, limit: 10 })).entries.filter((e) => e.kind !== 'system');
    expect(entries.map((e) => [e.text, e.authorId])).toEqual([['Generator B did not start', 'bob']]);
    expect(await call(carol, 'incidents.get', { id: incident.id })).toMatchObject({ severity: 'SEV1' });
    const hostStatus = await call(host, 'sync.status', {});
    expect(hostStatus.peers[0]).toMatchObject({ kind: 'central', refused: 1 });
  });
});

describe('work written before connecting', () => {
  it.each(['sqlite', 'postgres'] as const)('reaches the service under the connecting user (%s)', async (driver) => {
    const service = await central(driver);
    const laptop = replica();
    const before = laptop.replica.actorId; // the computer's login name
    const incident = await call(laptop, 'incidents.create', { title: 'Declared before connecting', severity: 'SEV3', summary: '' });
    await call(laptop, 'sync.connect', { url: service.url, token: await service.token('rita', 'responder') });
    const other = replica();
    await call(other, 'sync.connect', { url: service.url, token: await service.token('olga', 'commander') });
    await settle([laptop, other]);
    expect(await call(other, 'incidents.get', { id: incident.id })).toMatchObject({ title: 'Declared before connecting' });
    expect((await call(laptop, 'sync.status', {})).peers[0]).toMatchObject({ refused: 0, pending: 0 });
    expect(await service.store.aliasOwner(laptop.replica.deviceId, before)).toBe('rita');
  });

  it("cannot claim another user's name", async () => {
    const service = await central('sqlite');
    await service.token('olga', 'commander');
    const token = await service.token('rita', 'responder');
    const response = await fetch(`${service.url}/v1/me/aliases`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ deviceId: '00000000000000aa', alias: 'olga' }),
    });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('name of another user');
  });
});

describe('war-room hub joining', () => {
  it('refuses a second laptop under a name already in the room, and limits code guessing', async () => {
    const host = replica();
    const room = await call(host, 'hub.start', { port: 0 });
    const url = room.urls.find((u) => u.includes('127.0.0.1'))!;
    const join = (name: string, code: string) =>
      fetch(`${url}/v1/hub/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, code }) });
    expect((await join('sam', room.joinCode!)).status).toBe(200);
    const again = await join('sam', room.joinCode!);
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { message: string } }).error.message).toContain('already in this war room');
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await join(`guess${i}`, '000-00' + i)).status);
    expect(statuses.at(-1)).toBe(429);
    await call(host, 'hub.stop', {});
  });
});

describe('a laptop on both the service and a war room', () => {
  it('sends the hub only what it wrote itself, so nothing is refused', async () => {
    const service = await central('sqlite');
    const host = replica();
    await call(host, 'sync.connect', { url: service.url, token: await service.token('hana', 'commander') });
    const room = await call(host, 'hub.start', { port: 0 });
    const hubUrl = room.urls.find((u) => u.includes('127.0.0.1'))!;

    const other = replica();
    await call(other, 'sync.connect', { url: service.url, token: await service.token('omar', 'commander') });
    const incident = await call(other, 'incidents.create', { title: 'Mail delivery delayed', severity: 'SEV3', summary: '' });

    const laptop = replica();
    await call(laptop, 'sync.connect', { url: service.url, token: await service.token('lee', 'commander') });
    await call(laptop, 'sync.join', { url: hubUrl, code: room.joinCode! });
    await settle([other, laptop]);
    await call(laptop, 'timeline.add', { incidentId: incident.id, kind: 'note', text: 'Queue draining' });
    await settle([laptop, host]);
    const hubPeer = (await call(laptop, 'sync.status', {})).peers.find((p) => p.kind === 'hub')!;
    expect(hubPeer).toMatchObject({ refused: 0, pending: 0 });
    const written = (await call(host, 'timeline.list', { incidentId: incident.id, limit: 10 })).entries.filter((e) => e.kind !== 'system');
    expect(written.map((e) => e.authorId)).toEqual(['lee']);
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
    expect(await service.store.streamHeads()).toEqual([{ streamId: `incident:${incident.id}`, head: laptop.replica.opLog.count() }]);
    expect(laptop.replica.opLog.count()).toBeGreaterThan(600);
  });
});

describe('entries the service refuses', () => {
  it("show the service's reason on the timeline instead of looking synced", async () => {
    const service = await central('sqlite');
    // A laptop whose clock runs an hour fast: the service refuses its ops as being from the future.
    const laptop = openTestEngine({ syncPollMs: 60_000, now: () => Date.now() + 60 * 60_000 });
    await call(laptop, 'sync.connect', { url: service.url, token: await service.token('fay', 'commander') });
    const incident = await call(laptop, 'incidents.create', { title: 'Clock skew on a laptop', severity: 'SEV4' });
    await settle([laptop]);
    const entries = (await call(laptop, 'timeline.list', { incidentId: incident.id, limit: 10 })).entries;
    expect(entries.length).toBeGreaterThan(0);
    for (const entry of entries) expect(entry.refusal).toContain('clock is too far ahead');
  });
});
