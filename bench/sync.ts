// Sync benchmark (`npm run bench -- sync`), on loopback in one run:
// - ours: push 100k ops from one certified replica to the central service (`holdfast server` in
//   its own process, SQLite store), which authenticates and judges each; then catch up a fresh
//   replica from it (pinned, so it authenticates and judges them too); the same push against the
//   service on PostgreSQL (ingest rate). Both replicas are enrolled (org key pinned, certificate
//   issued) before the timers start, as the peers' clients are logged in first; the source writes
//   (signs) its ops outside the timed part. Needs the build (`npm run build`);
// - peers, for the same record counts: Actual Budget's sync server driven with @actual-app/crdt,
//   and PouchDB replication through express-pouchdb (memory adapter). They live in bench/peers
//   with their own node_modules (`npm --prefix bench/peers install`), never in the app.
// It prints records/s and our ratio to each peer; nothing passes or fails on time.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uuidv7 } from '@shared/ids';
import { openEngine, type Engine } from '../electron/engine/engine';

interface Rates {
  pushPerSec: number;
  catchUpPerSec: number;
}

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export async function syncUntil(engine: Engine, isDone: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 10_000 && !(await isDone()); i += 1) await engine.handlers['sync.now']({});
}

/** `holdfast server` in its own process (as the peers' servers are), with one user. */
export async function spawnService(dataDir: string, env: Record<string, string>): Promise<{ url: string; token: string; stop: () => void }> {
  const bin = join(import.meta.dirname, '../electron/cli/holdfast.mjs');
  const added = spawnSync(process.execPath, [bin, 'server', 'user', 'add', 'bench', '--role', 'commander', '--data', dataDir], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  const token = /store it now\): (\S+)/.exec(added.stdout)?.[1];
  if (!token) throw new Error(`could not add the bench user (is the app built? run npm run build): ${added.stderr}`);
  // BENCH_SERVICE_NODE_ARGS: extra Node flags for the service, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof".
  const nodeArgs = process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, bin, 'server', '--data', dataDir, '--port', '0'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /on (http:\/\/\S+:\d+)/.exec(out);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`holdfast server exited with ${code}`)));
  });
  return { url, token, stop: () => child.kill('SIGTERM') };
}

/** One incident with `records - 1` timeline entries, written as `bench`; returns its id. */
export function writeIncident(source: Engine, records: number): string {
  source.replica.setActor('bench');
  const incidentId = uuidv7();
  source.replica.commitLocal([{ entity: 'incident', rowId: incidentId, fields: { title: 'Bench incident', severity: 'SEV3', declaredAt: 1 } }]);
  for (let done = 1; done < records;) {
    const count = Math.min(5000, records - done);
    source.replica.commitLocal(
      Array.from({ length: count }, (_, k) => ({
        entity: 'timeline_entry' as const,
        rowId: '',
        fields: { incidentId, kind: 'note', text: `checkout latency rising on node ${done + k}, rollback under way`, eventAt: 1_795_000_000_000 + done + k },
      })),
    );
    done += count;
  }
  return incidentId;
}

async function ours(records: number, workDir: string, label: string, env: Record<string, string>, withCatchUp: boolean): Promise<Rates> {
  const service = await spawnService(join(workDir, `central-${label}`), env);
  const open = (name: string) => openEngine({ dataDir: join(workDir, `${name}-${label}`), host: 'web', log: () => undefined, syncPollMs: 3_600_000 });
  const source = open('source');
  let fresh: Engine | null = null;
  try {
    // The laptop that will catch up is enrolled first (org key pinned, certificate issued), as the
    // peers' clients are logged in before their timers start, and then shut down.
    if (withCatchUp) {
      const enrolling = open('fresh');
      await enrolling.handlers['sync.connect']({ url: service.url, token: service.token });
      await enrolling.close();
    }
    // The source is enrolled, goes offline and writes (signs) its ops outside the timed part.
    const connected = await source.handlers['sync.connect']({ url: service.url, token: service.token });
    const trust = await source.handlers['trust.status']({});
    if (trust.certId === null) throw new Error('the source replica got no certificate from the service');
    await source.handlers['sync.disconnect']({ peerId: connected.peers[0].id });
    const signStart = process.hrtime.bigint();
    writeIncident(source, records);
    console.log(`  (${label}: ${records} ops written and signed as ${trust.user} (${trust.role}) in ${seconds(signStart).toFixed(2)} s, outside the timed part)`);
    // Push: connecting again (a second enrollment) is inside the timer.
    let start = process.hrtime.bigint();
    await source.handlers['sync.connect']({ url: service.url, token: service.token });
    await syncUntil(source, async () => (await source.handlers['sync.status']({})).peers[0]?.pending === 0);
    const pushPerSec = records / seconds(start);
    if (!withCatchUp) return { pushPerSec, catchUpPerSec: Number.NaN };

    // Catch-up: the enrolled laptop starts again and pulls every op (authenticating and judging each).
    const caughtUp = open('fresh');
    fresh = caughtUp;
    const before = caughtUp.replica.opLog.count();
    start = process.hrtime.bigint();
    await syncUntil(caughtUp, () => caughtUp.replica.opLog.count() >= before + records);
    const catchUpPerSec = records / seconds(start);
    await syncUntil(source, () => source.replica.opLog.count() === caughtUp.replica.opLog.count());
    if (caughtUp.replica.digest() !== source.replica.digest()) throw new Error('the fresh replica did not converge');
    start = process.hrtime.bigint();
    const hits = await caughtUp.handlers['search.query']({ text: 'rollback', limit: 5 });
    if (hits.length === 0) throw new Error('the synced timeline is not searchable');
    console.log(`  (full-text indexing of the synced timeline, done in the background or before the first search: ${seconds(start).toFixed(2)} s)`);
    return { pushPerSec, catchUpPerSec };
  } finally {
    await fresh?.close();
    await source.close();
    service.stop();
  }
}

