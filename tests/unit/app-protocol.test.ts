import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { registerAppProtocol, resolveAppAsset, type ProtocolLike } from '../../electron/main/app-protocol';

const root = '/opt/holdfast/out/renderer';

describe('resolveAppAsset', () => {
  it('maps app URLs to files of the renderer build', () => {
    expect(resolveAppAsset(root, 'app://holdfast/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://holdfast/assets/index-abc.js')).toBe(join(root, 'assets/index-abc.js'));
  });

  it('answers client-side routes with the app', () => {
    expect(resolveAppAsset(root, 'app://holdfast/')).toBe(join(root, 'index.html'));
    expect(resolveAppAsset(root, 'app://holdfast/incidents/0190')).toBe(join(root, 'index.html'));
  });

  it.each([
    'app://holdfast/../../etc/passwd.txt',
    'app://holdfast/%2e%2e/%2e%2e/etc/passwd.txt',
    'app://holdfast/assets/..%2f..%2f..%2fetc/passwd.txt',
    'app://holdfast/assets/%5c..%5c..%5cetc/passwd.txt',
  ])('never resolves %s outside the renderer build', (url) => {
    const file = resolveAppAsset(root, url);
    if (file !== null) expect(file.startsWith(`${root}/`)).toBe(true);
  });

  it.each([
    'app://holdfast/assets/..%2f..%2f..%2fetc/passwd.txt',
    'app://holdfast/%00.js',
    'app://holdfast/%E0%A4%A.js',
    'app://other/index.html',
    'file:///opt/holdfast/out/renderer/index.html',
    'not a url',
  ])('refuses %s', (url) => {
    expect(resolveAppAsset(root, url)).toBeNull();
  });
});

describe('registerAppProtocol', () => {
  it('serves files with the security headers and 404s the rest', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'holdfast-protocol-'));
    const dir = join(parent, 'renderer');
    mkdirSync(dir);
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Holdfast</title>');
    let handler: ((request: Request) => Promise<Response>) | undefined;
    const protocol: ProtocolLike = {
      handle: (scheme, h) => {
        expect(scheme).toBe('app');
        handler = h;
      },
    };
    registerAppProtocol(protocol, dir, async (file) => new Response(await readFile(file)), "default-src 'self'");

    const ok = await handler!(new Request('app://holdfast/index.html'));
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toBe("default-src 'self'");
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await ok.text()).toContain('<title>Holdfast</title>');

    writeFileSync(join(parent, 'secret.txt'), 'not for the renderer');
    const outside = await handler!(new Request('app://holdfast/assets/..%2f..%2fsecret.txt'));
    expect(outside.status).toBe(404);
    const missing = await handler!(new Request('app://holdfast/assets/missing.js'));
    expect(missing.status).toBe(404);
  });
});
