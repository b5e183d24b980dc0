// Peer benchmark: PouchDB replication over HTTP to an express-pouchdb server (memory adapter on
// both ends), measuring PUSH (a local db with N docs replicates to the server) and CATCH-UP (a
// fresh local db replicates all N back) on 127.0.0.1. One record = one small JSON document.
//
// The server runs in a child process (bench/peers/pouchdb-server.mjs), like the Actual peer, so
// client and server do not share one event loop. It needs no bootstrapping: express-pouchdb has
// no auth in 'minimumForPouchDB' mode, and the target database is created with a PUT before the
// timer starts (the Actual peer likewise creates its budget file before timing).
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';
import { stopChild } from './child.mjs';

PouchDB.plugin(memoryAdapter);

const SERVER_SCRIPT = fileURLToPath(new URL('./pouchdb-server.mjs', import.meta.url));
// Replication batch_size (docs per _changes page / _bulk_docs / _bulk_get request). PouchDB's
// default is 100; we use 1000 so each HTTP round trip moves the same number of records as the
// Actual peer's 1000-message /sync request. Larger batches only help PouchDB here, so this is the
// generous side of fair; batches_limit stays at its default (10 batches buffered).
const DEFAULT_BATCH = 1000;
const INSERT_CHUNK = 1000; // bulkDocs chunk when filling the local db (outside the timer)

/** Fork the server; resolves with its base URL and a stop() once it is listening. */
async function startServer() {
  const child = fork(SERVER_SCRIPT, [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const stderr = [];
  child.stderr.on('data', (chunk) => {
    stderr.push(String(chunk));
    if (stderr.length > 40) stderr.shift();
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`express-pouchdb did not start in 30 s\n${stderr.join('')}`));
    }, 30_000);
    child.once('message', (msg) => {
      clearTimeout(timer);
      resolve(msg.port);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`express-pouchdb exited with code ${code}\n${stderr.join('')}`));
    });
  });
  return {
    base: `http://127.0.0.1:${port}`,
    stop: () => stopChild(child, exited),
  };
}

/** A ~200-byte incident note, the same shape of record the Holdfast bench syncs. */
function makeDoc(i, incidentId) {
  return {
    _id: `note-${String(i).padStart(9, '0')}-${randomUUID().slice(0, 8)}`,
    incidentId,
    kind: 'note',
    text: `Note ${i} on incident ${incidentId.slice(0, 8)}: crew reports status unchanged, holding.`,
    eventAt: new Date(Date.UTC(2025, 0, 1) + i * 1000).toISOString(),
  };
}

/** One-shot replication, resolving with PouchDB's result once it completes. */
function replicate(source, target, batchSize) {
  return PouchDB.replicate(source, target, { batch_size: batchSize });
}

/**
 * Run the PouchDB / express-pouchdb peer benchmark.
 * @param {{ records: number, log?: (msg: string) => void, batchSize?: number }} opts
 * @returns {Promise<{ pushPerSec: number, catchUpPerSec: number, records: number }>}
 */
export async function benchPouch({ records, log = () => {}, batchSize = DEFAULT_BATCH }) {
  if (!Number.isInteger(records) || records <= 0) throw new Error('records must be a positive integer');
  const tag = randomUUID().slice(0, 8);
  let server;
  const dbs = [];
  try {
    server = await startServer();
    const remote = new PouchDB(`${server.base}/holdfast-bench-${tag}`);
    dbs.push(remote);
    await remote.info(); // creates the database on the server (PUT) before any timing
    log(`pouchdb: server on ${server.base}`);

    // (1) PUSH: fill a local memory db (untimed), then time its replication to the server.
    const source = new PouchDB(`push-${tag}`, { adapter: 'memory' });
    dbs.push(source);
    const incidentId = randomUUID();
    for (let i = 0; i < records; i += INSERT_CHUNK) {
      const docs = [];
      for (let j = i; j < Math.min(records, i + INSERT_CHUNK); j++) docs.push(makeDoc(j, incidentId));
      await source.bulkDocs(docs);
    }
    const pushStart = performance.now();
    const pushed = await replicate(source, remote, batchSize);
    const pushMs = performance.now() - pushStart;
    const remoteInfo = await remote.info();
    if (!pushed.ok || pushed.docs_written !== records || remoteInfo.doc_count !== records) {
      throw new Error(
        `pouchdb: push wrote ${pushed.docs_written}, server has ${remoteInfo.doc_count} of ${records}`,
      );
    }
    log(`pouchdb: pushed ${records} docs in ${pushMs.toFixed(0)} ms`);

    // (2) CATCH-UP: a fresh local memory db replicates everything from the server.
    const target = new PouchDB(`catchup-${tag}`, { adapter: 'memory' });
    dbs.push(target);
    const catchStart = performance.now();
    const pulled = await replicate(remote, target, batchSize);
    const catchMs = performance.now() - catchStart;
    const targetInfo = await target.info();
    if (!pulled.ok || pulled.docs_written !== records || targetInfo.doc_count !== records) {
      throw new Error(
        `pouchdb: catch-up wrote ${pulled.docs_written}, local has ${targetInfo.doc_count} of ${records}`,
      );
    }
    log(`pouchdb: caught up ${records} docs in ${catchMs.toFixed(0)} ms`);

    return {
      pushPerSec: records / (pushMs / 1000),
      catchUpPerSec: records / (catchMs / 1000),
      records,
    };
  } finally {
    // Local memory dbs are process-global by name: destroy them so repeated runs start clean.
    await Promise.allSettled(dbs.slice(1).map((db) => db.destroy()));
    await server?.stop();
  }
}
