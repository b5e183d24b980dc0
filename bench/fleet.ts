// Fleet benchmark (`npm run bench -- fleet`): a thousand laptops on two service nodes.
//
// - One PostgreSQL (the embedded throwaway server of tests/support/postgres, or DATABASE_URL's) and
//   two `holdfast server` processes on it (the built bin: `npm run build` first), sharing one org key.
// - `--clients` simulated laptops (bench/lib/fleet-clients.mjs, spread over `--workers` processes),
//   half on each node, each with its own user and token, a live socket and a real laptop's pull
//   behaviour on a poke. The first `--writers` of them also write: each has a device certified by
//   the service (POST /v1/certs) and pushes one signed timeline entry at a time into one of
//   `--incidents` open war rooms, `--rate` entries a second (jittered), for `--seconds`.
// - Printed: how long a write takes to reach every laptop (p50/p95/p99 over writes; and per
//   delivery), each node's CPU and peak RSS, PostgreSQL's ingest and CPU, the clients' requests.
// - Then a year of scoped history (see `historyPlan`) is pushed, signed, to the service and a new
//   laptop pulls its scope as a laptop does (pages of 500): how long that takes (unless --no-catch-up).
//
// Nothing passes or fails on time; the figures are printed with the machine's load average.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { uuidv7 } from '@shared/ids';
import { maxOpsPerPush, type PullResponse, type StreamsResponse } from '@shared/sync';
import type { Op } from '@shared/ops';
import { incidentRowId } from '@shared/entities';
import { scopeQueryString } from '@shared/replica-scope';
import type { Role } from '@shared/roles';
import { hashToken } from '../server/central-backend';
import { certifyAt } from '../tests/support/ops';
import type { TestDevice } from '../tests/support/trust';

export interface FleetOptions {
  clients: number;
  writers: number;
  seconds: number;
  /** Timeline entries a second per writer. */
  rate: number;
  /** Open war rooms the writers share. */
  incidents: number;
  /** Processes the simulated laptops are spread over. */
  workers: number;
  /** Fraction of the documented year of history to seed for the catch-up; 0: no catch-up. */
  historyScale: number;
  /** How long to wait, once writing stops, for every laptop to hold every write. */
  drainMs?: number;
  log?: (line: string) => void;
  /** Told the fleet's figures before the catch-up starts (which can take minutes). */
  onFleet?: (figures: FleetFigures) => void;
}

export interface NodeUsage {
  /** Percent of one core over the writing window. */
  cpuPercent: number;
  peakRssMb: number;
}

export interface CatchUp {
  /** Ops the service holds in the laptop's scope (what the seed wrote there, and the trust stream's). */
  inScopeOps: number;
  ops: number;
  /** Streams the service listed to the new laptop (each checked to be one in its scope) and pulled. */
  streams: number;
  megabytes: number;
  seconds: number;
  seedSeconds: number;
}

export interface FleetFigures {
  writes: number;
  /** Writes every laptop holds in the end, and the (client, write) pairs missing. */
  reachedAll: number;
  missingDeliveries: number;
  /** (laptop, write) pairs held in the end: every write on every laptop but its writer's. */
  delivered: number;
  /** Per write: until the last laptop held it (ms). */
  reachAll: { p50: number; p95: number; p99: number; max: number };
  /** Per write: until the service answered the push (ms). */
  push: { p50: number; p95: number };
  /** Per (laptop, write): until that laptop held it (ms). */
  delivery: { p50: number; p95: number; p99: number };
  nodes: NodeUsage[];
  clientsCpuPercent: number;
  postgres: { opsPerSec: number; tuplesInsertedPerSec: number; commitsPerSec: number; cpuPercent: number | null };
  requestsPerSec: { streams: number; pulls: number };
  /** Mean time a laptop's GET took, from asking to the parsed answer (ms). */
  meanRequestMs: number;
  pokesPerSec: number;
  failures: number;
  lastFailure: string;
  catchUp: CatchUp | null;
  load: number[];
}

const clientsScript = join(import.meta.dirname, 'lib/fleet-clients.mjs');
const bin = join(import.meta.dirname, '../electron/cli/holdfast.mjs');
const now = () => performance.timeOrigin + performance.now();
const clockTicks = 100; // USER_HZ on Linux

