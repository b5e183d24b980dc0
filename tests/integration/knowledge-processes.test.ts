// What each responder could know, with real processes: a `holdfast server` and three `holdfast web`
// laptops whose receipt delay is set from the environment (HOLDFAST_RECEIPT_DELAY_MS). Bob's laptop
// loses the service and decides alone while hana decides with carol's entries; once bob is back,
// `reviews.knowledge` through each laptop's HTTP API gives the same split war room and the same
// missed entries, and every chain verifies. A laptop killed (SIGKILL) after it received ops but
// before its receipt was due writes that receipt on its next start, with the original holding time.
// A bad HOLDFAST_RECEIPT_DELAY_MS stops `holdfast web` with an error and touches nothing. Needs the build.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KnowledgeView } from '@shared/domain/knowledge';
import { eventually } from '../support/eventually';
import {
  holdfastOk,
  runHoldfast,
  spawnWeb,
  startServerProcess,
  stoppedAfterAll,
  syncWithService,
  webCall,
  type ServerProcess,
  type WebProcess,
} from '../support/processes';
import { tempDir } from '../support/temp';

const running = stoppedAfterAll();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Laptop {
  name: string;
  dataDir: string;
  token: string;
  web: WebProcess;
}

async function start(dataDir: string, receiptDelayMs: number): Promise<WebProcess> {
  const web = await spawnWeb({ dataDir, env: { HOLDFAST_RECEIPT_DELAY_MS: String(receiptDelayMs) } });
  running.push(web);
  return web;
}

/** A laptop as its user sets it up: the org key pinned, `holdfast web` started, connected to the service. */
async function laptop(service: ServerProcess, name: string, role: 'commander' | 'responder', receiptDelayMs: number): Promise<Laptop> {
  const dataDir = tempDir(`holdfast-${name}-`);
  const key = service.orgKey();
  holdfastOk(['trust', 'pin', '--fingerprint', key.fingerprint, '--data', dataDir, '--', key.publicKey]);
  const web = await start(dataDir, receiptDelayMs);
  const token = service.addUser(name, role);
  await webCall(web, 'sync.connect', { url: service.url, token });
  return { name, dataDir, token, web };
}

type Entry = { id: string; recordedAt: number };
const knowledge = (l: Laptop, request: Record<string, unknown>) => webCall<KnowledgeView>(l.web, 'reviews.knowledge', { thresholdMinutes: 0, ...request });
const entryIds = async (l: Laptop, incidentId: string) =>
  (await webCall<{ entries: { id: string }[] }>(l.web, 'timeline.list', { incidentId, limit: 500 })).entries.map((e) => e.id);

