// War-room discovery for real: two laptops as separate processes, each in its own network namespace,
// joined by a virtual Ethernet link (veth) with multicast on, as two laptops on one switch. The host
// starts a hub, which announces _holdfast._tcp over multicast DNS; the other laptop hears it, lists
// it and joins in one click with the join code, pinned to the fingerprint the room announced. A
// machine that announces a room with another fingerprint is refused with words that say why.
// Needs root and `ip` (iproute2): without them this test fails, it does not skip.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubStatus, SyncStatus } from '@shared/domain/sync-status';
import type { NearbyStatus } from '@shared/domain/outage-api';
import { tempDir } from '../support/temp';

/** Retries `check` every 200 ms until it returns; after `timeoutMs` its last failure is thrown. */
async function eventually<T>(check: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

const root = join(import.meta.dirname, '../..');
const tag = randomBytes(3).toString('hex');
const nsHost = `hf-host-${tag}`;
const nsLaptop = `hf-lap-${tag}`;
const hostAddress = '10.213.0.1';
const laptopAddress = '10.213.0.2';

function ip(...args: string[]): void {
  const run = spawnSync('ip', args, { encoding: 'utf8' });
  if (run.error)
    throw new Error(
      `\`ip ${args.join(' ')}\` could not run (${run.error.message}): install iproute2 (apt-get install -y iproute2); this test needs network namespaces and root`,
    );
  if (run.status !== 0) throw new Error(`\`ip ${args.join(' ')}\` failed (exit ${run.status}): ${run.stderr.trim()}; this test needs root and network namespaces`);
}

/** Two namespaces joined by one veth link, addresses on one /24, multicast on, and a route for it. */
function makeLink(): void {
  ip('netns', 'add', nsHost);
  ip('netns', 'add', nsLaptop);
  ip('link', 'add', `hfa${tag}`, 'type', 'veth', 'peer', 'name', `hfb${tag}`);
  ip('link', 'set', `hfa${tag}`, 'netns', nsHost);
  ip('link', 'set', `hfb${tag}`, 'netns', nsLaptop);
  for (const [ns, dev, address] of [
    [nsHost, `hfa${tag}`, hostAddress],
    [nsLaptop, `hfb${tag}`, laptopAddress],
  ]) {
    ip('-n', ns, 'addr', 'add', `${address}/24`, 'dev', dev);
    ip('-n', ns, 'link', 'set', dev, 'up', 'multicast', 'on');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
    // A LAN's default route is what carries multicast out of a laptop; here it is the link itself.
    ip('-n', ns, 'route', 'add', 'default', 'dev', dev);
  }
}

interface Laptop {
  child: ChildProcess;
  deviceId: string;
  send<T>(command: Record<string, unknown>): Promise<{ ok: true; value: T } | { ok: false; error: { code: string; message: string } }>;
  call<T>(name: string, request?: object): Promise<T>;
  stderr: string[];
}

/** A laptop process (tests/integration/discovery-node.ts) inside namespace `ns`. */
async function startLaptop(ns: string): Promise<Laptop> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, join(root, 'tests/integration/discovery-node.mjs'), tempDir()], {
    cwd: root,
    env: { ...process.env, HOLDFAST_OUTAGE_CHECK_MS: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const waiting = new Map<number, (answer: never) => void>();
  let ready: (deviceId: string) => void;
  const isReady = new Promise<string>((resolve) => (ready = resolve));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as { id?: number; ready?: boolean; deviceId?: string };
    if (message.ready) return ready(message.deviceId!);
    waiting.get(message.id!)?.(message as never);
    waiting.delete(message.id!);
  });
  const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`laptop in ${ns} exited (${code}):\n${stderr.join('')}`))));
  const deviceId = await Promise.race([isReady, exited]);
  let next = 1;
  const sendNow: Laptop['send'] = (command) => {
    const id = next++;
    const answer = new Promise((resolve) => waiting.set(id, resolve));
    child.stdin.write(`${JSON.stringify({ ...command, id })}\n`);
    return Promise.race([answer, exited]) as never;
  };
  const call = async <T>(name: string, request: object = {}): Promise<T> => {
    const answer = await sendNow<T>({ op: 'call', name, request });
    if (!answer.ok) throw Object.assign(new Error(answer.error.message), { code: answer.error.code });
    return answer.value;
  };
  return { child, deviceId, send: sendNow, call, stderr };
}

