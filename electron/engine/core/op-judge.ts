// Verdicts on ops for a replica that judges (it pinned an org key): a batch from elsewhere is first
// authenticated by chain coverage (about one signature per device chain run), then each op is
// judged at its turn, so trust records applied earlier in the batch count for later ops.
import { judgeOp, signingKeyOf } from '@shared/trust/judge';
import { authenticateSync, type KnownChains } from '@shared/trust/coverage';
import type { Verdict } from '@shared/trust/types';
import type { Op } from '@shared/ops';
import { ed25519 } from '@shared/node/ed25519';
import type { OpLog } from './op-log';
import type { ReplicaTrust } from './trust-store';

export interface OpJudge {
  /** The verdict on an op this replica is about to write (it signed the op itself). */
  local(op: Op): Verdict;
  /** Authenticates a batch at once; the returned function judges each op of it when its turn comes. */
  batch(ops: readonly Op[]): (op: Op) => Verdict;
}

export function createOpJudge(trust: ReplicaTrust, opLog: OpLog): OpJudge {
  const known = (): KnownChains => {
    const view = trust.view();
    return {
      keyOf: (op) => signingKeyOf(op, view),
      storedHash: (opId) => opLog.storedHash(opId),
      // A legacy seal lists every unsigned op it vouches for: its hash is proof enough.
      isSealedHead: (deviceId, streamId, hash) => view.isLegacySealed({ opId: '', deviceId, streamId, hash }),
    };
  };
  return {
    local: (op) => judgeOp(op, trust.view()),
    batch(ops) {
      const proof = authenticateSync(ops, known(), ed25519.verify);
      const forged = new Set(proof.forged.map((op) => op.opId + op.hash));
      const unproven = new Set(proof.unproven.map((op) => op.opId + op.hash));
      return (op) => {
        if (forged.has(op.opId + op.hash)) return { is: 'rejected', reason: `op ${op.opId} is known here with another content: a forgery` };
        const verdict = judgeOp(op, trust.view());
        if (!unproven.has(op.opId + op.hash) || verdict.is === 'held' || verdict.is === 'rejected') return verdict;
        // Authentic-looking but not proven: no valid signature of its key covers it (yet).
        return { is: 'held', reason: `no valid signature of device ${op.deviceId} covers op ${op.opId} yet` };
      };
    },
  };
}
