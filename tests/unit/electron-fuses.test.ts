// The Electron fuses of the packaged app, read from the build configuration (electron-builder.yml)
// and run through electron-builder's own fuse step on a stand-in binary: RunAsNode, NODE_OPTIONS and
// the inspector off, ASAR integrity on, the app loaded only from app.asar (docs/packaging.md).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { afterEach, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const require = createRequire(import.meta.url);
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as Record<string, unknown> & { electronFuses?: Record<string, unknown> };

/** What every packaged Holdfast must have, by electron-builder's `electronFuses` names. */
const required = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
};

/** Every option electron-builder 26 passes on to @electron/fuses (FuseOptionsV1). */
const known = [
  ...Object.keys(required),
  'enableCookieEncryption',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
  'resetAdHocDarwinSignature',
];

interface Fuses {
  FuseV1Options: Record<string, number>;
  getCurrentFuseWire(path: string): Promise<Record<string, unknown>>;
}
const fuses = require('@electron/fuses') as Fuses;
const { PlatformPackager } = require('app-builder-lib') as {
  PlatformPackager: {
    prototype: {
      doAddElectronFuses(context: unknown): Promise<void>;
      generateFuseConfig(f: unknown): Promise<unknown>;
      addElectronFuses(c: unknown, f: unknown): Promise<number>;
    };
  };
};

const sentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const [enabled, disabled] = ['1'.charCodeAt(0), '0'.charCodeAt(0)];
/** Electron's defaults, fuse by fuse (FuseV1Options order): RunAsNode, cookies, NODE_OPTIONS, inspect, ASAR integrity, only ASAR, V8 snapshot, file://. */
const electronDefaults = '10110001';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A stand-in for the packaged executable: filler around Electron's fuse wire (version 1, 8 fuses). */
function standInBinary(dir: string, file: string): string {
  const path = join(dir, file);
  const filler = Buffer.alloc(4096, 0x90);
  writeFileSync(path, Buffer.concat([filler, Buffer.from(sentinel), Buffer.from([1, electronDefaults.length]), Buffer.from(electronDefaults), filler]));
  return path;
}

describe('electron-builder.yml electronFuses', () => {
  it('sets each required fuse, and only fuses electron-builder knows', () => {
    expect(config.electronFuses, 'electron-builder.yml has no electronFuses').toBeTypeOf('object');
    for (const [name, value] of Object.entries(required)) expect({ name, value: config.electronFuses?.[name] }).toEqual({ name, value });
    expect(Object.keys(config.electronFuses ?? {}).filter((name) => !known.includes(name))).toEqual([]);
  });

  it('passes electron-builder’s own validation of the configuration', { timeout: 30_000 }, async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(): void }): Promise<void>;
    };
    await expect(validateConfiguration(config, { isEnabled: false, add: () => undefined })).resolves.toBeUndefined();
    const misspelt = { ...config, electronFuses: { ...config.electronFuses, runAsnode: false } };
    await expect(validateConfiguration(misspelt, { isEnabled: false, add: () => undefined })).rejects.toThrow(/configuration\.electronFuses/);
  });

  it('is what electron-builder flips in the packaged binary before signing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'holdfast-fuses-'));
    dirs.push(dir);
    const binary = standInBinary(dir, 'Holdfast.exe');
    // electron-builder's fuse step, as it runs for a Windows pack (the executable is `${productName}.exe`).
    const packager = {
      config,
      appInfo: { productFilename: 'Holdfast' },
      generateFuseConfig: PlatformPackager.prototype.generateFuseConfig,
      addElectronFuses: PlatformPackager.prototype.addElectronFuses,
    };
    await PlatformPackager.prototype.doAddElectronFuses.call(packager, { appOutDir: dir, electronPlatformName: 'win32' });
    const wire = await fuses.getCurrentFuseWire(binary);
    const state = (name: string) => wire[fuses.FuseV1Options[name]];
    expect(state('RunAsNode')).toBe(disabled);
    expect(state('EnableNodeOptionsEnvironmentVariable')).toBe(disabled);
    expect(state('EnableNodeCliInspectArguments')).toBe(disabled);
    expect(state('EnableEmbeddedAsarIntegrityValidation')).toBe(enabled);
    expect(state('OnlyLoadAppFromAsar')).toBe(enabled);
    // The fuses Holdfast leaves alone keep Electron's defaults.
    expect(state('EnableCookieEncryption')).toBe(disabled);
    expect(state('GrantFileProtocolExtraPrivileges')).toBe(enabled);
  });
});
