// Types for pouchdb.mjs (PouchDB / express-pouchdb peer benchmark), for bench/*.ts importers.
import type { PeerBenchOptions, PeerBenchResult } from './actual.mjs';
export type { PeerBenchOptions, PeerBenchResult };
/** `batchSize` here is PouchDB's replication batch_size; default 1000. */
export function benchPouch(opts: PeerBenchOptions): Promise<PeerBenchResult>;