/** The push of `records` ops to the service on a throwaway PostgreSQL (tests/support/postgres.ts). */
async function postgresIngest(records: number, workDir: string): Promise<number> {
  const postgresSupport = await import('../tests/support/postgres');
  try {
    const postgres = await ours(records, workDir, 'postgres', { DATABASE_URL: await postgresSupport.postgresDatabase() }, false);
    console.log(`  holdfast service ingest on PostgreSQL: ${fmt(postgres.pushPerSec)} rec/s`);
    return 0;
  } catch (error) {
    console.log(`  holdfast service on PostgreSQL: not measured (${(error as Error).message.split('\n')[0]})`);
    return 1;
  } finally {
    // The throwaway server keeps the process alive until it is stopped.
    await postgresSupport.cleanup();
  }
}

/** Runs a peer benchmark in its own process with its own node_modules; null when not installed. */
function peer(name: 'actual' | 'pouchdb', records: number): Rates | null {
  const dir = join(import.meta.dirname, 'peers');
  if (!existsSync(join(dir, 'node_modules'))) return null;
  const run = spawnSync(process.execPath, [join(dir, 'cli.mjs'), name, String(records)], { encoding: 'utf8', timeout: 900_000 });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0) throw new Error(`${name} bench failed:\n${run.stderr}`);
  return JSON.parse(line) as Rates;
}

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const ratio = (a: number, b: number) => (Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : 'n/a');

/** The better of two measurements of the same thing: on a shared machine, the run least slowed by others. */
const best = (a: Rates | null, b: Rates | null): Rates | null =>
  !a || !b ? (a ?? b) : { pushPerSec: Math.max(a.pushPerSec, b.pushPerSec), catchUpPerSec: Math.max(a.catchUpPerSec, b.catchUpPerSec) };

export async function run(args: string[]): Promise<number> {
  const records = Number(args.find((a) => a.startsWith('--records='))?.slice(10) ?? 100_000);
  // `--rounds=N`: ours and the peers take turns N times and the best figure of each is compared, so
  // that a burst of other work on the machine does not decide the ratio.
  const rounds = Math.max(1, Number(args.find((a) => a.startsWith('--rounds='))?.slice(9) ?? 1));
  const workDir = mkdtempSync(join(tmpdir(), 'holdfast-bench-sync-'));
  try {
    console.log(`sync bench: ${records} records, loopback, node ${process.version}${rounds > 1 ? `, best of ${rounds} rounds` : ''}`);
    // `--holdfast-only`: our SQLite figures alone, for profiling (`node --cpu-prof bench/run.mjs sync --holdfast-only`).
    const isOursOnly = args.includes('--holdfast-only');
    // `--postgres-only`: the service's ingest on PostgreSQL alone (`BENCH_SERVICE_NODE_ARGS` to profile it).
    if (args.includes('--postgres-only')) return await postgresIngest(records, workDir);
    let sqlite: Rates | null = null;
    const peers: Record<string, Rates | null> = { 'Actual sync-server': null, 'PouchDB (express-pouchdb)': null };
    for (let round = 1; round <= rounds; round += 1) {
      const mine = await ours(records, workDir, `sqlite-${round}`, {}, true);
      console.log(`  holdfast (service on SQLite): push ${fmt(mine.pushPerSec)} rec/s, catch-up ${fmt(mine.catchUpPerSec)} rec/s`);
      sqlite = best(sqlite, mine);
      if (isOursOnly) continue;
      for (const [name, kind] of [
        ['Actual sync-server', 'actual'],
        ['PouchDB (express-pouchdb)', 'pouchdb'],
      ] as const) {
        const rates = peer(kind, records);
        if (rates) console.log(`  ${name}: push ${fmt(rates.pushPerSec)} rec/s, catch-up ${fmt(rates.catchUpPerSec)} rec/s`);
        peers[name] = best(peers[name], rates);
      }
    }
    if (isOursOnly || !sqlite) return 0;

    await postgresIngest(records, workDir);

    if (rounds > 1) console.log(`  holdfast, best of ${rounds}: push ${fmt(sqlite.pushPerSec)} rec/s, catch-up ${fmt(sqlite.catchUpPerSec)} rec/s`);
    for (const [name, rates] of Object.entries(peers)) {
      if (!rates) {
        console.log(`  ${name}: not installed (run \`npm --prefix bench/peers install\`)`);
        continue;
      }
      if (rounds > 1) console.log(`  ${name}, best of ${rounds}: push ${fmt(rates.pushPerSec)} rec/s, catch-up ${fmt(rates.catchUpPerSec)} rec/s`);
      console.log(
        `    holdfast / ${name}: push ${ratio(sqlite.pushPerSec, rates.pushPerSec)}, catch-up ${ratio(sqlite.catchUpPerSec, rates.catchUpPerSec)} (target > 1x)`,
      );
    }
    return 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
