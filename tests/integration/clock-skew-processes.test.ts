// Wrong clocks with real processes: a `holdfast server`, and two `holdfast web` laptops whose wall
// clocks run 3 h behind and 3 h ahead (a preload shifts Date, see tests/e2e/shifted-clock.mjs).
// The laptop ahead writes while the service is down, both clocks are fixed, both apps restart, and
// every write reaches every replica; the status tells the offsets meanwhile. Needs the build.
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { PeerStatus, SyncStatus } from '@shared/domain/sync-status';
import { eventually } from '../support/eventually';
import { holdfastOk, spawnWeb, startServerProcess, stoppedAfterAll, webCall, type ServerProcess, type WebProcess } from '../support/processes';
import { tempDir } from '../support/temp';

const hour = 3600_000;
const preload = pathToFileURL(resolve(import.meta.dirname, '../e2e/shifted-clock.mjs')).href;
const running = stoppedAfterAll();

/** A laptop's data folder and the file its clock reads ("offset MS"). */
interface Laptop {
  name: string;
  dataDir: string;
  clockFile: string;
  web: WebProcess;
}

function setClock(laptop: Pick<Laptop, 'clockFile'>, offsetMs: number): void {
  writeFileSync(laptop.clockFile, `offset ${offsetMs}`);
}

async function start(laptop: Omit<Laptop, 'web'>): Promise<WebProcess> {
  const web = await spawnWeb({ dataDir: laptop.dataDir, env: { NODE_OPTIONS: `--import ${preload}`, HOLDFAST_TEST_CLOCK_FILE: laptop.clockFile } });
  running.push(web);
  return web;
}

async function shiftedLaptop(service: ServerProcess, name: string, offsetMs: number): Promise<Laptop> {
  const dataDir = tempDir(`holdfast-${name}-`);
  const clockFile = join(tempDir('holdfast-clock-'), 'offset');
  setClock({ clockFile }, offsetMs);
  const key = service.orgKey();
  holdfastOk(['trust', 'pin', key.publicKey, '--fingerprint', key.fingerprint, '--data', dataDir]);
  const web = await start({ name, dataDir, clockFile });
  await webCall(web, 'sync.connect', { url: service.url, token: service.addUser(name, 'commander') });
  return { name, dataDir, clockFile, web };
}

async function restart(laptop: Laptop): Promise<void> {
  await laptop.web.stop();
  laptop.web = await start(laptop);
}

async function central(laptop: Laptop): Promise<PeerStatus> {
  const status = await webCall<SyncStatus>(laptop.web, 'sync.now');
  return status.peers.find((p) => p.kind === 'central')!;
}

const notes = async (laptop: Laptop, incidentId: string): Promise<string[]> =>
  (await webCall<{ entries: { kind: string; text: string }[] }>(laptop.web, 'timeline.list', { incidentId, limit: 200 })).entries
    .filter((e) => e.kind !== 'system')
    .map((e) => e.text)
    .sort();

describe('laptops with clocks 3 h behind and 3 h ahead (real processes)', () => {
  it('converge on every write, before and after their clocks are fixed and they restart', { timeout: 480_000 }, async () => {
    const service = await startServerProcess(tempDir('holdfast-service-'));
    running.push(service);
    const behind = await shiftedLaptop(service, 'bob', -3 * hour);
    const ahead = await shiftedLaptop(service, 'carol', 3 * hour);

    // Each laptop knows how far off it is: the service's clock minus its own.
    await eventually(async () => {
      expect(Math.abs(((await central(behind)).clockOffsetMs ?? 0) - 3 * hour)).toBeLessThan(3000);
      expect(Math.abs(((await central(ahead)).clockOffsetMs ?? 0) + 3 * hour)).toBeLessThan(3000);
    });

    // Bob (3 h behind) declares; Carol (3 h ahead) receives it.
    const incident = await webCall<{ id: string }>(behind.web, 'incidents.create', { title: 'Checkout down', severity: 'SEV2', summary: '' });
    await webCall(behind.web, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Bob: rolled back' });
    await eventually(async () => expect(await notes(ahead, incident.id)).toEqual(['Bob: rolled back']), 20_000);

    // The service goes down. Carol restarts (nothing measured yet) and writes 16 entries 3 h fast.
    await service.stop();
    await restart(ahead);
    const offline = Array.from({ length: 16 }, (_, i) => `Carol offline ${String(i + 1).padStart(2, '0')}`);
    for (const text of offline) await webCall(ahead.web, 'timeline.add', { incidentId: incident.id, kind: 'observation', text });
    await webCall(behind.web, 'timeline.add', { incidentId: incident.id, kind: 'observation', text: 'Bob offline' });

    // The service comes back where the laptops expect it; a laptop 3 h behind takes the 3 h-fast entries.
    const back = await startServerProcess(service.dataDir, service.port);
    running.push(back);
    const all = [...offline, 'Bob offline', 'Bob: rolled back'].sort();
    await eventually(async () => {
      expect(await notes(behind, incident.id)).toEqual(all);
      expect(await notes(ahead, incident.id)).toEqual(all);
    }, 40_000);
    for (const laptop of [behind, ahead]) expect(await central(laptop)).toMatchObject({ state: 'connected', pending: 0, waitingRefused: 0, held: 0, refused: 0 });

    // Both clocks are set right and both apps restart; they write again and still converge.
    setClock(behind, 0);
    setClock(ahead, 0);
    await restart(behind);
    await restart(ahead);
    await webCall(behind.web, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Bob after the fix' });
    await webCall(ahead.web, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Carol after the fix' });
    const other = await webCall<{ id: string }>(ahead.web, 'incidents.create', { title: 'Search slow', severity: 'SEV4', summary: '' });
    const final = [...all, 'Bob after the fix', 'Carol after the fix'].sort();
    await eventually(async () => {
      expect(await notes(behind, incident.id)).toEqual(final);
      expect(await notes(ahead, incident.id)).toEqual(final);
      expect((await webCall<{ id: string }[]>(behind.web, 'incidents.list', {})).map((i) => i.id)).toContain(other.id);
    }, 40_000);
    for (const laptop of [behind, ahead]) {
      const peer = await central(laptop);
      expect(peer).toMatchObject({ state: 'connected', pending: 0, waitingRefused: 0, held: 0, refused: 0 });
      expect(Math.abs(peer.clockOffsetMs ?? Infinity)).toBeLessThan(3000);
    }
    // Every chain still verifies on both laptops (a clock that started again kept each chain in order).
    for (const laptop of [behind, ahead]) {
      await laptop.web.stop();
      expect(holdfastOk(['verify-chain', '--data', laptop.dataDir])).toMatch(/ok|verified|intact/i);
    }
  });
});
