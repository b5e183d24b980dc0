// Real `holdfast` processes for end-to-end tests, driven as a user would: `holdfast server` (and its
// admin commands), `holdfast web` laptops reached through their HTTP bridge, and the replica
// commands (verify-chain) run against a laptop's data folder. Needs the build (`npx electron-vite build`).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { SyncStatus } from '@shared/domain/sync-status';
import type { Role } from '@shared/roles';
import { spawnServer } from './sync';
import { tempDir } from './temp';

export { spawnServer } from './sync';

export const holdfastBin = join(import.meta.dirname, '../../electron/cli/holdfast.mjs');

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `holdfast ARGS` to completion as its own process. */
export function runHoldfast(args: string[], env: Record<string, string> = {}): CliResult {
  const run = spawnSync(process.execPath, [holdfastBin, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 60_000 });
  return { code: run.status ?? -1, out: run.stdout, err: run.stderr };
}

/** Like runHoldfast, but a non-zero exit throws with what the command printed. */
export function holdfastOk(args: string[], env: Record<string, string> = {}): string {
  const result = runHoldfast(args, env);
  if (result.code !== 0) throw new Error(`holdfast ${args.join(' ')} exited with ${result.code}:\n${result.out}\n${result.err}`);
  return result.out;
}

/** A `holdfast server` process over a data folder, with the admin commands a test needs. */
export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  child: ChildProcess;
  /** `holdfast server user add NAME --role ROLE`: the token it prints. */
  addUser(name: string, role: Role): string;
  /** `holdfast server device revoke DEVICE_ID [--since ISO]`: what it prints. */
  revokeDevice(deviceId: string, since?: Date): string;
  /** `holdfast server org-key show`: what a laptop pins out of band. */
  orgKey(): { keyId: string; publicKey: string; fingerprint: string };
  stop(): Promise<void>;
}

/** `holdfast server --data DIR` on `port` (0: any free port; give the old one to restart it where laptops expect it). */
export async function startServerProcess(dataDir: string, port = 0): Promise<ServerProcess> {
  const started = await spawnServer(['--data', dataDir, '--port', String(port)], {});
  return {
    url: started.url,
    port: started.port,
    dataDir,
    child: started.child,
    addUser(name, role) {
      const out = holdfastOk(['server', 'user', 'add', name, '--role', role, '--data', dataDir]);
      const token = /store it now\): (\S+)/.exec(out)?.[1];
      if (!token) throw new Error(`holdfast server user add printed no token:\n${out}`);
      return token;
    },
    revokeDevice(deviceId, since) {
      return holdfastOk(['server', 'device', 'revoke', deviceId, '--data', dataDir, ...(since ? ['--since', since.toISOString()] : [])]);
    },
    orgKey() {
      const out = holdfastOk(['server', 'org-key', 'show', '--data', dataDir]);
      const field = (name: string) => {
        const value = new RegExp(`^${name}\\t(\\S+)$`, 'm').exec(out)?.[1];
        if (!value) throw new Error(`holdfast server org-key show printed no ${name}:\n${out}`);
        return value;
      };
      return { keyId: field('keyId'), publicKey: field('publicKey'), fingerprint: field('fingerprint') };
    },
    stop: () => stopChild(started.child),
  };
}