describe('what each responder could know (real processes)', () => {
  it('refuses a bad HOLDFAST_RECEIPT_DELAY_MS with an error naming it, and creates no data folder', () => {
    const dataDir = join(tempDir('holdfast-bad-delay-'), 'data');
    for (const value of ['soon', '-5', '1.5', '90000000000']) {
      const result = runHoldfast(['web', '--data', dataDir, '--port', '0'], { HOLDFAST_RECEIPT_DELAY_MS: value });
      expect(result.code).not.toBe(0);
      expect(result.err).toContain(`HOLDFAST_RECEIPT_DELAY_MS must be a whole number of milliseconds from 0 to 86400000 (got "${value}")`);
      expect(existsSync(dataDir)).toBe(false);
    }
  }, 60_000);

  it('gives every laptop the same split war room after one was cut off, and a killed laptop writes its receipt on restart', { timeout: 240_000 }, async () => {
    const service = await startServerProcess(tempDir('holdfast-knowledge-service-'));
    running.push(service);
    const hana = await laptop(service, 'hana', 'commander', 300);
    const bob = await laptop(service, 'bob', 'responder', 300);
    const carol = await laptop(service, 'carol', 'responder', 300);
    const everyone = [hana, bob, carol];

    const incident = await webCall<{ id: string }>(hana.web, 'incidents.create', { title: 'Orders database down', severity: 'SEV1', summary: '' });
    const incidentId = incident.id;
    const add = async (l: Laptop, kind: 'observation' | 'decision' | 'note', text: string) => {
      const entry = await webCall<Entry>(l.web, 'timeline.add', { incidentId, kind, text });
      await sleep(30); // the next entry is stamped strictly later
      return entry;
    };
    await eventually(async () => {
      for (const l of everyone) await syncWithService(l.web);
      for (const l of everyone) expect((await webCall<{ id: string }[]>(l.web, 'incidents.list', {})).map((i) => i.id)).toContain(incidentId);
    }, 30_000);

    // Bob's laptop loses the service and keeps working; hana and carol go on through it.
    await webCall(bob.web, 'sync.disconnect', { peerId: 'central' });
    const lag = await add(bob, 'observation', 'replica lag 40 s on db-2');
    const paged = await add(carol, 'note', 'paged the database team');
    const answers = await add(hana, 'observation', 'primary answers pings again');
    await eventually(async () => {
      for (const l of [carol, hana]) await syncWithService(l.web);
      expect(await entryIds(hana, incidentId)).toContain(paged.id);
      expect(await entryIds(carol, incidentId)).toContain(answers.id);
    }, 30_000);
    const failover = await add(hana, 'decision', 'fail over to the standby');
    const restart = await add(bob, 'decision', 'restart the primary');
    expect(await entryIds(bob, incidentId)).not.toContain(answers.id);

    // Bob is back: the entries meet, then each laptop's receipts (written 300 ms after ops arrive) follow.
    await webCall(bob.web, 'sync.connect', { url: service.url, token: bob.token });
    const written = [lag, paged, answers, failover, restart].map((e) => e.id);
    let views: KnowledgeView[] = [];
    await eventually(async () => {
      for (const l of everyone) await syncWithService(l.web);
      views = [];
      for (const l of everyone) views.push(await knowledge(l, { incidentId }));
      for (const l of everyone) expect(await entryIds(l, incidentId)).toEqual(expect.arrayContaining(written));
      expect(views[0].people.filter((p) => p.knownUntil !== null && p.knownUntil > restart.recordedAt).map((p) => p.name)).toEqual(
        expect.arrayContaining(['bob', 'carol', 'hana']),
      );
      expect(views[0].splits).toHaveLength(1);
      expect(new Set(views.map((v) => JSON.stringify(v))).size).toBe(1);
    }, 60_000);

    const [view] = views;
    const hanaDecision = view.decisions.find((d) => d.decision.id === failover.id)!;
    expect(hanaDecision.missed.map((m) => [m.author, m.entries.map((e) => e.id)])).toEqual([['bob', [lag.id]]]);
    const bobDecision = view.decisions.find((d) => d.decision.id === restart.id)!;
    expect(bobDecision.missed.map((m) => m.author).sort()).toEqual(['carol', 'hana']);
    expect(bobDecision.missed.find((m) => m.author === 'hana')!.entries.map((e) => e.id)).toContain(answers.id);
    expect(bobDecision.missed.find((m) => m.author === 'carol')!.entries.map((e) => e.id)).toEqual([paged.id]);
    expect(view.splits[0].groups).toEqual([['hana', 'carol'], ['bob']]);
    expect(view.splits[0].decisions.map((d) => d.id)).toEqual([failover.id, restart.id]);
    // As hana held it when she decided, asked on bob's laptop: bob's observation had not reached her.
    const asHana = await knowledge(bob, { incidentId, person: 'hana', at: failover.recordedAt });
    const state = (id: string) => asHana.view!.entries.find((e) => e.id === id)?.state;
    expect([state(lag.id), state(paged.id), state(answers.id), state(failover.id)]).toEqual(['unseen', 'seen', 'seen', 'seen']);

    // Carol restarts with a receipt delay of 15 s, receives an entry, and is killed before it is due.
    await carol.web.stop();
    carol.web = await start(carol.dataDir, 15_000);
    const drained = await add(hana, 'observation', 'load balancer drains db-2');
    await eventually(async () => {
      await syncWithService(hana.web);
      await webCall(carol.web, 'sync.now');
      expect(await entryIds(carol, incidentId)).toContain(drained.id);
    }, 20_000);
    const asCarol = async () => (await knowledge(carol, { incidentId, person: 'carol' })).view!.entries.find((e) => e.id === drained.id)!;
    expect(await asCarol()).toMatchObject({ state: expect.not.stringMatching(/^seen$/), heldAt: null });
    carol.web.child.kill('SIGKILL');
    await new Promise((resolve) => carol.web.child.once('exit', resolve));
    const killedAt = Date.now();
    await sleep(2000);

    // On its next start (same 15 s delay) the receipt is written, saying when carol first held it: before the kill.
    const restartedAt = Date.now();
    carol.web = await start(carol.dataDir, 15_000);
    await eventually(async () => expect((await asCarol()).state).toBe('seen'), 45_000);
    const held = await asCarol();
    expect(held.heldAt!).toBeGreaterThanOrEqual(drained.recordedAt);
    expect(held.heldAt!).toBeLessThan(killedAt + 500);
    expect(restartedAt - held.heldAt!).toBeGreaterThan(1500);
    // The receipt travels: hana's laptop reads the same holding time.
    await eventually(async () => {
      await syncWithService(carol.web);
      await syncWithService(hana.web);
      const onHana = (await knowledge(hana, { incidentId, person: 'carol' })).view!.entries.find((e) => e.id === drained.id);
      expect(onHana).toMatchObject({ state: 'seen', heldAt: held.heldAt });
    }, 30_000);

    // Every laptop's record verifies: chains, custody and projections (receipts included).
    for (const l of everyone) {
      await l.web.stop();
      expect(holdfastOk(['verify-chain', '--data', l.dataDir])).toMatch(/^ok: \d+ chain\(s\), \d+ record\(s\) verified/);
    }
  });
});
