// Which signatures to verify so that every op of a batch is proven authentic with as few checks as
// possible. An op's hash commits to its device's previous op in the stream, so one valid signature
// on op N vouches for every earlier op of that (device, stream) chain signed with the same key: a
// receiver verifies about one signature per chain run, and only steps back when one fails.
import type { Op } from '../ops';
import { opSigningString } from './signing';
import type { SignatureCheck, VerifyMany, VerifySignature } from './types';

/** What the node already knows about the chains and keys of a batch's ops. */
export interface KnownChains {
  /** The public key that must have signed `op` (judge.ts signingKeyOf); undefined when not known yet. */
  keyOf(op: Op): string | undefined;
  /**
   * Keys whose valid signatures on ops already in the log cover the op with this hash (typically
   * the key of the authentic log op whose prevHash is `hash`). May under-report: that only costs
   * extra checks or a hold.
   */
  keysAbove?(deviceId: string, streamId: string, hash: string): readonly string[];
  /** Whether an org legacy_seal names this hash as a chain head: it and everything before it are authentic. */
  isSealedHead?(deviceId: string, streamId: string, hash: string): boolean;
  /** The hash the log holds for an opId, if any: another hash under the same opId is a forgery. */
  storedHash?(opId: string): string | undefined;
}

/** Why an op is authentic: a verified signature (on it or a later op of its chain), the log, or an org seal. */
export type Cover = { by: 'signature'; opId: string } | { by: 'log' } | { by: 'seal' };

export interface VerificationPlan {
  /** Signatures to check next; empty when the plan is final. */
  verify: (SignatureCheck & { opId: string })[];
  /** Ops proven authentic by signatures already checked (`checked`), the log or a seal. */
  coveredBy: Map<string, Cover>;
  /** Ops nothing can prove (yet): hold them. Final only once `verify` is empty. */
  unproven: Op[];
  /** Ops whose opId is known under another hash: reject them. */
  forged: Op[];
}

interface Node {
  op: Op;
  key: string | undefined;
  children: Node[];
  /** Per key: why ops of that key are covered from here down (this op or a later one). */
  covered: Map<string, Cover>;
  /** Per key: the newest signed op, this or later, whose signature is not checked yet. */
  candidates: Map<string, Node>;
  isSealed: boolean;
}

/** What a node holds until it is settled (settle gives it maps of its own before writing): never written. */
const unsettled = new Map<never, never>();

const isNewer = (a: Op, b: Op) => a.hlc > b.hlc || (a.hlc === b.hlc && a.opId > b.opId);

/**
 * Plans the next round of checks for `ops` (already through checkOp), given the results so far
 * (`checked`: opId → whether its signature verified). Call again with the results until `verify`
 * is empty; authenticateSync and authenticate do that.
 */
export function planVerification(ops: readonly Op[], known: KnownChains, checked: ReadonlyMap<string, boolean> = new Map()): VerificationPlan {
  const plan: VerificationPlan = { verify: [], coveredBy: new Map(), unproven: [], forged: [] };
  const chains = new Map<string, Map<string, Node>>();
  for (const op of ops) {
    const stored = known.storedHash?.(op.opId);
    if (stored !== undefined && stored !== op.hash) {
      plan.forged.push(op);
      continue;
    }
    const chainKey = `${op.deviceId}\n${op.streamId}`;
    let chain = chains.get(chainKey);
    if (!chain) chains.set(chainKey, (chain = new Map<string, Node>()));
    if (!chain.has(op.hash)) chain.set(op.hash, { op, key: known.keyOf(op), children: [], covered: unsettled, candidates: unsettled, isSealed: false });
  }
  const toVerify = new Map<string, Node>();
  for (const chain of chains.values()) {
    for (const node of chain.values()) chain.get(node.op.prevHash)?.children.push(node);
    for (const node of laterFirst(chain)) settle(node, known, checked, plan, toVerify);
  }
  for (const node of toVerify.values()) {
    plan.verify.push({ opId: node.op.opId, publicKey: node.key as string, message: opSigningString(node.op.hash), signature: node.op.sig as string });
  }
  // Copies of one opId under different hashes: whichever is not proven is the forgery.
  const provenIds = new Set(ops.filter((op) => plan.coveredBy.has(op.opId + op.hash)).map((op) => op.opId));
  const coveredBy = new Map<string, Cover>();
  for (const op of ops) {
    const cover = plan.coveredBy.get(op.opId + op.hash);
    if (cover) coveredBy.set(op.opId, cover);
  }
  plan.coveredBy = coveredBy;
  plan.unproven = plan.unproven.filter((op) => {
    if (!provenIds.has(op.opId)) return true;
    plan.forged.push(op);
    return false;
  });
  return plan;
}

