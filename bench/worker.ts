// Engine-thread benchmark (`npm run bench -- worker`): a fresh `holdfast web` catches up 100k ops
// from the central service (`holdfast server`, its own process) while a browser-like client adds a
// timeline entry every 20 ms over the web bridge. It prints the latency of those adds (p50, p99,
// max) against the 50 ms limit, with the engine in its worker thread and on the HTTP thread
// (HOLDFAST_ENGINE_THREAD=main) for comparison. Needs the build (`npm run build`).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEngine } from '../electron/engine/engine';
import { spawnService, syncUntil, writeIncident } from './sync';

const limitMs = 50;
const addEveryMs = 20;

interface Latencies {
  p50: number;
  p99: number;
  max: number;
  adds: number;
  failed: number;
  catchUpSeconds: number;
}

/** Writes `records` ops on a source replica and pushes them all to the service. */
async function seed(service: { url: string; token: string }, records: number, dataDir: string): Promise<string> {
  const source = openEngine({ dataDir, host: 'web', log: () => undefined, syncPollMs: 3_600_000 });
  try {
    const incidentId = writeIncident(source, records);
    await source.handlers['sync.connect']({ url: service.url, token: service.token });
    await syncUntil(source, async () => (await source.handlers['sync.status']({})).peers[0]?.pending === 0);
    return incidentId;
  } finally {
    await source.close();
  }
}

/** The built `holdfast web` on a free port; resolves with its URL and access token. */
function startWeb(dataDir: string, env: Record<string, string>): Promise<{ url: string; token: string; child: ChildProcess }> {
  const bin = join(import.meta.dirname, '../electron/cli/holdfast.mjs');
  const child = spawn(process.execPath, [bin, 'web', '--data', dataDir, '--port', '0'], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /Open (http:\/\/\S+)#token=(\S+)/.exec(out);
      if (match) resolve({ url: match[1], token: match[2], child });
    });
    child.once('exit', (code) => reject(new Error(`holdfast web exited with ${code}:\n${out}`)));
  });
}

async function measure(
  label: string,
  env: Record<string, string>,
  service: { url: string; token: string },
  seededIncident: string,
  records: number,
  dataDir: string,
): Promise<Latencies> {
  const web = await startWeb(dataDir, env);
  const call = async (name: string, body: unknown) => {
    const response = await fetch(`${web.url}api/call/${name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${web.token}` },
      body: JSON.stringify(body),
    });
    return { ok: response.ok, body: (await response.json()) as { value: unknown } };
  };
  try {
    const own = (await call('incidents.create', { title: 'Checkout errors', severity: 'SEV2' })).body.value as { id: string };
    let latencies: number[] = [];
    let failed = 0;
    const inFlight: Promise<void>[] = [];
    let isCaughtUp = false;
    // Adds arrive every 20 ms whether or not the previous one was answered, as a person's would:
    // a stalled engine then shows in the latency instead of slowing the arrivals down.
    const adder = setInterval(() => {
      const sent = performance.now();
      inFlight.push(
        call('timeline.add', { incidentId: own.id, kind: 'action', text: 'Rolled back the checkout deploy' }).then((r) => {
          latencies.push(performance.now() - sent);
          if (!r.ok) failed += 1;
        }),
      );
    }, addEveryMs);
    // The same adds with nothing else going on first: what the machine itself allows.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await Promise.all(inFlight.splice(0));
    const idle = summary(latencies);
    console.log(`  engine ${label}, idle: ${idle.count} adds, p50 ${idle.p50.toFixed(1)} ms, p99 ${idle.p99.toFixed(1)} ms`);
    latencies = [];
    const start = process.hrtime.bigint();
    await call('sync.connect', { url: service.url, token: service.token });
    while (!isCaughtUp) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const page = await call('timeline.window', { incidentId: seededIncident, offset: 0, limit: 1 });
      isCaughtUp = page.ok && (page.body.value as { total: number }).total >= records - 1;
    }
    const catchUpSeconds = Number(process.hrtime.bigint() - start) / 1e9;
    clearInterval(adder);
    await Promise.all(inFlight);
    const busy = summary(latencies);
    const result = { p50: busy.p50, p99: busy.p99, max: busy.max, adds: busy.count, failed, catchUpSeconds };
    console.log(
      `  engine ${label}: ${result.adds} adds during a ${result.catchUpSeconds.toFixed(1)} s catch-up (${failed} failed): ` +
        `p50 ${result.p50.toFixed(1)} ms, p99 ${result.p99.toFixed(1)} ms (${(result.p99 / limitMs).toFixed(2)}x the ${limitMs} ms limit), max ${result.max.toFixed(1)} ms`,
    );
    return result;
  } finally {
    web.child.kill('SIGTERM');
    await new Promise((resolve) => web.child.once('exit', resolve));
  }
}

function summary(latencies: number[]): { count: number; p50: number; p99: number; max: number } {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? Number.NaN };
}

export async function run(args: string[]): Promise<number> {
  const records = Number(args.find((a) => a.startsWith('--records='))?.slice(10) ?? 100_000);
  const workDir = mkdtempSync(join(tmpdir(), 'holdfast-bench-worker-'));
  const service = await spawnService(join(workDir, 'central'), {});
  try {
    console.log(`worker bench: ${records} ops caught up from the central service, a timeline entry added every ${addEveryMs} ms over HTTP, node ${process.version}`);
    const seededIncident = await seed(service, records, join(workDir, 'source'));
    const worker = await measure('in a worker thread', {}, service, seededIncident, records, join(workDir, 'web-worker'));
    const inline = await measure('on the HTTP thread', { HOLDFAST_ENGINE_THREAD: 'main' }, service, seededIncident, records, join(workDir, 'web-main'));
    console.log(`  p99 on the HTTP thread / in the worker: ${(inline.p99 / worker.p99).toFixed(2)}x (above 1x: the worker answers sooner)`);
    console.log(
      `  catch-up time on the HTTP thread / in the worker: ${(inline.catchUpSeconds / worker.catchUpSeconds).toFixed(2)}x (above 1x: the worker catches up sooner)`,
    );
    // An add waits for the task in progress on the engine's thread: one slice of a pulled page (about 5 ms of
    // work), decoding a page, or a chunk of search indexing. The load of the machine shows in the idle figures.
    console.log('  (an add waits for the engine task in progress: a slice of a pulled page, a page to decode, or an indexing chunk)');
    return 0;
  } finally {
    service.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}
