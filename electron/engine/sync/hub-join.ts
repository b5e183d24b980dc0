// Who may join a war-room hub, and as whom. A laptop asks for a challenge, then sends the room's
// join code (checked, counted and replaced by ./hub-code) with its device key's signature over (hub device, nonce, code,
// the fingerprint of the TLS certificate it pinned, which must be this hub's own). With an org
// certificate it joins as the person and role the certificate names, and only the holder of the
// certificate's private key can make that signature. A laptop that never connected to the service
// joins as a guest: the host (a commander or admin certificate) issues it a guest certificate,
// written into the trust stream so every node can check what the guest writes (notes only).
import { randomBytes } from 'node:crypto';
import { defaultMaxDriftMs } from '@shared/hlc';
import { ed25519 } from '@shared/node/ed25519';
import type { Role } from '@shared/roles';
import type { HubChallenge, JoinRefusal, JoinRequest, JoinResponse } from '@shared/sync';
import type { Principal } from '@shared/sync-handler';
import { checkCertificate, isWithin, issueCertificate, revocationAt } from '@shared/trust/certificate';
import { guestAdmitters } from '@shared/trust/judge';
import { hubJoinSigningString } from '@shared/trust/signing';
import type { Certificate, CertificateBody, SignedCertificate } from '@shared/trust/types';
import type { DeviceKey } from '../core/device-key';
import { nativeSha256Hex } from '../core/native-hash';
import type { Replica } from '../core/replica';
import type { JoinGate } from './hub-code';

/** How long a challenge may be answered. */
export const challengeMs = 60_000;
/** The most challenges waiting for an answer at once. */
const maxChallenges = 1000;
/** How long a guest certificate runs. */
export const guestCertMs = 24 * 3600_000;
/** Without a certificate the host can check nobody: the message a join or a start gets. */
export const uncertifiedHost = 'this laptop must connect to the service once before hosting a war room';

/** A member of the room: who the certificate names, on which device, under which certificate. */
export interface Member extends Principal {
  deviceId: string;
  certId: string;
  /** The role its certificate names (`guest` for a guest), as the host's list shows it. */
  certRole: CertificateBody['role'];
}

export interface JoinDeps {
  replica: Replica;
  /** The host's device key: it signs the guest certificates this hub issues. */
  deviceKey: DeviceKey | null;
  /** The room's join code: checks each guess, limits them, replaces the code. */
  gate: JoinGate;
  /** The SHA-256 fingerprint of the TLS certificate this hub serves (null before it has one). */
  tlsFingerprint: () => string | null;
  now: () => number;
  /** Every refused join, with who and why. */
  log: (line: string) => void;
}

/**
 * The role a member reads as on the hub: a certificate's own, and a guest reads what a responder
 * reads (never delivery channels). What anyone may write is the judge's, op by op.
 */
const readingRole = (role: CertificateBody['role']): Role => (role === 'guest' || role === 'service' ? 'responder' : role);

