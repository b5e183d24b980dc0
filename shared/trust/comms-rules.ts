// Delivery authority, written once for every node: who may send a published update, and what a claim,
// a settlement and a delivery record must prove. The replica's outbox, its own coordinator (and so a
// hub it hosts) and the central service all decide with these functions.
import type { Role } from '../roles';
import { isWithin, revocationAt } from './certificate';
import type { TrustView } from './types';

/** Who may publish to, claim and settle the deliveries of each audience: the people who publish updates. */
export const publisherRoles: readonly Role[] = ['admin', 'commander', 'comms'];

/** Delivery states that record a claim or a settlement: only the device doing it writes them, naming itself. */
export const claimStates = ['sending', 'delivered', 'retrying', 'failed'] as const;

/** How a device names itself in a delivery row's `by` (user@device). */
export const deliveryHolderName = (user: string, deviceId: string) => `${user}@${deviceId}`;

/**
 * Why a comms_delivery op is refused whatever else a node knows (null when it is not). Decided from
 * the op alone, so every node reaches the same verdict in any order: a claim or settlement names
 * the device that wrote it, and "delivered" carries what the receiving end answered.
 */
export function deliveryOpRefusal(op: { actorId: string; deviceId: string; fields: Record<string, unknown> }): string | null {
  const { state, by, detail, deliveredAt } = op.fields;
  const own = deliveryHolderName(op.actorId, op.deviceId);
  if (typeof by === 'string' && by !== '' && by !== own) return `a delivery is recorded by the device doing it: by ${by}, written by ${own}`;
  if (typeof state !== 'string' || !(claimStates as readonly string[]).includes(state)) return null;
  if (by !== own) return `a delivery that is ${state} names the device holding it (by ${own})`;
  if (state === 'delivered' && (typeof detail !== 'string' || detail.trim() === '' || typeof deliveredAt !== 'number')) {
    return "a delivered update records the receiving end's answer (detail) and when (deliveredAt)";
  }
  return null;
}

/**
 * Why a comms_update op is refused whatever else a node knows (null when it is not): an update's
 * author is whoever created it, so an op may name as `author` only the person who writes it. Which
 * op created the update (its first valid op by clock) is what every node reads as its author.
 */
export function updateOpRefusal(op: { actorId: string; fields: Record<string, unknown> }): string | null {
  const { author } = op.fields;
  if (author === undefined || author === op.actorId) return null;
  return `an update's author is the person who writes it: author ${typeof author === 'string' ? author : JSON.stringify(author)}, written by ${op.actorId}`;
}

// ─── Claims and settlements at a coordinator ───────────────────────────────────────────────────────

/** The signature a device puts on a claim or a settlement: its certificate, the time and an Ed25519 signature. */
export interface ClaimProof {
  /** The signing device's certificate; null on a replica that never connected (its own key). */
  certId: string | null;
  /** When it was signed (ms). */
  at: number;
  sig: string;
}

/** How far a claim's signing time may be from the coordinator's clock. */
export const maxClaimSkewMs = 10 * 60_000;

export type ClaimAct = { kind: 'claim'; key: string; holder: string; leaseMs: number } | { kind: 'settle'; key: string; holder: string; outcome: string };

/** What a device signs to claim or settle a delivery. */
export function claimSigningString(act: ClaimAct, certId: string | null, at: number): string {
  const detail = act.kind === 'claim' ? String(act.leaseMs) : act.outcome;
  return `holdfast delivery ${act.kind} v1\n${act.key}\n${act.holder}\n${detail}\n${certId ?? ''}\n${at}`;
}

/** What a coordinator knows of the delivery's update and channel. */
export interface DeliveryFacts {
  /** Whether the update has a valid publication here. */
  isPublished(incidentId: string, updateId: string): boolean | Promise<boolean>;
  /** Whether this device holds the channel's secret (see channelHeldBy). */
  holds(channelId: string, deviceId: string): boolean | Promise<boolean>;
}

/** incidentId/updateId/channelId, or null. */
export function deliveryKeyParts(key: string): { incidentId: string; updateId: string; channelId: string } | null {
  const parts = key.split('/');
  if (parts.length !== 3 || parts.some((part) => part === '')) return null;
  return { incidentId: parts[0], updateId: parts[1], channelId: parts[2] };
}

