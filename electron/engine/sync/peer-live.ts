// The live side of one sync peer: the WebSocket on /v1/sync/live (pokes in, heartbeats out), its
// reconnection with jittered back-off, and the timer that decides when the next sync pass runs.
//
// Heartbeats: this end pings every `heartbeatMs`; a ping still unanswered when the next is due
// ends the socket, so a dead service or hub (even one whose machine vanished without closing the
// connection) is noticed within two heartbeats. Reconnection: quick while an incident is open (the
// 2 s convergence target after the service returns depends on it), slower otherwise, and at once
// when asked (Sync now, a network change, a hub saying the service is back).
//
// Scheduling: a pass asked for "soon" (a local write, a poke) waits a short debounce so a burst
// goes in one pass, but never longer than `maxWaitMs` after the first request, so a sustained
// burst still syncs every ~200 ms instead of waiting for the burst to pause.
import WebSocket from 'ws';
import type { LiveMessage } from '@shared/sync';
import { hubPin, pinnedTlsOptions } from './pinned-tls';

/** How often the live socket is pinged; a ping unanswered for this long ends it. */
export const heartbeatMs = 2000;
/** The longest a requested pass waits while requests keep arriving. */
export const maxWaitMs = 200;

/** Retry caps while an incident is open (urgent) and otherwise. */
export const backoffCaps = {
  /** A failed sync pass is retried after at most this long (jittered, doubling from 1 s). */
  pass: { urgent: 5000, calm: 60_000 },
  /** The live socket is re-opened after at most this long (jittered, doubling from 250 ms): one TCP connect, cheap for the peer. */
  socket: { urgent: 1000, calm: 60_000 },
} as const;

export interface LiveClock {
  now: () => number;
  setTimeout: (callback: () => void, ms: number) => { unref?: () => unknown };
  clearTimeout: (handle: unknown) => void;
  random: () => number;
}

export const realClock: LiveClock = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  random: Math.random,
};

/** A jittered exponential back-off: the `failures`-th retry waits between half and all of min(cap, first·2^(failures-1)). */
export function backoffMs(failures: number, firstMs: number, capMs: number, random: () => number): number {
  const base = Math.min(capMs, firstMs * 2 ** Math.min(Math.max(failures - 1, 0), 16));
  return base / 2 + random() * (base / 2);
}

/**
 * When the next pass runs: `soon` debounces (each call may move the pass later, never past
 * `maxWait` after the first one), `after` sets the delay outright (a poll, a back-off, "now").
 */
export class PassTimer {
  private handle: unknown = null;
  private firstAskedAt: number | null = null;
  private dueAt: number | null = null;

  constructor(
    private readonly clock: LiveClock,
    private readonly fire: () => void,
    private readonly maxWait = maxWaitMs,
  ) {}

  soon(delayMs: number): void {
    const now = this.clock.now();
    this.firstAskedAt ??= now;
    this.set(Math.min(now + delayMs, this.firstAskedAt + this.maxWait) - now);
  }

  after(delayMs: number): void {
    this.firstAskedAt = null;
    this.set(delayMs);
  }

  /** When the pending pass is due (null: none pending). */
  due(): number | null {
    return this.dueAt;
  }

  cancel(): void {
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = null;
    this.dueAt = null;
    this.firstAskedAt = null;
  }

  private set(delayMs: number): void {
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    const delay = Math.max(0, delayMs);
    this.dueAt = this.clock.now() + delay;
    const handle = this.clock.setTimeout(() => {
      if (this.handle !== handle) return;
      this.handle = null;
      this.dueAt = null;
      this.firstAskedAt = null;
      this.fire();
    }, delay);
    handle.unref?.();
    this.handle = handle;
  }
}

export interface PeerLiveOptions {
  /** The peer's base URL (http(s)://…); the socket goes to /v1/sync/live on it. */
  url: string;
  token: string;
  clock?: LiveClock;
  heartbeatMs?: number;
  /** True while an incident is open here: reconnect quickly. */
  isUrgent?: () => boolean;
  /** The socket opened: sync now. */
  onOpen: () => void;
  /** A message on the socket (a poke, or a hub's notice). */
  onMessage: (message: LiveMessage) => void;
  /** The peer answered (a pong, any message): when. */
  onHeard: (at: number) => void;
  /** An open socket was lost: closed by the peer, or its heartbeat went unanswered. */
  onLost: (reason: string) => void;
}

type SocketFactory = (url: string, options: ConstructorParameters<typeof WebSocket>[2]) => WebSocket;

export class PeerLive {
  private socket: WebSocket | null = null;
  private retry: unknown = null;
  private pinger: unknown = null;
  private failures = 0;
  private isStopped = false;
  private awaitingPong = false;
  private readonly clock: LiveClock;

