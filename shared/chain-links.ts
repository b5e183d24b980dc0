// Hash chains of ops: each device's ops in each stream, in clock order, chain by prevHash from the
// genesis hash, and each op's hash must match its content. The replica's verify-chain, the export
// check and the service's verify-chain all walk chains with these.
import { genesisHash, hashOp, type Op, type Sha256Hex } from './ops';

/** A break found among ops given as a list: where, and why. */
export interface OpChainBreak {
  deviceId: string;
  streamId: string;
  /** 1-based position of the broken record in its chain. */
  position: number;
  opId: string;
  reason: string;
}

/** Why an op does not hold its place (1-based) in its chain after `expectedPrev`, or null when it does. */
export function linkProblem(op: Op, position: number, expectedPrev: string, sha256Hex: Sha256Hex): string | null {
  if (hashOp(op, sha256Hex) !== op.hash) return 'its content does not match its hash: the record was altered after it was written';
  if (op.prevHash === expectedPrev) return null;
  return position === 1
    ? 'it is first in its chain but does not start from the genesis hash: earlier records are missing'
    : `it does not chain to record ${position - 1}: a record is missing, reordered or was inserted`;
}

/**
 * Each of `ordered` (ops in chain order: each device's ops in each stream together, in clock order)
 * with its 1-based position in its chain and the hash it must chain to.
 */
export function* chainPlaces<T extends Op>(ordered: Iterable<T>): Generator<{ op: T; position: number; expectedPrev: string }> {
  let chainKey = '';
  let position = 0;
  let expectedPrev = genesisHash;
  for (const op of ordered) {
    const key = `${op.deviceId}\n${op.streamId}`;
    if (key !== chainKey) {
      chainKey = key;
      position = 0;
      expectedPrev = genesisHash;
    }
    position += 1;
    yield { op, position, expectedPrev };
    expectedPrev = op.hash;
  }
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Checks the chains among `ops` (one incident's stream as an export holds it, or a stream of the
 * service's store): each device's ops in each stream in clock order. It goes on past a break and
 * reports the first break of every chain.
 */
export function verifyOpChains(ops: readonly Op[], sha256Hex: Sha256Hex): { chains: number; ops: number; breaks: OpChainBreak[] } {
  const ordered = [...ops].sort((a, b) => byText(a.deviceId, b.deviceId) || byText(a.streamId, b.streamId) || byText(a.hlc, b.hlc) || byText(a.opId, b.opId));
  const breaks: OpChainBreak[] = [];
  let chains = 0;
  let isBroken = false;
  for (const { op, position, expectedPrev } of chainPlaces(ordered)) {
    if (position === 1) {
      chains += 1;
      isBroken = false;
    }
    if (isBroken) continue;
    const reason = linkProblem(op, position, expectedPrev, sha256Hex);
    if (reason) {
      breaks.push({ deviceId: op.deviceId, streamId: op.streamId, position, opId: op.opId, reason });
      isBroken = true;
    }
  }
  return { chains, ops: ordered.length, breaks };
}
