// `holdfast web` serves the renderer's files compressed: the build writes .br and .gz beside each
// one, and the bridge picks what the browser accepts, with the headers a cache needs.
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebBridge, type WebBridge } from '../../electron/engine/hosts/web-bridge';
import { tempDir } from '../support/temp';

const script = `export const greeting = ${JSON.stringify('hello '.repeat(500))};\n`;
const bridges: WebBridge[] = [];
afterEach(async () => {
  for (const b of bridges.splice(0)) await b.close();
});

async function start(): Promise<WebBridge> {
  const rendererDir = join(tempDir(), 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Holdfast</title>');
  const file = join(rendererDir, 'assets', 'index-abc123.js');
  writeFileSync(file, script);
  writeFileSync(`${file}.br`, brotliCompressSync(script));
  writeFileSync(`${file}.gz`, gzipSync(script));
  const bridge = await startWebBridge({
    dispatch: () => Promise.resolve({ ok: true as const, value: null }),
    subscribe: () => () => undefined,
    rendererDir,
    port: 0,
  });
  bridges.push(bridge);
  return bridge;
}

/** A raw GET (fetch would decode the body and hide what was sent). */
function get(url: string, acceptEncoding?: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web bridge static files', () => {
  it('sends brotli to a browser that accepts it, as JavaScript, cached for good', async () => {
    const bridge = await start();
    const res = await get(`${bridge.url}assets/index-abc123.js`, 'gzip, deflate, br, zstd');
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(?:application|text)\/javascript/);
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.body.length).toBeLessThan(script.length / 10);
    expect(brotliDecompressSync(res.body).toString()).toBe(script);
  });

  it('sends gzip when brotli is not accepted, and the plain file when nothing is', async () => {
    const bridge = await start();
    const gz = await get(`${bridge.url}assets/index-abc123.js`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(script);
    const plain = await get(`${bridge.url}assets/index-abc123.js`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(script);
  });

  it('does not cache index.html for good (it names the current build)', async () => {
    const bridge = await start();
    const res = await get(bridge.url, 'br');
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.body.toString()).toContain('<title>Holdfast</title>');
  });
});