/** A `holdfast web` laptop: its bridge URL and token, and with --host its hub's URL and join code. */
export interface WebProcess {
  url: string;
  token: string;
  dataDir: string;
  child: ChildProcess;
  /** With `host`: where other laptops join (https://127.0.0.1:port), the code, and the join link. */
  hub: { url: string; joinCode: string; link: string } | null;
  /** Everything the process printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `holdfast web [--host] --data DIR --port 0` and waits for its URL (and join code). */
export async function spawnWeb(options: { dataDir: string; host?: boolean; env?: Record<string, string> }): Promise<WebProcess> {
  const args = ['web', '--data', options.dataDir, '--port', '0', ...(options.host ? ['--host', '--hub-port', '0'] : [])];
  const child = spawn(process.execPath, [holdfastBin, ...args], { env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const isReady = () => /#token=\S+/.test(output) && (!options.host || /War room hub: join code/.test(output));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`holdfast web did not start:\n${output}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (isReady()) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`holdfast web exited with ${code}:\n${output}`));
    });
  });
  const open = /Open (http:\/\/\S+?)#token=(\S+)/.exec(output)!;
  const link = options.host ? /(https:\/\/127\.0\.0\.1:\d+)\/join#\S+/.exec(output) : null;
  const hub = link ? { url: link[1], link: link[0], joinCode: /War room hub: join code (\S+),/.exec(output)![1] } : null;
  return {
    url: open[1].replace(/\/$/, ''),
    token: open[2],
    dataDir: options.dataDir,
    child,
    hub,
    output: () => output,
    stop: () => stopChild(child),
  };
}

/** A list for the processes and servers a test file starts: each is stopped, last first, after the file's tests. */
export function stoppedAfterAll(): { stop(): Promise<void> }[] {
  const running: { stop(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const proc of running.splice(0).reverse()) await proc.stop();
  });
  return running;
}

/** A `holdfast web` laptop as its user sets it up: pin the service's org key, start it (added to `running` for the test to stop), connect with `token`. */
export async function connectedLaptop(
  service: ServerProcess,
  name: string,
  token: string,
  running: { stop(): Promise<void> }[],
): Promise<{ web: WebProcess; dataDir: string; deviceId: string }> {
  const dataDir = tempDir(`holdfast-${name}-`);
  const key = service.orgKey();
  // The key goes after `--`: a base64url key may start with '-'.
  holdfastOk(['trust', 'pin', '--fingerprint', key.fingerprint, '--data', dataDir, '--', key.publicKey]);
  const web = await spawnWeb({ dataDir });
  running.push(web);
  await webCall(web, 'sync.connect', { url: service.url, token });
  const info = await webCall<{ deviceId: string }>(web, 'app.info');
  return { web, dataDir, deviceId: info.deviceId };
}

/** Syncs a laptop until its service peer is connected with nothing pending, two rounds in a row. */
export async function syncWithService(web: Pick<WebProcess, 'url' | 'token'>, rounds = 40): Promise<void> {
  let quiet = 0;
  for (let round = 0; round < rounds; round += 1) {
    await webCall(web, 'sync.now');
    const status = await webCall<SyncStatus>(web, 'sync.status');
    const central = status.peers.filter((p) => p.kind === 'central');
    quiet = central.length > 0 && central.every((p) => p.state === 'connected' && p.pending === 0) ? quiet + 1 : 0;
    if (quiet >= 2) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`laptop did not settle: ${JSON.stringify(await webCall(web, 'sync.status'))}`);
}

/** Starts an internal update on a laptop and fills it in for `channelIds`: the draft's id. */
export async function saveInternalDraft(web: Pick<WebProcess, 'url' | 'token'>, incidentId: string, channelIds: string[]): Promise<{ id: string }> {
  const draft = await webCall<{ id: string }>(web, 'comms.start', { incidentId, audience: 'internal' });
  await webCall(web, 'comms.save', {
    incidentId,
    updateId: draft.id,
    channelIds,
    values: { impact: 'Checkout errors', status: 'Rolling back', actions: 'Reverting the deploy' },
  });
  return draft;
}

/** An engine call refused by the laptop: its error code and message. */
export class WebCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** POSTs `request` to the laptop's /api/call/NAME as its browser UI does; the value, or a WebCallError. */
export async function webCall<T = unknown>(proc: Pick<WebProcess, 'url' | 'token'>, name: string, request: unknown = {}): Promise<T> {
  const response = await fetch(`${proc.url}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${proc.token}` },
    body: JSON.stringify(request),
  });
  const body = (await response.json()) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!body.ok) throw new WebCallError(body.error.code, `${name}: ${body.error.message}`, response.status);
  return body.value;
}

/** Ends a child process (SIGTERM, then SIGKILL after 5 s) and waits for it to exit. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
