// Certificates and revocations: canonical ids, transport encoding, and the checks against the
// issuer's key (an altered field, another org's key, a stripped or swapped signature).
import { describe, expect, it } from 'vitest';
import { certIdOf, checkCertificate, checkRevocation, decodeCertificate, encodeCertificate, isWithin, keyIdOf, revocationAt } from '@shared/trust/certificate';
import { certSigningString, opSigningString } from '@shared/trust/signing';
import { ed25519, signText } from '@shared/node/ed25519';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import { day, epoch, testOrg } from '../support/trust';

const verify = ed25519.verify;

describe('certificates', () => {
  const org = testOrg();
  const device = org.certify({ role: 'commander', user: 'maya' });
  const { certificate } = device;

  it('are identified by the hash of their canonical body, whatever the key order', () => {
    const reordered = Object.fromEntries(Object.entries(certificate.body).reverse()) as typeof certificate.body;
    expect(certIdOf(reordered, nativeSha256Hex)).toBe(certificate.certId);
    expect(certificate.certId).toMatch(/^[0-9a-f]{32}$/);
    expect(certIdOf({ ...certificate.body, role: 'admin' }, nativeSha256Hex)).not.toBe(certificate.certId);
    expect(org.keyId).toBe(keyIdOf(org.keys.publicKey, nativeSha256Hex));
  });

  it('round-trip through their encoded form and check against the issuing org key', () => {
    const encoded = encodeCertificate(certificate);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    const decoded = decodeCertificate(encoded);
    expect(decoded).toEqual({ ok: true, certificate: { body: certificate.body, sig: certificate.sig } });
    if (!decoded.ok) return;
    expect(checkCertificate(decoded.certificate, org.keys.publicKey, verify, nativeSha256Hex)).toEqual({ ok: true, certificate });
  });

  it.each<[string, Partial<typeof certificate.body>]>([
    ['a raised role', { role: 'admin' }],
    ['another user', { user: 'lee' }],
    ['a longer life', { notAfter: epoch + 365 * day }],
    ['another device key', { publicKey: testOrg().keys.publicKey }],
  ])('detect tampering: %s', (_label, change) => {
    const tampered = { ...certificate, body: { ...certificate.body, ...change } };
    expect(checkCertificate(tampered, org.keys.publicKey, verify, nativeSha256Hex)).toEqual({ ok: false, reason: expect.stringContaining('does not verify') });
  });

  it("do not check against another organisation's key, nor with a signature made for something else", () => {
    const other = testOrg();
    expect(checkCertificate(certificate, other.keys.publicKey, verify, nativeSha256Hex).ok).toBe(false);
    // The same key signing the body as an op hash (another domain) does not make a certificate signature.
    const crossDomain = signText(org.keys.privateKey, opSigningString(nativeSha256Hex(JSON.stringify(certificate.body))));
    expect(checkCertificate({ ...certificate, sig: crossDomain }, org.keys.publicKey, verify, nativeSha256Hex).ok).toBe(false);
    expect(verify(org.keys.publicKey, certSigningString(certificate.body), certificate.sig)).toBe(true);
  });

  it('refuse malformed bodies and encodings, naming the problem', () => {
    expect(checkCertificate({ ...certificate, body: { ...certificate.body, role: 'superuser' as never } }, org.keys.publicKey, verify, nativeSha256Hex)).toEqual({
      ok: false,
      reason: 'certificate: unknown role "superuser"',
    });
    expect(
      checkCertificate({ ...certificate, body: { ...certificate.body, notAfter: certificate.body.notBefore } }, org.keys.publicKey, verify, nativeSha256Hex),
    ).toEqual({ ok: false, reason: expect.stringContaining('notBefore must be before notAfter') });
    expect(checkCertificate({ ...certificate, sig: '' }, org.keys.publicKey, verify, nativeSha256Hex)).toEqual({ ok: false, reason: expect.stringContaining('sig') });
    expect(decodeCertificate('%%%')).toEqual({ ok: false, reason: 'certificate: not an encoded certificate' });
    expect(decodeCertificate(Buffer.from('{"body":{},"sig":"x"}').toString('base64url'))).toEqual({ ok: false, reason: expect.stringContaining('certificate: ') });
    expect(decodeCertificate(Buffer.from(JSON.stringify({ ...certificate, extra: 1 })).toString('base64url'))).toEqual({
      ok: false,
      reason: 'certificate: unexpected fields',
    });
  });

  it('cover [notBefore, notAfter)', () => {
    expect(isWithin(certificate.body, certificate.body.notBefore)).toBe(true);
    expect(isWithin(certificate.body, certificate.body.notBefore - 1)).toBe(false);
    expect(isWithin(certificate.body, certificate.body.notAfter - 1)).toBe(true);
    expect(isWithin(certificate.body, certificate.body.notAfter)).toBe(false);
  });
});

describe('revocations', () => {
  const org = testOrg();
  const device = org.certify({ role: 'responder' });

  it('check against the org key and detect tampering', () => {
    const revocation = org.revoke(device.certificate, epoch + day, 'laptop stolen');
    expect(checkRevocation(revocation, org.keys.publicKey, verify)).toBeNull();
    expect(checkRevocation({ ...revocation, body: { ...revocation.body, effectiveAt: epoch + 2 * day } }, org.keys.publicKey, verify)).toContain('does not verify');
    expect(checkRevocation(revocation, testOrg().keys.publicKey, verify)).toContain('does not verify');
  });

  it('take effect from effectiveAt; the earliest of several wins', () => {
    const later = org.revoke(device.certificate, epoch + 2 * day).body;
    const earlier = org.revoke(device.certificate, epoch + day).body;
    expect(revocationAt([later, earlier], epoch + day - 1)).toBeUndefined();
    expect(revocationAt([later, earlier], epoch + day)).toBe(earlier);
    expect(revocationAt([later, earlier], epoch + 3 * day)).toBe(earlier);
  });
});
