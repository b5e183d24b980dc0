// `holdfast server verify-chain`: every device's hash chain in every stream of the service store,
// each op's hash recomputed from its content and linked to its device's previous op in the stream
// (clock order). Refused ops hold their place in their chains (the service stores them), so a
// refusal is listed as refused, never as a missing record. A purged stream is gone whole.
import { verifyOpChains, type OpChainBreak } from '@shared/chain-links';
import { sha256Hex, type SequencedOp, type SyncStore } from './sync-store';

export interface StoreChainBreak extends OpChainBreak {
  /** The op's position in its stream at the service. */
  seq: number;
}

export interface StoreChainReport {
  streams: number;
  chains: number;
  ops: number;
  /** Ops without a signature (written before signing existed). */
  unsigned: number;
  /** Ops kept in their chains although their signer was not allowed to write them, with the reason. */
  refused: { opId: string; deviceId: string; streamId: string; seq: number; reason: string }[];
  /** The first break of every broken chain. */
  breaks: StoreChainBreak[];
}

const pageSize = 5000;

async function streamOps(store: SyncStore, streamId: string): Promise<SequencedOp[]> {
  const ops: SequencedOp[] = [];
  for (let after = 0; ;) {
    const page = await store.readOps(streamId, after, pageSize);
    ops.push(...page);
    if (page.length < pageSize) return ops;
    after = page[page.length - 1].seq;
  }
}

export async function verifyStore(store: SyncStore): Promise<StoreChainReport> {
  const report: StoreChainReport = { streams: 0, chains: 0, ops: 0, unsigned: 0, refused: [], breaks: [] };
  for (const { streamId } of await store.streamHeads()) {
    report.streams += 1;
    const ops = await streamOps(store, streamId);
    const { chains, breaks } = verifyOpChains(ops, sha256Hex);
    const seqOf = new Map(ops.map((op) => [op.opId, op.seq]));
    report.chains += chains;
    report.ops += ops.length;
    report.breaks.push(...breaks.map((b) => ({ ...b, seq: seqOf.get(b.opId)! })));
    for (const op of ops) {
      if (op.sig === undefined) report.unsigned += 1;
      if (op.refusal !== undefined) report.refused.push({ opId: op.opId, deviceId: op.deviceId, streamId, seq: op.seq, reason: op.refusal });
    }
  }
  return report;
}

export const describeStoreBreak = (b: StoreChainBreak) =>
  `chain of device ${b.deviceId} in stream ${b.streamId} breaks at record ${b.position} (op ${b.opId}, seq ${b.seq}): ${b.reason}`;