const stop = (laptop: Laptop | undefined) =>
  new Promise<void>((resolve) => {
    if (!laptop || laptop.child.exitCode !== null) return resolve();
    laptop.child.once('exit', () => resolve());
    laptop.child.stdin!.end();
    setTimeout(() => laptop.child.kill('SIGKILL'), 5000).unref();
  });

describe('war rooms found on the LAN (two processes, two network namespaces, one veth link)', () => {
  let host: Laptop;
  let laptop: Laptop;

  beforeAll(async () => {
    makeLink();
    [host, laptop] = await Promise.all([startLaptop(nsHost), startLaptop(nsLaptop)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([stop(host), stop(laptop)]);
    spawnSync('ip', ['netns', 'del', nsHost]);
    spawnSync('ip', ['netns', 'del', nsLaptop]);
  });

  it('the laptop lists the room the hub announces, joins it with the code, and refuses an impostor', async () => {
    const certified = await host.send<{ certId: string }>({ op: 'certify', user: 'casey', role: 'commander' });
    expect(certified.ok).toBe(true);
    await host.call('incidents.create', { title: 'Checkout is down', severity: 'SEV1', services: ['checkout'] });
    const hub = await host.call<HubStatus>('hub.start', { port: 7440 });
    expect(hub.isRunning).toBe(true);
    expect(hub.fingerprint).toMatch(/^[0-9a-f]{64}$/);

    // Nothing mocked: the laptop hears the announcement over multicast on the veth link.
    const nearby = await eventually(async () => {
      const status = await laptop.call<NearbyStatus>('hub.nearby');
      expect(status.isAvailable).toBe(true);
      expect(status.rooms).toHaveLength(1);
      return status;
    }, 20_000);
    const [room] = nearby.rooms;
    expect(room).toMatchObject({ title: 'Checkout is down', hostedBy: 'casey', url: `https://${hostAddress}:7440`, port: 7440, fingerprint: hub.fingerprint });

    // The code is still the secret: a wrong one is refused, and nothing is joined.
    await expect(laptop.call('hub.joinNearby', { id: room.id, code: '0000-0000-0000-0000-0000-0000-0000' })).rejects.toThrow(/code/i);
    // A fingerprint the host reads out that differs from the announced one is refused before anything is sent.
    await expect(laptop.call('hub.joinNearby', { id: room.id, code: hub.joinCode, fingerprint: 'ab'.repeat(32) })).rejects.toThrow(
      /is not the one "Checkout is down" announced.*refusing to join/,
    );

    const joined = await laptop.call<SyncStatus>('hub.joinNearby', { id: room.id, code: hub.joinCode, fingerprint: hub.fingerprint });
    const peer = joined.peers.find((p) => p.kind === 'hub');
    expect(peer?.url).toBe(`https://${hostAddress}:7440`);
    const members = await eventually(async () => {
      const status = await host.call<HubStatus>('hub.status');
      expect(status.members).toHaveLength(1);
      return status.members ?? [];
    });
    expect(members[0]).toMatchObject({ deviceId: laptop.deviceId, role: 'guest' });

    // Another machine announces the same address with another fingerprint: the certificate the hub
    // really presents does not match what that announcement said, so the join is refused.
    const forged = 'cd'.repeat(32);
    await host.send({ op: 'announce', deviceId: 'impostor0000', port: 7440, fingerprint: forged, title: 'Checkout is down (fake)' });
    const fake = await eventually(async () => {
      const status = await laptop.call<NearbyStatus>('hub.nearby');
      const found = status.rooms.find((r) => r.fingerprint === forged);
      expect(found).toBeDefined();
      return found!;
    }, 20_000);
    const code = (await host.call<HubStatus>('hub.status')).joinCode;
    await expect(laptop.call('hub.joinNearby', { id: fake.id, code })).rejects.toThrow(
      new RegExp(`announced as "Checkout is down \\(fake\\)" presented a TLS certificate with fingerprint .* not the cdcd.* it announced: refusing to join`),
    );

    // When the hub stops, its announcement is withdrawn and the room leaves the list.
    await host.call('hub.stop');
    await eventually(async () => {
      const status = await laptop.call<NearbyStatus>('hub.nearby');
      expect(status.rooms.map((r) => r.id)).not.toContain(room.id);
    }, 20_000);
  }, 90_000);
});
