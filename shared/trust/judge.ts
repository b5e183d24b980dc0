// The one authority function: whether an authenticated op is valid, refused, held or rejected,
// decided from the op and what the node knows of trust (TrustView). Pure and deterministic, so the
// engine (before a local write), hubs, the service and every replica on pull reach the same verdict.
import { decodeHlc } from '../hlc';
import { entitySpecs, judgeEntityWrite, scopeOfStream } from '../entities';
import type { Op } from '../ops';
import type { Role } from '../roles';
import { channelHolderRefusal } from './channel-holder-rule';
import { deliveryOpRefusal, updateOpRefusal } from './comms-rules';
import { checkCertificate, checkRevocation, isWithin, keyIdOf, revocationAt } from './certificate';
import { orgKeySigningString } from './signing';
import type { Certificate, OrgKey, RevocationBody, SignedCertificate, Signer, TrustView, Verdict } from './types';
import { isInboundSendUpdate } from './integration-rules';
import { receiptRefusal } from './receipt-rules';

/** The longest a hub-issued guest certificate may run (a day, plus clock drift at either end). */
export const maxGuestCertMs = 24 * 3600_000 + 10 * 60_000;
/** The roles whose certificate lets a hub host admit guests. */
export const guestAdmitters: readonly Role[] = ['admin', 'commander'];

const held = (reason: string): Verdict => ({ is: 'held', reason });
const rejected = (reason: string): Verdict => ({ is: 'rejected', reason });
const iso = (ms: number) => new Date(ms).toISOString();

/** How the op's writer is known: by a certificate (its own, or the device's adopting one), or not at all. */
type Standing = { is: 'certificate'; certificate: Certificate; isAdopted: boolean } | { is: 'legacy' } | { is: 'standalone' } | { is: 'verdict'; verdict: Verdict };

export function judgeOp(op: Op, view: TrustView): Verdict {
  const t = decodeHlc(op.hlc).ms;
  const standing = standingOf(op, view);
  if (standing.is === 'verdict') return standing.verdict;
  if (standing.is === 'legacy') return { is: 'valid', signer: { certId: null, user: op.actorId, role: null, deviceId: op.deviceId }, trust: 'legacy' };
  if (standing.is === 'standalone') return { is: 'valid', signer: { certId: null, user: op.actorId, role: 'admin', deviceId: op.deviceId }, trust: 'standalone' };
  const { certificate, isAdopted } = standing;
  const { body } = certificate;

  // 2. Binding: the certificate is this device's, and names this writer.
  if (body.deviceId !== op.deviceId) return rejected(`certificate ${certificate.certId} belongs to device ${body.deviceId}, not ${op.deviceId}`);
  const names = isAdopted ? [body.user, ...body.aliases] : [body.user];
  // The service's device writes pipeline events on behalf of the pipeline user that posted them.
  if (body.role !== 'service' && !names.includes(op.actorId)) return rejected(`certificate ${certificate.certId} is ${body.user}'s, not ${op.actorId}'s`);
  const signer: Signer = { certId: certificate.certId, user: op.actorId, role: body.role, deviceId: op.deviceId };
  const refused = (reason: string): Verdict => ({ is: 'refused', reason, signer });

  // 3. Issuer.
  const issuer = issuerStanding(certificate, view);
  if (issuer !== null) return issuer.is === 'held' ? issuer : refused(issuer.reason);

  // 4. Time, at the op's own clock. Adoption covers the device's earlier certless work, so only its end applies.
  if (isAdopted ? t >= body.notAfter : !isWithin(body, t)) {
    return refused(
      t < body.notBefore
        ? `certificate ${certificate.certId} is not valid until ${iso(body.notBefore)}`
        : `certificate ${certificate.certId} expired at the op's time (${iso(body.notAfter)})`,
    );
  }
  const revoked = revocationAt(view.revocations(certificate.certId), t);
  if (revoked) return refused(`certificate ${certificate.certId} was revoked from ${iso(revoked.effectiveAt)}: ${revoked.reason}`);
  if (body.issuer.kind === 'hub') {
    const hostRevoked = revocationAt(view.revocations(body.issuer.certId), t);
    if (hostRevoked) return refused(`the hub certificate ${body.issuer.certId} that admitted this guest was revoked from ${iso(hostRevoked.effectiveAt)}`);
  }

  // 5. Authority.
  const trust = isAdopted ? 'adopted' : body.role === 'guest' ? 'guest' : 'certified';
  const refusal = authorityRefusal(op, certificate, view);
  if (refusal === null) return { is: 'valid', signer, trust };
  return typeof refusal === 'string' ? refused(refusal) : refusal;
}

