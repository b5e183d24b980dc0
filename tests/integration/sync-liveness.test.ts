// Sync that notices and recovers by itself: a `holdfast server` process killed and started again
// (laptops see it gone within seconds and converge once it is back, with nobody pressing
// anything), a sustained burst of writes that streams to another laptop before it ends, and two
// service nodes on one PostgreSQL poking each other's laptops. Real services, real engines; no
// sleeps: every wait is for something that must happen.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { hashToken } from '../../server/central-backend';
import { startService } from '../../server/service';
import { createTrustIssuer } from '../../server/trust/issue';
import { openServiceKeys } from '../../server/trust/org-key';
import { call, openTestEngine } from '../support/engines';
import { eventually } from '../support/eventually';
import { startServerProcess, stoppedAfterAll } from '../support/processes';
import { loopbackLink, openStore, settle, startCentral } from '../support/sync';
import type { LiveClock } from '../../electron/engine/sync/peer-live';
import { tempDir } from '../support/temp';

const running = stoppedAfterAll();
// No fallback poll within a test: whatever arrives came by a poke, a reconnect or a retry.
const noPoll = 3_600_000;

const entryTexts = async (engine: Engine, incidentId: string) => (await call(engine, 'timeline.list', { incidentId, limit: 500 })).entries.map((entry) => entry.text);

