// Outage benchmark (`npm run bench -- outage`), on loopback: three replicas (engines, as the app
// runs them) with an incident open, `holdfast server` in its own process, and a war-room hub hosted
// by the first replica that the other two joined. It prints:
// - hub propagation p50/p95 with the service down: a write on one member until it is on the other
//   (target p95 < 100 ms);
// - the time to converge after the service returns: it is killed (SIGKILL), every replica writes
//   meanwhile (the hub carries it), it is started again on the same port, and the clock runs from
//   its listening until every replica has nothing waiting for it and all three are equal, with
//   nobody pressing Sync now (target < 2 s);
// - the first entry of a 2,000-entry burst on one replica reaching another (target < 500 ms);
// - cross-node poke latency: two service nodes on one embedded PostgreSQL, from the poke on the
//   node that took a push to the poke on the other (target < 200 ms).
// Needs the build (`npm run build`). Figures are printed against their targets; nothing fails.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { calls, type CallName, type Handlers, type ParsedRequest, type Request } from '@shared/contract';
import { openEngine, type Engine } from '../electron/engine/engine';

/** A handler called as every transport calls it: the request parsed (defaults filled in) first. */
const call = <K extends CallName>(engine: Engine, name: K, request: Request<K>): ReturnType<Handlers[K]> =>
  (engine.handlers[name] as unknown as (r: ParsedRequest<K>) => ReturnType<Handlers[K]>)(calls[name].request.parse(request) as ParsedRequest<K>);

const bin = join(import.meta.dirname, '../electron/cli/holdfast.mjs');
const ms = (n: number) => `${Math.round(n)} ms`;
const percentile = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const waitFor = async (isDone: () => boolean | Promise<boolean>, timeoutMs: number, what: string, stepMs = 2): Promise<void> => {
  const deadline = performance.now() + timeoutMs;
  while (!(await isDone())) {
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
};

function addUser(dataDir: string, name: string): string {
  const added = spawnSync(process.execPath, [bin, 'server', 'user', 'add', name, '--role', 'commander', '--data', dataDir], { encoding: 'utf8' });
  const token = /store it now\): (\S+)/.exec(added.stdout)?.[1];
  if (!token) throw new Error(`could not add user ${name} (is the app built? run npm run build): ${added.stderr}`);
  return token;
}

/** `holdfast server` on `port` (0: any); resolves once it listens. */
async function startServer(dataDir: string, port: number): Promise<{ url: string; port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [bin, 'server', '--data', dataDir, '--port', String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /on (http:\/\/\S+:(\d+))/.exec(out);
      if (match) resolve({ url: match[1], port: Number(match[2]), child });
    });
    child.once('exit', (code) => reject(new Error(`holdfast server exited with ${code}`)));
  });
}

const killed = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });

async function hubFigures(workDir: string) {
  const serviceDir = join(workDir, 'central');
  const tokens = ['ana', 'ben', 'cal'].map((name) => addUser(serviceDir, name));
  let server = await startServer(serviceDir, 0);
  const engines: Engine[] = ['a', 'b', 'c'].map((name) => openEngine({ dataDir: join(workDir, name), host: 'web', log: () => undefined, syncPollMs: 3_600_000 }));
  const [host, ben, cal] = engines;
  try {
    for (const [i, engine] of engines.entries()) await call(engine, 'sync.connect', { url: server.url, token: tokens[i] });
    const room = await call(host, 'hub.start', { port: 0 });
    const link = room.links?.find((l) => l.startsWith('https://127.0.0.1:'));
    if (!link) throw new Error('the hub gives no 127.0.0.1 link');
    for (const member of [ben, cal]) await call(member, 'sync.join', { link });
    const incident = await call(host, 'incidents.create', { title: 'Outage bench', severity: 'SEV1' });
    const count = (engine: Engine) => engine.replica.opLog.count();
    const isConverged = async () => {
      const digests = new Set(engines.map((e) => e.replica.digest()));
      if (digests.size !== 1) return false;
      for (const engine of engines) {
        const status = await call(engine, 'sync.status', {});
        if (!status.peers.every((p) => p.state === 'connected' && p.pending === 0)) return false;
      }
      return true;
    };
    await waitFor(isConverged, 30_000, 'the replicas settling before the bench');
    await waitFor(async () => (await call(cal, 'sync.status', {})).peers.every((p) => p.lastHeartbeatAt !== null), 10_000, 'live sockets open');
    const add = (engine: Engine, text: string) => call(engine, 'timeline.add', { incidentId: incident.id, kind: 'note', text });

    // The service dies: the hub carries the room.
    await killed(server.child);
    const samples: number[] = [];
    for (let i = 0; i < 40; i += 1) {
      const before = count(cal);
      // From the write committed on one member (what its user sees saved) to the other member holding it.
      await add(ben, `hub propagation ${i}`);
      const started = performance.now();
      await waitFor(() => count(cal) > before, 10_000, 'a write reaching the other member through the hub', 1);
      samples.push(performance.now() - started);
    }
    for (const [i, engine] of engines.entries()) for (let k = 0; k < 5; k += 1) await add(engine, `written during the outage by replica ${i} (${k})`);
    await waitFor(() => new Set(engines.map((e) => e.replica.digest())).size === 1, 10_000, 'the room agreeing during the outage');

    server = await startServer(serviceDir, server.port);
    const back = performance.now();
    await waitFor(isConverged, 60_000, 'converging after the service returned', 5);
    const converged = performance.now() - back;

    // A burst of 2,000 entries on one replica, back to back; the first one reaching another.
    const burstBefore = count(cal);
    const burstStart = performance.now();
    let firstSeen: number | null = null;
    for (let i = 0; i < 2000; i += 1) {
      await add(ben, `burst entry ${i}`);
      if (firstSeen === null && count(cal) > burstBefore) firstSeen = performance.now() - burstStart;
      await new Promise((resolve) => setImmediate(resolve));
    }
    const burstWrites = performance.now() - burstStart;
    if (firstSeen === null) {
      await waitFor(() => count(cal) > burstBefore, 30_000, 'the burst reaching another replica', 1);
      firstSeen = performance.now() - burstStart;
    }
    return { samples, converged, firstSeen, burstWrites };
  } finally {
    for (const engine of engines) await engine.close();
    await killed(server.child);
  }
}

