// Types for actual.mjs (Actual Budget sync-server peer benchmark), for bench/*.ts importers.
export interface PeerBenchOptions {
  /** How many records (CRDT messages) to push and then catch up. */
  records: number;
  /** Progress lines; defaults to silence. */
  log?: (msg: string) => void;
  /** Messages per /sync/sync request; default 1000. */
  batchSize?: number;
}
export interface PeerBenchResult {
  pushPerSec: number;
  catchUpPerSec: number;
  records: number;
}
export function benchActual(opts: PeerBenchOptions): Promise<PeerBenchResult>;
