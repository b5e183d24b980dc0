// Signed ops end to end, with real processes driven as people would: a `holdfast server`, three
// `holdfast web` laptops (one hosting the war-room hub) reached through their HTTP bridges, the
// admin's `holdfast server device revoke`, and `holdfast verify-chain` on every laptop's data.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '@shared/domain/incident';
import type { SyncStatus } from '@shared/domain/sync-status';
import type { TrustStatus } from '@shared/trust/api';
import { holdfastOk, runHoldfast, spawnWeb, startServerProcess, webCall, WebCallError, type ServerProcess, type WebProcess } from '../support/processes';
import { tempDir } from '../support/temp';

interface Entry {
  id: string;
  kind: string;
  text: string;
  authorId: string;
}

interface Laptop {
  name: string;
  web: WebProcess;
  dataDir: string;
  token: string;
  deviceId: string;
}

const running: { stop(): Promise<void> }[] = [];
afterAll(async () => {
  for (const proc of running.splice(0).reverse()) await proc.stop();
});

let service: ServerProcess;
const serviceDir = tempDir('holdfast-service-');

/** A laptop as its user sets it up: pin the org key from the admin, start `holdfast web`, connect. */
async function laptop(name: string, token: string, options: { host?: boolean; dataDir?: string } = {}): Promise<Laptop> {
  const dataDir = options.dataDir ?? tempDir(`holdfast-${name}-`);
  if (!options.dataDir) {
    const key = service.orgKey();
    holdfastOk(['trust', 'pin', key.publicKey, '--fingerprint', key.fingerprint, '--data', dataDir]);
  }
  const web = await spawnWeb({ dataDir, host: options.host });
  running.push(web);
  if (!options.dataDir) await webCall(web, 'sync.connect', { url: service.url, token });
  const info = await webCall<{ deviceId: string }>(web, 'app.info');
  return { name, web, dataDir, token, deviceId: info.deviceId };
}

/** Syncs the laptops until their service peers are connected with nothing pending and their incident states agree. */
async function settle(laptops: Laptop[], incidentId: string, rounds = 30): Promise<void> {
  let last = '';
  for (let round = 0; round < rounds; round += 1) {
    for (const l of laptops) await webCall(l.web, 'sync.now');
    const statuses = await Promise.all(laptops.map((l) => webCall<SyncStatus>(l.web, 'sync.status')));
    const isQuiet = statuses.every((s) => s.peers.filter((p) => p.kind === 'central').every((p) => p.state === 'connected' && p.pending === 0));
    const states = await Promise.all(laptops.map((l) => incidentState(l, incidentId)));
    last = JSON.stringify({ statuses: statuses.map((s) => s.peers.map((p) => [p.kind, p.state, p.pending])), states }, null, 1);
    if (isQuiet && new Set(states.map((s) => JSON.stringify(s))).size === 1) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`laptops did not settle:\n${last}`);
}

/** What a person sees of an incident: its fields and its timeline (system entries included). */
async function incidentState(l: Laptop, incidentId: string) {
  const incident = await webCall<Incident | null>(l.web, 'incidents.get', { id: incidentId }).catch((e: Error) => e.message);
  const page = await webCall<{ entries: Entry[] }>(l.web, 'timeline.list', { incidentId, limit: 500 }).catch((e: Error) => ({
    entries: [e.message] as unknown as Entry[],
  }));
  const fields =
    typeof incident === 'object' && incident ? { title: incident.title, severity: incident.severity, status: incident.status, summary: incident.summary } : incident;
  const entries = page.entries.map((e) => (typeof e === 'object' ? { id: e.id, kind: e.kind, text: e.text, authorId: e.authorId } : e));
  return { fields, entries: entries.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))) };
}

/** `holdfast verify-chain` on a laptop's data folder, while it runs. */
function verifyChain(dataDir: string): { code: number; text: string; records: number } {
  const run = runHoldfast(['verify-chain', '--data', dataDir]);
  return { code: run.code, text: run.out + run.err, records: Number(/(\d+) record\(s\) verified/.exec(run.out)?.[1] ?? -1) };
}

