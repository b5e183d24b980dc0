// Delivery authority as every node decides it: delivery records name the device doing the delivery
// and carry the receiver's answer; a claim or settlement is signed by a publisher's device that holds
// the channel, for a published update; an update goes out only when its publication and approval hold.
import { describe, expect, it } from 'vitest';
import { signText } from '@shared/node/ed25519';
import { channelHeldBy, claimRefusal, claimSigningString, sendRefusal, type ChannelOp, type ClaimAct, type DeliveryFacts } from '@shared/trust/comms-rules';
import { judgeOp } from '@shared/trust/judge';
import { epoch, testOrg, trustView, type TestDevice } from '../support/trust';

const incidentId = 'inc1';
const updateId = 'upd1';
const channelId = 'chan1';
const key = `${incidentId}/${updateId}/${channelId}`;

describe('delivery records', () => {
  const org = testOrg();
  const comms = org.certify({ role: 'comms', user: 'casey' });
  const view = trustView([org]).accept(comms.certificate);
  const delivery = (fields: Record<string, unknown>) =>
    comms.write({ entity: 'comms_delivery', rowId: key, fields: { incidentId, updateId, channelId, ...fields } }, epoch + 1000);
  const me = `casey@${comms.deviceId}`;

  it("is valid when the device records its own claim and the receiver's answer", () => {
    expect(judgeOp(delivery({ state: 'sending', attempts: 1, by: me }), view).is).toBe('valid');
    expect(judgeOp(delivery({ state: 'delivered', deliveredAt: epoch + 1000, detail: 'HTTP 200: ok', by: me }), view).is).toBe('valid');
    // The publication's own queued record names nobody yet.
    expect(judgeOp(delivery({ state: 'queued', attempts: 0, by: '' }), view).is).toBe('valid');
  });

  it('is refused when a claim or settlement names another device, or none', () => {
    expect(judgeOp(delivery({ state: 'delivered', deliveredAt: epoch, detail: 'HTTP 200', by: 'cora@d000000000000abc' }), view)).toMatchObject({
      is: 'refused',
      reason: expect.stringContaining('recorded by the device doing it'),
    });
    expect(judgeOp(delivery({ state: 'delivered', deliveredAt: epoch, detail: 'delivered by another replica (x)' }), view)).toMatchObject({
      is: 'refused',
      reason: expect.stringContaining(`names the device holding it (by ${me})`),
    });
  });

  it("is refused when 'delivered' does not carry the receiver's answer", () => {
    expect(judgeOp(delivery({ state: 'delivered', deliveredAt: epoch, detail: '', by: me }), view)).toMatchObject({
      is: 'refused',
      reason: expect.stringContaining("receiving end's answer"),
    });
  });
});

