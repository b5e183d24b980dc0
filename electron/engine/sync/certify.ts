// This replica's certificate from the central service: the organisation's key pinned on first
// connect (trust on first use, refused when another key is pinned already), a certificate for the
// device key asked for with proof of possession (POST /v1/certs), and renewal once a third of its
// life has gone.
import { groupedFingerprint } from '@shared/trust/api';
import { fingerprintOf } from '@shared/trust/certificate';
import { trustStream } from '@shared/entities';
import type { PullResponse } from '@shared/sync';
import type { CertResponse, TrustRootResponse } from '@shared/trust/protocol';
import { certRequestSigningString } from '@shared/trust/signing';
import type { Certificate, OrgKey } from '@shared/trust/types';
import type { DeviceKey } from '../core/device-key';
import { nativeSha256Hex } from '../core/native-hash';
import type { Replica } from '../core/replica';
import { PeerError, request } from './peer-request';

/** A key's fingerprint as Settings shows it and people read it aloud: 4-digit groups. */
export const readableFingerprint = (publicKey: string) => groupedFingerprint(fingerprintOf(publicKey, nativeSha256Hex));

/** The service's org keys (GET /v1/trust/root); a service without any is refused: it cannot certify this device. */
export async function trustRoot(url: string): Promise<TrustRootResponse> {
  try {
    return (await request<TrustRootResponse>(`${url}/v1/trust/root`, { method: 'GET' })).body;
  } catch (error) {
    if (error instanceof PeerError && error.status === 404) {
      throw new PeerError(
        400,
        `${url} has no organisation key (an older Holdfast service, or not a Holdfast service): update the service to a version that issues device certificates, then connect again`,
      );
    }
    throw error;
  }
}

/** The org key to pin from `root`; refuses, naming both fingerprints, when this replica pinned another. */
export function orgKeyToPin(replica: Replica, root: { orgKeyId: string; keys: readonly OrgKey[] }, source: string): OrgKey {
  const offered = root.keys.find((key) => key.keyId === root.orgKeyId);
  if (!offered) throw new PeerError(400, `${source} names organisation key ${root.orgKeyId} but does not publish it`);
  const pinned = replica.trust.pinnedOrgKeys()[0];
  if (pinned && pinned.keyId !== offered.keyId) {
    throw new PeerError(
      409,
      `${source} belongs to another organisation: this replica trusts the key with fingerprint ${readableFingerprint(pinned.publicKey)}, ${source} presents ${readableFingerprint(offered.publicKey)}; if the organisation really changed its key, pin the new one out of band (holdfast trust pin)`,
    );
  }
  return { keyId: offered.keyId, publicKey: offered.publicKey, createdAt: offered.createdAt };
}

export interface CertifyRequest {
  url: string;
  token: string;
  replica: Replica;
  deviceKey: DeviceKey;
  /** The organisation (its first key's id) and the token's user: both are in the proof. */
  orgKeyId: string;
  user: string;
  /** Names this device wrote under before it was certified (its certless ops are then this user's). */
  aliases: string[];
  now: () => number;
}

/** Asks the service to certify this device's key for the token's user (POST /v1/certs). */
export async function requestCertificate(r: CertifyRequest): Promise<CertResponse> {
  // The proof names the minute on the service's clock: this computer's may be hours off, so the
  // offset is measured first (a quick exchange) and the minute read from the corrected time.
  const started = r.replica.clockOffset.begin();
  const probe = await request(`${r.url}/v1/me`, { method: 'GET', token: r.token });
  r.replica.clockOffset.observe('central', 'central', started, probe.peerTime);
  const minute = Math.floor((r.now() + r.replica.clockOffset.correction()) / 60_000);
  const proof = r.deviceKey.sign(certRequestSigningString(r.orgKeyId, r.user, r.replica.deviceId, minute));
  const body = { deviceId: r.replica.deviceId, publicKey: r.deviceKey.publicKey, proof, ...(r.aliases.length > 0 && { aliases: r.aliases }) };
  return (await request<CertResponse>(`${r.url}/v1/certs`, { method: 'POST', token: r.token, body })).body;
}

/** Whether a third of the certificate's life has gone at `now`. */
export const isRenewalDue = (certificate: Certificate, now: number) => now - certificate.body.issuedAt >= (certificate.body.notAfter - certificate.body.issuedAt) / 3;

/**
 * Renews this device's certificate at the service when it is due; returns the certificate adopted,
 * or null when nothing was due. A replica connected before the service issued certificates (it
 * pinned nothing yet) is certified here on its next pass, as a first connect would.
 */
export async function renewIfDue(r: Omit<CertifyRequest, 'orgKeyId' | 'aliases'>): Promise<Certificate | null> {
  const current = r.replica.trust.certificate();
  const pinned = r.replica.trust.pinnedOrgKeys()[0];
  if (pinned && current && current.body.issuer.kind === 'org' && !isRenewalDue(current, r.now())) return null;
  const orgKey = pinned ?? orgKeyToPin(r.replica, await trustRoot(r.url), r.url);
  const reply = await requestCertificate({ ...r, orgKeyId: orgKey.keyId, aliases: [] });
  return pinned ? r.replica.trust.adoptCertificate(reply.certificate, reply.orgKeys) : r.replica.trust.pinAndAdopt(orgKey, reply.certificate, reply.orgKeys);
}

/**
 * Takes the trust stream from a peer now (certificates, revocations, org keys), as the first pass
 * would: this replica then holds its own certificate's record and carries it to every war room it
 * joins, so the room can judge its ops even when the room's host cannot reach the service.
 */
export async function pullTrustStream(url: string, token: string, replica: Replica, peerId: string): Promise<void> {
  for (let after = 0, hasMore = true; hasMore;) {
    const page = (await request<PullResponse>(`${url}/v1/sync/pull?stream=${trustStream}&after=${after}&limit=1000`, { method: 'GET', token })).body;
    replica.applyRemote(page.ops, peerId);
    ({ cursor: after, hasMore } = page);
  }
}
