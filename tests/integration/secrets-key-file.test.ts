// The SecretStore of plain-Node hosts (`holdfast web`, the command line): every value encrypted under
// a key file outside the data folder, old plaintext files migrated, one key however many processes
// start at once, and a lost key reported clearly without stopping the engine from opening.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { channelSecrets } from '../../electron/engine/comms/channel-secrets';
import { fileSecretStore } from '../../electron/engine/core/secrets';
import { call, openTestEngine } from '../support/engines';
import { holdfastOk, spawnWeb, startServerProcess, webCall } from '../support/processes';
import { startCentral } from '../support/sync';
import { tempDir } from '../support/temp';

const headerSecret = 'hdr-k3yfile-5ecret-91c2';
const pathToken = 'PATHTOKEN-4be1d07a';
const hookConfig = () => ({ kind: 'webhook' as const, url: `http://127.0.0.1:9/hooks/${pathToken}`, secretHeader: { name: 'X-Holdfast-Secret', value: headerSecret } });
const secretsModule = join(import.meta.dirname, '../../electron/engine/core/secrets.ts');

let keyFile: string;
const previousKeyEnv = process.env.HOLDFAST_SECRETS_KEY;
const open: Engine[] = [];

beforeEach(() => {
  keyFile = join(tempDir('holdfast-key-'), 'holdfast', 'secrets.key');
  process.env.HOLDFAST_SECRETS_KEY = keyFile;
});

afterEach(async () => {
  for (const engine of open.splice(0)) await engine.close();
  if (previousKeyEnv === undefined) delete process.env.HOLDFAST_SECRETS_KEY;
  else process.env.HOLDFAST_SECRETS_KEY = previousKeyEnv;
});

function engineAs(name: string, options: Parameters<typeof openTestEngine>[0] = {}): Engine {
  const engine = openTestEngine(options);
  engine.replica.setActor(name);
  open.push(engine);
  return engine;
}

async function closeEngine(engine: Engine): Promise<void> {
  open.splice(open.indexOf(engine), 1);
  await engine.close();
}

const dataDirOf = async (engine: Engine) => (await call(engine, 'app.info', {})).dataDir;
const secretsFile = (dataDir: string) => readFileSync(join(dataDir, 'secrets.json'), 'utf8');

