// Pokes across service nodes that share one PostgreSQL database: a node that stored ops tells the
// others with NOTIFY, and every node LISTENs on its own connection (outside the pool, which would
// hand it back) and pokes its own live sockets. A laptop connected to any node hears of a push to
// any other within a round trip to the database, instead of on its next 30 s poll.
//
// The listening connection is re-made with back-off when it breaks (a database restart); pokes
// sent meanwhile are lost, which costs only latency: every laptop still polls.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const pokeChannel = 'holdfast_pokes';

/** NOTIFY payloads must stay under 8000 bytes: stream ids are sent in chunks under this. */
const payloadBudget = 7000;

export interface CrossNodePokes {
  /** Tells the other nodes that these streams advanced (batched within one tick). */
  publish(streamIds: readonly string[]): void;
  /** Streams another node advanced; returns the unsubscribe. Starts listening on first use. */
  subscribe(listener: (streamIds: string[]) => void): () => void;
  /** Settles once the listening connection is up (or its first attempt failed). */
  ready(): Promise<void>;
  close(): Promise<void>;
}

interface Payload {
  /** The node that sent it: a node ignores its own. */
  from: string;
  streams: string[];
}

/** Splits stream ids into NOTIFY payloads that fit. */
export function pokePayloads(from: string, streamIds: readonly string[]): string[] {
  const payloads: string[] = [];
  let streams: string[] = [];
  const text = () => JSON.stringify({ from, streams } satisfies Payload);
  for (const streamId of streamIds) {
    streams.push(streamId);
    if (Buffer.byteLength(text()) > payloadBudget && streams.length > 1) {
      streams.pop();
      payloads.push(text());
      streams = [streamId];
    }
  }
  if (streams.length > 0) payloads.push(text());
  return payloads;
}

export function createCrossNodePokes(pool: pg.Pool, url: string, options: { onError?: (error: Error) => void } = {}): CrossNodePokes {
  const nodeId = randomBytes(8).toString('hex');
  const listeners = new Set<(streamIds: string[]) => void>();
  let queued = new Set<string>();
  let flushing: NodeJS.Immediate | null = null;
  let client: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let retry: NodeJS.Timeout | null = null;
  let failures = 0;
  let isClosed = false;
  const report = (error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error)));

  const flush = () => {
    flushing = null;
    const streams = [...queued];
    queued = new Set();
    for (const payload of pokePayloads(nodeId, streams)) pool.query('SELECT pg_notify($1, $2)', [pokeChannel, payload]).catch(report);
  };

  const deliver = (message: pg.Notification) => {
    if (message.channel !== pokeChannel || !message.payload) return;
    let payload: Payload;
    try {
      payload = JSON.parse(message.payload) as Payload;
    } catch {
      return;
    }
    if (payload.from === nodeId || !Array.isArray(payload.streams)) return;
    const streams = payload.streams.filter((s): s is string => typeof s === 'string');
    for (const listener of listeners) listener(streams);
  };

  const reconnectLater = () => {
    if (isClosed || retry) return;
    failures += 1;
    const base = Math.min(10_000, 250 * 2 ** Math.min(failures - 1, 6));
    retry = setTimeout(
      () => {
        retry = null;
        void listen();
      },
      base / 2 + Math.random() * (base / 2),
    );
    retry.unref();
  };

  const listen = (): Promise<void> => {
    if (isClosed) return Promise.resolve();
    connecting ??= (async () => {
      const next = new pg.Client({ connectionString: url });
      next.on('error', (error) => {
        report(error);
        if (client === next) client = null;
        next.end().catch(() => undefined);
        reconnectLater();
      });
      next.on('notification', deliver);
      try {
        await next.connect();
        await next.query(`LISTEN ${pokeChannel}`);
        if (isClosed) {
          await next.end();
          return;
        }
        client = next;
        failures = 0;
      } catch (error) {
        report(error);
        next.end().catch(() => undefined);
        reconnectLater();
      }
    })().finally(() => {
      connecting = null;
    });
    return connecting;
  };

  return {
    publish(streamIds) {
      if (isClosed || streamIds.length === 0) return;
      for (const streamId of streamIds) queued.add(streamId);
      flushing ??= setImmediate(flush);
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!client && !connecting && !retry) void listen();
      return () => listeners.delete(listener);
    },
    async ready() {
      await connecting;
    },
    async close() {
      isClosed = true;
      if (retry) clearTimeout(retry);
      if (flushing) {
        clearImmediate(flushing);
        flush();
      }
      await connecting?.catch(() => undefined);
      await client?.end().catch(() => undefined);
      client = null;
    },
  };
}