/** A chain's ops, every op after all of its descendants (hash links form a forest: one parent each). */
function laterFirst(chain: Map<string, Node>): Node[] {
  const pending = new Map<Node, number>();
  const ready: Node[] = [];
  for (const node of chain.values()) {
    pending.set(node, node.children.length);
    if (node.children.length === 0) ready.push(node);
  }
  const order: Node[] = [];
  while (ready.length > 0) {
    const node = ready.pop() as Node;
    order.push(node);
    const parent = chain.get(node.op.prevHash);
    if (parent && parent !== node) {
      const left = (pending.get(parent) ?? 1) - 1;
      pending.set(parent, left);
      if (left === 0) ready.push(parent);
    }
  }
  return order;
}

/** Decides one op from what its descendants offer: covered, waiting on a check, or unproven. */
function settle(node: Node, known: KnownChains, checked: ReadonlyMap<string, boolean>, plan: VerificationPlan, toVerify: Map<string, Node>): void {
  const { op, key } = node;
  // A settled child is read only by its parent (its one parent, settled right after it): the first
  // child's maps become this node's (its own are still empty), which gives the same maps as merging
  // every child into empty ones, without copying along a chain.
  const [first] = node.children;
  node.covered = first === undefined ? new Map<string, Cover>() : first.covered;
  node.candidates = first === undefined ? new Map<string, Node>() : first.candidates;
  for (const child of node.children) {
    if (child === first) {
      node.isSealed ||= child.isSealed;
      continue;
    }
    for (const [k, cover] of child.covered) if (!node.covered.has(k)) node.covered.set(k, cover);
    for (const [k, candidate] of child.candidates) {
      const mine = node.candidates.get(k);
      if (!mine || isNewer(candidate.op, mine.op)) node.candidates.set(k, candidate);
    }
    node.isSealed ||= child.isSealed;
  }
  node.isSealed ||= known.isSealedHead?.(op.deviceId, op.streamId, op.hash) ?? false;
  for (const k of known.keysAbove?.(op.deviceId, op.streamId, op.hash) ?? []) if (!node.covered.has(k)) node.covered.set(k, { by: 'log' });
  if (key !== undefined && op.sig !== undefined) {
    const result = checked.get(op.opId);
    if (result === true) node.covered.set(key, { by: 'signature', opId: op.opId });
    else if (result === undefined && !node.candidates.has(key)) node.candidates.set(key, node);
  }
  const id = op.opId + op.hash;
  const cover = key === undefined ? undefined : node.covered.get(key);
  if (cover) plan.coveredBy.set(id, cover);
  else if (node.isSealed && op.sig === undefined) plan.coveredBy.set(id, { by: 'seal' });
  else if (key !== undefined && node.candidates.has(key)) {
    const candidate = node.candidates.get(key) as Node;
    toVerify.set(candidate.op.opId, candidate);
  } else plan.unproven.push(op);
}

export interface Authentication {
  coveredBy: Map<string, Cover>;
  unproven: Op[];
  forged: Op[];
  /** How many signatures were checked. */
  verifications: number;
}

const finish = (plan: VerificationPlan, checked: Map<string, boolean>): Authentication => ({
  coveredBy: plan.coveredBy,
  unproven: plan.unproven,
  forged: plan.forged,
  verifications: checked.size,
});

/** Runs the plan to the end with synchronous checks (small batches, local callers). */
export function authenticateSync(ops: readonly Op[], known: KnownChains, verify: VerifySignature): Authentication {
  const checked = new Map<string, boolean>();
  for (;;) {
    const plan = planVerification(ops, known, checked);
    if (plan.verify.length === 0) return finish(plan, checked);
    for (const check of plan.verify) checked.set(check.opId, verify(check.publicKey, check.message, check.signature));
  }
}

/** Runs the plan to the end, each round's checks at once through `verifyMany` (the threadpool on Node). */
export async function authenticate(ops: readonly Op[], known: KnownChains, verifyMany: VerifyMany): Promise<Authentication> {
  const checked = new Map<string, boolean>();
  for (;;) {
    const plan = planVerification(ops, known, checked);
    if (plan.verify.length === 0) return finish(plan, checked);
    const results = await verifyMany(plan.verify);
    plan.verify.forEach((check, i) => checked.set(check.opId, results[i]));
  }
}
