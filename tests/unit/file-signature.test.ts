// File-set signatures on their own: who signed (org- and hub-issued certificates), against the
// reader's pinned key or the file's own, and every way one fails: a changed or added file, another
// purpose, another organisation, a revoked certificate, a certificate for another key.
import { describe, expect, it } from 'vitest';
import { signText } from '@shared/node/ed25519';
import { checkFileSet, judgeSignature, signFileSet, type FileSignerDeps, type SignedFile } from '../../electron/engine/core/file-signature';
import { day, epoch, testOrg, type TestDevice, type TestOrg } from '../support/trust';

const files: SignedFile[] = [
  { path: 'b.txt', sha256: 'b'.repeat(64) },
  { path: 'a.txt', sha256: 'a'.repeat(64) },
];
const at = epoch + day;
const purpose = 'holdfast backup';

function signerOf(device: TestDevice, org: TestOrg, issuers: TestDevice[] = []): FileSignerDeps {
  return {
    deviceId: device.deviceId,
    user: device.user,
    key: { publicKey: device.keys.publicKey, sign: (m) => signText(device.keys.privateKey, m) },
    certificate: device.certificate,
    issuerCertificates: issuers.map((d) => d.certificate),
    orgKeys: [org.orgKey],
    now: () => at,
  };
}

describe('file-set signatures', () => {
  it('names the signer and issuer, against the pinned key or the carried one', () => {
    const org = testOrg();
    const ana = org.certify({ role: 'commander', user: 'ana' });
    const doc = JSON.parse(JSON.stringify(signFileSet(signerOf(ana, org), files, purpose))) as unknown;
    const pinned = checkFileSet(doc, [...files].reverse(), { pinnedOrgKeys: [org.orgKey] }, purpose);
    expect(pinned).toMatchObject({ status: 'signed', signer: { user: 'ana', role: 'commander', deviceId: ana.deviceId, certId: ana.certificate.certId }, signedAt: at });
    expect(pinned.status === 'signed' && pinned.issuer).toMatchObject({ orgKeyId: org.keyId, anchor: 'pinned', hub: null, note: null });
    const carried = checkFileSet(doc, files, { pinnedOrgKeys: [] }, purpose);
    expect(carried.status === 'signed' && carried.issuer.anchor).toBe('carried');
    expect(judgeSignature(carried, false).line).toMatch(/^signed by ana \(commander\) on device .*compare it with your organisation's/);
  });

  it('checks a guest certificate through the hub certificate that issued it', () => {
    const org = testOrg();
    const host = org.certify({ role: 'commander', user: 'host' });
    const guest = org.certify({ role: 'guest', hub: host });
    const doc = signFileSet(signerOf(guest, org, [host]), files, purpose);
    const check = checkFileSet(doc, files, { pinnedOrgKeys: [org.orgKey] }, purpose);
    expect(check.status === 'signed' && check.issuer.hub).toMatchObject({ certId: host.certificate.certId, user: 'host' });
    const withoutHost = signFileSet(signerOf(guest, org), files, purpose);
    expect(checkFileSet(withoutHost, files, { pinnedOrgKeys: [org.orgKey] }, purpose)).toMatchObject({
      status: 'forged',
      problem: expect.stringContaining('issued by hub'),
    });
  });

  it('fails for a changed, added or missing file, another purpose, another organisation, a revoked certificate and a forged signer', () => {
    const org = testOrg();
    const ana = org.certify({ role: 'commander', user: 'ana' });
    const doc = signFileSet(signerOf(ana, org), files, purpose);
    const trust = { pinnedOrgKeys: [org.orgKey] };
    const problem = (input: unknown, actual = files, t: Parameters<typeof checkFileSet>[2] = trust, p = purpose) => {
      const check = checkFileSet(input, actual, t, p);
      return check.status === 'forged' ? check.problem : `not forged: ${check.status}`;
    };
    expect(problem(doc, [files[0], { path: 'a.txt', sha256: 'c'.repeat(64) }])).toBe('a.txt was changed after the files were signed (its SHA-256 is not the one signed)');
    expect(problem(doc, [...files, { path: 'c.txt', sha256: 'c'.repeat(64) }])).toBe('c.txt was added after the files were signed');
    expect(problem(doc, [files[0]])).toBe('a.txt was signed but is missing');
    expect(problem(doc, files, trust, 'holdfast evidence bundle')).toBe('its signature was made for a holdfast backup, not a holdfast evidence bundle');
    expect(problem(doc, files, { pinnedOrgKeys: [testOrg().orgKey] })).toMatch(/not of the organisation this replica pinned .*: it was signed elsewhere/);
    const revocation = org.revoke(ana.certificate, at - 1000).body;
    expect(problem(doc, files, { ...trust, revocations: (certId) => (certId === ana.certificate.certId ? [revocation] : []) })).toMatch(
      /was revoked from .* \(laptop lost\), before the files were signed/,
    );
    // Another device's certificate attached to this signature: the signature covers the certificate's id.
    const ben = org.certify({ role: 'commander', user: 'ben' });
    expect(problem({ ...doc, certificate: ben.certificate })).toContain("its signature does not verify with the signing device's key");
    // Ben re-signs ana's files naming her certificate: it vouches for another key.
    const asAna = signFileSet({ ...signerOf(ben, org), certificate: ana.certificate }, files, purpose);
    expect(problem(asAna)).toContain('is for another device or key than the one that signed');
    // The signer's name changed after signing.
    expect(problem({ ...doc, signer: { ...doc.signer, user: 'mallory' } })).toContain("its signature does not verify with the signing device's key");
  });

  it('reports a device key without a certificate as not certified, and a missing signature as unsigned', () => {
    const org = testOrg();
    const laptop = org.certify({ role: 'commander', user: 'ana' });
    const doc = signFileSet({ ...signerOf(laptop, org), certificate: null, orgKeys: [] }, files, purpose);
    const check = checkFileSet(doc, files, { pinnedOrgKeys: [] }, purpose);
    expect(check).toMatchObject({ status: 'uncertified', deviceId: laptop.deviceId });
    expect(judgeSignature(check, false)).toMatchObject({ ok: false, line: expect.stringContaining('or pass --allow-unsigned') });
    expect(judgeSignature(check, true)).toMatchObject({ ok: true, line: expect.stringMatching(/^ACCEPTED UNSIGNED \(--allow-unsigned\)/) });
    expect(checkFileSet(null, files, { pinnedOrgKeys: [] }, purpose)).toMatchObject({ status: 'unsigned' });
    expect(judgeSignature({ status: 'forged', problem: 'x' }, true).ok).toBe(false);
  });
});
