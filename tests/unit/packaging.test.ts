import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';

type TargetEntry = string | { target: string; arch?: string | string[] };
interface PlatformConfig {
  target?: TargetEntry | TargetEntry[];
  icon?: string;
  [key: string]: unknown;
}
interface BuilderConfig {
  appId?: string;
  productName?: string;
  directories?: { buildResources?: string; output?: string };
  files?: string | string[];
  asar?: boolean | object;
  asarUnpack?: string | string[];
  npmRebuild?: boolean;
  publish?: unknown;
  extraMetadata?: { homepage?: string };
  linux?: PlatformConfig & { maintainer?: string; category?: string };
  mac?: PlatformConfig & { hardenedRuntime?: boolean; entitlements?: string; entitlementsInherit?: string; category?: string };
  win?: PlatformConfig;
  nsis?: { oneClick?: boolean; allowToChangeInstallationDirectory?: boolean };
  deb?: { depends?: string[] };
}

const root = fileURLToPath(new URL('../..', import.meta.url));
const config = load(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string; homepage?: string };
const buildResources = join(root, config.directories?.buildResources ?? 'build');

const list = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const targetsOf = (platform: PlatformConfig | undefined): string[] => list(platform?.target).map((entry) => (typeof entry === 'string' ? entry : entry.target));

/** Width and height from a PNG's IHDR chunk, or null when the file is not a PNG. */
function pngSize(file: string): { width: number; height: number } | null {
  const bytes = readFileSync(file);
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (bytes.length < 24 || !bytes.subarray(0, 8).equals(signature) || bytes.toString('ascii', 12, 16) !== 'IHDR') return null;
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('electron-builder.yml', () => {
  it('identifies the app', () => {
    expect(config.appId).toBe('dev.holdfast.app');
    expect(config.productName).toBe('Holdfast');
    expect(config.directories).toEqual({ buildResources: 'build', output: 'dist' });
  });

  it('builds AppImage and deb, dmg and nsis', () => {
    expect(targetsOf(config.linux)).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(targetsOf(config.mac)).toContain('dmg');
    expect(targetsOf(config.win)).toContain('nsis');
  });

  it('packs the electron-vite output, which holds the main entry, and package.json', () => {
    const files = list(config.files);
    expect(files).toEqual(expect.arrayContaining(['out/**', 'package.json']));
    expect(pkg.main.startsWith('out/')).toBe(true);
    const dropsAppCode = /^!(node_modules|out)(\/\*\*|\/(main|preload|renderer)(\/\*\*)?)?\/?$/;
    expect(files.filter((pattern) => dropsAppCode.test(pattern))).toEqual([]);
  });

  it('rebuilds better-sqlite3 for Electron and keeps it out of the asar', () => {
    expect(config.npmRebuild).not.toBe(false);
    expect(config.asar).not.toBe(false);
    const unpack = list(config.asarUnpack);
    expect(unpack).toContain('node_modules/better-sqlite3/**');
    expect(unpack).toContain('**/*.node');
  });

  it('never publishes', () => {
    expect(config).toHaveProperty('publish', null);
  });

  it('has what the deb target insists on: a maintainer and a project URL', () => {
    expect(config.linux?.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
    expect(config.extraMetadata?.homepage ?? pkg.homepage).toMatch(/^https:\/\//);
    expect(config.deb?.depends).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3']));
  });

  it('signs macOS builds with the hardened runtime and the JIT entitlement', () => {
    expect(config.mac?.category).toBe('public.app-category.developer-tools');
    expect(config.mac?.hardenedRuntime).toBe(true);
    for (const entitlements of [config.mac?.entitlements, config.mac?.entitlementsInherit]) {
      expect(entitlements).toBe('build/entitlements.mac.plist');
      const plist = readFileSync(join(root, entitlements as string), 'utf8');
      expect(plist).toMatch(/<key>com\.apple\.security\.cs\.allow-jit<\/key>\s*<true\/>/);
    }
  });

  it('lets Windows users choose where to install', () => {
    expect(config.nsis?.oneClick).toBe(false);
    expect(config.nsis?.allowToChangeInstallationDirectory).toBe(true);
  });
});

describe('app icons', () => {
  it('has a 1024x1024 PNG that macOS and Windows icons are made from', () => {
    expect(pngSize(join(buildResources, 'icon.png'))).toEqual({ width: 1024, height: 1024 });
    expect(config.mac?.icon).toBe('icon.png');
    expect(config.win?.icon).toBe('icon.png');
  });

  it('has a Linux icon set whose file names match their sizes', () => {
    expect(config.linux?.icon).toBe('icons');
    const dir = join(buildResources, 'icons');
    const names = readdirSync(dir).filter((name) => name.endsWith('.png'));
    for (const size of [16, 32, 48, 64, 128, 256, 512]) expect(names).toContain(`${size}x${size}.png`);
    for (const name of names) {
      const [, width, height] = /^(\d+)x(\d+)\.png$/.exec(name) ?? [];
      expect(pngSize(join(dir, name)), name).toEqual({ width: Number(width), height: Number(height) });
    }
  });

  it('keeps the build resources the config points at', () => {
    expect(existsSync(join(buildResources, 'entitlements.mac.plist'))).toBe(true);
  });
});