describe('the service killed and started again', () => {
  it('is seen unreachable within seconds, and every laptop converges once it is back without anyone syncing by hand', async () => {
    const service = await startServerProcess(tempDir('holdfast-central-'));
    running.push(service);
    const ada = openTestEngine({ syncPollMs: noPoll });
    const bo = openTestEngine({ syncPollMs: noPoll });
    await call(ada, 'sync.connect', { url: service.url, token: service.addUser('ada', 'commander') });
    await call(bo, 'sync.connect', { url: service.url, token: service.addUser('bo', 'commander') });
    const incident = await call(ada, 'incidents.create', { title: 'Checkout down', severity: 'SEV1' });
    await settle([ada, bo]);
    const peerOf = async (engine: Engine) => (await call(engine, 'sync.status', {})).peers[0];
    await eventually(async () => expect((await peerOf(bo)).lastHeartbeatAt).not.toBeNull());

    // Taken before the kill: a laptop can notice the socket close before this process hears the exit.
    const killedAt = Date.now();
    service.child.kill('SIGKILL');
    await new Promise((resolve) => service.child.once('exit', resolve));
    // Nobody writes: the live socket alone tells both laptops the service is gone.
    await eventually(async () => {
      for (const engine of [ada, bo]) {
        const peer = await peerOf(engine);
        expect(peer.state).toBe('offline');
        expect(peer.unreachableSince).toBeGreaterThanOrEqual(killedAt);
        expect(peer.lastError).toBeTruthy();
      }
    }, 5000);

    // Written while the service is down: waits, queued.
    await call(ada, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Rolled back the deploy' });
    expect((await peerOf(ada)).pending).toBeGreaterThan(0);

    const again = await startServerProcess(service.dataDir, service.port);
    running.push(again);
    // With an incident open the laptops retry within a second or so and converge on their own.
    await eventually(async () => {
      expect(await entryTexts(bo, incident.id)).toContain('Rolled back the deploy');
      for (const engine of [ada, bo]) expect(await peerOf(engine)).toMatchObject({ state: 'connected', pending: 0, unreachableSince: null });
    }, 10_000);
    expect(bo.replica.digest()).toBe(ada.replica.digest());
  }, 90_000);
});

describe('a sustained burst of writes', () => {
  it('reaches another laptop while the burst is still going', async () => {
    const service = await startCentral('sqlite');
    running.push({ stop: () => service.close() });
    const writer = openTestEngine({ syncPollMs: noPoll });
    const reader = openTestEngine({ syncPollMs: noPoll });
    await call(writer, 'sync.connect', { url: service.url, token: await service.token('cy', 'commander') });
    await call(reader, 'sync.connect', { url: service.url, token: await service.token('di', 'commander') });
    const incident = await call(writer, 'incidents.create', { title: 'Queue backlog', severity: 'SEV2' });
    await settle([writer, reader]);

    // A write every few milliseconds, never pausing 50 ms: before, each write restarted the sync
    // timer and nothing left the laptop until the burst ended.
    const burst = 2000;
    let written = 0;
    let seenAt: number | null = null;
    const before = reader.replica.opLog.count();
    while (written < burst && seenAt === null) {
      await call(writer, 'timeline.add', { incidentId: incident.id, kind: 'note', text: `burst entry ${written}` });
      written += 1;
      // Pushes go in order: the first op the reader gets is the burst's first entry.
      if (reader.replica.opLog.count() > before) seenAt = written;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(seenAt).not.toBeNull();
    expect(written).toBeLessThan(burst);
    expect(await entryTexts(reader, incident.id)).toContain('burst entry 0');
  });
});

describe('two service nodes on one PostgreSQL', () => {
  it("poke each other's laptops: a push to one node reaches a laptop on the other without a poll", async () => {
    // Two nodes: two stores (two pools) on one database, each its own HTTP service.
    const { store, reopen, dataDir } = await openStore('postgres');
    const trust = createTrustIssuer(store, await openServiceKeys(store, join(dataDir, 'keys', 'org-key.pem')));
    const first = await startService({ store, port: 0, trust });
    const secondStore = await reopen();
    const second = await startService({ store: secondStore, port: 0, trust });
    running.push({ stop: async () => (await first.close(), await store.close()) });
    running.push({ stop: async () => (await second.close(), await secondStore.close()) });
    const token = async (name: string) => {
      const value = `hf_${randomBytes(16).toString('hex')}`;
      await store.addUser({ name, role: 'commander', tokenHash: hashToken(value), createdAt: Date.now() });
      return value;
    };

    const ed = openTestEngine({ syncPollMs: noPoll });
    const flo = openTestEngine({ syncPollMs: noPoll });
    await call(ed, 'sync.connect', { url: first.url, token: await token('ed') });
    await call(flo, 'sync.connect', { url: second.url, token: await token('flo') });
    await call(ed, 'sync.now', {});
    await eventually(async () => expect((await call(flo, 'sync.status', {})).peers[0]).toMatchObject({ state: 'connected', lastError: null }));
    await eventually(async () => expect((await call(flo, 'sync.status', {})).peers[0].lastHeartbeatAt).not.toBeNull());

    const incident = await call(ed, 'incidents.create', { title: 'Replica lag', severity: 'SEV3' });
    await call(ed, 'timeline.add', { incidentId: incident.id, kind: 'observation', text: 'Lag at 40 s on the read replica' });
    // flo polls once an hour and is connected to the other node: only a poke across nodes brings it.
    await eventually(async () => expect(await entryTexts(flo, incident.id)).toContain('Lag at 40 s on the read replica'), 10_000);
  });
});

describe('a war room whose host reaches the service again', () => {
  it('tells its members, who reconnect to the service at once instead of waiting out their back-off', async () => {
    const service = await startCentral('sqlite');
    running.push({ stop: () => service.close() });
    const host = openTestEngine({ syncPollMs: noPoll });
    // This member's timers run only short debounces: on its own it would never retry the service
    // (no back-off, no poll, no socket retry fires), so only the hub's notice can bring it back.
    const debouncesOnly: LiveClock = {
      now: () => Date.now(),
      setTimeout: (callback, ms) => (ms <= 50 ? setTimeout(callback, ms) : { unref: () => undefined }),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      random: Math.random,
    };
    const member = openTestEngine({ syncPollMs: noPoll, syncClock: debouncesOnly });
    await call(host, 'sync.connect', { url: service.url, token: await service.token('gil', 'commander') });
    await call(member, 'sync.connect', { url: service.url, token: await service.token('hal', 'commander') });
    const room = await call(host, 'hub.start', { port: 0 });
    await call(member, 'sync.join', { link: loopbackLink(room) });
    const centralOf = async (engine: Engine) => (await call(engine, 'sync.status', {})).peers.find((p) => p.kind === 'central')!;
    const hubOf = async (engine: Engine) => (await call(engine, 'sync.status', {})).peers.find((p) => p.kind === 'hub')!;
    await eventually(async () => expect((await centralOf(member)).lastHeartbeatAt).not.toBeNull());
    // The hub tells its member how many laptops it serves; the host counts them.
    await eventually(async () => expect((await hubOf(member)).hubMembers).toBe(1));
    await eventually(async () => expect((await call(host, 'hub.status', {})).liveMembers).toBe(1));

    await service.stop();
    await eventually(async () => expect((await centralOf(member)).state).toBe('offline'));
    await eventually(async () => expect((await centralOf(host)).unreachableSince).not.toBeNull());
    await service.restart();
    const restartedAt = Date.now();
    // The host's user presses Sync now: it reaches the service, and the room hears so.
    await call(host, 'sync.now', {});
    expect((await centralOf(host)).state).toBe('connected');
    await eventually(async () => expect(await centralOf(member)).toMatchObject({ state: 'connected', unreachableSince: null }), 10_000);
    // Its live socket is open again too: only a reconnect asked for (the hub's notice) opens it here.
    await eventually(async () => expect((await centralOf(member)).lastHeartbeatAt).toBeGreaterThanOrEqual(restartedAt));
  });
});
