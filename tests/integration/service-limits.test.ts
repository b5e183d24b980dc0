// The running `holdfast server` process as an attacker meets it: its rate limit is per token (and per
// address only for requests without a valid token), a revoked token's live socket is closed within a
// second (also when the socket is on another service node sharing the PostgreSQL database), and over
// TLS every answer carries Strict-Transport-Security. Needs the build (`npx electron-vite build`).
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { holdfastOk, spawnServer, startServerProcess, stopChild, type ServerProcess } from '../support/processes';
import { postgresDatabase } from '../support/postgres';
import { tempDir } from '../support/temp';
import { selfSignedCert } from '../support/tls';

// Each test starts real processes (and the CLI a few times); on a busy machine that takes a while.
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

async function server(): Promise<ServerProcess> {
  const started = await startServerProcess(tempDir('holdfast-limits-'));
  stops.push(() => started.stop());
  return started;
}

/** The service's default allowance a minute (docs/operations.md). */
const perMinute = 1200;

const streams = async (url: string, token?: string): Promise<number> =>
  (await fetch(`${url}/v1/sync/streams`, token ? { headers: { authorization: `Bearer ${token}` } } : {})).status;

/** `count` requests, `parallel` at a time; their statuses. */
async function flood(count: number, send: (i: number) => Promise<number>, parallel = 25): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += parallel) {
    statuses.push(...(await Promise.all(Array.from({ length: Math.min(parallel, count - i) }, (_, j) => send(i + j)))));
  }
  return statuses;
}

describe('the service rate limit', { timeout: 90_000 }, () => {
  it('is per token: a flooding viewer does not get a commander on the same address refused', async () => {
    const service = await server();
    const viewer = service.addUser('vera', 'viewer');
    const commander = service.addUser('cole', 'commander');
    const statuses = await flood(perMinute + 20, () => streams(service.url, viewer));
    expect(statuses.filter((s) => s === 200)).toHaveLength(perMinute);
    expect(statuses.slice(-20)).toEqual(Array(20).fill(429));
    const refused = await fetch(`${service.url}/v1/sync/streams`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(refused.status).toBe(429);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('rate_limited');
    // Same address (loopback), another token: its own allowance.
    expect(await streams(service.url, commander)).toBe(200);
    // The pipeline routes count per token too.
    expect((await fetch(`${service.url}/v1/freeze`, { headers: { authorization: `Bearer ${commander}` } })).status).toBe(200);
  });

  it('is per address for requests without a valid token, and made-up tokens get no allowance of their own', async () => {
    const service = await server();
    const commander = service.addUser('cole', 'commander');
    const statuses = await flood(perMinute + 20, () => streams(service.url, `hf_${randomBytes(16).toString('hex')}`));
    expect(statuses.filter((s) => s === 401)).toHaveLength(perMinute);
    expect(statuses.slice(-20)).toEqual(Array(20).fill(429));
    // The address's allowance is spent for anything without a valid token, also without one.
    expect(await streams(service.url)).toBe(429);
    expect((await fetch(`${service.url}/v1/trust/root`)).status).toBe(429);
    // A valid token from the same address is still served.
    expect(await streams(service.url, commander)).toBe(200);
  });
});

/** A /v1/sync/live socket, open; `closed` resolves with its close code and when it came. */
async function liveSocket(url: string, token: string) {
  const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/sync/live`, { headers: { authorization: `Bearer ${token}` } });
  const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
    socket.once('close', (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
  );
  await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  stops.push(async () => socket.close());
  return { socket, closed };
}

const settleMs = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `holdfast server user revoke NAME`, as an administrator runs it; when it returned. */
function revoke(name: string, args: string[], env: Record<string, string> = {}): number {
  holdfastOk(['server', 'user', 'revoke', name, ...args], env);
  return Date.now();
}

describe('revoking a token', { timeout: 90_000 }, () => {
  it('closes its open live socket within a second, and no other', async () => {
    const service = await server();
    const vera = service.addUser('vera', 'viewer');
    const cole = service.addUser('cole', 'commander');
    const revoked = await liveSocket(service.url, vera);
    const kept = await liveSocket(service.url, cole);
    await settleMs(600);
    expect(revoked.socket.readyState).toBe(WebSocket.OPEN);
    const at = revoke('vera', ['--data', service.dataDir]);
    const closed = await Promise.race([revoked.closed, settleMs(3000).then(() => null)]);
    expect(closed).toMatchObject({ code: 4401, reason: 'token revoked' });
    expect((closed?.at ?? Infinity) - at).toBeLessThan(1000);
    await settleMs(500);
    expect(kept.socket.readyState).toBe(WebSocket.OPEN);
    // And the revoked token cannot open a new one.
    const again = new WebSocket(`${service.url.replace(/^http/, 'ws')}/v1/sync/live`, { headers: { authorization: `Bearer ${vera}` } });
    expect(await new Promise((resolve) => again.once('close', (code) => resolve(code)))).toBe(4401);
  });

  it('closes the socket on another service node sharing the PostgreSQL database', async () => {
    const env = { DATABASE_URL: await postgresDatabase() };
    const dataDir = tempDir('holdfast-limits-pg-');
    const nodes = [];
    // One after the other: the first start makes the org key both nodes then read from --data.
    for (let i = 0; i < 2; i += 1) {
      const node = await spawnServer(['--data', dataDir, '--port', '0'], env);
      stops.push(() => stopChild(node.child));
      nodes.push(node);
    }
    const added = holdfastOk(['server', 'user', 'add', 'vera', '--role', 'viewer', '--data', dataDir], env);
    const vera = /store it now\): (\S+)/.exec(added)?.[1] ?? '';
    const onSecond = await liveSocket(nodes[1].url, vera);
    await settleMs(600);
    expect(onSecond.socket.readyState).toBe(WebSocket.OPEN);
    const at = revoke('vera', ['--data', dataDir], env);
    const closed = await Promise.race([onSecond.closed, settleMs(3000).then(() => null)]);
    expect(closed).toMatchObject({ code: 4401 });
    expect((closed?.at ?? Infinity) - at).toBeLessThan(1000);
  });
});

describe('over TLS', { timeout: 90_000 }, () => {
  const headersOf = (url: string, ca: Buffer) =>
    new Promise<{ status: number; hsts: string | undefined }>((resolve, reject) => {
      const req = request(url, { ca }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, hsts: res.headers['strict-transport-security'] }));
      });
      req.on('error', reject);
      req.end();
    });

  it('sends Strict-Transport-Security on every answer, and not over plain HTTP', async () => {
    const dir = tempDir('holdfast-limits-tls-');
    selfSignedCert(dir);
    const tls = await spawnServer(['--data', join(dir, 'data'), '--port', '0', '--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')], {});
    stops.push(() => stopChild(tls.child));
    const ca = readFileSync(join(dir, 'cert.pem'));
    for (const path of ['/healthz', '/v1/sync/streams', '/v1/trust/root', '/v1/no-such-route', '/v1/freeze']) {
      const answer = await headersOf(`${tls.url}${path}`, ca);
      expect({ path, hsts: answer.hsts }).toEqual({ path, hsts: 'max-age=31536000' });
    }
    const plain = await server();
    expect((await fetch(`${plain.url}/healthz`)).headers.get('strict-transport-security')).toBeNull();
  });
});