/** A year of one organisation's history as a newly enrolled laptop's scope sees it (issue 22, point 1). */
export const historyPlan = {
  /** The directory: people and teams. */
  people: 1000,
  teams: 50,
  /** The library: runbooks with three saved versions each (about 3 KB of Markdown), and the service catalog. */
  runbooks: 200,
  runbookVersions: 3,
  services: 300,
  /** Incidents declared in a year, and the ops each holds (its own and its timeline). */
  incidentsPerYear: 5000,
  opsPerIncident: 250,
  /** In scope: closed within the last N days, still open, or older ones the user took part in. */
  recentDays: 90,
  open: 20,
  tookPartInOlder: 40,
};

/** How many incidents of each kind a history at `scale` holds. */
export function historyCounts(scale: number) {
  const p = historyPlan;
  const recent = Math.round(((p.incidentsPerYear * p.recentDays) / 365) * scale);
  const open = Math.round(p.open * scale);
  const tookPart = Math.round(p.tookPartInOlder * scale);
  const outOfScope = Math.round(p.incidentsPerYear * scale) - recent - open - tookPart;
  return { recent, open, tookPart, outOfScope, inScope: recent + open + tookPart };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function cpuTicks(pid: number): number {
  // Fields after the command's closing parenthesis: utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

function rssMb(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) / 1024 : 0;
}

/** The PostgreSQL server's processes (the postmaster and its children), when it runs on this machine. */
function postgresPids(postmaster: number | null): number[] {
  if (postmaster === null) return [];
  const pids = [postmaster];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

const sumTicks = (pids: number[]) =>
  pids.reduce((sum, pid) => {
    try {
      return sum + cpuTicks(pid);
    } catch {
      return sum;
    }
  }, 0);

interface ServiceNode {
  url: string;
  child: ChildProcess;
}

/** `holdfast server` on PostgreSQL in its own process; the org key file is shared by the nodes. */
async function startNode(dataDir: string, orgKeyFile: string, databaseUrl: string): Promise<ServiceNode> {
  const nodeArgs = process.env.BENCH_SERVICE_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, bin, 'server', '--data', dataDir, '--port', '0', '--org-key', orgKeyFile], {
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`holdfast server did not start in 60 s:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /on (http:\/\/\S+:\d+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`holdfast server exited with ${code} (is the app built? run npm run build):\n${output}`));
    });
  });
  return { url, child };
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

interface Worker {
  child: ChildProcess;
  ask<T>(message: object, answer: string): Promise<T>;
}

function startWorker(): Worker {
  const child = spawn(process.execPath, [clientsScript], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    child,
    ask: <T>(message: object, answer: string) =>
      new Promise<T>((resolve, reject) => {
        const onMessage = (reply: { type: string; message?: string }) => {
          if (reply.type === 'error') reject(new Error(`a fleet client process failed: ${reply.message}`));
          else if (reply.type === answer) resolve(reply as T);
          else return;
          child.off('message', onMessage);
        };
        child.on('message', onMessage);
        child.once('exit', (code) => reject(new Error(`a fleet client process exited with ${code}`)));
        child.send(message);
      }),
  };
}

async function push(url: string, token: string, ops: Op[]): Promise<void> {
  const response = await fetch(`${url}/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ops }),
  });
  const body = (await response.json()) as { results?: { status: string; reason?: string }[]; error?: { message: string } };
  const refused = body.results?.find((r) => r.status !== 'accepted' && r.status !== 'duplicate');
  if (response.status !== 200 || refused) throw new Error(`push answered ${response.status}: ${refused?.reason ?? body.error?.message ?? ''}`);
}

interface Counts {
  streams: number;
  pulls: number;
  pulledOps: number;
  failures: number;
  pokes: number;
  requestMs: number;
}

