// The host's side of the port: a `Dispatch` and event subscription like an in-process engine's,
// plus the extras the hosts use. Calls carry request ids; when the engine's thread or process ends,
// every waiting call and every later one gets a clear `unavailable` error instead of hanging.
import { EventEmitter } from 'node:events';
import type { EventListener } from '@shared/contract';
import { ApiError, type Result } from '@shared/errors';
import type { Dispatch } from '@shared/rpc';
import type { LiveMessage } from '@shared/sync';
import type { SyncBackend } from '@shared/sync-handler';
import type { BackupManifest } from '../core/backup';
import type { EvidenceRecord } from '../evidence/evidence-export';
import { hubStreamRefusal, type Hub } from '../sync/hub';
import {
  engineGone,
  isFromEngine,
  type ExtraName,
  type ForwardedBackendMethod,
  type FromEngine,
  type HostedHubInfo,
  type MessagePortLike,
  type ToEngine,
} from './engine-protocol';

export interface EngineClientOptions {
  /** The engine's own log lines (failed backups, sync trouble). */
  log?: (line: string) => void;
  /** A call failed unexpectedly inside the engine; `detail` is its stack, for the log only. */
  onInternalError?: (name: string, detail: string) => void;
  /** The engine changed a secret the host keeps for it (see HostedEngineOptions.secrets). */
  onSecret?: (key: string, value: string | null) => void;
}

/** A hub hosted by the engine, as the host's HTTP server mounts it. */
export interface RemoteHub extends Pick<Hub, 'backend' | 'joinCode' | 'subscribe' | 'tls'> {
  /** The port the host serves the hub on, for the URLs the engine reports in `sync.hubStatus`. */
  setPort(port: number): void;
}

export interface EngineClient {
  readonly dispatch: Dispatch;
  onEvent(listener: EventListener): () => void;
  /** Resolves once the engine has opened its replica; rejects with the reason it could not. */
  ready(): Promise<void>;
  evidenceRecord(incidentId: string): Promise<EvidenceRecord>;
  backupNow(): Promise<BackupManifest | null>;
  hostHub(): Promise<RemoteHub>;
  /** The engine's thread or process ended; `reason` is said to every call that was waiting. */
  lost(reason: string): void;
  /** Asks the engine to close and waits until it has (or is gone). */
  close(): Promise<void>;
}

export function connectEngine(port: MessagePortLike, options: EngineClientOptions = {}): EngineClient {
  let nextId = 1;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const events = new EventEmitter();
  const pokes = new EventEmitter();
  events.setMaxListeners(0);
  pokes.setMaxListeners(0);
  let goneReason: string | null = null;
  let closing: { done: Promise<void>; resolve: () => void } | null = null;
  let settleReady: { resolve: () => void; reject: (error: Error) => void } | null = null;
  const ready = new Promise<void>((resolve, reject) => {
    settleReady = { resolve, reject };
  });
  // Nobody may be waiting on it yet; the rejection is still delivered to whoever asks later.
  ready.catch(() => undefined);

  const gone = (reason: string) => {
    if (goneReason !== null) return;
    goneReason = reason;
    settleReady?.reject(new Error(reason));
    settleReady = null;
    for (const resolve of pending.values()) resolve({ ok: false, error: engineGone(reason) });
    pending.clear();
    closing?.resolve();
  };

  const request = (message: Omit<Extract<ToEngine, { kind: 'call' }>, 'id'> | Omit<Extract<ToEngine, { kind: 'extra' }>, 'id'>) =>
    new Promise<Result<unknown>>((resolve) => {
      if (goneReason !== null) return resolve({ ok: false, error: engineGone(goneReason) });
      const id = nextId++;
      pending.set(id, resolve);
      try {
        port.postMessage({ ...message, id } satisfies ToEngine);
      } catch (error) {
        pending.delete(id);
        resolve({ ok: false, error: { code: 'bad_request', message: `The request cannot be sent to the engine: ${(error as Error).message}` } });
      }
    });

  const extra = async <T>(name: ExtraName, args: unknown[] = []): Promise<T> => {
    const result = await request({ kind: 'extra', name, args });
    if (!result.ok) throw new ApiError(result.error.code, result.error.message);
    return result.value as T;
  };

  const onMessage = (message: FromEngine) => {
    switch (message.kind) {
      case 'ready':
        settleReady?.resolve();
        settleReady = null;
        return;
      case 'failed':
        gone(message.message);
        return;
      case 'result': {
        const resolve = pending.get(message.id);
        pending.delete(message.id);
        resolve?.(message.result);
        return;
      }
      case 'closed':
        gone('it was closed');
        return;
      case 'event':
        events.emit('event', message.event, message.payload);
        return;
      case 'poke':
        pokes.emit('poke', message.poke);
        return;
      case 'log':
        options.log?.(message.line);
        return;
      case 'internalError':
        options.onInternalError?.(message.name, message.detail);
        return;
      case 'secret':
        options.onSecret?.(message.key, message.value);
        return;
    }
  };
  port.on('message', (message) => {
    if (isFromEngine(message)) onMessage(message);
  });

  return {
    dispatch: (name, req) => request({ kind: 'call', name, request: req }),
    onEvent(listener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    ready: () => ready,
    evidenceRecord: (incidentId) => extra<EvidenceRecord>('evidenceRecord', [incidentId]),
    backupNow: () => extra<BackupManifest | null>('backupNow'),
    async hostHub() {
      const info = await extra<HostedHubInfo>('hostHub');
      return {
        joinCode: info.joinCode,
        tls: info.tls,
        backend: remoteBackend(info, (method, args) => extra('hub.backend', [method, ...args])),
        subscribe(listener: (poke: LiveMessage) => void) {
          pokes.on('poke', listener);
          return () => pokes.off('poke', listener);
        },
        setPort: (hubPort) => void extra('hubPort', [hubPort]).catch(() => undefined),
        liveMembers: (count?: number) => {
          if (count !== undefined) void extra('hubLive', [count]).catch(() => undefined);
          return count ?? 0;
        },
      };
    },
    lost: gone,
    close() {
      if (closing) return closing.done;
      if (goneReason !== null) return Promise.resolve();
      const id = nextId++;
      let resolve: () => void = () => undefined;
      const done = new Promise<void>((r) => {
        resolve = r;
      });
      closing = { done, resolve };
      port.postMessage({ kind: 'close', id } satisfies ToEngine);
      return done;
    },
  };
}

/** The hub's sync backend with every call forwarded to the engine; which streams a hub refuses is decided here. */
function remoteBackend(info: HostedHubInfo, call: (method: ForwardedBackendMethod, args: unknown[]) => Promise<unknown>): SyncBackend {
  // The engine runs the hub's own method with these arguments, so its signature holds on this side too.
  const forward = <M extends ForwardedBackendMethod>(method: M) =>
    (info.methods.includes(method) ? (...args: unknown[]) => call(method, args) : undefined) as SyncBackend[M];
  return {
    node: 'hub',
    authenticate: forward('authenticate'),
    push: forward('push'),
    pull: forward('pull'),
    streams: forward('streams'),
    ready: forward('ready'),
    challenge: forward('challenge'),
    join: forward('join'),
    claimDelivery: forward('claimDelivery'),
    settleDelivery: forward('settleDelivery'),
    streamRefusal: (_principal, streamId) => hubStreamRefusal(streamId),
  };
}
