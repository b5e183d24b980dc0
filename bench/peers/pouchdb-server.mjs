// Child process for bench/peers/pouchdb.mjs: an express app serving express-pouchdb (CouchDB
// HTTP API) over PouchDB with the in-memory adapter, on 127.0.0.1 and a port the OS picks.
// Reports { port } to the parent over IPC once listening; exits on SIGTERM or when the parent goes.
import express from 'express';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb';
import memoryAdapter from 'pouchdb-adapter-memory';

PouchDB.plugin(memoryAdapter);
// Every database the server creates (the bench db and pouchdb-all-dbs' bookkeeping db) lives
// in memory, so nothing is written to disk.
const MemoryPouchDB = PouchDB.defaults({ adapter: 'memory' });

const app = express();
// 'minimumForPouchDB' is express-pouchdb's mode for serving PouchDB replication: the document,
// _changes, _revs_diff, _bulk_docs and _bulk_get routes (with its default gzip compression),
// without the CouchDB config/log files, Fauxton or auth layers of 'fullCouchDB'.
app.use('/', expressPouchDB(MemoryPouchDB, { mode: 'minimumForPouchDB' }));

const server = app.listen(0, '127.0.0.1', () => {
  process.send({ port: server.address().port });
});

function shutdown() {
  server.close();
  server.closeAllConnections?.();
  process.exit(0);
}
process.on('SIGTERM', shutdown);
process.on('disconnect', shutdown); // parent exited without stopping us
