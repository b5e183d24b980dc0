// Peer benchmark: Actual Budget's sync server (@actual-app/sync-server) driven by its own CRDT
// library (@actual-app/crdt), measuring PUSH (one client uploads N cell-change messages) and
// CATCH-UP (a fresh client pulls all N) on 127.0.0.1. One record = one CRDT message.
//
// How the server runs: as a child process (`build/bin/actual-server.js`), because its `run()`
// calls app.listen() without returning the server (so it cannot be closed in-process) and its
// config is read from the environment once at import time. It gets a temp data dir, a free port
// on 127.0.0.1 and NODE_ENV=production (the normal deployment; "development" would try to proxy
// the web UI to a dev server). A fresh server has no password: POST /account/bootstrap with one
// returns the session token; a budget "file" is then created with POST /sync/upload-user-file
// (the blob's bytes are never read by sync), which hands back the groupId every /sync/sync needs.
//
// Protocol, as Actual's client (loot-core `_fullSync`) speaks it: POST /sync/sync with a protobuf
// SyncRequest { fileId, groupId, keyId, since, messages: MessageEnvelope[] }; each envelope holds
// a timestamp string and `content` = protobuf Message { dataset, row, column, value }. The reply
// is a SyncResponse { messages: every stored message newer than `since`, merkle: JSON trie }.
// The client is in sync when merkle.diff(server trie, its own trie) is null.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  MessageEnvelopeSchema,
  MessageSchema,
  SyncRequestSchema,
  SyncResponseSchema,
  Timestamp,
  create,
  fromBinary,
  makeClientId,
  makeClock,
  merkle,
  setClock,
  toBinary,
} from '@actual-app/crdt';
import { stopChild } from './child.mjs';

const HOST = '127.0.0.1';
const SERVER_BIN = fileURLToPath(
  new URL('./node_modules/@actual-app/sync-server/build/bin/actual-server.js', import.meta.url),
);
// Actual's own client sends every pending message in ONE /sync request (loot-core's _fullSync
// notes this about the server's 20 MB body limit). We send 1000 per request: it keeps
// 100k records under that limit, it is what a steadily syncing client sends, and it matches the
// batch size we give PouchDB, so every peer moves the same number of records per round trip.
const DEFAULT_BATCH = 1000;
// The server's global rate limiter in production: 500 requests per minute per client IP.
const RATE_LIMIT_PER_MINUTE = 500;

/** Find a free TCP port on 127.0.0.1 (the server needs it up front, through ACTUAL_PORT). */
async function freePort() {
  const srv = createServer();
  await new Promise((resolve, reject) => srv.once('error', reject).listen(0, HOST, resolve));
  const { port } = srv.address();
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

/** Start actual-server as a child process; resolves once it logs "Listening on". */
async function startServer(dataDir, port) {
  // Keep our environment but drop any ACTUAL_* / PORT settings a developer may have exported.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.startsWith('ACTUAL_') && k !== 'PORT'),
  );
  Object.assign(env, {
    NODE_ENV: 'production',
    NO_COLOR: '1',
    ACTUAL_DATA_DIR: dataDir,
    ACTUAL_HOSTNAME: HOST,
    ACTUAL_PORT: String(port),
  });
  const child = spawn(process.execPath, [SERVER_BIN], {
    cwd: dataDir, // the bin also looks for ./config.json and ./data in its cwd
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The server logs every request; drain both pipes (a full pipe would stall it) and keep the
  // tail for error messages.
  const tail = [];
  const keep = (chunk) => {
    tail.push(String(chunk));
    if (tail.length > 40) tail.shift();
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));

  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('timed out after 60 s')), 60_000);
    const onData = (chunk) => {
      if (String(chunk).includes('Listening on')) done();
    };
    const onExit = (code) => fail(new Error(`exited with code ${code}`));
    function cleanup() {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
    }
    function done() {
      cleanup();
      resolve();
    }
    function fail(err) {
      cleanup();
      child.kill('SIGKILL');
      err.message = `actual-server did not start: ${err.message}\n${tail.join('')}`;
      reject(err);
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });

  return {
    tail: () => tail.join(''),
    stop: () => stopChild(child, exited),
  };
}

