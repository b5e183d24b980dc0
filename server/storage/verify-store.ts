// `holdfast server verify-chain`: every device's hash chain in every stream of the service store,
// each op's hash recomputed from its content and linked to its device's previous op in the stream
// (clock order). Refused ops hold their place in their chains (the service stores them), so a
// refusal is listed as refused, never as a missing record. A purged stream is gone whole.
import { genesisHash, hashOp } from '@shared/ops';
import { sha256Hex, type SequencedOp, type SyncStore } from './sync-store';

export interface StoreChainBreak {
  deviceId: string;
  streamId: string;
  /** 1-based position of the broken record in its chain. */
  position: number;
  opId: string;
  seq: number;
  reason: string;
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
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

async function streamOps(store: SyncStore, streamId: string): Promise<SequencedOp[]> {
  const ops: SequencedOp[] = [];
  for (let after = 0; ;) {
    const page = await store.readOps(streamId, after, pageSize);
    ops.push(...page);
    if (page.length < pageSize) return ops;
    after = page[page.length - 1].seq;
  }
}

/** Why `op` does not hold its place (1-based) after `expectedPrev`, or null when it does. */
function linkProblem(op: SequencedOp, position: number, expectedPrev: string): string | null {
  const { refusal: _refusal, seq: _seq, ...content } = op;
  if (hashOp(content, sha256Hex) !== op.hash) return 'its content does not match its hash: the record was altered after it was written';
  if (op.prevHash === expectedPrev) return null;
  return position === 1
    ? 'it is first in its chain but does not start from the genesis hash: earlier records are missing'
    : `it does not chain to record ${position - 1}: a record is missing, reordered or was inserted`;
}

export async function verifyStore(store: SyncStore): Promise<StoreChainReport> {
  const report: StoreChainReport = { streams: 0, chains: 0, ops: 0, unsigned: 0, refused: [], breaks: [] };
  for (const { streamId } of await store.streamHeads()) {
    report.streams += 1;
    const ops = (await streamOps(store, streamId)).sort((a, b) => byText(a.deviceId, b.deviceId) || byText(a.hlc, b.hlc) || byText(a.opId, b.opId));
    let device = '';
    let position = 0;
    let expectedPrev = genesisHash;
    let isBroken = false;
    for (const op of ops) {
      if (op.deviceId !== device) {
        device = op.deviceId;
        position = 0;
        expectedPrev = genesisHash;
        isBroken = false;
        report.chains += 1;
      }
      position += 1;
      report.ops += 1;
      if (op.sig === undefined) report.unsigned += 1;
      if (op.refusal !== undefined) report.refused.push({ opId: op.opId, deviceId: op.deviceId, streamId, seq: op.seq, reason: op.refusal });
      const reason = isBroken ? null : linkProblem(op, position, expectedPrev);
      if (reason) {
        report.breaks.push({ deviceId: op.deviceId, streamId, position, opId: op.opId, seq: op.seq, reason });
        isBroken = true;
      }
      expectedPrev = op.hash;
    }
  }
  return report;
}

export const describeStoreBreak = (b: StoreChainBreak) =>
  `chain of device ${b.deviceId} in stream ${b.streamId} breaks at record ${b.position} (op ${b.opId}, seq ${b.seq}): ${b.reason}`;