/**
 * Why a coordinator refuses this claim or settlement (null when it takes it): it is signed by the
 * holder device's key under a certificate valid now and of a role that publishes, the update is
 * published (a draft cannot be claimed or settled), and the device holds the channel.
 */
export async function claimRefusal(
  act: ClaimAct,
  proof: ClaimProof | undefined,
  context: { view: TrustView; now: number; facts: DeliveryFacts },
): Promise<string | null> {
  const { view, now, facts } = context;
  const what = `${act.kind === 'claim' ? 'claim on' : 'settlement of'} ${act.key}`;
  const parts = deliveryKeyParts(act.key);
  if (!parts) return `${what}: the key must be incidentId/updateId/channelId`;
  if (!proof) return `${what}: not signed; a claim or settlement is signed by the device that sends (update Holdfast)`;
  if (Math.abs(proof.at - now) > maxClaimSkewMs) return `${what}: signed at ${new Date(proof.at).toISOString()}, too far from this node's clock; check the device clock`;
  let publicKey: string;
  if (proof.certId === null) {
    if (view.standalone?.deviceId !== act.holder) return `${what}: no certificate; only a certified device may claim deliveries here`;
    publicKey = view.standalone.publicKey;
  } else {
    const certificate = view.certificate(proof.certId);
    if (!certificate) return `${what}: certificate ${proof.certId} is not known here`;
    const { body } = certificate;
    if (body.deviceId !== act.holder) return `${what}: certificate ${proof.certId} belongs to device ${body.deviceId}, not to the holder ${act.holder}`;
    if (!isWithin(body, proof.at)) return `${what}: certificate ${proof.certId} is not valid now`;
    const revoked = revocationAt(view.revocations(proof.certId), proof.at);
    if (revoked) return `${what}: certificate ${proof.certId} was revoked: ${revoked.reason}`;
    if (!publisherRoles.includes(body.role as Role)) return `${what}: ${body.user} is a ${body.role}; only admins, commanders and comms leads claim or settle deliveries`;
    publicKey = body.publicKey;
  }
  if (!view.verify(publicKey, claimSigningString(act, proof.certId, proof.at), proof.sig)) return `${what}: the signature does not verify against the holder's key`;
  return claimFactsRefusal(act, facts);
}

/** The part of claimRefusal that needs no signature: the update is published and the holder holds the channel. */
export async function claimFactsRefusal(act: ClaimAct, facts: DeliveryFacts, options: { checkHolder?: boolean } = {}): Promise<string | null> {
  const what = `${act.kind === 'claim' ? 'claim on' : 'settlement of'} ${act.key}`;
  const parts = deliveryKeyParts(act.key);
  if (!parts) return `${what}: the key must be incidentId/updateId/channelId`;
  if (!(await facts.isPublished(parts.incidentId, parts.updateId)))
    return `${what}: update ${parts.updateId} is not published at this node (yet); a draft cannot be claimed or settled`;
  if (options.checkHolder !== false && !(await facts.holds(parts.channelId, act.holder)))
    return `${what}: device ${act.holder} does not hold channel ${parts.channelId}; only a replica holding the channel's secret sends its deliveries`;
  return null;
}

// ─── Who holds a channel ───────────────────────────────────────────────────────────────────────────

/** The valid ops a holder decision is folded from: comms_channel_holder records and comms_channel writes. */
export interface ChannelOp {
  opId: string;
  hlc: string;
  deviceId: string;
  entity: string;
  rowId: string;
  fields: Record<string, unknown>;
}

const isLater = (a: ChannelOp, b: ChannelOp) => a.hlc > b.hlc || (a.hlc === b.hlc && a.opId > b.opId);

/**
 * Whether `deviceId` holds channel `channelId`, from the valid ops of the comms stream: as
 * channelHolders on a replica, its newest comms_channel_holder record says held, for the secret the
 * channel's config names now (secretId). A channel that names no secret yet (one configured before
 * secrets stayed on laptops, its secret in its ops) is held by the device that last wrote its config.
 */