/** JSON request to the server; returns the parsed body, throwing on an error status. */
async function json(base, path, { method = 'GET', body, headers = {} } = {}) {
  const res = await fetch(base + path, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${text}`);
  return JSON.parse(text);
}

/** Bootstrap a fresh server with a password and return the session token. */
async function bootstrapToken(base) {
  const password = `bench-${randomUUID()}`;
  const state = await json(base, '/account/needs-bootstrap');
  if (state.data?.bootstrapped) throw new Error('fresh actual-server is already bootstrapped');
  const boot = await json(base, '/account/bootstrap', { method: 'POST', body: { password } });
  if (boot.data?.token) return boot.data.token;
  // Older servers answer the bootstrap without a token: log in with the password instead.
  const login = await json(base, '/account/login', { method: 'POST', body: { password } });
  if (!login.data?.token) throw new Error(`login failed: ${JSON.stringify(login)}`);
  return login.data.token;
}

/** Create a budget file on the server; its groupId is what sync messages are stored under. */
async function createFile(base, token) {
  const fileId = randomUUID();
  const res = await fetch(`${base}/sync/upload-user-file`, {
    method: 'POST',
    headers: {
      'content-type': 'application/encrypted-file',
      'x-actual-token': token,
      'x-actual-file-id': fileId,
      'x-actual-name': encodeURIComponent('Holdfast sync bench'),
      'x-actual-format': '2', // SYNC_FORMAT_VERSION the server requires before it will sync
    },
    // Real clients upload a zipped SQLite budget here; sync never reads it.
    body: Buffer.from('holdfast bench placeholder budget'),
  });
  const body = await res.json();
  if (!res.ok || body.status !== 'ok' || !body.groupId) {
    throw new Error(`upload-user-file failed: HTTP ${res.status} ${JSON.stringify(body)}`);
  }
  return { fileId, groupId: body.groupId };
}

/** One /sync/sync round trip: protobuf request in, decoded SyncResponse out. */
async function syncOnce(base, token, request) {
  const res = await fetch(`${base}/sync/sync`, {
    method: 'POST',
    headers: { 'content-type': 'application/actual-sync', 'x-actual-token': token },
    body: toBinary(SyncRequestSchema, create(SyncRequestSchema, request)),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (!res.ok) {
    const hint = res.status === 429 ? ' (rate limited: raise batchSize)' : '';
    throw new Error(`/sync/sync: HTTP ${res.status}${hint} ${Buffer.from(bytes).toString()}`);
  }
  return fromBinary(SyncResponseSchema, bytes);
}

/**
 * The pushing client's local state before it syncs: `records` cell changes stamped by its HLC
 * clock, and the merkle trie of their timestamps (Actual updates both when a change is made
 * locally, not when it syncs, so this is built before the timer).
 */
function makeLocalChanges(records) {
  setClock(makeClock(new Timestamp(0, 0, makeClientId())));
  const incidentId = randomUUID();
  const changes = new Array(records);
  let trie = {};
  for (let i = 0; i < records; i++) {
    const ts = Timestamp.send();
    trie = merkle.insert(trie, ts);
    // One note cell of an incident's timeline; the text is ~80 chars like the PouchDB doc's.
    const text = `Note ${i} on incident ${incidentId.slice(0, 8)}: crew reports status unchanged, holding.`;
    changes[i] = {
      timestamp: ts.toString(),
      dataset: 'notes',
      row: randomUUID(),
      column: 'text',
      value: `S:${text}`, // Actual's serializeValue(): "S:" prefix for strings
    };
  }
  return { changes, trie: merkle.prune(trie) };
}

/**
 * Run the Actual peer benchmark.
 * @param {{ records: number, log?: (msg: string) => void, batchSize?: number }} opts
 * @returns {Promise<{ pushPerSec: number, catchUpPerSec: number, records: number }>}
 */
export async function benchActual({ records, log = () => {}, batchSize = DEFAULT_BATCH }) {
  if (!Number.isInteger(records) || records <= 0) throw new Error('records must be a positive integer');
  const requests = Math.ceil(records / batchSize) + 10; // + bootstrap, file, catch-up
  if (requests > RATE_LIMIT_PER_MINUTE) {
    throw new Error(
      `actual: ${records} records in batches of ${batchSize} is ${requests} requests, over the ` +
        `server's ${RATE_LIMIT_PER_MINUTE}/minute rate limit; raise batchSize`,
    );
  }

  // The pushing client's changes exist before it syncs. Built before the server starts: this
  // synchronous loop would otherwise outlast the server's 5 s keep-alive on an idle connection.
  const local = makeLocalChanges(records);
  const dataDir = await mkdtemp(join(tmpdir(), 'holdfast-bench-actual-'));
  let server;
  try {
    const port = await freePort();
    const base = `http://${HOST}:${port}`;
    server = await startServer(dataDir, port);
    const token = await bootstrapToken(base);
    const { fileId, groupId } = await createFile(base, token);
    log(`actual: server on ${base}, file ${fileId}, group ${groupId}`);

    // (1) PUSH. Like the real client, each request's `since` is the timestamp the client was at
    // after its previous acknowledged sync, so the server echoes nothing back; encoding the
    // protobuf is part of the client's sync work and so is inside the timer.
    let since = Timestamp.zero.toString();
    let serverTrie = null;
    let bytesSent = 0;
    const pushStart = performance.now();
    for (let i = 0; i < records; i += batchSize) {
      const batch = local.changes.slice(i, i + batchSize);
      const messages = batch.map((c) =>
        create(MessageEnvelopeSchema, {
          timestamp: c.timestamp,
          isEncrypted: false,
          content: toBinary(
            MessageSchema,
            create(MessageSchema, { dataset: c.dataset, row: c.row, column: c.column, value: c.value }),
          ),
        }),
      );
      bytesSent += messages.reduce((n, m) => n + m.content.length + m.timestamp.length, 0);
      const res = await syncOnce(base, token, { fileId, groupId, keyId: '', since, messages });
      if (res.messages.length !== 0) {
        throw new Error(`actual: push got ${res.messages.length} unexpected messages back`);
      }
      serverTrie = JSON.parse(res.merkle);
      since = batch[batch.length - 1].timestamp;
    }
    const pushMs = performance.now() - pushStart;
    // The server has everything iff its trie matches the one the client built from its changes.
    if (merkle.diff(serverTrie, local.trie) !== null) {
      throw new Error('actual: server merkle differs from the client after push');
    }
    log(
      `actual: pushed ${records} messages in ${pushMs.toFixed(0)} ms ` +
        `(~${Math.round(bytesSent / records)} B of timestamp+content per message)`,
    );

    // (2) CATCH-UP. A fresh client (new node id, empty trie) syncs from the zero timestamp. The
    // server has no paging: one response carries every message newer than `since`. The client
    // does the bookkeeping Actual's receiveMessages() does before touching its database
    // (Timestamp.recv, decoding each Message, inserting into its merkle trie), then repeats from
    // the diff point until its trie matches the server's, exactly like _fullSync.
    setClock(makeClock(new Timestamp(0, 0, makeClientId())));
    let trie = {};
    const seen = new Set();
    since = Timestamp.zero.toString();
    let roundTripMs = 0; // request + server work + transfer + SyncResponse decode
    const catchStart = performance.now();
    for (let attempt = 0; ; attempt++) {
      if (attempt >= 10) throw new Error('actual: catch-up did not converge in 10 syncs');
      const sent = performance.now();
      const res = await syncOnce(base, token, { fileId, groupId, keyId: '', since, messages: [] });
      roundTripMs += performance.now() - sent;
      for (const env of res.messages) {
        const ts = Timestamp.parse(env.timestamp);
        Timestamp.recv(ts);
        const msg = fromBinary(MessageSchema, env.content);
        if (msg.dataset !== 'notes' || !msg.value.startsWith('S:')) {
          throw new Error(`actual: unexpected message ${JSON.stringify(msg)}`);
        }
        if (!seen.has(env.timestamp)) {
          seen.add(env.timestamp);
          trie = merkle.insert(trie, ts);
        }
      }
      trie = merkle.prune(trie);
      const diffTime = merkle.diff(JSON.parse(res.merkle), trie);
      if (diffTime === null) break;
      since = new Timestamp(diffTime, 0, '0').toString();
    }
    const catchMs = performance.now() - catchStart;
    if (seen.size !== records) {
      throw new Error(`actual: catch-up received ${seen.size} of ${records} messages`);
    }
    log(
      `actual: caught up ${seen.size} messages in ${catchMs.toFixed(0)} ms ` +
        `(${roundTripMs.toFixed(0)} ms round trip, the rest client merkle/clock bookkeeping)`,
    );

    return {
      pushPerSec: records / (pushMs / 1000),
      catchUpPerSec: records / (catchMs / 1000),
      records,
    };
  } catch (err) {
    if (server) err.message += `\n--- actual-server output (tail) ---\n${server.tail()}`;
    throw err;
  } finally {
    await server?.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}