/** 1. The certificate the op is judged under, or why there is none (yet). */
function standingOf(op: Op, view: TrustView): Standing {
  if (op.certId !== undefined) {
    const certificate = view.certificate(op.certId) ?? selfIntroduced(op, view);
    return certificate ? { is: 'certificate', certificate, isAdopted: false } : { is: 'verdict', verdict: held(`unknown certificate ${op.certId}`) };
  }
  if (op.sig === undefined && view.isLegacySealed(op)) return { is: 'legacy' };
  const adopting = view.adoptingCertificate(op.deviceId);
  if (adopting) return { is: 'certificate', certificate: adopting, isAdopted: true };
  if (view.standalone?.deviceId === op.deviceId) return { is: 'standalone' };
  return { is: 'verdict', verdict: held(`no certificate adopts device ${op.deviceId}'s ${op.sig === undefined ? 'unsigned' : 'certless'} ops yet`) };
}

/**
 * A device_cert op written under the very certificate it carries (the service introducing its own
 * device): that certificate is taken from the op, once its issuer's signature checks.
 */
function selfIntroduced(op: Op, view: TrustView): Certificate | undefined {
  if (op.entity !== 'device_cert') return undefined;
  const carried = op.fields as unknown as SignedCertificate;
  const issuer = carried.body?.issuer;
  if (issuer?.kind !== 'org') return undefined;
  const key = view.orgKey(issuer.keyId);
  if (!key) return undefined;
  const check = checkCertificate(carried, key.publicKey, view.verify, view.sha256Hex);
  return check.ok && check.certificate.certId === op.certId ? check.certificate : undefined;
}

/** 3. Whether the certificate's issuer is trusted: null when it is, else held (unknown yet) or refused. */
function issuerStanding(certificate: Certificate, view: TrustView): { is: 'held'; reason: string } | { is: 'refused'; reason: string } | null {
  const { body } = certificate;
  if (!view.orgKey(body.org)) return { is: 'held', reason: `certificate ${certificate.certId} is of organisation ${body.org}, which this node has not pinned` };
  if (body.issuer.kind === 'org') {
    return view.orgKey(body.issuer.keyId)
      ? null
      : { is: 'held', reason: `certificate ${certificate.certId} was issued by org key ${body.issuer.keyId}, not (yet) trusted here` };
  }
  const host = view.certificate(body.issuer.certId);
  if (!host) return { is: 'held', reason: `certificate ${certificate.certId} was issued by hub ${body.issuer.certId}, whose certificate is unknown` };
  return hubIssueProblem(body, host, view);
}

/** Why a hub (its host's certificate `host`) may not have issued `body`, or null. */
function hubIssueProblem(body: SignedCertificate['body'], host: Certificate, view: TrustView): { is: 'refused'; reason: string } | null {
  const refuse = (reason: string) => ({ is: 'refused' as const, reason });
  if (host.body.issuer.kind !== 'org') return refuse('a hub-issued certificate cannot issue certificates');
  if (!guestAdmitters.includes(host.body.role as Role)) return refuse(`this hub's host (${host.body.user}, ${host.body.role}) cannot admit guests`);
  if (body.role !== 'guest' || body.adopts) return refuse('a hub may only issue guest certificates, which adopt nothing');
  if (body.notAfter - body.notBefore > maxGuestCertMs) return refuse('a guest certificate may last a day at most');
  if (!isWithin(host.body, body.issuedAt)) return refuse(`the hub's certificate ${host.certId} was not valid when it admitted this guest`);
  if (revocationAt(view.revocations(host.certId), body.issuedAt)) return refuse(`the hub's certificate ${host.certId} was revoked when it admitted this guest`);
  return null;
}

/** Undecidable until more trust data arrives (an org key not yet endorsed here). */
type Held = { is: 'held'; reason: string };

