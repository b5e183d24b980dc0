// The web bridge over real HTTP and WebSocket on loopback, backed by a real engine and SQLite file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { maxRequestBytes } from '@shared/contract';
import { createDispatch } from '@shared/rpc';
import { openEngine, type Engine } from '../../electron/engine/engine';
import { startWebBridge, type WebBridge } from '../../electron/engine/hosts/web-bridge';
import { networkInterfaces } from 'node:os';
import { isLoopbackAddress } from '../../electron/engine/hosts/web-bridge';
import { tempDir } from '../support/temp';

interface Running {
  engine: Engine;
  bridge: WebBridge;
  // The parsed JSON body, read field by field by each test.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  call: (name: string, body: unknown, init?: { token?: string | null; contentType?: string; raw?: string }) => Promise<{ status: number; body: any }>;
  count: () => number;
}

const running: Running[] = [];
afterEach(async () => {
  for (const r of running.splice(0)) {
    await r.bridge.close();
    await r.engine.close();
  }
});

async function start(host?: string): Promise<Running> {
  const dir = tempDir();
  const rendererDir = join(dir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Holdfast</title>');
  const engine = openEngine({ dataDir: join(dir, 'data'), host: 'web' });
  const bridge = await startWebBridge({
    dispatch: createDispatch(engine.handlers),
    subscribe: (listener) => engine.onEvent(listener),
    rendererDir,
    port: 0,
    ...(host ? { host } : {}),
  });
  const call: Running['call'] = async (name, body, init = {}) => {
    const headers: Record<string, string> = { 'content-type': init.contentType ?? 'application/json' };
    const token = init.token === undefined ? bridge.token : init.token;
    if (token !== null) headers.authorization = `Bearer ${token}`;
    const response = await fetch(`${bridge.url}api/call/${name}`, {
      method: 'POST',
      headers,
      body: init.raw ?? JSON.stringify(body),
    });
    return { status: response.status, body: await response.json() };
  };
  const count = () => (engine.db.prepare('SELECT count(*) AS n FROM incidents').get() as { n: number }).n;
  const r = { engine, bridge, call, count };
  running.push(r);
  return r;
}

describe('web bridge', () => {
  it('binds to loopback and prints a URL carrying the token in its fragment', async () => {
    const { bridge } = await start();
    expect(bridge.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(bridge.openUrl).toBe(`${bridge.url}#token=${bridge.token}`);
    expect(bridge.token.length).toBeGreaterThanOrEqual(32);
  });

  it('serves the contract: create then list', async () => {
    const { call } = await start();
    const created = await call('incidents.create', { title: 'Checkout down', severity: 'SEV1' });
    expect(created.status).toBe(200);
    expect(created.body.value).toMatchObject({ title: 'Checkout down', severity: 'SEV1', status: 'investigating' });
    const listed = await call('incidents.list', {});
    expect(listed.body).toEqual({ ok: true, value: [created.body.value] });
  });

  it.each([
    ['no token', { token: null }, 401, 'unauthorized'],
    ['a wrong token', { token: 'x'.repeat(32) }, 401, 'unauthorized'],
    ['a non-JSON body type', { contentType: 'text/plain', raw: 'title=x' }, 400, 'bad_request'],
    ['broken JSON', { raw: '{"title": "Checkout' }, 400, 'bad_request'],
    ['an oversized body', { raw: JSON.stringify({ title: 'x', severity: 'SEV1', summary: 'y'.repeat(maxRequestBytes + 1000) }) }, 413, 'too_large'],
  ])('refuses %s with a clear error and changes nothing', async (_label, init, status, code) => {
    const r = await start();
    const response = await r.call('incidents.create', { title: 'Checkout down', severity: 'SEV1' }, init);
    expect(response.status).toBe(status);
    expect(response.body).toEqual({ ok: false, error: { code, message: expect.any(String) } });
    expect(response.body.error.message.length).toBeGreaterThan(20);
    expect(r.count()).toBe(0);
  });

  it('marks its own token refusal, unlike a call that fails for lack of credentials elsewhere', async () => {
    const { bridge } = await start();
    const refused = await fetch(`${bridge.url}api/call/sync.status`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toBe('Bearer realm="holdfast-web"');
    const connect = await fetch(`${bridge.url}api/call/sync.connect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bridge.token}` },
      body: JSON.stringify({ url: 'http://127.0.0.1:9', token: 'hf_nothing-here' }),
    });
    expect(connect.status).toBe(503);
    expect(connect.headers.get('www-authenticate')).toBeNull();
  });

  it('refuses wrong types and unknown calls and changes nothing', async () => {
    const r = await start();
    const wrongTypes = await r.call('incidents.create', { title: ['a'], severity: 1, summary: false });
    expect(wrongTypes.status).toBe(400);
    expect(wrongTypes.body.error.message).toMatch(/title: .*severity: .*summary: /);
    const unknown = await r.call('incidents.delete', {});
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unknown_call');
    expect(r.count()).toBe(0);
  });

  it('answers only to loopback host names (DNS rebinding guard)', async () => {
    const { bridge } = await start();
    const { request } = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(`${bridge.url}healthz`, { headers: { host: 'attacker.example' } }, (res) => resolve(res.statusCode ?? 0));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('serves the UI with the content security policy', async () => {
    const { bridge } = await start();
    const response = await fetch(`${bridge.url}incidents`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await response.text()).toContain('<title>Holdfast</title>');
  });

  it('pushes engine events over the WebSocket to token holders only', async () => {
    const r = await start();
    const wsUrl = r.bridge.url.replace('http', 'ws');

    const refused = new WebSocket(`${wsUrl}api/events?token=wrong`);
    const closeCode = await new Promise<number>((resolve) => refused.on('close', (code) => resolve(code)));
    expect(closeCode).toBe(4401);

    const socket = new WebSocket(`${wsUrl}api/events?token=${r.bridge.token}`);
    await new Promise((resolve) => socket.on('open', resolve));
    const message = new Promise<unknown>((resolve) => socket.on('message', (data: Buffer) => resolve(JSON.parse(data.toString()))));
    const created = await r.call('incidents.create', { title: 'Pager storm', severity: 'SEV3' });
    expect(await message).toEqual({ event: 'incidents.changed', payload: { incidentId: created.body.value.id } });
    socket.close();
  });

  it('lets only a browser on the same machine make the engine read a file (hashing evidence)', async () => {
    expect(['127.0.0.1', '::1', '::ffff:127.0.0.1'].every(isLoopbackAddress)).toBe(true);
    expect(['192.0.2.2', 'fd00::2', undefined].some(isLoopbackAddress)).toBe(false);
    // A LAN address of this machine: the request comes from it, not from loopback.
    const lan = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && !a.internal && a.family === 'IPv4')?.address;
    expect(lan, 'this test needs a non-loopback IPv4 address on the machine').toBeDefined();
    const { bridge, call } = await start('0.0.0.0');
    const port = new URL(bridge.url).port;
    const fromLan = await fetch(`http://${lan}:${port}/api/call/evidence.hashFile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bridge.token}` },
      body: JSON.stringify({ artifactId: 'x/y', path: '/etc/hostname' }),
    });
    expect(fromLan.status).toBe(403);
    expect((await fromLan.json()).error.message).toBe('evidence.hashFile reads a file on the machine running holdfast web; do it from a browser on that machine.');
    // From the machine itself the call reaches the engine (which has no such artifact).
    expect((await call('evidence.hashFile', { artifactId: 'x/y', path: '/etc/hostname' })).status).toBe(404);
  });
});