describe('signed ops across real processes: a service, laptops and a hub', () => {
  let alice: Laptop; // commander
  let bob: Laptop; // responder
  let carol: Laptop; // commander, hosts the war-room hub
  let incidentId = '';
  let revokedEntryId = '';
  let hostEntryId = '';

  beforeAll(async () => {
    service = await startServerProcess(serviceDir);
    running.push({ stop: () => service.stop() });
    const tokens = { alice: service.addUser('alice', 'commander'), bob: service.addUser('bob', 'responder'), carol: service.addUser('carol', 'commander') };
    alice = await laptop('alice', tokens.alice);
    bob = await laptop('bob', tokens.bob);
    carol = await laptop('carol', tokens.carol, { host: true });
    // Alice also joins the war room Carol hosts.
    await webCall(alice.web, 'sync.join', { link: carol.web.hub!.link });
    const incident = await webCall<Incident>(alice.web, 'incidents.create', { title: 'Payments API returning 502s', severity: 'SEV2' });
    incidentId = incident.id;
    await settle([alice, bob, carol], incidentId);
  }, 120_000);

  it('every laptop is certified by the service with its own role', async () => {
    const statuses = await Promise.all([alice, bob, carol].map((l) => webCall<TrustStatus>(l.web, 'trust.status')));
    expect(statuses.map((s) => [s.mode, s.user, s.role])).toEqual([
      ['certified', 'alice', 'commander'],
      ['certified', 'bob', 'responder'],
      ['certified', 'carol', 'commander'],
    ]);
    expect(new Set(statuses.map((s) => s.orgKeyId))).toEqual(new Set([service.orgKey().keyId]));
  }, 60_000);

  it("(a) a responder's severity change is refused by its own engine, and nothing is written", async () => {
    const before = verifyChain(bob.dataDir);
    const error = await webCall(bob.web, 'incidents.update', { id: incidentId, severity: 'SEV1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebCallError);
    expect((error as WebCallError).code).toBe('forbidden');
    expect((await webCall<Incident>(bob.web, 'incidents.get', { id: incidentId })).severity).toBe('SEV2');
    expect(verifyChain(bob.dataDir).records).toBe(before.records);
    // He may still write what a responder writes.
    await webCall(bob.web, 'timeline.add', { incidentId, kind: 'note', text: 'Seeing 502s from the eu-west pool only' });
    expect(verifyChain(bob.dataDir).records).toBe(before.records + 1);
  }, 60_000);

  it("(b, c) the host's entry reaches the service through another laptop; a write of a device revoked while offline is refused everywhere", async () => {
    // The service goes down: everyone works offline, the war room still syncs.
    await service.stop();
    const hostEntry = await webCall<Entry>(carol.web, 'timeline.add', { incidentId, kind: 'note', text: 'Carol: failing over payments to the standby region' });
    hostEntryId = hostEntry.id;
    const revokedFrom = new Date();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const written = await webCall<Entry>(alice.web, 'timeline.add', { incidentId, kind: 'note', text: 'Alice: written on a laptop reported stolen' });
    revokedEntryId = written.id;
    await webCall(alice.web, 'sync.now');
    expect((await incidentState(alice, incidentId)).entries.map((e) => e.id)).toContain(hostEntryId);

    // The host leaves before the service is back; the admin revokes Alice's laptop from before her write.
    await carol.web.stop();
    expect(service.revokeDevice(alice.deviceId, revokedFrom)).toMatch(/revoked 1 certificate/);
    service = await startServerProcess(serviceDir, service.port);
    running.push({ stop: () => service.stop() });

    await settle([alice, bob], incidentId);
    // (c) Bob syncs only with the service: Carol's entry came to it through Alice.
    const bobState = await incidentState(bob, incidentId);
    expect(bobState.entries.map((e) => e.id)).toContain(hostEntryId);
    // (b) Refused on the author's own laptop and on Bob's: not shown, kept in the log as refused.
    for (const l of [alice, bob]) {
      expect((await incidentState(l, incidentId)).entries.map((e) => e.id)).not.toContain(revokedEntryId);
      const chain = verifyChain(l.dataDir);
      expect(chain.code, chain.text).toBe(0);
      expect(chain.text).toMatch(new RegExp(`refused: .*revoked.*\\(op ${revokedEntryId}`));
    }
  }, 120_000);

  it('(d) the host comes back; every laptop and a fresh replica of the service end with equal incident state', async () => {
    carol = await laptop('carol', carol.token, { host: true, dataDir: carol.dataDir });
    const dana = await laptop('dana', service.addUser('dana', 'commander'));
    await settle([alice, bob, carol, dana], incidentId);
    const states = await Promise.all([alice, bob, carol, dana].map((l) => incidentState(l, incidentId)));
    for (const state of states) expect(state).toEqual(states[0]);
    expect(states[0].entries.map((e) => e.id)).toContain(hostEntryId);
    expect(states[0].entries.map((e) => e.id)).not.toContain(revokedEntryId);
    expect(states[0].fields).toMatchObject({ title: 'Payments API returning 502s', severity: 'SEV2' });
    for (const l of [carol, dana]) {
      const chain = verifyChain(l.dataDir);
      expect(chain.code, chain.text).toBe(0);
      expect(chain.text).toMatch(new RegExp(`refused: .*\\(op ${revokedEntryId}`));
    }
    // The service keeps it in Alice's chain, refused, as the admin's check of its store says.
    const serviceChain = runHoldfast(['server', 'verify-chain', '--data', serviceDir]);
    expect(serviceChain.code, serviceChain.out + serviceChain.err).toBe(0);
    expect(serviceChain.out).toMatch(new RegExp(`refused: .*revoked.*\\(op ${revokedEntryId}`));
  }, 120_000);
});