async function crossNodeFigures(workDir: string): Promise<number[] | string> {
  const postgres = await import('../tests/support/postgres');
  try {
    const databaseUrl = await postgres.postgresDatabase();
    const { openPostgresSyncStore } = await import('../server/storage/postgres-store');
    const { startService } = await import('../server/service');
    const { hashToken } = await import('../server/central-backend');
    const { createTrustIssuer } = await import('../server/trust/issue');
    const { openServiceKeys } = await import('../server/trust/org-key');
    const stores = [await openPostgresSyncStore(databaseUrl), await openPostgresSyncStore(databaseUrl)];
    const trust = createTrustIssuer(stores[0], await openServiceKeys(stores[0], join(workDir, 'pg-keys', 'org-key.pem')));
    const nodes = await Promise.all(stores.map((store) => startService({ store, port: 0, trust })));
    const sockets: WebSocket[] = [];
    const engine = openEngine({ dataDir: join(workDir, 'pg-laptop'), host: 'web', log: () => undefined, syncPollMs: 3_600_000 });
    try {
      const token = `hf_${randomBytes(16).toString('hex')}`;
      await stores[0].addUser({ name: 'dee', role: 'commander', tokenHash: hashToken(token), createdAt: Date.now() });
      await call(engine, 'sync.connect', { url: nodes[0].url, token });
      const incident = await call(engine, 'incidents.create', { title: 'Cross-node bench', severity: 'SEV2' });
      await call(engine, 'sync.now', {});
      // One listener on each node, as a laptop's live socket; the laptop pushes to node 0.
      const heard: [number[], number[]] = [[], []];
      for (const [i, node] of nodes.entries()) {
        const socket = new WebSocket(`${node.url.replace(/^http/, 'ws')}/v1/sync/live`, { headers: { authorization: `Bearer ${token}` } });
        socket.on('message', () => heard[i].push(performance.now()));
        await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
        sockets.push(socket);
      }
      const samples: number[] = [];
      for (let i = 0; i < 30; i += 1) {
        heard[0].length = 0;
        heard[1].length = 0;
        await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'note', text: `cross-node ${i}` });
        await call(engine, 'sync.now', {});
        await waitFor(() => heard[0].length > 0 && heard[1].length > 0, 10_000, 'a poke on both nodes', 1);
        samples.push(heard[1][0] - heard[0][0]);
      }
      return samples;
    } finally {
      for (const socket of sockets) socket.terminate();
      await engine.close();
      for (const node of nodes) await node.close();
      for (const store of stores) await store.close();
    }
  } catch (error) {
    return `not measured (${(error as Error).message.split('\n')[0]})`;
  } finally {
    // The throwaway PostgreSQL keeps the process alive until it is stopped.
    await postgres.cleanup();
  }
}

export async function run(): Promise<number> {
  const workDir = mkdtempSync(join(tmpdir(), 'holdfast-bench-outage-'));
  try {
    console.log(`outage bench: three replicas, holdfast server killed and restarted, a war-room hub; loopback, node ${process.version}`);
    const hub = await hubFigures(workDir);
    console.log(
      `  hub propagation (service down, ${hub.samples.length} writes): p50 ${ms(percentile(hub.samples, 50))}, p95 ${ms(percentile(hub.samples, 95))} (target p95 < 100 ms)`,
    );
    console.log(`  converged after the service returned: ${ms(hub.converged)} (target < 2000 ms)`);
    console.log(`  first entry of a 2,000-entry burst on another replica: ${ms(hub.firstSeen)} (target < 500 ms; the burst took ${ms(hub.burstWrites)} to write)`);
    const cross = await crossNodeFigures(workDir);
    if (typeof cross === 'string') console.log(`  cross-node poke latency: ${cross}`);
    else
      console.log(
        `  cross-node poke latency (two nodes, one PostgreSQL, ${cross.length} pushes): p50 ${ms(percentile(cross, 50))}, p95 ${ms(percentile(cross, 95))} (target < 200 ms)`,
      );
    return 0;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
