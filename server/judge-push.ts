// How the central service decides each op of a push: the same judgeOp every replica runs, against
// the service's own trust stream, after the batch is authenticated by chain coverage (one signature
// per device chain run, verified on the threadpool). Relaying vouches for nothing: whoever pushed it,
// an op stands or falls by its own signature and its signer's certificate.
import { canonicalJson, isInCanonicalOrder } from '@shared/canonical';
import { clockAheadReason, decodeHlc } from '@shared/hlc';
import { entitySpecs } from '@shared/entities';
import { trustStream } from '@shared/entities/streams';
import { ed25519 } from '@shared/node/ed25519';
import { checkOp, claimedOpId, type Op } from '@shared/ops';
import type { PushResult } from '@shared/sync';
import { authenticate, type KnownChains } from '@shared/trust/coverage';
import { judgeOp, signingKeyOf } from '@shared/trust/judge';
import { goneReason } from '@shared/purge';
import { sha256Hex, type PurgedStream, type StoredOp, type SyncStore } from './storage/sync-store';
import type { LiveTrust, StoredTrust } from './trust/stored-trust';

/** What a push's ops become before the store has its say: stored (valid or refused) or answered now. */
export interface JudgedPush {
  results: PushResult[];
  /** The trust stream's seq the judging view had read (see rejudgeStored). */
  trustSeq: number;
  /** Ops to insert, with their index in the push; a refused one carries its refusal. */
  toStore: { index: number; op: StoredOp }[];
}

export interface PushJudgeDeps {
  store: SyncStore;
  live: LiveTrust;
  now: () => number;
  maxDriftMs: number;
  /** Why a valid op may still not be stored (the legal hold on a purge), or null. */
  conflictOf?: (op: Op) => Promise<string | null>;
}

export const updateMessage = 'sig: this service requires signed ops: update Holdfast';

const isTrustOp = (op: Op) => op.streamId === trustStream || entitySpecs[op.entity].scope === 'trust';

export async function judgePush({ store, live, now, maxDriftMs, conflictOf }: PushJudgeDeps, inputs: readonly unknown[]): Promise<JudgedPush> {
  const results = new Array<PushResult>(inputs.length);
  const toStore: JudgedPush['toStore'] = [];
  const candidates: { index: number; op: Op }[] = [];
  for (const [index, input] of inputs.entries()) {
    const checked = checkOp(input, sha256Hex);
    const opId = claimedOpId(input);
    if (!checked.ok) results[index] = { opId, status: 'rejected', reason: checked.reason };
    // A stamp too far ahead is not taken yet, nor refused for good: the device keeps it queued and
    // sends it again; it is taken once the service's time is near it (docs/sync.md, "Clocks").
    else if (decodeHlc(checked.op.hlc).ms > now() + maxDriftMs) {
      const { ms } = decodeHlc(checked.op.hlc);
      results[index] = { opId, status: 'held', reason: clockAheadReason(ms - now(), ms - maxDriftMs, 'the service') };
    }
    // Fields in canonical order, as they are stored and pulled: a refusal's text names fields in
    // their order, so every node must judge the same object.
    else {
      const { fields } = checked.op;
      candidates.push({ index, op: isInCanonicalOrder(fields) ? checked.op : { ...checked.op, fields: JSON.parse(canonicalJson(fields)) as Op['fields'] } });
    }
  }
  // A copy of a stored op (same opId and hash) changes nothing: relays push everything they hold.
  const stored = await store.storedHashes(candidates.map((c) => c.op.opId));
  const fresh = candidates.filter(({ index, op }) => {
    if (stored.get(op.opId) !== op.hash) return true;
    results[index] = { opId: op.opId, status: 'duplicate' };
    return false;
  });
  // An op of a purged incident is gone whoever wrote it: nothing of that stream is kept again.
  const purges = new Map<string, PurgedStream | null>();
  for (const streamId of new Set(fresh.map((c) => c.op.streamId))) if (streamId !== trustStream) purges.set(streamId, await store.purgedStream(streamId));
  const current = fresh.filter(({ index, op }) => {
    const purge = purges.get(op.streamId);
    if (!purge) return true;
    results[index] = { opId: op.opId, status: 'rejected', reason: goneReason(purge.incidentId, purge.purgedAt) };
    return false;
  });
  const view = await live.current();
  const trustSeq = live.seq();
  // Trust records first: a certificate earlier in the push may be what a later op is signed under.
  for (const part of [current.filter((c) => isTrustOp(c.op)), current.filter((c) => !isTrustOp(c.op))]) {
    if (part.length === 0) continue;
    const ops = part.map((c) => c.op);
    const known: KnownChains = {
      keyOf: (op) => signingKeyOf(op, view),
      isSealedHead: (_deviceId, streamId, hash) => view.isSealed(streamId, hash),
      storedHash: (opId) => stored.get(opId),
    };
    let proof = await authenticate(ops, known, ed25519.verifyMany);
    // Unsigned ops written before the org key, sent after their signed successor (a big outbox in
    // several pushes): that stored successor's signature covers them. Later unsigned ops are refused anyway.
    const { orgCreatedAt } = view;
    const unsignedTips = proof.unproven.filter((op) => op.sig === undefined && orgCreatedAt !== null && decodeHlc(op.hlc).ms < orgCreatedAt).map((op) => op.hash);
    const successors = unsignedTips.length > 0 ? await store.signedSuccessors(unsignedTips) : [];
    if (successors.length > 0) {
      const above = new Map<string, string[]>();
      for (const next of successors) {
        const key = signingKeyOf(next, view);
        if (key !== undefined) above.set(`${next.deviceId}\n${next.streamId}\n${next.prevHash}`, [key]);
      }
      proof = await authenticate(ops, { ...known, keysAbove: (deviceId, streamId, hash) => above.get(`${deviceId}\n${streamId}\n${hash}`) ?? [] }, ed25519.verifyMany);
    }
    const forged = new Set(proof.forged.map((op) => op.opId + op.hash));
    const unproven = new Set(proof.unproven.map((op) => op.opId + op.hash));
    for (const { index, op } of part) {
      const result = decide(op, view, forged, unproven);
      if (result.status === 'accepted' || result.status === 'refused') {
        const conflict = result.status === 'accepted' ? await conflictOf?.(op) : null;
        if (conflict) {
          results[index] = { opId: op.opId, status: 'rejected', reason: conflict };
          continue;
        }
        toStore.push({ index, op: result.status === 'refused' ? { ...op, refusal: result.reason } : op });
        if (result.status === 'accepted') view.apply(op);
      } else results[index] = result;
    }
  }
  return { results, trustSeq, toStore };
}