  constructor(
    private readonly options: PeerLiveOptions,
    private readonly makeSocket: SocketFactory = (url, init) => new WebSocket(url, init),
  ) {
    this.clock = options.clock ?? realClock;
  }

  start(): void {
    this.open();
  }

  /** Whether the live socket is open now. */
  isOpen(): boolean {
    return this.socket?.readyState === WebSocket.OPEN;
  }

  /** Re-opens the socket now unless it is open or opening (Sync now, a network change, the service back). */
  reconnectNow(): void {
    if (this.isStopped) return;
    this.failures = 0;
    const state = this.socket?.readyState;
    // A network change can leave an "open" socket on an address that is gone: the heartbeat ends it.
    if (state === WebSocket.OPEN || state === WebSocket.CONNECTING) return;
    this.clearRetry();
    this.open();
  }

  stop(): void {
    this.isStopped = true;
    this.clearRetry();
    this.stopHeartbeat();
    this.drop();
  }

  private open(): void {
    if (this.isStopped) return;
    const url = `${this.options.url.replace(/^http/, 'ws')}/v1/sync/live`;
    // A war-room hub's socket goes only to the certificate its join link pinned.
    const pin = hubPin(this.options.url);
    if (pin) {
      pinnedTlsOptions(this.options.url, pin).then(
        (tls) => this.connect(url, tls),
        () => this.scheduleRetry(),
      );
      return;
    }
    this.connect(url, {});
  }

  private connect(url: string, tls: Awaited<ReturnType<typeof pinnedTlsOptions>> | Record<string, never>): void {
    if (this.isStopped) return;
    this.drop();
    const socket = this.makeSocket(url, { headers: { authorization: `Bearer ${this.options.token}` }, ...tls });
    this.socket = socket;
    let wasOpen = false;
    socket.on('open', () => {
      wasOpen = true;
      this.failures = 0;
      this.options.onHeard(this.clock.now());
      this.startHeartbeat(socket);
      this.options.onOpen();
    });
    socket.on('message', (data) => {
      this.options.onHeard(this.clock.now());
      let message: LiveMessage;
      try {
        // Text frames arrive as one Buffer (ws's default binary type).
        message = JSON.parse(Buffer.isBuffer(data) ? data.toString('utf8') : '') as LiveMessage;
      } catch {
        return;
      }
      if (message && typeof message === 'object') this.options.onMessage(message);
    });
    socket.on('pong', () => {
      this.awaitingPong = false;
      this.options.onHeard(this.clock.now());
    });
    socket.on('error', () => undefined);
    socket.on('close', (code, reason) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.stopHeartbeat();
      if (wasOpen)
        this.options.onLost(
          `the live connection to ${new URL(this.options.url).origin} closed${reason.length ? ` (${String(reason)})` : code === 1006 ? '' : ` (${code})`}`,
        );
      this.scheduleRetry();
    });
  }

  private startHeartbeat(socket: WebSocket): void {
    this.stopHeartbeat();
    this.awaitingPong = false;
    const every = this.options.heartbeatMs ?? heartbeatMs;
    const beat = () => {
      if (this.socket !== socket || this.isStopped) return;
      if (this.awaitingPong) {
        // No answer for a whole interval: the peer (or the way to it) is gone.
        this.socket = null;
        this.stopHeartbeat();
        socket.removeAllListeners();
        socket.on('error', () => undefined);
        socket.terminate();
        this.options.onLost(`no answer from ${new URL(this.options.url).origin} for ${Math.round(every / 1000)} s`);
        this.scheduleRetry();
        return;
      }
      this.awaitingPong = true;
      try {
        socket.ping();
      } catch {
        // closing: its close event follows
      }
      this.pinger = this.clock.setTimeout(beat, every);
      (this.pinger as { unref?: () => unknown }).unref?.();
    };
    this.pinger = this.clock.setTimeout(beat, every);
    (this.pinger as { unref?: () => unknown }).unref?.();
  }

  private stopHeartbeat(): void {
    if (this.pinger !== null) this.clock.clearTimeout(this.pinger);
    this.pinger = null;
    this.awaitingPong = false;
  }

  private scheduleRetry(): void {
    if (this.isStopped) return;
    this.clearRetry();
    this.failures += 1;
    const cap = this.options.isUrgent?.() ? backoffCaps.socket.urgent : backoffCaps.socket.calm;
    const handle = this.clock.setTimeout(
      () => {
        if (this.retry !== handle) return;
        this.retry = null;
        this.open();
      },
      backoffMs(this.failures, 250, cap, this.clock.random),
    );
    handle.unref?.();
    this.retry = handle;
  }

  private clearRetry(): void {
    if (this.retry !== null) this.clock.clearTimeout(this.retry);
    this.retry = null;
  }

  private drop(): void {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    socket.removeAllListeners();
    socket.on('error', () => undefined);
    socket.terminate();
  }
}
