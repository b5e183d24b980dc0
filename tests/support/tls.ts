// TLS material for tests that serve over https on loopback.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/** Writes a one-day self-signed certificate for localhost and 127.0.0.1 to DIR/cert.pem and DIR/key.pem (needs openssl). */
export function selfSignedCert(dir: string): { cert: string; key: string } {
  const paths = { cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem') };
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      paths.key,
      '-out',
      paths.cert,
    ],
    { stdio: 'ignore' },
  );
  return paths;
}