const sumCounts = (all: Counts[]): Counts =>
  all.reduce(
    (a, b) => ({
      streams: a.streams + b.streams,
      pulls: a.pulls + b.pulls,
      pulledOps: a.pulledOps + b.pulledOps,
      failures: a.failures + b.failures,
      pokes: a.pokes + b.pokes,
      requestMs: a.requestMs + b.requestMs,
    }),
    {
      streams: 0,
      pulls: 0,
      pulledOps: 0,
      failures: 0,
      pokes: 0,
      requestMs: 0,
    },
  );

export async function runFleet(options: FleetOptions, databaseUrl: string): Promise<FleetFigures> {
  const log = options.log ?? (() => undefined);
  if (options.writers > options.clients) throw new Error(`--writers (${options.writers}) cannot exceed --clients (${options.clients})`);
  const workDir = mkdtempSync(join(tmpdir(), 'holdfast-bench-fleet-'));
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const nodes: ServiceNode[] = [];
  const workers: Worker[] = [];
  try {
    const orgKeyFile = join(workDir, 'org-key.pem');
    // The first node makes the schema and the org key; the second reads the same file.
    nodes.push(await startNode(join(workDir, 'node-a'), orgKeyFile, databaseUrl));
    nodes.push(await startNode(join(workDir, 'node-b'), orgKeyFile, databaseUrl));
    // One user and token per laptop (each laptop's requests count against its own rate limit).
    // The built service owns the schema: users are added with the store's own statement (as
    // `holdfast server user add` does) rather than by opening the store from the source, whose
    // migrations may be newer than the build's.
    const users: { name: string; token: string }[] = [];
    const addUser = async (name: string, role: Role) => {
      const token = `hf_${randomBytes(16).toString('hex')}`;
      await db.query('INSERT INTO users (name, role, token_hash, created_at) VALUES ($1, $2, $3, $4)', [name, role, hashToken(token), Date.now()]);
      return { name, token };
    };
    for (let i = 0; i < options.clients; i += 1) users.push(await addUser(`laptop-${String(i).padStart(4, '0')}`, i < options.writers ? 'commander' : 'responder'));
    const urlOf = (i: number) => nodes[i % 2].url;
    log(`  two nodes on one PostgreSQL: ${nodes.map((n) => n.url).join(', ')}; ${options.clients} users`);

    // Writers' devices, certified by the service as a laptop's are; writer 0 declares the war rooms.
    const devices: TestDevice[] = [];
    for (let i = 0; i < options.writers; i += 1) devices.push(await certifyAt(urlOf(i), users[i].token, users[i].name));
    const incidentIds = Array.from({ length: options.incidents }, () => uuidv7());
    if (devices.length > 0)
      await push(
        urlOf(0),
        users[0].token,
        incidentIds.map((incidentId, i) =>
          devices[0].write({ entity: 'incident', rowId: incidentId, fields: { title: `War room ${i + 1}`, severity: 'SEV1', declaredAt: Date.now() } }, Date.now()),
        ),
      );

    // The laptops: writer i's laptop leaves out its own device's ops, as a real one does.
    const specs = users.map((user, i) => ({ url: urlOf(i), token: user.token, skipDevice: devices[i]?.deviceId ?? null }));
    const workerCount = Math.max(1, Math.min(options.workers, options.clients));
    for (let w = 0; w < workerCount; w += 1) workers.push(startWorker());
    const started = now();
    const readies = await Promise.all(
      workers.map((worker, w) => worker.ask<{ counts: Counts }>({ type: 'start', clients: specs.filter((_, i) => i % workerCount === w) }, 'ready')),
    );
    log(`  ${options.clients} laptops connected and caught up in ${((now() - started) / 1000).toFixed(1)} s (${workerCount} processes)`);
    const before = sumCounts(readies.map((r) => r.counts));

    // The writing window.
    const pgPostmaster = await postmasterPid(db);
    const pgPids = postgresPids(pgPostmaster);
    const stat = async () =>
      (await db.query<{ tup: string; xact: string }>('SELECT tup_inserted AS tup, xact_commit AS xact FROM pg_stat_database WHERE datname = current_database()')).rows[0];
    const pgBefore = await stat();
    const pgTicksBefore = sumTicks(pgPids);
    const nodeTicksBefore = nodes.map((n) => cpuTicks(n.child.pid!));
    const peakRss = nodes.map((n) => rssMb(n.child.pid!));
    const sampler = setInterval(() => nodes.forEach((n, i) => (peakRss[i] = Math.max(peakRss[i], rssMb(n.child.pid!)))), 500);
    // BENCH_FLEET_PG_ACTIVITY=1: what the nodes' connections are doing, sampled four times a second.
    const activity = new Map<string, number>();
    const activitySampler = process.env.BENCH_FLEET_PG_ACTIVITY
      ? setInterval(() => {
          void db
            .query<{ what: string }>(
              "SELECT state || ' ' || coalesce(wait_event_type || ':' || wait_event, '-') || ' ' || left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS what FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()",
            )
            .then(({ rows }) => rows.forEach((r) => activity.set(r.what, (activity.get(r.what) ?? 0) + 1)))
            .catch(() => undefined);
        }, 250)
      : null;
    const sent: [string, string, number][] = [];
    const pushMs: number[] = [];
    const failures: string[] = [];
    const windowStart = now();
    const end = windowStart + options.seconds * 1000;
    await Promise.all(
      devices.map(async (device, i) => {
        const incidentId = incidentIds[i % incidentIds.length];
        // Writers start spread over one interval, then keep their pace with jitter.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * (1000 / options.rate)));
        for (let n = 0; now() < end; n += 1) {
          const op = device.write(
            { entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text: `${device.user}: update ${n} from the war room`, eventAt: Date.now() } },
            Date.now(),
          );
          const at = now();
          try {
            await push(urlOf(i), users[i].token, [op]);
            sent.push([op.opId, device.deviceId, at]);
            pushMs.push(now() - at);
          } catch (error) {
            failures.push((error as Error).message);
          }
          const interval = (1000 / options.rate) * (0.5 + Math.random());
          await new Promise((resolve) => setTimeout(resolve, Math.max(0, at + interval - now())));
        }
      }),
    );
    const windowSeconds = (now() - windowStart) / 1000;
    clearInterval(sampler);
    if (activitySampler) {
      clearInterval(activitySampler);
      for (const [what, n] of [...activity].sort((a, b) => b[1] - a[1]).slice(0, 15)) log(`    pg_stat_activity ×${n}: ${what}`);
    }
    const nodeUsage = nodes.map((n, i) => ({ cpuPercent: ((cpuTicks(n.child.pid!) - nodeTicksBefore[i]) / clockTicks / windowSeconds) * 100, peakRssMb: peakRss[i] }));
    const pgAfter = await stat();
    const pgTicks = sumTicks(pgPids) - pgTicksBefore;
    const load = loadavg();
    log(
      `  ${sent.length} writes in ${windowSeconds.toFixed(1)} s${failures.length ? `; ${failures.length} pushes failed: ${failures[0]}` : ''}; waiting for every laptop to hold them`,
    );

    // Every laptop should now get every write (but its own).
    type Drained = { missing: number; perOp: Record<string, [number, number]>; deliveries: number[]; counts: Counts; lastFailure: string; cpu: NodeJS.CpuUsage };
    const drained = await Promise.all(workers.map((worker) => worker.ask<Drained>({ type: 'drain', ops: sent, timeoutMs: options.drainMs ?? 60_000 }, 'drained')));
    const elapsed = (now() - started) / 1000;
    const counts = sumCounts(drained.map((d) => d.counts));
    const perOp = new Map<string, [number, number]>();
    for (const d of drained)
      for (const [opId, [count, latest]] of Object.entries(d.perOp)) {
        const seen = perOp.get(opId) ?? [0, 0];
        perOp.set(opId, [seen[0] + count, Math.max(seen[1], latest)]);
      }
    const writerClients = new Set(devices.map((d) => d.deviceId));
    const reachAll = sent
      .filter(([opId, deviceId]) => (perOp.get(opId)?.[0] ?? 0) === options.clients - (writerClients.has(deviceId) ? 1 : 0))
      .map(([opId]) => perOp.get(opId)![1])
      .sort((a, b) => a - b);
    const deliveries = drained.flatMap((d) => d.deliveries).sort((a, b) => a - b);
    const clientsCpu = drained.reduce((sum, d) => sum + (d.cpu.user + d.cpu.system) / 1e6, 0);

    const figures: FleetFigures = {
      writes: sent.length,
      reachedAll: reachAll.length,
      missingDeliveries: drained.reduce((sum, d) => sum + d.missing, 0),
      delivered: deliveries.length,
      reachAll: { p50: percentile(reachAll, 50), p95: percentile(reachAll, 95), p99: percentile(reachAll, 99), max: reachAll.at(-1) ?? Number.NaN },
      push: {
        p50: percentile(
          pushMs.sort((a, b) => a - b),
          50,
        ),
        p95: percentile(pushMs, 95),
      },
      delivery: { p50: percentile(deliveries, 50), p95: percentile(deliveries, 95), p99: percentile(deliveries, 99) },
      nodes: nodeUsage,
      clientsCpuPercent: (clientsCpu / elapsed) * 100,
      postgres: {
        opsPerSec: sent.length / windowSeconds,
        tuplesInsertedPerSec: (Number(pgAfter.tup) - Number(pgBefore.tup)) / windowSeconds,
        commitsPerSec: (Number(pgAfter.xact) - Number(pgBefore.xact)) / windowSeconds,
        cpuPercent: pgPids.length > 0 ? (pgTicks / clockTicks / windowSeconds) * 100 : null,
      },
      requestsPerSec: { streams: (counts.streams - before.streams) / elapsed, pulls: (counts.pulls - before.pulls) / elapsed },
      meanRequestMs: (counts.requestMs - before.requestMs) / Math.max(1, counts.streams - before.streams + counts.pulls - before.pulls),
      pokesPerSec: (counts.pokes - before.pokes) / elapsed,
      failures: counts.failures + failures.length,
      lastFailure: drained.find((d) => d.lastFailure)?.lastFailure ?? failures[0] ?? '',
      catchUp: null,
      load,
    };
    options.onFleet?.(figures);
    // The laptops are done: they would only pull the seeded history too.
    for (const worker of workers) if (worker.child.connected) worker.child.send({ type: 'stop' });
    if (options.historyScale > 0 && devices.length > 0) {
      log(`  seeding the history for the catch-up (scale ${options.historyScale})`);
      const warRooms = incidentIds.map((incidentId) => `incident:${incidentId}`);
      figures.catchUp = await seedAndCatchUp(options.historyScale, nodes[0].url, devices[0], users[0].token, addUser, log, warRooms);
    }
    return figures;
  } finally {
    for (const worker of workers) {
      if (worker.child.connected) worker.child.send({ type: 'stop' });
      await stopProcess(worker.child);
    }
    for (const node of nodes) await stopProcess(node.child);
    await db.end();
    rmSync(workDir, { recursive: true, force: true });
  }
}

