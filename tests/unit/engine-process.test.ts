// Electron main's engine wiring, with fakes of utilityProcess and MessageChannelMain: the engine's
// options and port go to the child, calls come back, secrets stay encrypted by main, and a dead
// engine process is reported while a clean close is not.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it, vi } from 'vitest';
import { fileSecretStore, type Cipher } from '../../electron/engine/core/secrets';
import type { HostedEngineOptions } from '../../electron/engine/hosts/engine-protocol';
import { serveEngine } from '../../electron/engine/hosts/engine-service';
import { portOf, startEngineProcess, type EngineProcessHost, type PortMainLike, type UtilityProcessLike } from '../../electron/main/engine-process';
import { fakeEngine, isStillPending, type FakeEngine } from '../support/served-engine';
import { tempDir } from '../support/temp';

/** A MessagePortMain over a Node port: messages arrive as events with `data`. */
function portMain(port: InstanceType<typeof MessageChannel>['port1']): PortMainLike & { isStarted: boolean } {
  const fake = {
    isStarted: false,
    postMessage: (message: unknown) => port.postMessage(message),
    on: (_event: 'message', listener: (event: { data: unknown }) => void) => port.on('message', (data) => listener({ data })),
    start: () => {
      fake.isStarted = true;
    },
    close: () => port.close(),
  };
  return fake;
}

// Reversible, and visibly not plain text in the file.
const cipher: Cipher = {
  encrypt: (plain) => Buffer.from(`sealed:${plain}`),
  decrypt: (sealed) => sealed.toString().replace(/^sealed:/, ''),
};

function fakeHost(engine: FakeEngine) {
  const forks: { path: string; options: unknown; sent: HostedEngineOptions[]; child: UtilityProcessLike & EventEmitter; kills: number }[] = [];
  const host: EngineProcessHost = {
    createChannel: () => {
      const { port1, port2 } = new MessageChannel();
      return { port1: portMain(port1), port2: portMain(port2) };
    },
    fork(path, _args, forkOptions) {
      const child = Object.assign(new EventEmitter(), {
        postMessage(message: unknown, transfer?: PortMainLike[]) {
          record.sent.push(message as HostedEngineOptions);
          // What engine-utility.ts does with the port it is given.
          const port = transfer![0];
          port.start();
          serveEngine(portOf(port), message as HostedEngineOptions, {
            open: (opened) => {
              engine.opened.push(opened);
              return engine;
            },
          });
        },
        kill() {
          record.kills += 1;
          setImmediate(() => child.emit('exit', 15));
          return true;
        },
      });
      const record = { path, options: forkOptions, sent: [] as HostedEngineOptions[], child, kills: 0 };
      forks.push(record);
      return child;
    },
  };
  return { host, forks };
}

describe('startEngineProcess', () => {
  it('forks the built entry, sends the options and a port, and answers calls through it', async () => {
    const engine = fakeEngine();
    const { host, forks } = fakeHost(engine);
    const dataDir = tempDir();
    const client = await startEngineProcess({
      host,
      entry: '/app/out/main/engine-utility.js',
      engine: { dataDir, host: 'desktop', autoBackup: { intervalMs: 1000, keep: 2 } },
      secrets: fileSecretStore(dataDir, cipher),
      onLost: vi.fn(),
    });
    expect(forks).toHaveLength(1);
    expect(forks[0].path).toBe('/app/out/main/engine-utility.js');
    expect(forks[0].options).toMatchObject({ serviceName: 'Holdfast engine' });
    expect(engine.opened[0]).toMatchObject({ dataDir, host: 'desktop', autoBackup: { intervalMs: 1000, keep: 2 } });
    expect(await client.dispatch('incidents.list', {})).toEqual({ ok: true, value: [] });
    const events: unknown[] = [];
    client.onEvent((event, payload) => events.push([event, payload]));
    engine.emit('incidents.changed', { incidentId: 'i1' });
    await vi.waitFor(() => expect(events).toEqual([['incidents.changed', { incidentId: 'i1' }]]));
    await client.close();
  });

  it('hands the engine its secrets decrypted by main and stores its changes encrypted', async () => {
    const engine = fakeEngine();
    const { host, forks } = fakeHost(engine);
    const dataDir = tempDir();
    const store = fileSecretStore(dataDir, cipher);
    store.set('sync-token:central', 'tok-1');
    const client = await startEngineProcess({ host, entry: 'e.js', engine: { dataDir, host: 'desktop' }, secrets: store, onLost: vi.fn() });
    expect(forks[0].sent[0].secrets).toEqual({ protection: 'encrypted with the operating system keychain', values: { 'sync-token:central': 'tok-1' } });
    const engineSecrets = engine.opened[0].secrets!;
    expect(engineSecrets.get('sync-token:central')).toBe('tok-1');
    engineSecrets.set('sync-token:hub', 'tok-2');
    await vi.waitFor(() => expect(store.get('sync-token:hub')).toBe('tok-2'));
    const file = readFileSync(join(dataDir, 'secrets.json'), 'utf8');
    expect(file).not.toContain('tok-2');
    await client.close();
  });

  it('reports an engine process that dies and fails the calls waiting on it', async () => {
    const engine = fakeEngine({ holdList: true });
    const { host, forks } = fakeHost(engine);
    const onLost = vi.fn();
    const client = await startEngineProcess({ host, entry: 'e.js', engine: { dataDir: tempDir(), host: 'desktop' }, secrets: fileSecretStore(tempDir()), onLost });
    const waiting = client.dispatch('incidents.list', {});
    forks[0].child.emit('exit', 9);
    expect(await waiting).toEqual({ ok: false, error: { code: 'unavailable', message: expect.stringContaining('its process exited with code 9') } });
    expect(onLost).toHaveBeenCalledWith('its process exited with code 9');
  });

  it('ends the process only once the engine has closed, and that exit is not a loss', async () => {
    const engine = fakeEngine({ holdClose: true });
    const { host, forks } = fakeHost(engine);
    const onLost = vi.fn();
    const client = await startEngineProcess({ host, entry: 'e.js', engine: { dataDir: tempDir(), host: 'desktop' }, secrets: fileSecretStore(tempDir()), onLost });
    const closing = client.close();
    expect(await isStillPending(closing)).toBe(true);
    expect(forks[0].kills).toBe(0);
    engine.finishClose();
    await closing;
    expect(engine.isClosed).toBe(true);
    expect(forks[0].kills).toBe(1);
    expect(onLost).not.toHaveBeenCalled();
  });

  it('passes on the reason the engine could not open and ends its process', async () => {
    const { host, forks } = fakeHost(fakeEngine());
    host.fork = ((fork) => (path, args, options) => {
      const child = fork(path, args, options);
      child.postMessage = (_message, transfer) => {
        const port = portOf(transfer![0]);
        serveEngine(
          port,
          { dataDir: '/d', host: 'desktop' },
          {
            open: () => {
              throw new Error('This data folder was written by a newer Holdfast');
            },
          },
        );
      };
      return child;
    })(host.fork);
    const onLost = vi.fn();
    await expect(
      startEngineProcess({ host, entry: 'e.js', engine: { dataDir: tempDir(), host: 'desktop' }, secrets: fileSecretStore(tempDir()), onLost }),
    ).rejects.toThrow('written by a newer Holdfast');
    expect(forks[0].kills).toBe(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(onLost).not.toHaveBeenCalled();
  });
});
