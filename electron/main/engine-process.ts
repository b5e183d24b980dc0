// Starts the engine in an Electron utility process and speaks to it over a MessagePortMain, so a
// long sync catch-up never stalls main (IPC, window handling). Written against small interfaces of
// utilityProcess and the port, so the wiring is tested without Electron.
import { storedSecretKeys, type SecretStore } from '../engine/core/secrets';
import { connectEngine, type EngineClient, type EngineClientOptions } from '../engine/hosts/engine-client';
import type { HostedEngineOptions, MessagePortLike } from '../engine/hosts/engine-protocol';

export interface PortMainLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  start(): void;
  close(): void;
}

export interface UtilityProcessLike {
  postMessage(message: unknown, transfer?: PortMainLike[]): void;
  on(event: 'exit', listener: (code: number) => void): unknown;
  kill(): boolean;
}

export interface EngineProcessHost {
  fork(modulePath: string, args: string[], options: { serviceName: string; stdio: 'inherit' }): UtilityProcessLike;
  createChannel(): { port1: PortMainLike; port2: PortMainLike };
}

export interface StartEngineProcessOptions extends Pick<EngineClientOptions, 'log' | 'onInternalError'> {
  host: EngineProcessHost;
  /** The built entry, out/main/engine-utility.js. */
  entry: string;
  engine: Omit<HostedEngineOptions, 'secrets'>;
  /** Where the engine's secrets live (main's keychain-encrypted store): read once, written on change. */
  secrets: SecretStore;
  /** The process ended while the app was running (a crash, say). */
  onLost(reason: string): void;
}

/** An Electron port speaks in MessageEvents; the engine's protocol wants the data only. */
export function portOf(port: PortMainLike): MessagePortLike {
  return {
    postMessage: (message) => port.postMessage(message),
    on: (_event, listener) => port.on('message', (event) => listener(event.data)),
  };
}

export async function startEngineProcess(options: StartEngineProcessOptions): Promise<EngineClient> {
  const { port1, port2 } = options.host.createChannel();
  const child = options.host.fork(options.entry, [], { serviceName: 'Holdfast engine', stdio: 'inherit' });
  let isClosing = false;
  const exited = new Promise<number>((resolve) => child.on('exit', resolve));
  const client = connectEngine(portOf(port1), {
    log: options.log,
    onInternalError: options.onInternalError,
    onSecret: (key, value) => options.secrets.set(key, value),
  });
  void exited.then((code) => {
    const reason = `its process exited with code ${code}`;
    client.lost(reason);
    if (!isClosing) options.onLost(reason);
  });
  port1.start();
  child.postMessage({ ...options.engine, secrets: readSecrets(options.engine.dataDir, options.secrets, options.log) } satisfies HostedEngineOptions, [port2]);
  try {
    await client.ready();
  } catch (error) {
    isClosing = true;
    child.kill();
    port1.close();
    throw error;
  }
  return {
    ...client,
    async close() {
      isClosing = true;
      await client.close();
      // The engine has closed its database and released the data folder: nothing is lost by
      // ending its process now rather than waiting for it to notice it has nothing left to do.
      child.kill();
      await exited;
      port1.close();
    },
  };
}

/** Every stored secret, decrypted here: the engine's process cannot reach the OS keychain. */
function readSecrets(dataDir: string, store: SecretStore, log?: (line: string) => void): NonNullable<HostedEngineOptions['secrets']> {
  const values: Record<string, string> = {};
  for (const key of storedSecretKeys(dataDir)) {
    try {
      const value = store.get(key);
      if (value !== null) values[key] = value;
    } catch (error) {
      // A token the keychain can no longer open is as good as none: the user signs in again.
      log?.(`holdfast: could not decrypt the stored secret ${key}: ${(error as Error).message}`);
    }
  }
  return { protection: store.protection, values };
}