/** The postmaster's pid when the server's data directory is on this machine (embedded), else null. */
async function postmasterPid(db: pg.Client): Promise<number | null> {
  try {
    const { rows } = await db.query<{ setting: string }>("SELECT setting FROM pg_settings WHERE name = 'data_directory'");
    return Number(readFileSync(join(rows[0].setting, 'postmaster.pid'), 'utf8').split('\n')[0]) || null;
  } catch {
    return null;
  }
}

/**
 * Pushes a year of history (historyPlan at `scale`, every op signed by a commander's certified
 * device) to the service, then times a new laptop pulling its scope: the shared streams (trust,
 * org, directory, library) and the incidents in scope. Incidents out of scope are seeded with
 * their own op only: they lengthen the stream list the laptop reads, not what it pulls.
 *
 * The service must list the new laptop exactly the streams in its scope: the shared streams holding
 * ops, the incidents in scope, and the fleet's war rooms (`openIncidents`, still open; listed, not
 * pulled: they are not part of the history). A stream listed beyond these (an incident out of
 * scope) or one missing fails the catch-up.
 *
 * Clocks: every op is stamped now (a certificate covers only ops signed while it runs); the
 * history's age is in its fields (declared and closed times spread over the year).
 */
async function seedAndCatchUp(
  scale: number,
  url: string,
  device: TestDevice,
  token: string,
  addUser: (name: string, role: Role) => Promise<{ name: string; token: string }>,
  log: (line: string) => void,
  openIncidents: string[],
): Promise<CatchUp> {
  const counts = historyCounts(scale);
  const p = historyPlan;
  const day = 24 * 3600_000;
  const yearAgo = Date.now() - 365 * day;
  const scoped = new Set<string>(['trust', 'org', 'directory', 'library']);
  let seeded = 0;
  const seedStart = now();
  // Ops are made a batch at a time; the next batch is signed while the last one is pushed.
  let batch: Op[] = [];
  let pending: Promise<void> = Promise.resolve();
  const perStream = new Map<string, number>();
  const add = async (op: Op) => {
    perStream.set(op.streamId, (perStream.get(op.streamId) ?? 0) + 1);
    batch.push(op);
    if (batch.length < maxOpsPerPush) return;
    const full = batch;
    batch = [];
    await pending;
    pending = push(url, token, full);
    seeded += full.length;
  };
  const write = (entity: Parameters<TestDevice['write']>[0]['entity'], rowId: string, fields: Parameters<TestDevice['write']>[0]['fields']) =>
    device.write({ entity, rowId, fields }, Date.now());

  const teamIds = Array.from({ length: Math.round(p.teams * scale) || 1 }, () => uuidv7());
  for (const [i, teamId] of teamIds.entries()) await add(write('team', teamId, { name: `Team ${i + 1}`, escalationPhone: '+44 20 7946 0000' }));
  for (let i = 0; i < Math.round(p.people * scale); i += 1)
    await add(
      write('person', uuidv7(), { name: `Responder ${i + 1}`, title: 'Site reliability engineer', timeZone: 'Europe/London', teamId: teamIds[i % teamIds.length] }),
    );
  const markdown = `# Runbook\n\n${'1. Check the dashboards, then the recent deploys and the error budget.\n'.repeat(40)}`;
  for (let r = 0; r < Math.round(p.runbooks * scale); r += 1) {
    let parents: string[] = [];
    for (let v = 0; v < p.runbookVersions; v += 1) {
      const versionId = uuidv7();
      await add(write('runbook_version', versionId, { runbookId: `runbook-${r + 1}`, parents, source: markdown, note: `revision ${v + 1}` }));
      parents = [versionId];
    }
  }
  for (let s = 0; s < Math.round(p.services * scale); s += 1)
    await add(write('service', uuidv7(), { name: `service-${s + 1}`, description: 'Checkout and payments', tier: 1 + (s % 4) }));
  // The laptop caught up is a new responder's; the older incidents in its scope are those it held a role in.
  const newcomerName = 'newcomer';
  const incident = async (at: number, isClosed: boolean, isInScope: boolean, isTookPart = false) => {
    const declaredAt = Math.round(at);
    const incidentId = uuidv7();
    const closedAt = isClosed ? declaredAt + 6 * 3600_000 : null;
    await add(
      write('incident', incidentId, { title: `Incident ${incidentId.slice(-6)}`, severity: 'SEV2', declaredAt, status: isClosed ? 'closed' : 'investigating', closedAt }),
    );
    if (!isInScope) return;
    scoped.add(`incident:${incidentId}`);
    if (isTookPart)
      await add(
        write('incident_role', incidentRowId(incidentId, 'scribe'), { incidentId, role: 'scribe', label: 'Scribe', holderId: newcomerName, since: declaredAt + 60_000 }),
      );
    for (let e = isTookPart ? 2 : 1; e < p.opsPerIncident; e += 1)
      await add(
        write('timeline_entry', '', {
          incidentId,
          kind: 'note',
          text: `Entry ${e}: error rate on checkout back under 1%, watching the rollback on eu-west`,
          eventAt: declaredAt + e * 60_000,
        }),
      );
  };
  const recentFrom = Date.now() - p.recentDays * day;
  for (let i = 0; i < counts.recent; i += 1) await incident(recentFrom + ((i + 0.5) / counts.recent) * p.recentDays * day, true, true);
  for (let i = 0; i < counts.open; i += 1) await incident(Date.now() - (i + 1) * 3600_000, false, true);
  for (let i = 0; i < counts.tookPart; i += 1) await incident(yearAgo + (i / Math.max(1, counts.tookPart)) * 270 * day, true, true, true);
  for (let i = 0; i < counts.outOfScope; i += 1) await incident(yearAgo + (i / Math.max(1, counts.outOfScope)) * 270 * day, true, false);
  await pending;
  if (batch.length > 0) await push(url, token, batch);
  seeded += batch.length;
  const seedSeconds = (now() - seedStart) / 1000;
  log(
    `  seeded ${seeded.toLocaleString('en-US')} signed ops of history in ${seedSeconds.toFixed(1)} s (${Math.round(seeded / seedSeconds).toLocaleString('en-US')} ops/s through the service)`,
  );

  // A new laptop (a responder just enrolled) pulls its scope, stream after stream, as a laptop does.
  const newcomer = await addUser(newcomerName, 'responder');
  const get = async <T>(path: string): Promise<{ body: T; bytes: number }> => {
    const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${newcomer.token}` } });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path} answered ${response.status}: ${text.slice(0, 200)}`);
    return { body: JSON.parse(text) as T, bytes: text.length };
  };
  const start = now();
  // As a laptop asks: the streams of its scope (closed incidents kept for `recentDays`).
  const heads = await get<StreamsResponse>(`/v1/sync/streams?${scopeQueryString({ keepClosedDays: p.recentDays, isKeepEverything: false })}`);
  const listed = new Set(heads.body.streams.map((h) => h.streamId));
  const expected = new Set([...scoped].filter((streamId) => streamId === 'trust' || perStream.has(streamId)).concat(openIncidents));
  const unexpected = [...listed].filter((streamId) => !expected.has(streamId));
  const unlisted = [...expected].filter((streamId) => !listed.has(streamId));
  if (unexpected.length > 0 || unlisted.length > 0)
    throw new Error(
      `catch-up: the service listed ${listed.size} streams to a new laptop, ${expected.size} expected in its scope; listed beyond its scope: ${unexpected.slice(0, 5).join(', ') || 'none'}${unexpected.length > 5 ? ` (+${unexpected.length - 5})` : ''}; in scope but not listed: ${unlisted.slice(0, 5).join(', ') || 'none'}${unlisted.length > 5 ? ` (+${unlisted.length - 5})` : ''}`,
    );
  log(`  the service listed the new laptop ${listed.size} streams: exactly the ${expected.size} in its scope`);
  const inScopeOps = heads.body.streams
    .filter((h) => scoped.has(h.streamId))
    .reduce((sum, h) => sum + (h.streamId === 'trust' ? h.head : (perStream.get(h.streamId) ?? 0)), 0);
  let bytes = heads.bytes;
  let ops = 0;
  let streams = 0;
  const page = (streamId: string, after: number) => get<PullResponse>(`/v1/sync/pull?stream=${encodeURIComponent(streamId)}&after=${after}&limit=500`);
  for (const { streamId } of heads.body.streams) {
    if (!scoped.has(streamId)) continue;
    streams += 1;
    let pendingPage: ReturnType<typeof page> | null = page(streamId, 0);
    while (pendingPage) {
      const { body, bytes: size }: { body: PullResponse; bytes: number } = await pendingPage;
      pendingPage = body.hasMore ? page(streamId, body.cursor) : null;
      ops += body.ops.length;
      bytes += size;
    }
  }
  return { inScopeOps, ops, streams, megabytes: bytes / 1e6, seconds: (now() - start) / 1000, seedSeconds };
}

