// Simulated laptops for the fleet bench (bench/fleet.ts), many to a process: each has its own token,
// a live WebSocket to one service node, and a real laptop's sync behaviour on a poke
// (electron/engine/sync/peer-runner.ts and peer-live.ts): a pass is asked for 5 ms after a poke,
// never later than 200 ms after the first ask; one pass at a time, and a pass asked for while one
// runs follows it at once. A pass reads the stream heads (GET /v1/sync/streams) and pulls every
// stream whose head is past its cursor, 500 ops a page, the next page asked for before this one is
// taken, leaving out its own device's ops. Nothing is applied: the bench measures the service.
//
// Driven over IPC by the parent: `start` (the clients), `drain` (wait until every client holds the
// given ops, then answer the receipt times as latencies). Times are ms on a clock shared by the
// processes of this machine (performance.timeOrigin + performance.now()).
import WebSocket from 'ws';

const debounceMs = 5;
const maxWaitMs = 200;
const pullPage = 500;
const now = () => performance.timeOrigin + performance.now();

/** Requests made and failed, over all clients of this process. */
const counts = { streams: 0, pulls: 0, pulledOps: 0, failures: 0, pokes: 0, requestMs: 0 };
let lastFailure = '';

class Client {
  constructor(spec) {
    this.url = spec.url;
    this.token = spec.token;
    this.skipDevice = spec.skipDevice;
    this.cursors = new Map();
    /** opId → when this client first held it. */
    this.received = new Map();
    this.current = null;
    this.isDirty = false;
    this.timer = null;
    this.firstAskedAt = null;
    this.socket = null;
    this.isStopped = false;
  }

  open() {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(`${this.url.replace(/^http/, 'ws')}/v1/sync/live`, { headers: { authorization: `Bearer ${this.token}` } });
      this.socket = socket;
      socket.once('open', () => resolve(this.run()));
      socket.once('error', reject);
      socket.on('message', (data) => {
        let message;
        try {
          message = JSON.parse(data.toString('utf8'));
        } catch {
          return;
        }
        if (typeof message?.streamId === 'string') {
          counts.pokes += 1;
          this.soon();
        }
      });
      socket.on('close', (code) => {
        if (!this.isStopped) {
          counts.failures += 1;
          lastFailure = `live socket closed (${code})`;
        }
      });
    });
  }

  /** A pass soon: debounced, never later than maxWaitMs after the first ask. */
  soon() {
    if (this.current) {
      this.isDirty = true;
      return;
    }
    const at = now();
    this.firstAskedAt ??= at;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.run(), Math.max(0, Math.min(at + debounceMs, this.firstAskedAt + maxWaitMs) - at));
  }

  run() {
    if (this.current) {
      this.isDirty = true;
      return this.current;
    }
    clearTimeout(this.timer);
    this.firstAskedAt = null;
    this.current = this.pass()
      .catch((error) => {
        counts.failures += 1;
        lastFailure = String(error?.message ?? error);
      })
      .finally(() => {
        this.current = null;
        if (this.isDirty && !this.isStopped) {
          this.isDirty = false;
          void this.run();
        }
      });
    return this.current;
  }

  async get(path) {
    const started = now();
    const response = await fetch(`${this.url}${path}`, { headers: { authorization: `Bearer ${this.token}` } });
    if (response.status !== 200) throw new Error(`GET ${path.split('?')[0]} answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const body = await response.json();
    counts.requestMs += now() - started;
    return body;
  }

  async pass() {
    this.isDirty = false;
    counts.streams += 1;
    const { streams } = await this.get('/v1/sync/streams');
    const skip = this.skipDevice ? `&skipDevice=${this.skipDevice}` : '';
    const page = (streamId, after) => {
      counts.pulls += 1;
      return this.get(`/v1/sync/pull?stream=${encodeURIComponent(streamId)}&after=${after}&limit=${pullPage}${skip}`);
    };
    for (const { streamId, head } of streams) {
      const cursor = this.cursors.get(streamId) ?? 0;
      if (head <= cursor) continue;
      let pending = page(streamId, cursor);
      while (pending) {
        const current = await pending;
        pending = current.hasMore ? page(streamId, current.cursor) : null;
        const at = now();
        counts.pulledOps += current.ops.length;
        for (const op of current.ops) if (!this.received.has(op.opId)) this.received.set(op.opId, at);
        this.cursors.set(streamId, current.cursor);
      }
    }
  }

  stop() {
    this.isStopped = true;
    clearTimeout(this.timer);
    this.socket?.terminate();
  }
}

let clients = [];

/** Waits until every client holds every op not written by its own device, or the deadline passes. */
async function drain(ops, deadline) {
  const missing = () => {
    let count = 0;
    for (const client of clients) for (const [opId, deviceId] of ops) if (deviceId !== client.skipDevice && !client.received.has(opId)) count += 1;
    return count;
  };
  let left = missing();
  while (left > 0 && now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    left = missing();
  }
  return left;
}

process.on('message', async (message) => {
  try {
    if (message.type === 'start') {
      clients = message.clients.map((spec) => new Client(spec));
      // Connected in small groups, as laptops arriving at once would not be in step either.
      for (let i = 0; i < clients.length; i += 25) await Promise.all(clients.slice(i, i + 25).map((client) => client.open()));
      process.send({ type: 'ready', counts });
    } else if (message.type === 'counts') {
      process.send({ type: 'counts', counts: { ...counts } });
    } else if (message.type === 'drain') {
      const missing = await drain(message.ops, now() + message.timeoutMs);
      // Per op: how many clients hold it and the latest receipt; per delivery: each latency.
      const sentAt = new Map(message.ops.map(([opId, , at]) => [opId, at]));
      const perOp = {};
      const deliveries = [];
      for (const client of clients) {
        for (const [opId, at] of client.received) {
          const sent = sentAt.get(opId);
          if (sent === undefined) continue;
          const latency = at - sent;
          deliveries.push(latency);
          const seen = (perOp[opId] ??= [0, 0]);
          seen[0] += 1;
          seen[1] = Math.max(seen[1], latency);
        }
      }
      process.send({ type: 'drained', missing, perOp, deliveries, counts, lastFailure, cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
    } else if (message.type === 'stop') {
      for (const client of clients) client.stop();
      process.disconnect();
    }
  } catch (error) {
    process.send({ type: 'error', message: String(error?.stack ?? error) });
  }
});