type Decision = { status: 'accepted' } | { opId: string; status: 'refused' | 'held' | 'rejected'; reason: string };

/** One authenticated (or not) op's fate under the view. */
function decide(op: Op, view: StoredTrust, forged: Set<string>, unproven: Set<string>): Decision {
  const no = (status: 'refused' | 'held' | 'rejected', reason: string): Decision => ({ opId: op.opId, status, reason });
  if (forged.has(op.opId + op.hash)) return no('rejected', `op ${op.opId} is stored here with another content: a forgery`);
  const isUnsigned = op.sig === undefined;
  if (isUnsigned && !view.isLegacySealed(op) && view.orgCreatedAt !== null && decodeHlc(op.hlc).ms >= view.orgCreatedAt) return no('rejected', updateMessage);
  const verdict = judgeOp(op, view);
  if (verdict.is === 'rejected') return no('rejected', verdict.reason);
  if (verdict.is === 'held') return no('held', verdict.reason);
  if (unproven.has(op.opId + op.hash)) {
    // Its signer is known, yet no valid signature of that key covers it: a wrong signature, or an
    // op passed off as another device's. An unsigned op may still be covered by its device's next.
    return isUnsigned
      ? no('held', `no signed op of device ${op.deviceId} covers this unsigned op yet`)
      : no('rejected', `signature: does not verify against the key of device ${op.deviceId}'s certificate`);
  }
  return verdict.is === 'valid' ? { status: 'accepted' } : no('refused', verdict.reason);
}

/**
 * After a push's ops are stored: when trust records arrived meanwhile (a revocation committed by
 * another node between judging and storing), the ops stored valid are judged again and those now
 * refused are marked so. A revocation's own pass sees every op committed before it looks; this
 * catches those committed after, so no op stays valid at the service past its revocation.
 */
export async function rejudgeStored(store: SyncStore, live: LiveTrust, seenSeq: number, stored: readonly Op[]): Promise<Map<string, string>> {
  const refused = new Map<string, string>();
  if (stored.length === 0) return refused;
  const view = await live.fresh();
  if (live.seq() === seenSeq) return refused;
  for (const op of stored) {
    const verdict = judgeOp(op, view);
    if (verdict.is === 'refused') refused.set(op.opId, verdict.reason);
  }
  await store.refuseOps([...refused].map(([opId, reason]) => ({ opId, reason })));
  return refused;
}
