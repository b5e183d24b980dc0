// The live side of a sync peer under fake timers: the pass timer's max-wait (a sustained burst
// still syncs every ~200 ms), the back-off caps, heartbeats that notice a silent peer, and the
// network watch.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { backoffCaps, backoffMs, maxWaitMs, PassTimer, PeerLive, type LiveClock } from '../../electron/engine/sync/peer-live';
import { watchNetwork } from '../../electron/engine/sync/network-watch';

const fakeClock = (random = () => 1): LiveClock => ({
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  random,
});

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('the pass timer', () => {
  it('runs at least every max-wait while requests keep coming (a write every 5 ms for 2 s)', () => {
    const fired: number[] = [];
    const timer = new PassTimer(fakeClock(), () => fired.push(Date.now()));
    const start = Date.now();
    for (let t = 0; t < 2000; t += 5) {
      timer.soon(50);
      vi.advanceTimersByTime(5);
    }
    expect(fired.length).toBeGreaterThanOrEqual(2000 / maxWaitMs - 1);
    const gaps = [fired[0] - start, ...fired.slice(1).map((at, i) => at - fired[i])];
    expect(Math.max(...gaps)).toBeLessThanOrEqual(maxWaitMs);
  });

  it('debounces a short run of requests into one pass after the last', () => {
    let fired = 0;
    const timer = new PassTimer(fakeClock(), () => (fired += 1));
    timer.soon(50);
    vi.advanceTimersByTime(20);
    timer.soon(50);
    vi.advanceTimersByTime(49);
    expect(fired).toBe(0);
    vi.advanceTimersByTime(1);
    expect(fired).toBe(1);
    vi.advanceTimersByTime(10_000);
    expect(fired).toBe(1);
  });

  it('after() sets the delay outright and cancel() drops it', () => {
    let fired = 0;
    const timer = new PassTimer(fakeClock(), () => (fired += 1));
    timer.after(30_000);
    expect(timer.due()).toBe(Date.now() + 30_000);
    timer.after(0);
    vi.advanceTimersByTime(0);
    expect(fired).toBe(1);
    timer.after(100);
    timer.cancel();
    vi.advanceTimersByTime(1000);
    expect(fired).toBe(1);
  });
});

describe('back-off', () => {
  it('is capped at 5 s for passes and 1 s for the socket while an incident is open, a minute otherwise', () => {
    for (const failures of [1, 3, 10, 40]) {
      expect(backoffMs(failures, 1000, backoffCaps.pass.urgent, () => 1)).toBeLessThanOrEqual(5000);
      expect(backoffMs(failures, 250, backoffCaps.socket.urgent, () => 1)).toBeLessThanOrEqual(1000);
    }
    expect(backoffMs(40, 1000, backoffCaps.pass.calm, () => 1)).toBe(60_000);
    // Jitter: between half and all of the step.
    expect(backoffMs(3, 1000, 60_000, () => 0)).toBe(2000);
    expect(backoffMs(3, 1000, 60_000, () => 1)).toBe(4000);
  });
});

class FakeSocket extends EventEmitter {
  readyState: number = WebSocket.CONNECTING;
  pings = 0;
  isTerminated = false;
  ping() {
    this.pings += 1;
  }
  terminate() {
    this.isTerminated = true;
    this.readyState = WebSocket.CLOSED;
  }
  open() {
    this.readyState = WebSocket.OPEN;
    this.emit('open');
  }
}

function liveWithFakeSockets(options: { isUrgent?: () => boolean } = {}) {
  const sockets: FakeSocket[] = [];
  const events: string[] = [];
  const live = new PeerLive(
    {
      url: 'http://127.0.0.1:9',
      token: 'hf_test',
      clock: fakeClock(),
      heartbeatMs: 2000,
      isUrgent: options.isUrgent,
      onOpen: () => events.push('open'),
      onMessage: (message) => events.push(`message ${JSON.stringify(message)}`),
      onHeard: () => events.push('heard'),
      onLost: (reason) => events.push(`lost: ${reason}`),
    },
    () => {
      const socket = new FakeSocket();
      sockets.push(socket);
      return socket as unknown as WebSocket;
    },
  );
  return { live, sockets, events };
}

describe('the live socket', () => {
  it('notices a peer that stops answering heartbeats within two intervals, and reconnects', () => {
    const { live, sockets, events } = liveWithFakeSockets({ isUrgent: () => true });
    live.start();
    sockets[0].open();
    expect(events).toEqual(['heard', 'open']);
    vi.advanceTimersByTime(2000);
    expect(sockets[0].pings).toBe(1);
    sockets[0].emit('pong');
    vi.advanceTimersByTime(2000);
    expect(sockets[0].pings).toBe(2);
    expect(events.some((e) => e.startsWith('lost'))).toBe(false);
    // Silence: the next beat finds the ping unanswered.
    vi.advanceTimersByTime(2000);
    expect(sockets[0].isTerminated).toBe(true);
    expect(events.at(-1)).toBe('lost: no answer from http://127.0.0.1:9 for 2 s');
    // Urgent: the socket is opened again within the 1 s cap.
    vi.advanceTimersByTime(backoffCaps.socket.urgent);
    expect(sockets).toHaveLength(2);
    live.stop();
  });

  it('passes messages on and reports a lost open socket; reconnectNow skips the back-off', () => {
    const { live, sockets, events } = liveWithFakeSockets({ isUrgent: () => false });
    live.start();
    sockets[0].open();
    sockets[0].emit('message', Buffer.from(JSON.stringify({ centralBack: true })));
    expect(events).toContain('message {"centralBack":true}');
    sockets[0].readyState = WebSocket.CLOSED;
    sockets[0].emit('close', 1006, Buffer.alloc(0));
    expect(events.at(-1)).toBe('lost: the live connection to http://127.0.0.1:9 closed');
    // A socket that never opened fails quietly and is retried with back-off, up to a minute when calm.
    live.reconnectNow();
    expect(sockets).toHaveLength(2);
    sockets[1].emit('close', 1006, Buffer.alloc(0));
    expect(events.filter((e) => e.startsWith('lost'))).toHaveLength(1);
    vi.advanceTimersByTime(124);
    expect(sockets).toHaveLength(2);
    live.reconnectNow();
    expect(sockets).toHaveLength(3);
    live.stop();
  });
});

describe('the network watch', () => {
  it('calls back once per change of the network', () => {
    let network = 'IPv4:192.168.1.5';
    let changes = 0;
    const watch = watchNetwork({ signature: () => network, intervalMs: 1000, onChange: () => (changes += 1) });
    vi.advanceTimersByTime(3000);
    expect(changes).toBe(0);
    network = 'IPv4:10.0.0.7';
    vi.advanceTimersByTime(1000);
    vi.advanceTimersByTime(3000);
    expect(changes).toBe(1);
    watch.stop();
  });
});