describe('claims and settlements at a coordinator', () => {
  const org = testOrg();
  const sender = org.certify({ role: 'comms', user: 'casey' });
  const other = org.certify({ role: 'comms', user: 'olly' });
  const responder = org.certify({ role: 'responder', user: 'rui' });
  const view = trustView([org]).accept(sender.certificate, other.certificate, responder.certificate);
  const now = epoch + 5000;
  const facts = (published: boolean, holders: string[]): DeliveryFacts => ({
    isPublished: (i, u) => published && i === incidentId && u === updateId,
    holds: (c, d) => c === channelId && holders.includes(d),
  });
  const signed = (device: TestDevice, act: ClaimAct, at = now) => ({
    certId: device.certificate.certId,
    at,
    sig: signText(device.keys.privateKey, claimSigningString(act, device.certificate.certId, at)),
  });
  const claim = (holder: string): ClaimAct => ({ kind: 'claim', key, holder, leaseMs: 60_000 });
  const judge = (act: ClaimAct, proof: ReturnType<typeof signed> | undefined, f = facts(true, [sender.deviceId])) => claimRefusal(act, proof, { view, now, facts: f });

  it('takes a signed claim and settlement of a published update from a device holding the channel', async () => {
    expect(await judge(claim(sender.deviceId), signed(sender, claim(sender.deviceId)))).toBeNull();
    const settle: ClaimAct = { kind: 'settle', key, holder: sender.deviceId, outcome: 'delivered' };
    expect(await judge(settle, signed(sender, settle))).toBeNull();
  });

  it('refuses an unsigned claim, one signed for another holder, a forged signature and a stale one', async () => {
    expect(await judge(claim(sender.deviceId), undefined)).toMatch(/not signed/);
    // A comms lead's own certificate naming the real sender as holder.
    expect(await judge(claim(sender.deviceId), signed(other, claim(sender.deviceId)))).toMatch(/belongs to device .*, not to the holder/);
    const forged = { ...signed(sender, claim(sender.deviceId)), sig: signed(other, claim(sender.deviceId)).sig };
    expect(await judge(claim(sender.deviceId), forged)).toMatch(/does not verify/);
    expect(await judge(claim(sender.deviceId), signed(sender, claim(sender.deviceId), now - 3600_000))).toMatch(/too far from this node's clock/);
  });

  it('refuses a responder, a draft and a device that does not hold the channel', async () => {
    expect(await judge(claim(responder.deviceId), signed(responder, claim(responder.deviceId)), facts(true, [responder.deviceId]))).toMatch(
      /rui is a responder; only admins, commanders and comms leads/,
    );
    expect(await judge(claim(sender.deviceId), signed(sender, claim(sender.deviceId)), facts(false, [sender.deviceId]))).toMatch(
      /is not published at this node \(yet\); a draft cannot be claimed or settled/,
    );
    expect(await judge(claim(other.deviceId), signed(other, claim(other.deviceId)))).toMatch(/does not hold channel chan1/);
  });
});

describe('who holds a channel', () => {
  let seq = 0;
  const op = (entity: string, deviceId: string, rowId: string, fields: Record<string, unknown>): ChannelOp => {
    seq += 1;
    return { opId: `op${String(seq).padStart(4, '0')}`, hlc: String(epoch + seq).padStart(15, '0'), deviceId, entity, rowId, fields };
  };
  const channel = (deviceId: string, fields: Record<string, unknown>) => op('comms_channel', deviceId, channelId, fields);
  const holder = (deviceId: string, held: boolean, secretId: string) =>
    op('comms_channel_holder', deviceId, `${channelId}/${deviceId}`, { channelId, deviceId, held, secretId });

  it("is the laptop whose newest record says it holds the channel's current secret", () => {
    const ops = [channel('a', { config: {}, secretId: 's1' }), holder('a', true, 's1'), holder('b', true, 's1'), holder('b', false, 's1')];
    expect(channelHeldBy(ops, channelId, 'a')).toBe(true);
    expect(channelHeldBy(ops, channelId, 'b')).toBe(false);
    expect(channelHeldBy(ops, channelId, 'c')).toBe(false);
    // A new secret set on another laptop: the old holder no longer counts.
    const rotated = [...ops, channel('c', { config: {}, secretId: 's2' }), holder('c', true, 's2')];
    expect(channelHeldBy(rotated, channelId, 'a')).toBe(false);
    expect(channelHeldBy(rotated, channelId, 'c')).toBe(true);
  });

  it('is the laptop that last configured a channel that names no secret yet', () => {
    const ops = [channel('a', { config: {} }), channel('b', { name: 'renamed' })];
    expect(channelHeldBy(ops, channelId, 'a')).toBe(true);
    expect(channelHeldBy(ops, channelId, 'b')).toBe(false);
  });
});

describe('whether a published update may go out', () => {
  const digest = 'd1';
  const approver = (person: string) => (['cora', 'dana'].includes(person) ? null : `Only cora (incident commander) can approve this update.`);
  const base = { needsApproval: true, digest, author: 'casey', approverRefusal: approver };
  const approval = (signer: string, fields: Partial<{ state: string; approvedDigest: string; decidedBy: string }> = {}) => ({
    signer,
    state: 'approved',
    approvedDigest: digest,
    decidedBy: signer,
    ...fields,
  });

  it('goes out when published by a publisher and approved over the exact text by an allowed approver', () => {
    expect(sendRefusal({ ...base, publication: { valid: true, role: 'comms', user: 'casey' }, approvals: [approval('cora')] })).toBeNull();
    expect(sendRefusal({ ...base, needsApproval: false, publication: { valid: true, role: 'commander', user: 'cora' }, approvals: [] })).toBeNull();
  });

  it('does not go out when the publication is refused or by a role that does not publish', () => {
    expect(sendRefusal({ ...base, publication: { valid: false, reason: 'responders may not write stakeholder updates' }, approvals: [approval('cora')] })).toMatch(
      /not valid here: responders may not/,
    );
    expect(sendRefusal({ ...base, publication: { valid: true, role: 'responder', user: 'rui' }, approvals: [approval('cora')] })).toMatch(/a responder; only admins/);
  });

  it('does not go out without an approval of exactly its text by someone allowed to approve', () => {
    const publication = { valid: true as const, role: 'comms', user: 'casey' };
    expect(sendRefusal({ ...base, publication, approvals: [] })).toMatch(/no approval covers the published text/);
    expect(sendRefusal({ ...base, publication, approvals: [approval('cora', { approvedDigest: 'other text' })] })).toMatch(/no approval covers/);
    expect(sendRefusal({ ...base, publication, approvals: [approval('cora', { state: 'rejected' })] })).toMatch(/no approval covers/);
    expect(sendRefusal({ ...base, publication, approvals: [approval('casey', { decidedBy: 'cora' })] })).toMatch(/no approval covers/);
    expect(sendRefusal({ ...base, publication, approvals: [approval('bob')] })).toMatch(/not by someone allowed to approve it \(Only cora/);
    // The author's own approval never counts, whoever the approver rule would let approve.
    expect(sendRefusal({ ...base, author: 'cora', publication, approvals: [approval('cora')] })).toMatch(
      /not by someone allowed to approve it \(cora wrote the update; a second person approves it\)/,
    );
    expect(sendRefusal({ ...base, author: 'cora', publication, approvals: [approval('cora'), approval('dana')] })).toBeNull();
  });
});
