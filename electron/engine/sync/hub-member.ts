// Joining a war-room hub from this laptop: ask for a challenge, sign it with the device key, and
// send the room's code with this device's certificate, or, never connected to the service, as a
// guest. A guest pins the organisation key the host trusts, takes the room's trust records (the
// host's certificate, its own guest certificate) and adopts the guest certificate, so what it
// writes (notes only) is signed under it and judged the same way everywhere.
import { normalizeCode } from '@shared/hub-link';
import type { HubChallenge, JoinResponse } from '@shared/sync';
import { hubJoinSigningString } from '@shared/trust/signing';
import type { DeviceKey } from '../core/device-key';
import type { Replica } from '../core/replica';
import { orgKeyToPin, pullTrustStream } from './certify';
import { PeerError, request } from './peer-request';
import { hubPin } from './pinned-tls';

export const guestPrefix = 'guest:';

export async function joinHub(url: string, typedCode: string, replica: Replica, deviceKey: DeviceKey, peerId: string): Promise<JoinResponse> {
  const code = normalizeCode(typedCode);
  // The proof names the certificate this laptop pinned: a machine posing as the hub that relays the
  // real hub's challenge gets a proof the real hub refuses (its own certificate is another).
  const pinned = hubPin(url);
  if (!pinned) throw new PeerError(400, `no certificate fingerprint is pinned for ${url}: join with the whole link (it carries sha256=…)`);
  const { hubDeviceId, nonce } = (await request<HubChallenge>(`${url}/v1/hub/challenge`, { method: 'GET' })).body;
  const proof = deviceKey.sign(hubJoinSigningString(hubDeviceId, nonce, code, pinned));
  const own = replica.trust.certificate();
  const body =
    own && own.body.issuer.kind === 'org'
      ? { code, nonce, certificate: { body: own.body, sig: own.sig }, proof }
      : { code, nonce, guest: { name: replica.actorId.replace(guestPrefix, ''), deviceId: replica.deviceId, publicKey: deviceKey.publicKey }, proof };
  const joined = (await request<JoinResponse>(`${url}/v1/hub/join`, { method: 'POST', body })).body;
  if (joined.certificate) await becomeGuest(url, replica, joined, peerId);
  return joined;
}

/** Pins the host's organisation key, takes the room's trust records and adopts the guest certificate. */
async function becomeGuest(url: string, replica: Replica, joined: JoinResponse, peerId: string): Promise<void> {
  const first = joined.orgKeys[0];
  if (!first) throw new PeerError(400, `the war room at ${url} trusts no organisation key`);
  const orgKey = orgKeyToPin(replica, { orgKeyId: first.keyId, keys: joined.orgKeys }, `the war room at ${url}`);
  // The room's trust records first (a replica that pinned nothing stores them unjudged, and checks
  // each certificate against the key once pinned); then the pin and the certificate together, so a
  // failed join leaves this laptop as it was, able to write on its own.
  await pullTrustStream(url, joined.token, replica, peerId);
  const certificate = replica.trust.pinAndAdopt(orgKey, joined.certificate!);
  replica.setActor(certificate.body.user);
}
