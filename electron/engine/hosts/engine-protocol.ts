// The messages between a host (Electron main, the `holdfast web` HTTP thread) and an engine running
// behind a message port (a worker thread or a utility process). Every message is structured-cloned.
import type { AppInfo, EventName, Events } from '@shared/contract';
import type { AutoBackupOptions } from '../core/backup';
import type { ApiErrorBody, Result } from '@shared/errors';
import type { LiveMessage } from '@shared/sync';
import type { HubTls } from '../sync/hub-tls';

/** What both ends need of a port: Node's MessagePort and Worker fit as they are, Electron's through an adapter. */
export interface MessagePortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** The engine options a host can send across the port (no functions, so no clocks or custom stores). */
export interface HostedEngineOptions {
  dataDir: string;
  host: AppInfo['host'];
  autoBackup?: AutoBackupOptions;
  /**
   * Secrets the host decrypted for the engine (Electron's safeStorage lives in main only). The
   * engine reads them from memory and sends every change back for the host to store.
   */
  secrets?: { protection: string; values: Record<string, string> };
}

/** The engine's extras beyond the contract, as the hosts used them when the engine ran in-process. */
export type ExtraName = 'evidenceRecord' | 'backupNow' | 'hostHub' | 'hubPort' | 'hubLive' | 'hub.backend';

export type ToEngine =
  { kind: 'call'; id: number; name: unknown; request: unknown } | { kind: 'extra'; id: number; name: ExtraName; args: unknown[] } | { kind: 'close'; id: number };

export type FromEngine =
  | { kind: 'ready' }
  | { kind: 'failed'; message: string }
  | { kind: 'result'; id: number; result: Result<unknown> }
  | { kind: 'closed'; id: number }
  | { kind: 'event'; event: EventName; payload: Events[EventName] }
  | { kind: 'poke'; poke: LiveMessage }
  | { kind: 'log'; line: string }
  | { kind: 'internalError'; name: string; detail: string }
  | { kind: 'secret'; key: string; value: string | null };

/** The hub's sync backend methods a host forwards (all async; `streamRefusal` is answered locally). */
export const forwardedBackendMethods = ['authenticate', 'push', 'pull', 'streams', 'ready', 'challenge', 'join', 'claimDelivery', 'settleDelivery'] as const;
export type ForwardedBackendMethod = (typeof forwardedBackendMethods)[number];

/** What `hostHub` answers: the room's join code and which optional backend methods the hub has. */
export interface HostedHubInfo {
  joinCode: string;
  /** The hub's TLS certificate and key, for the host's TLS server. */
  tls: HubTls;
  methods: ForwardedBackendMethod[];
}

export function isFromEngine(message: unknown): message is FromEngine {
  return typeof message === 'object' && message !== null && typeof (message as { kind?: unknown }).kind === 'string';
}

/** The error a call gets when the engine is gone: it says what happened and what to do. */
export function engineGone(reason: string): ApiErrorBody {
  return { code: 'unavailable', message: `The Holdfast engine is not running (${reason}); nothing was changed. Restart Holdfast.` };
}
