// The war-room hub's TLS identity: a self-signed certificate (EC P-256) made afresh for each hub
// that starts. Nobody vouches for it; joiners pin the SHA-256 fingerprint of its DER bytes, which
// the join link carries, so the join code and the tokens never cross the network in clear and
// never reach another machine posing as the hub.
import { X509Certificate, createHash } from 'node:crypto';
import selfsigned from 'selfsigned';

export interface HubTls {
  certPem: string;
  keyPem: string;
  /** SHA-256 of the certificate's DER bytes: 64 lower-case hex digits. */
  fingerprint: string;
}

/** How long a hub's certificate runs: a war room is hosted for hours or days, not months. */
const certDays = 30;

export const certificateFingerprint = (certPem: string) => createHash('sha256').update(new X509Certificate(certPem).raw).digest('hex');

export async function createHubTls(now = Date.now()): Promise<HubTls> {
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'Holdfast war room' }], {
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    // An hour back: a joiner whose clock runs a little behind still sees a valid certificate.
    notBeforeDate: new Date(now - 3600_000),
    notAfterDate: new Date(now + certDays * 24 * 3600_000),
  });
  return { certPem: pems.cert, keyPem: pems.private, fingerprint: certificateFingerprint(pems.cert) };
}