/** 5. Why this certificate's holder may not write `op`, or null. */
function authorityRefusal(op: Op, certificate: Certificate, view: TrustView): string | Held | null {
  const role = certificate.body.role;
  if (entitySpecs[op.entity].scope === 'trust' || scopeOfStream(op.streamId) === 'trust') return trustRefusal(op, certificate, view);
  // A receipt says only what its own device held: any member of the incident may write one.
  if (op.entity === 'op_receipt') return receiptRefusal(op, role);
  if (role === 'guest') {
    const isNote = op.entity === 'timeline_entry' && op.fields.kind === 'note' && scopeOfStream(op.streamId) === 'incident';
    return isNote ? null : "guests may only add notes to an incident's timeline";
  }
  if (role === 'service') {
    const isPipelineEvent = op.entity === 'timeline_entry' && op.fields.kind === 'system' && scopeOfStream(op.streamId) === 'incident';
    return isPipelineEvent || (isInboundSendUpdate(op) && scopeOfStream(op.streamId) === 'incident') ? null : 'the service writes only trust records and pipeline events';
  }
  const holderRefusal = op.entity === 'comms_channel_holder' ? channelHolderRefusal(op) : null;
  if (holderRefusal !== null) return holderRefusal;
  // Fields in sorted order: a refusal names fields, the same op may arrive with its fields in
  // another order (JSON from a peer, PostgreSQL jsonb), and every node must store the same text.
  const names = Object.keys(op.fields);
  const isSorted = names.every((name, i) => i === 0 || names[i - 1] < name);
  const refusal = judgeEntityWrite(role, isSorted ? op : { ...op, fields: Object.fromEntries(names.sort().map((name) => [name, op.fields[name]])) });
  if (refusal !== null) return refusal;
  if (op.entity === 'comms_update') return updateOpRefusal(op);
  return op.entity === 'comms_delivery' ? deliveryOpRefusal(op) : null;
}

/**
 * The trust branch: the service's device writes org keys, org-issued certificates and revocations,
 * each carrying a valid org signature, and legacy seals; a hub writes the guest certificates it
 * issues, under its own.
 */
function trustRefusal(op: Op, writer: Certificate, view: TrustView): string | Held | null {
  const isService = writer.body.role === 'service';
  switch (op.entity) {
    case 'device_cert': {
      const carried = op.fields as unknown as SignedCertificate;
      if (carried.body.issuer.kind === 'hub') {
        if (carried.body.issuer.certId !== writer.certId) return 'a guest certificate must be written by the hub that issued it';
        const problem = hubIssueProblem(carried.body, writer, view);
        if (problem) return problem.reason;
        const check = checkCertificate(carried, writer.body.publicKey, view.verify, view.sha256Hex);
        return check.ok ? null : check.reason;
      }
      if (!isService) return 'only the service writes certificates issued by the organisation';
      const key = view.orgKey(carried.body.issuer.keyId);
      if (!key) return { is: 'held', reason: `the certificate names org key ${carried.body.issuer.keyId}, not (yet) trusted here` };
      const check = checkCertificate(carried, key.publicKey, view.verify, view.sha256Hex);
      return check.ok ? null : check.reason;
    }
    case 'cert_revocation': {
      if (!isService) return 'only the service writes revocations';
      const revocation = op.fields as unknown as { body: RevocationBody; sig: string };
      const key = view.orgKey(revocation.body.org);
      if (!key) return { is: 'held', reason: `the revocation names org key ${revocation.body.org}, not (yet) trusted here` };
      return checkRevocation(revocation, key.publicKey, view.verify);
    }
    case 'org_key': {
      if (!isService) return 'only the service writes org keys';
      const key = op.fields as unknown as OrgKey;
      if (keyIdOf(key.publicKey, view.sha256Hex) !== key.keyId) return 'org key: keyId does not match the public key';
      const pinned = view.orgKey(key.keyId);
      if (pinned) return pinned.publicKey === key.publicKey ? null : 'org key: differs from the key pinned under that id';
      if (key.endorsedBy === undefined || key.endorsement === undefined) return 'org key: a key that is not pinned must be endorsed by a trusted one';
      const endorser = view.orgKey(key.endorsedBy);
      if (!endorser) return { is: 'held', reason: `org key: endorsed by ${key.endorsedBy}, not (yet) trusted here` };
      return view.verify(endorser.publicKey, orgKeySigningString(key), key.endorsement) ? null : 'org key: the endorsement does not verify';
    }
    case 'legacy_seal':
      // The service vouches for unsigned ops it stored before it had an org key: no one else may.
      return isService ? null : 'only the service writes legacy seals';
    default:
      return `${op.entity} records do not belong in the trust stream`;
  }
}

/**
 * The public key that must have signed `op` (coverage's `keyOf`): its certificate's, the adopting
 * certificate's for a certless op, this standalone replica's own; undefined when not known yet.
 */
export function signingKeyOf(op: Op, view: TrustView): string | undefined {
  if (op.certId !== undefined) return (view.certificate(op.certId) ?? selfIntroduced(op, view))?.body.publicKey;
  const adopting = view.adoptingCertificate(op.deviceId);
  if (adopting) return adopting.body.publicKey;
  return view.standalone?.deviceId === op.deviceId ? view.standalone.publicKey : undefined;
}