const fmt = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');

function option(args: string[], name: string, fallback: number): number {
  const raw = args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number ≥ 0 (got "${raw}")`);
  return value;
}

export async function run(args: string[]): Promise<number> {
  const known = ['clients', 'writers', 'seconds', 'rate', 'incidents', 'workers', 'history-scale'];
  const unknown = args.filter((a) => !a.startsWith('--') || (!known.includes(a.slice(2).split('=')[0]) && a !== '--no-catch-up'));
  if (unknown.length > 0) {
    console.error(`fleet: unknown option ${unknown[0]}; options: ${known.map((k) => `--${k}=N`).join(' ')} --no-catch-up`);
    return 2;
  }
  const options: FleetOptions = {
    clients: option(args, 'clients', 1000),
    writers: option(args, 'writers', 50),
    seconds: option(args, 'seconds', 60),
    rate: option(args, 'rate', 2),
    incidents: Math.max(1, option(args, 'incidents', 5)),
    workers: Math.max(1, option(args, 'workers', 4)),
    historyScale: args.includes('--no-catch-up') ? 0 : option(args, 'history-scale', 0.2),
    log: (line) => console.log(line),
  };
  console.log(
    `fleet bench: ${options.clients} laptops on two service nodes (one PostgreSQL), ${options.writers} writing ${options.rate}/s each into ${options.incidents} war rooms for ${options.seconds} s; node ${process.version}; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  const postgres = await import('../tests/support/postgres');
  try {
    const printFleet = (f: FleetFigures) => {
      const ms = (n: number) => `${fmt(n)} ms`;
      console.log(`  writes: ${fmt(f.writes)}; held by every laptop: ${fmt(f.reachedAll)}; (laptop, write) pairs missing after the wait: ${fmt(f.missingDeliveries)}`);
      console.log(
        `  a write reaching all ${options.clients} laptops: p50 ${ms(f.reachAll.p50)}, p95 ${ms(f.reachAll.p95)}, p99 ${ms(f.reachAll.p99)}, max ${ms(f.reachAll.max)} (target p95 < 1,000 ms)`,
      );
      console.log(`  a push answered by its node: p50 ${ms(f.push.p50)}, p95 ${ms(f.push.p95)}`);
      console.log(`  a write reaching one laptop: p50 ${ms(f.delivery.p50)}, p95 ${ms(f.delivery.p95)}, p99 ${ms(f.delivery.p99)}`);
      f.nodes.forEach((n, i) => console.log(`  service node ${i + 1}: CPU ${n.cpuPercent.toFixed(0)}% of a core, peak RSS ${fmt(n.peakRssMb)} MB`));
      console.log(
        `  PostgreSQL: ${f.postgres.opsPerSec.toFixed(1)} ops/s ingested, ${fmt(f.postgres.tuplesInsertedPerSec)} rows inserted/s, ${fmt(f.postgres.commitsPerSec)} commits/s, CPU ${f.postgres.cpuPercent === null ? 'n/a (not on this machine)' : `${f.postgres.cpuPercent.toFixed(0)}% of a core`}`,
      );
      console.log(
        `  laptops' requests: ${fmt(f.requestsPerSec.streams)} stream lists/s, ${fmt(f.requestsPerSec.pulls)} pulls/s (${fmt(f.meanRequestMs)} ms each on average), ${fmt(f.pokesPerSec)} pokes/s received; simulated laptops' CPU ${f.clientsCpuPercent.toFixed(0)}% of a core`,
      );
      if (f.failures > 0) console.log(`  failures: ${f.failures} (last: ${f.lastFailure})`);
      console.log(`  load average at the end of the writing window: ${f.load.map((l) => l.toFixed(1)).join(' ')}`);
    };
    const f = await runFleet({ ...options, onFleet: printFleet }, await postgres.postgresDatabase());
    if (f.catchUp) {
      const c = f.catchUp;
      const counts = historyCounts(options.historyScale);
      console.log(
        `  catch-up of a new laptop (history at scale ${options.historyScale}: ${counts.inScope} incidents in scope, ${counts.outOfScope} out of scope): ${fmt(c.ops)} ops from ${fmt(c.streams)} streams, ${c.megabytes.toFixed(1)} MB in ${c.seconds.toFixed(1)} s (${fmt(c.ops / c.seconds)} ops/s)`,
      );
      if (options.historyScale !== 1)
        console.log(`    at full scale (${fmt(c.ops / options.historyScale)} ops): about ${(c.seconds / options.historyScale / 60).toFixed(1)} min at the same rate`);
    }
    console.log(
      `  load average at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    return f.missingDeliveries > 0 ? 1 : 0;
  } finally {
    await postgres.cleanup();
  }
}
