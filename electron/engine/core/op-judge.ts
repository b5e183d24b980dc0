// Verdicts on ops for a replica that judges (it pinned an org key): a batch from elsewhere is first
// authenticated by chain coverage (about one signature per device chain run), then each op is
// judged at its turn, so trust records applied earlier in the batch count for later ops.
import { judgeOp, signingKeyOf } from '@shared/trust/judge';
import { authenticateSync, type KnownChains } from '@shared/trust/coverage';
import type { TrustView, Verdict } from '@shared/trust/types';
import type { Op } from '@shared/ops';
import { ed25519 } from '@shared/node/ed25519';
import { opSigningString } from '@shared/trust/signing';
import type { OpLog } from './op-log';
import type { ReplicaTrust } from './trust-store';

export interface OpJudge {
  /** The verdict on an op this replica is about to write (it signed the op itself). */
  local(op: Op): Verdict;
  /** Authenticates a batch at once; the returned function judges each op of it when its turn comes. */
  batch(ops: readonly Op[]): BatchJudge;
}

/**
 * Judges the ops of one batch; told when a trust record of the batch was stored, so lookups are read
 * again. `isStored` says whether the log held an op (same opId and hash) when the batch began.
 */
export type BatchJudge = ((op: Op) => Verdict) & { trustChanged(): void; isStored(op: Op): boolean };

/**
 * The trust view for one batch: each certificate, revocation list and adopting certificate is read
 * once, not once per op (judging and coverage ask several times per op). Cleared whenever the batch
 * stores a trust record.
 */
function batchView(view: TrustView): { view: TrustView; clear: () => void } {
  const maps: Map<string, unknown>[] = [];
  const memo = <T>(read: (key: string) => T): ((key: string) => T) => {
    const known = new Map<string, T>();
    maps.push(known);
    return (key) => {
      if (known.has(key)) return known.get(key) as T;
      const value = read(key);
      known.set(key, value);
      return value;
    };
  };
  const cached: TrustView = {
    orgKey: memo((keyId) => view.orgKey(keyId)),
    certificate: memo((certId) => view.certificate(certId)),
    revocations: memo((certId) => view.revocations(certId)),
    adoptingCertificate: memo((deviceId) => view.adoptingCertificate(deviceId)),
    isLegacySealed: (op) => view.isLegacySealed(op),
    get standalone() {
      return view.standalone;
    },
    verify: view.verify,
    sha256Hex: view.sha256Hex,
  };
  return { view: cached, clear: () => maps.forEach((map) => map.clear()) };
}

export function createOpJudge(trust: ReplicaTrust, opLog: OpLog): OpJudge {
  const known = (view: TrustView, stored: ReadonlyMap<string, string>): KnownChains => {
    return {
      keyOf: (op) => signingKeyOf(op, view),
      storedHash: (opId) => stored.get(opId),
      // A legacy seal lists every unsigned op it vouches for: its hash is proof enough.
      isSealedHead: (deviceId, streamId, hash) => view.isLegacySealed({ opId: '', deviceId, streamId, hash }),
    };
  };
  return {
    local: (op) => judgeOp(op, trust.view()),
    batch(ops) {
      const { view, clear } = batchView(trust.view());
      // What the log holds under the batch's opIds, read in one query: a copy is a duplicate, another hash a forgery.
      const stored = opLog.storedHashes(ops.map((op) => op.opId));
      const proof = authenticateSync(ops, known(view, stored), ed25519.verify);
      const forged = new Set(proof.forged.map((op) => op.opId + op.hash));
      const unproven = new Set(proof.unproven.map((op) => op.opId + op.hash));
      const judge = (op: Op): Verdict => {
        if (forged.has(op.opId + op.hash)) return { is: 'rejected', reason: `op ${op.opId} is known here with another content: a forgery` };
        const verdict = judgeOp(op, view);
        if (!unproven.has(op.opId + op.hash) || verdict.is === 'held' || verdict.is === 'rejected') return verdict;
        // Not proven when the batch was planned (its certificate may have come later in the batch).
        // Signed: its own signature decides now, and a wrong one (an op passed off as another
        // device's) is rejected, as the service decides. Unsigned: the device's next signed op may still cover it.
        const key = op.sig === undefined ? undefined : signingKeyOf(op, view);
        if (key !== undefined) {
          return ed25519.verify(key, opSigningString(op.hash), op.sig!)
            ? verdict
            : { is: 'rejected', reason: `signature: does not verify against the key of device ${op.deviceId}'s certificate` };
        }
        return { is: 'held', reason: `no valid signature of device ${op.deviceId} covers op ${op.opId} yet` };
      };
      return Object.assign(judge, { trustChanged: clear, isStored: (op: Op) => stored.get(op.opId) === op.hash });
    },
  };
}
