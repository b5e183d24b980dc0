// judgeOp: one verdict per op from the op and what a node knows of trust. A table of roles ×
// entities × times × revocations, plus guests, binding lies, unknown certificates and trust records.
import { describe, expect, it } from 'vitest';
import type { OpDraft } from '@shared/ops';
import { judgeOp, signingKeyOf } from '@shared/trust/judge';
import { day, epoch, forgeOp, testOrg, trustView, type TestDevice } from '../support/trust';

const incidentId = '0194f000-0000-7000-8000-000000000001';
const drafts = {
  note: { entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text: 'db-2 disk full', eventAt: epoch } },
  decision: { entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'decision', text: 'fail over', eventAt: epoch } },
  severity: { entity: 'incident', rowId: incidentId, fields: { severity: 'SEV1' } },
  person: { entity: 'person', rowId: 'p1', fields: { name: 'Lee' } },
  pipelineEvent: { entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'system', text: 'deploy 42', eventAt: epoch, source: 'ci' } },
} satisfies Record<string, OpDraft>;

describe('judgeOp', () => {
  const org = testOrg();
  const certified = (role: Parameters<typeof org.certify>[0]['role']) => org.certify({ role });

  it.each([
    ['admin', 'severity', 'valid'],
    ['commander', 'severity', 'valid'],
    ['responder', 'severity', 'refused'],
    ['responder', 'note', 'valid'],
    ['comms', 'person', 'refused'],
    ['commander', 'person', 'valid'],
    ['viewer', 'note', 'refused'],
    ['pipeline', 'note', 'refused'],
    ['guest', 'note', 'valid'],
    ['guest', 'decision', 'refused'],
    ['service', 'pipelineEvent', 'valid'],
    ['service', 'severity', 'refused'],
  ] as const)('a %s writing %s: %s', (role, draft, expected) => {
    const device = certified(role);
    const view = trustView([org]).accept(device.certificate);
    const op = device.write(drafts[draft], epoch + 1000);
    const verdict = judgeOp(op, view);
    expect(verdict.is).toBe(expected);
    if (verdict.is === 'valid') expect(verdict).toMatchObject({ trust: role === 'guest' ? 'guest' : 'certified', signer: { certId: device.certificate.certId, role } });
    if (verdict.is === 'refused') expect(verdict.reason).not.toBe('');
  });

  it("judges at the op's clock: before notBefore and from notAfter on, refused", () => {
    const device = org.certify({ role: 'commander', notBefore: epoch, notAfter: epoch + day });
    const view = trustView([org]).accept(device.certificate);
    expect(judgeOp(device.write(drafts.severity, epoch - 1), view)).toMatchObject({ is: 'refused', reason: expect.stringContaining('not valid until') });
    expect(judgeOp(device.write(drafts.severity, epoch), view).is).toBe('valid');
    expect(judgeOp(device.write(drafts.severity, epoch + day - 1), view).is).toBe('valid');
    expect(judgeOp(device.write(drafts.severity, epoch + day), view)).toMatchObject({ is: 'refused', reason: expect.stringContaining("expired at the op's time") });
  });

  it("refuses ops from a revocation's effectiveAt on, and only those, whenever the revocation arrives", () => {
    const device = certified('commander');
    const before = device.write(drafts.severity, epoch + day - 1);
    const after = device.write(drafts.severity, epoch + day);
    const view = trustView([org]).accept(device.certificate);
    expect([judgeOp(before, view).is, judgeOp(after, view).is]).toEqual(['valid', 'valid']);
    view.acceptRevocation(org.revoke(device.certificate, epoch + day, 'laptop stolen'));
    expect(judgeOp(before, view).is).toBe('valid');
    expect(judgeOp(after, view)).toMatchObject({ is: 'refused', reason: expect.stringContaining('laptop stolen') });
  });

  it('holds an op whose certificate is unknown, and decides it once the certificate arrives', () => {
    const device = certified('responder');
    const view = trustView([org]);
    const op = device.write(drafts.note, epoch + 1000);
    expect(judgeOp(op, view)).toEqual({ is: 'held', reason: `unknown certificate ${device.certificate.certId}` });
    expect(signingKeyOf(op, view)).toBeUndefined();
    view.accept(device.certificate);
    expect(judgeOp(op, view).is).toBe('valid');
    expect(signingKeyOf(op, view)).toBe(device.keys.publicKey);
  });

  it('holds a certificate of an organisation this node has not pinned', () => {
    const stranger = testOrg().certify({ role: 'admin' });
    expect(judgeOp(stranger.write(drafts.severity, epoch + 1), trustView([org]).accept(stranger.certificate))).toMatchObject({
      is: 'held',
      reason: expect.stringContaining('has not pinned'),
    });
  });

  it('rejects an op that claims another device or another writer than its certificate', () => {
    const device = certified('commander');
    const other = certified('responder');
    const view = trustView([org]).accept(device.certificate, other.certificate);
    expect(judgeOp(forgeOp(device, drafts.severity, epoch + 1, { deviceId: other.deviceId }), view)).toMatchObject({
      is: 'rejected',
      reason: expect.stringContaining(`belongs to device ${device.deviceId}`),
    });
    expect(judgeOp(forgeOp(device, drafts.severity, epoch + 1, { actorId: other.user }), view)).toMatchObject({
      is: 'rejected',
      reason: expect.stringContaining(`not ${other.user}'s`),
    });
    // A responder naming a commander's certificate: the certificate is not its device's.
    expect(judgeOp(forgeOp(other, drafts.severity, epoch + 1, { certId: device.certificate.certId }), view).is).toBe('rejected');
  });

  describe('guests admitted by a hub', () => {
    const host = org.certify({ role: 'commander' });
    const guest = org.certify({ role: 'guest', hub: host });
    const view = trustView([org]).accept(host.certificate, guest.certificate);

    it('may add notes to an incident, and nothing else', () => {
      expect(judgeOp(guest.write(drafts.note, epoch + 1000), view)).toMatchObject({ is: 'valid', trust: 'guest', signer: { user: guest.user, role: 'guest' } });
      for (const draft of [drafts.decision, drafts.severity, drafts.person]) {
        expect(judgeOp(guest.write(draft, epoch + 1000), view)).toMatchObject({ is: 'refused', reason: "guests may only add notes to an incident's timeline" });
      }
    });

    it('are refused when the host could not admit them, and held while the host is unknown', () => {
      const responderHost = org.certify({ role: 'responder' });
      const badGuest = org.certify({ role: 'guest', hub: responderHost });
      const note = badGuest.write(drafts.note, epoch + 1000);
      expect(judgeOp(note, trustView([org]).accept(badGuest.certificate)).is).toBe('held');
      expect(judgeOp(note, trustView([org]).accept(badGuest.certificate, responderHost.certificate))).toMatchObject({
        is: 'refused',
        reason: expect.stringContaining('cannot admit guests'),
      });
    });

    it("lose their notes from the host's revocation on", () => {
      const revoked = trustView([org])
        .accept(host.certificate, guest.certificate)
        .acceptRevocation(org.revoke(host.certificate, epoch + 2000));
      expect(judgeOp(guest.write(drafts.note, epoch + 1000), revoked).is).toBe('valid');
      expect(judgeOp(guest.write(drafts.note, epoch + 2000), revoked).is).toBe('refused');
    });
  });

  describe('certless ops', () => {
    it("are judged under the device's adopting certificate, held until it exists", () => {
      const standaloneOrg = testOrg();
      const laptop = standaloneOrg.certify({ role: 'responder', user: 'maya', adopts: true, aliases: ['mjones'], notBefore: epoch + day });
      const certless = { ...laptop.signer, certId: null };
      const solo = (draft: OpDraft, actorId: string) => forgeOp({ ...laptop, signer: certless }, draft, epoch + 1000, { certId: null, actorId });
      const view = trustView([standaloneOrg]);
      expect(judgeOp(solo(drafts.note, 'mjones'), view).is).toBe('held');
      view.accept(laptop.certificate);
      expect(judgeOp(solo(drafts.note, 'mjones'), view)).toMatchObject({ is: 'valid', trust: 'adopted' });
      expect(judgeOp(solo(drafts.severity, 'maya'), view).is).toBe('refused');
      expect(judgeOp(solo(drafts.note, 'lee'), view).is).toBe('rejected');
    });

    it("are this standalone replica's own to judge, and unsigned org-sealed ops are grandfathered", () => {
      const laptop = org.certify({ role: 'viewer' });
      const op = forgeOp(laptop, drafts.severity, epoch, { certId: null });
      const standalone = trustView([], { standalone: { deviceId: laptop.deviceId, publicKey: laptop.keys.publicKey } });
      expect(judgeOp(op, standalone)).toMatchObject({ is: 'valid', trust: 'standalone' });
      const { sig: _sig, ...unsigned } = op;
      const view = trustView([org]);
      expect(judgeOp(unsigned, view).is).toBe('held');
      view.sealed.add(op.opId);
      expect(judgeOp(unsigned, view)).toMatchObject({ is: 'valid', trust: 'legacy', signer: { role: null } });
    });
  });

  describe('trust records', () => {
    const service = org.certify({ role: 'service', user: 'holdfast-service' });
    const admin = org.certify({ role: 'admin' });
    const newcomer = org.certify({ role: 'responder' });
    const certOp = (writer: TestDevice, fields = { body: newcomer.certificate.body, sig: newcomer.certificate.sig }) =>
      writer.write({ entity: 'device_cert', rowId: '', fields: fields as never }, epoch + 1000);

    it('lets the service introduce its own certificate and publish others, checked against the org key', () => {
      const view = trustView([org]);
      expect(judgeOp(certOp(service, { body: service.certificate.body, sig: service.certificate.sig }), view).is).toBe('valid');
      view.accept(service.certificate);
      expect(judgeOp(certOp(service), view).is).toBe('valid');
      expect(judgeOp(certOp(service, { body: { ...newcomer.certificate.body, role: 'admin' }, sig: newcomer.certificate.sig }), view)).toMatchObject({
        is: 'refused',
        reason: expect.stringContaining('does not verify'),
      });
      const foreign = testOrg().certify({ role: 'admin' }).certificate;
      expect(judgeOp(certOp(service, { body: foreign.body, sig: foreign.sig }), view)).toMatchObject({ is: 'held' });
    });

    it('refuses trust records from anyone else, even an admin', () => {
      const view = trustView([org]).accept(admin.certificate, service.certificate);
      expect(judgeOp(certOp(admin), view)).toMatchObject({ is: 'refused', reason: 'only the service writes certificates issued by the organisation' });
      const revocation = org.revoke(newcomer.certificate, epoch);
      expect(judgeOp(admin.write({ entity: 'cert_revocation', rowId: '', fields: revocation as never }, epoch + 1000), view).is).toBe('refused');
      expect(judgeOp(service.write({ entity: 'cert_revocation', rowId: '', fields: revocation as never }, epoch + 1000), view).is).toBe('valid');
    });
  });
});