export function createJoiner(deps: JoinDeps) {
  const { replica, now } = deps;
  const challenges = new Map<string, number>();

  const refuse = (status: JoinRefusal['status'], who: string, message: string): JoinRefusal => {
    deps.log(`holdfast: war-room join refused for ${who}: ${message}`);
    return { status, message };
  };

  const challenge = (): HubChallenge => {
    const at = now();
    for (const [nonce, expiresAt] of challenges) if (expiresAt <= at) challenges.delete(nonce);
    // A flood of challenges must not grow without bound: the oldest unanswered ones go first.
    for (const nonce of challenges.keys()) {
      if (challenges.size < maxChallenges) break;
      challenges.delete(nonce);
    }
    const nonce = randomBytes(18).toString('base64url');
    challenges.set(nonce, at + challengeMs);
    return { hubDeviceId: replica.deviceId, nonce };
  };

  /** The host's certificate, or why this hub can admit nobody. */
  const hostCertificate = (): Certificate | string => {
    const own = replica.trust.certificate();
    if (!own || !deps.deviceKey) return uncertifiedHost;
    if (own.body.issuer.kind !== 'org') return 'a guest cannot host a war room: connect this laptop to the service first';
    return own;
  };

  /** Checks a member's certificate against what this hub trusts: issuer, validity now, revocation. */
  const memberCertificate = (input: SignedCertificate, host: Certificate): Certificate | string => {
    const { body } = input;
    const view = replica.trust.view();
    if (body?.issuer === undefined) return 'certificate: not a certificate';
    const issuerKey = body.issuer.kind === 'org' ? view.orgKey(body.issuer.keyId)?.publicKey : body.issuer.certId === host.certId ? host.body.publicKey : undefined;
    if (issuerKey === undefined || !view.orgKey(body.org)) return "certificate: issued by a key this hub's organisation does not trust";
    const check = checkCertificate(input, issuerKey, view.verify, nativeSha256Hex);
    if (!check.ok) return check.reason;
    const at = now();
    if (!isWithin(body, at))
      return `certificate ${check.certificate.certId} is not valid now (valid ${new Date(body.notBefore).toISOString()} to ${new Date(body.notAfter).toISOString()})`;
    const revoked = revocationAt(view.revocations(check.certificate.certId), at);
    if (revoked) return `certificate ${check.certificate.certId} was revoked: ${revoked.reason}`;
    if (body.role === 'service') return "the service's certificate does not join war rooms";
    return check.certificate;
  };

  /** Issues a guest certificate for `guest`'s key and writes it into the trust stream, as the host. */
  const admitGuest = (guest: NonNullable<JoinRequest['guest']>, host: Certificate, deviceKey: DeviceKey): Certificate => {
    const at = now();
    const body: CertificateBody = {
      v: 1,
      org: host.body.org,
      user: `guest:${guest.name}`,
      role: 'guest',
      deviceId: guest.deviceId,
      publicKey: guest.publicKey,
      issuedAt: at,
      notBefore: at - defaultMaxDriftMs,
      notAfter: at + guestCertMs,
      adopts: false,
      aliases: [],
      issuer: { kind: 'hub', certId: host.certId },
    };
    const certificate = issueCertificate(body, deviceKey.sign, nativeSha256Hex);
    // Through the replica's judge, like any write: the same rules every other node applies to it.
    replica.commitLocal([{ entity: 'device_cert', rowId: '', fields: { body: { ...body }, sig: certificate.sig } }]);
    return certificate;
  };

  const join = (request: JoinRequest): { member: Member; response: Omit<JoinResponse, 'token'> } | JoinRefusal => {
    // Said in the log as sent, so cut short and quoted: a name may not forge log lines.
    const said = (value: unknown) => JSON.stringify(String(value).slice(0, 100));
    const claimed = request.certificate?.body as { user?: unknown; deviceId?: unknown } | undefined;
    const who = claimed ? `${said(claimed.user)} (device ${said(claimed.deviceId)})` : `guest ${said(request.guest?.name)} (device ${request.guest?.deviceId})`;
    const code = deps.gate.check(request.code);
    if (!code.ok) return refuse(code.status, who, code.message);
    const expiresAt = challenges.get(request.nonce);
    challenges.delete(request.nonce);
    if (expiresAt === undefined || expiresAt <= now()) return refuse(401, who, 'the challenge expired or was used already: ask for a new one (GET /v1/hub/challenge)');
    const host = hostCertificate();
    if (typeof host === 'string') return refuse(403, who, host);
    const fingerprint = deps.tlsFingerprint();
    if (!fingerprint) return refuse(403, who, 'this hub has no TLS certificate yet: try again in a moment');
    // The proof names the certificate the laptop pinned: one signed for another certificate (a
    // machine posing as this hub, relaying its challenge) does not verify here.
    const proven = (publicKey: string) => ed25519.verify(publicKey, hubJoinSigningString(replica.deviceId, request.nonce, request.code, fingerprint), request.proof);
    const orgKeys = replica.trust.pinnedOrgKeys();

    if (request.certificate) {
      const certificate = memberCertificate(request.certificate as unknown as SignedCertificate, host);
      if (typeof certificate === 'string') return refuse(401, who, certificate);
      // A certificate is public: only the holder of its private key can sign the challenge.
      if (!proven(certificate.body.publicKey)) return refuse(401, who, "proof: not signed by the certificate's key (a certificate alone does not admit anyone)");
      if (certificate.body.deviceId === replica.deviceId) return refuse(409, who, "this is the host's own laptop");
      const { user, role, deviceId } = certificate.body;
      return { member: { name: user, role: readingRole(role), certRole: role, deviceId, certId: certificate.certId }, response: { name: user, role, orgKeys } };
    }
    const guest = request.guest!;
    if (!proven(guest.publicKey)) return refuse(401, who, 'proof: not signed by the key the guest names');
    if (guest.deviceId === replica.deviceId) return refuse(409, who, "this is the host's own laptop");
    if (!guestAdmitters.includes(host.body.role as Role)) {
      return refuse(
        403,
        who,
        `this hub's host (${host.body.user}, ${host.body.role}) cannot admit guests: connect your laptop to the service, or join a commander's war room`,
      );
    }
    const certificate = admitGuest(guest, host, deps.deviceKey!);
    const { user, deviceId } = certificate.body;
    return {
      member: { name: user, role: readingRole('guest'), certRole: 'guest', deviceId, certId: certificate.certId },
      response: { name: user, role: 'guest', certificate: { body: certificate.body, sig: certificate.sig }, orgKeys },
    };
  };

  return { challenge, join, hostCertificate };
}