/** Files under `dir` whose bytes contain `text`. */
function filesHolding(dir: string, text: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && readFileSync(join(entry.parentPath, entry.name)).includes(text))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('secrets at rest without an OS keychain', () => {
  it('secrets.json holds no sync token or channel secret in plaintext after the engine writes them', async () => {
    const central = await startCentral('sqlite');
    try {
      const maya = engineAs('maya');
      const token = await central.token('maya', 'comms');
      await call(maya, 'sync.connect', { url: central.url, token });
      const saved = await call(maya, 'comms.saveChannel', { name: 'Status hook', audiences: ['internal'], config: hookConfig() });
      const dataDir = await dataDirOf(maya);

      const text = secretsFile(dataDir);
      for (const secret of [token, headerSecret, pathToken]) expect(text).not.toContain(secret);
      const values = Object.values(JSON.parse(text) as Record<string, string>);
      expect(values.length).toBeGreaterThanOrEqual(3); // device key, sync token, channel secret
      for (const value of values) expect(value).toMatch(/^k1:[A-Za-z0-9+/=]+$/);
      // The key lives outside the data folder, readable by its owner only.
      expect(keyFile.startsWith(dataDir)).toBe(false);
      expect(statSync(keyFile).mode & 0o777).toBe(0o600);
      expect(statSync(dirname(keyFile)).mode & 0o777).toBe(0o700);
      expect(saved.secret.protection).toContain(keyFile);
      // Read back under the same key.
      expect(fileSecretStore(dataDir).get('sync-token:central')).toBe(token);
      expect(channelSecrets(fileSecretStore(dataDir)).held(saved.id)?.values['secretHeader.value']).toBe(headerSecret);
    } finally {
      await central.close();
    }
  });

  it('reads an old plaintext secrets.json, and encrypts it on open', async () => {
    const dataDir = tempDir();
    const held = { secretId: 'legacy-1', values: { 'secretHeader.value': headerSecret } };
    writeFileSync(join(dataDir, 'secrets.json'), JSON.stringify({ 'sync-token:central': 'hf_old-plain-token', 'channel-secret:old-hook': JSON.stringify(held) }), {
      mode: 0o600,
    });
    engineAs('maya', { dataDir });
    const text = secretsFile(dataDir);
    expect(text).not.toContain('hf_old-plain-token');
    expect(text).not.toContain(headerSecret);
    expect(Object.values(JSON.parse(text) as Record<string, string>).every((v) => v.startsWith('k1:'))).toBe(true);
    expect(fileSecretStore(dataDir).get('sync-token:central')).toBe('hf_old-plain-token');
    expect(channelSecrets(fileSecretStore(dataDir)).held('old-hook')).toEqual(held);
  });

  it('processes creating the key at once end with one key, and read each other’s values', async () => {
    const count = 6;
    const dirs = Array.from({ length: count }, () => tempDir());
    const startAt = Date.now() + 5_000;
    // Each process waits for the same instant, writes its secret (creating the key), then reads its neighbour's.
    const script = `
      const { fileSecretStore } = await import(${JSON.stringify(secretsModule)});
      const [mine, next, index] = process.argv.slice(-3);
      while (Date.now() < ${startAt}) {}
      fileSecretStore(mine).set('channel-secret:c', 'secret-' + index);
      const { existsSync } = await import('node:fs');
      const until = Date.now() + 15000;
      while (!existsSync(next + '/secrets.json') && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      process.stdout.write(String(fileSecretStore(next).get('channel-secret:c')));
    `;
    const runs = dirs.map(
      (dir, i) =>
        new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, dir, dirs[(i + 1) % count], String(i)], {
            env: { ...process.env, HOLDFAST_SECRETS_KEY: keyFile },
          });
          let out = '';
          let err = '';
          child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
          child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
          child.on('exit', (code) => resolve({ code, out, err }));
        }),
    );
    const results = await Promise.all(runs);
    results.forEach((result, i) => {
      expect(result.err).toBe('');
      expect(result.code).toBe(0);
      expect(result.out).toBe(`secret-${(i + 1) % count}`);
    });
    // One key file, no temporary files left beside it, and it opens every process's value.
    expect(readdirSync(dirname(keyFile))).toEqual(['secrets.key']);
    dirs.forEach((dir, i) => expect(fileSecretStore(dir).get('channel-secret:c')).toBe(`secret-${i}`));
  }, 40_000);

  it('a lost key file is reported clearly, the engine still opens, and the old values stay recoverable', async () => {
    const dataDir = tempDir();
    const maya = engineAs('maya', { dataDir });
    const saved = await call(maya, 'comms.saveChannel', { name: 'Status hook', audiences: ['internal'], config: hookConfig() });
    await closeEngine(maya);
    const oldKey = readFileSync(keyFile);
    unlinkSync(keyFile);

    const logged: string[] = [];
    const reopened = engineAs('maya', { dataDir, log: (line) => logged.push(line) });
    // Opens, with the secret treated as absent: this laptop no longer holds the channel's secret.
    const [channel] = await call(reopened, 'comms.channels', {});
    expect(channel).toMatchObject({ id: saved.id, secret: { isHeldHere: false } });
    const problem = logged.find((line) => line.includes(`channel-secret:${saved.id}`));
    expect(problem).toContain(`with the key file ${keyFile}`);
    expect(problem).toContain('Restore that key file');
    expect(problem).toContain("type the channel's secret again in Settings");
    expect(logged.some((line) => line.includes('device-key:') && line.includes('must be enrolled again'))).toBe(true);
    await closeEngine(reopened);

    // The secrets.json from before the new device key replaced the old one is kept aside: the old key file still opens it.
    const aside = readdirSync(dataDir).filter((name) => name.startsWith('secrets.json.unreadable-'));
    expect(aside).toHaveLength(1);
    expect(statSync(join(dataDir, aside[0])).mode & 0o777).toBe(0o600);
    const recovered = tempDir();
    cpSync(join(dataDir, aside[0]), join(recovered, 'secrets.json'));
    const oldKeyFile = join(tempDir(), 'old.key');
    writeFileSync(oldKeyFile, oldKey, { mode: 0o600 });
    expect(channelSecrets(fileSecretStore(recovered, undefined, { keyFile: oldKeyFile })).held(saved.id)?.values['secretHeader.value']).toBe(headerSecret);
  });

  it('a copy of the data folder without the key file does not reveal a channel secret', async () => {
    const dataDir = tempDir();
    const maya = engineAs('maya', { dataDir });
    const saved = await call(maya, 'comms.saveChannel', { name: 'Status hook', audiences: ['internal'], config: hookConfig() });
    maya.db.pragma('wal_checkpoint(TRUNCATE)');
    await closeEngine(maya);

    const copy = join(tempDir(), 'copied');
    cpSync(dataDir, copy, { recursive: true });
    expect(filesHolding(copy, headerSecret)).toEqual([]);
    expect(filesHolding(copy, pathToken)).toEqual([]);
    // Someone else's account, with its own key file, finds nothing it can read.
    const otherKey = join(tempDir(), 'other', 'secrets.key');
    const logged: string[] = [];
    expect(channelSecrets(fileSecretStore(copy, undefined, { keyFile: otherKey, log: (line) => logged.push(line) })).held(saved.id)).toBeNull();
    expect(logged.join('\n')).toContain(`Cannot decrypt the secret "channel-secret:${saved.id}"`);
    expect(existsSync(otherKey)).toBe(true);
    // A key file that is not one is refused with what to do, and nothing is changed.
    const badKey = join(tempDir(), 'bad.key');
    mkdirSync(dirname(badKey), { recursive: true });
    writeFileSync(badKey, 'not a key\n');
    const before = secretsFile(copy);
    expect(() => fileSecretStore(copy, undefined, { keyFile: badKey }).get(`channel-secret:${saved.id}`)).toThrow(
      /is not a Holdfast secrets key.*Restore the right key file/,
    );
    expect(secretsFile(copy)).toBe(before);
  });

  it('holdfast web keeps its token and channel secret encrypted under HOLDFAST_SECRETS_KEY; a copy run under another key opens and says what is missing', async () => {
    const service = await startServerProcess(tempDir());
    const stops: (() => Promise<void>)[] = [service.stop];
    try {
      const token = service.addUser('maya', 'comms');
      const dataDir = tempDir('holdfast-maya-');
      const env = { HOLDFAST_SECRETS_KEY: keyFile };
      const orgKey = service.orgKey();
      holdfastOk(['trust', 'pin', orgKey.publicKey, '--fingerprint', orgKey.fingerprint, '--data', dataDir], env);
      const web = await spawnWeb({ dataDir, env });
      stops.push(web.stop);
      await webCall(web, 'sync.connect', { url: service.url, token });
      const saved = await webCall<{ id: string; secret: { protection: string } }>(web, 'comms.saveChannel', {
        name: 'Status hook',
        audiences: ['internal'],
        config: hookConfig(),
      });
      expect(saved.secret.protection).toContain(keyFile);
      await web.stop();
      for (const secret of [token, headerSecret, pathToken]) expect(filesHolding(dataDir, secret)).toEqual([]);
      expect(fileSecretStore(dataDir).get('sync-token:central')).toBe(token);

      const copy = join(tempDir(), 'copied');
      cpSync(dataDir, copy, { recursive: true });
      const otherKey = join(tempDir(), 'other', 'secrets.key');
      const elsewhere = await spawnWeb({ dataDir: copy, env: { HOLDFAST_SECRETS_KEY: otherKey } });
      stops.push(elsewhere.stop);
      const [channel] = await webCall<{ secret: { isHeldHere: boolean } }[]>(elsewhere, 'comms.channels');
      expect(channel.secret.isHeldHere).toBe(false);
      expect(elsewhere.output()).toContain(`Cannot decrypt the secret "channel-secret:${saved.id}" in ${join(copy, 'secrets.json')} with the key file ${otherKey}`);
      expect(elsewhere.output()).toContain('connect to that sync peer again');
      for (const secret of [token, headerSecret, pathToken]) expect(filesHolding(copy, secret)).toEqual([]);
    } finally {
      for (const stop of stops.reverse()) await stop();
    }
  }, 60_000);
});
