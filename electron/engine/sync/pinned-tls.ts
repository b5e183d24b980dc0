// TLS to a war-room hub, pinned to the certificate fingerprint its join link carries. The hub's
// certificate is self-signed, so no authority vouches for it: this laptop first reads the
// certificate in a bare TLS handshake (nothing sent), refuses unless its SHA-256 fingerprint is the
// pinned one, and from then on trusts that certificate alone for the hub's address, checking the
// fingerprint again on every connection.
import { createHash, X509Certificate } from 'node:crypto';
import https from 'node:https';
import tls, { type PeerCertificate } from 'node:tls';
import { normalizeFingerprint } from '@shared/hub-link';

const pins = new Map<string, string>();
const trusted = new Map<string, string>();

/** From now on, requests to `origin` (https://host:port) go only to a certificate with this fingerprint. */
export function pinHub(origin: string, fingerprint: string): void {
  pins.set(new URL(origin).origin, normalizeFingerprint(fingerprint));
}

/** The fingerprint pinned for `url`'s origin, if any. */
export function hubPin(url: string): string | undefined {
  return pins.get(new URL(url).origin);
}

export class PinMismatch extends Error {
  constructor(origin: string, expected: string, actual: string) {
    super(
      `${origin} presented a TLS certificate with SHA-256 fingerprint ${actual}, but the join link says ${expected}: ` +
        'refusing to connect (another machine may be posing as the hub); ask the host for the current link',
    );
    this.name = 'PinMismatch';
  }
}

const fingerprintOf = (cert: PeerCertificate) => createHash('sha256').update(cert.raw).digest('hex');

/** Reads the certificate `origin` presents, without sending anything, and returns it only if it is the pinned one. */
function pinnedCertificate(origin: string, expected: string): Promise<string> {
  const known = trusted.get(`${origin} ${expected}`);
  if (known) return Promise.resolve(known);
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 443), rejectUnauthorized: false, timeout: 20_000 });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.destroy();
      const actual = fingerprintOf(cert);
      if (actual !== expected) return reject(new PinMismatch(origin, expected, actual));
      const pem = new X509Certificate(cert.raw).toString();
      trusted.set(`${origin} ${expected}`, pem);
      resolve(pem);
    });
    socket.once('timeout', () => socket.destroy(new Error('timed out')));
    socket.once('error', reject);
  });
}

/** TLS options that accept only the pinned certificate (for https requests and WebSockets). */
export async function pinnedTlsOptions(url: string, fingerprint: string): Promise<Pick<tls.ConnectionOptions, 'ca' | 'checkServerIdentity'>> {
  const origin = new URL(url).origin;
  const expected = normalizeFingerprint(fingerprint);
  const ca = await pinnedCertificate(origin, expected);
  return {
    ca: [ca],
    checkServerIdentity: (_host, cert) => {
      const actual = fingerprintOf(cert);
      return actual === expected ? undefined : new PinMismatch(origin, expected, actual);
    },
  };
}

/** One HTTPS request to a pinned hub: its status and body text. */
export async function pinnedRequest(
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
  fingerprint: string,
): Promise<{ status: number; text: string; headers?: Record<string, string | string[] | undefined> }> {
  const options = await pinnedTlsOptions(url, fingerprint);
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method, headers: init.headers, ...options, agent: false, timeout: 20_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), headers: response.headers }));
      response.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(init.body);
  });
}
