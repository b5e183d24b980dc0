// The engine's side of the port: opens the engine, answers contract calls and the hosts' extras
// (evidence records, backups, hosting a hub), and forwards events, hub pokes, log lines and secret
// changes. It runs in a worker thread, an Electron utility process, or on the host's own thread.
import type { EngineOptions, Engine } from '../engine';
import { openEngine } from '../engine';
import type { SecretStore } from '../core/secrets';
import { lanAddresses, type Hub } from '../sync/hub';
import { createHubTls } from '../sync/hub-tls';
import { ApiError, type Result } from '@shared/errors';
import { createDispatch } from '@shared/rpc';
import {
  forwardedBackendMethods,
  type ExtraName,
  type FromEngine,
  type HostedEngineOptions,
  type HostedHubInfo,
  type MessagePortLike,
  type ToEngine,
} from './engine-protocol';

/** The members of an engine the port serves; tests pass a fake. */
export type ServedEngine = Pick<Engine, 'handlers' | 'onEvent' | 'backupNow' | 'evidenceRecord' | 'hostHubInside' | 'close'>;

export interface ServeOptions {
  /** Opens the engine (openEngine unless a test gives another). */
  open?: (options: EngineOptions) => ServedEngine;
  /** After the engine closed and said so: the entry lets its thread or process end. */
  onClosed?: () => void;
}

/** The addresses a hub on this machine is reached at: every LAN address and loopback. */
export function hubUrls(port: number): string[] {
  return [...lanAddresses(), '127.0.0.1'].map((address) => `https://${address}:${port}`);
}

export function serveEngine(port: MessagePortLike, hosted: HostedEngineOptions, options: ServeOptions = {}): void {
  const send = (message: FromEngine) => port.postMessage(message);
  let engine: ServedEngine;
  try {
    engine = (options.open ?? openEngine)({
      dataDir: hosted.dataDir,
      host: hosted.host,
      autoBackup: hosted.autoBackup,
      log: (line) => send({ kind: 'log', line }),
      secrets: hosted.secrets ? mirroredSecrets(hosted.secrets, (key, value) => send({ kind: 'secret', key, value })) : undefined,
    });
  } catch (error) {
    send({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
    options.onClosed?.();
    return;
  }
  const dispatch = createDispatch(engine.handlers, {
    onInternalError: (error, name) => send({ kind: 'internalError', name, detail: describe(error) }),
  });
  engine.onEvent((event, payload) => send({ kind: 'event', event, payload }));
  const extras = engineExtras(engine, send);
  let isClosing = false;

  // A result that cannot be cloned (a handler returned a function, say) must not leave its caller waiting.
  const answer = (id: number, result: Result<unknown>) => {
    try {
      send({ kind: 'result', id, result });
    } catch (error) {
      send({ kind: 'internalError', name: 'result', detail: describe(error) });
      send({
        kind: 'result',
        id,
        result: { ok: false, error: { code: 'internal', message: 'The engine could not send its answer; nothing was changed. Details are in the log.' } },
      });
    }
  };

  port.on('message', (raw) => {
    const message = raw as ToEngine;
    if (isClosing) {
      if (message.kind !== 'close') answer(message.id, { ok: false, error: { code: 'unavailable', message: 'Holdfast is shutting down; nothing was changed.' } });
      return;
    }
    if (message.kind === 'call') {
      void dispatch(message.name, message.request).then((result) => answer(message.id, result));
    } else if (message.kind === 'extra') {
      void extras(message.name, message.args).then((result) => answer(message.id, result));
    } else if (message.kind === 'close') {
      isClosing = true;
      void engine
        .close()
        .catch((error: unknown) => send({ kind: 'log', line: `holdfast: closing the engine failed: ${describe(error)}` }))
        .then(() => {
          send({ kind: 'closed', id: message.id });
          options.onClosed?.();
        });
    }
  });
  send({ kind: 'ready' });
}

function engineExtras(engine: ServedEngine, send: (message: FromEngine) => void) {
  let hub: Hub | null = null;
  let hubPort = 0;
  const run = async (name: ExtraName, args: unknown[]): Promise<unknown> => {
    switch (name) {
      case 'evidenceRecord':
        return engine.evidenceRecord(String(args[0]));
      case 'backupNow':
        return engine.backupNow();
      case 'hostHub': {
        if (!hub) {
          // The hub's certificate is made here, so the engine's status can show its fingerprint;
          // the host's TLS server serves it.
          const tls = await createHubTls();
          hub = engine.hostHubInside(() => hubUrls(hubPort), tls);
          hub.tls ??= tls;
          hub.subscribe((poke) => send({ kind: 'poke', poke }));
        }
        const backend = hub.backend;
        return {
          joinCode: hub.joinCode,
          tls: hub.tls!,
          methods: forwardedBackendMethods.filter((m) => typeof backend[m] === 'function'),
        } satisfies HostedHubInfo;
      }
      case 'hubPort':
        hubPort = Number(args[0]);
        return null;
      case 'hubLive':
        hub?.liveMembers?.(Number(args[0]));
        return null;
      case 'hub.backend': {
        const [method, ...rest] = args;
        const backend = hub?.backend as unknown as Record<string, ((...a: unknown[]) => Promise<unknown>) | undefined> | undefined;
        const target = typeof method === 'string' && (forwardedBackendMethods as readonly string[]).includes(method) ? backend?.[method] : undefined;
        if (!target) throw new ApiError('not_found', `The hub has no ${String(method)} here.`);
        return target.apply(hub!.backend, rest);
      }
    }
  };
  return async (name: ExtraName, args: unknown[]): Promise<Result<unknown>> => {
    try {
      return { ok: true, value: await run(name, args) };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.toBody() };
      send({ kind: 'internalError', name, detail: describe(error) });
      return { ok: false, error: { code: 'internal', message: `${name} failed inside Holdfast: ${error instanceof Error ? error.message : String(error)}` } };
    }
  };
}

/** Secrets the host decrypted: read from memory, every change sent back for the host to store. */
function mirroredSecrets(initial: { protection: string; values: Record<string, string> }, onChange: (key: string, value: string | null) => void): SecretStore {
  const values = new Map(Object.entries(initial.values));
  return {
    protection: initial.protection,
    get: (key) => values.get(key) ?? null,
    set(key, value) {
      if (value === null) values.delete(key);
      else values.set(key, value);
      onChange(key, value);
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