export function channelHeldBy(ops: readonly ChannelOp[], channelId: string, deviceId: string): boolean {
  let holder: ChannelOp | null = null;
  let secret: ChannelOp | null = null;
  let configured: ChannelOp | null = null;
  for (const op of ops) {
    if (op.entity === 'comms_channel_holder') {
      if (op.fields.channelId === channelId && op.fields.deviceId === deviceId && (!holder || isLater(op, holder))) holder = op;
    } else if ((op.entity === 'comms_channel' || op.entity === 'integration_target') && op.rowId === channelId) {
      if (op.fields.secretId !== undefined && (!secret || isLater(op, secret))) secret = op;
      if (op.fields.config !== undefined && (!configured || isLater(op, configured))) configured = op;
    }
  }
  const secretId = secret?.fields.secretId ?? null;
  if (secretId === null) return configured?.deviceId === deviceId;
  return holder?.fields.held === true && holder.fields.secretId === secretId;
}

// ─── Whether an update may go out ──────────────────────────────────────────────────────────────────

/** An approval as the log holds it: a valid comms_update op and who signed it. */
export interface ApprovalRecord {
  signer: string;
  /** The signer's certificate role; null for an org-sealed op from before signing. */
  role?: string | null;
  state: unknown;
  approvedDigest: unknown;
  decidedBy: unknown;
}

/**
 * Why a published update may not be sent (null when it may): its publication is valid and signed by
 * a role that publishes, and when its audience needs approval, an approval signed by a person
 * allowed to approve covers exactly the published text (`digest`).
 */
export function sendRefusal(args: {
  publication: { valid: true; role: string | null; user: string } | { valid: false; reason: string };
  needsApproval: boolean;
  digest: string;
  /** Who wrote the update's first valid op: its author, whom no approval of theirs counts for. */
  author: string;
  approvals: readonly ApprovalRecord[];
  /** Why this person may not approve this update (shared/domain/comms-approval approvalRefusal), or null. */
  approverRefusal: (person: string) => string | null;
  /** The organisation's named approvers, who approve whatever their role. */
  namedApprovers?: readonly string[];
}): string | null {
  const { publication } = args;
  if (!publication.valid) return `its publication is not valid here: ${publication.reason}`;
  // role null: an org-sealed op from before signing, accepted under the old rules.
  if (publication.role !== null && !publisherRoles.includes(publication.role as Role)) {
    return `it was published by ${publication.user}, a ${publication.role}; only admins, commanders and comms leads publish updates`;
  }
  if (!args.needsApproval) return null;
  const covering = args.approvals.filter((a) => a.state === 'approved' && a.approvedDigest === args.digest && a.decidedBy === a.signer);
  if (covering.length === 0) return 'no approval covers the published text; its audience needs a second person to approve the exact wording';
  const others = covering.filter((a) => a.signer !== args.author);
  if (others.length === 0)
    return `the approval of the published text is not by someone allowed to approve it (${args.author} wrote the update; a second person approves it)`;
  const allowed = others.filter((a) => args.approverRefusal(a.signer) === null);
  if (allowed.length === 0) return `the approval of the published text is not by someone allowed to approve it (${args.approverRefusal(others[0].signer)})`;
  if (allowed.some((a) => seatApprovalRefusal(a, args.namedApprovers ?? []) === null)) return null;
  return `the approval of the published text is not by someone allowed to approve it (${seatApprovalRefusal(allowed[0], args.namedApprovers ?? [])})`;
}

/** The certificate roles whose holders approve by holding an incident's commander or deputy seat. */
export const seatApproverRoles: readonly Role[] = ['admin', 'commander'];

/**
 * Why an approval by a seat holder does not count (null when it does): anyone may write an incident
 * role seat, so the commander and deputy seats let their holder approve only under a commander's or
 * admin's certificate; a named approver (kept by commanders in the organisation's settings) approves
 * whatever their role.
 */
export function seatApprovalRefusal(approval: { signer: string; role?: string | null }, namedApprovers: readonly string[]): string | null {
  const role = approval.role ?? null;
  if (role === null || seatApproverRoles.includes(role as Role) || namedApprovers.includes(approval.signer)) return null;
  return `${approval.signer} is a ${role}: holding the commander or deputy seat lets only commanders and admins approve; name them an approver instead`;
}
