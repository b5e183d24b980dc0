// Who may say a laptop holds a channel's secret: only that laptop, and only a role that may
// configure channels. Judged by judgeOp, so every replica and the service agree.
import { describe, expect, it } from 'vitest';
import type { OpDraft } from '@shared/ops';
import { judgeOp } from '@shared/trust/judge';
import { epoch, testOrg, trustView } from '../support/trust';

describe('comms_channel_holder', () => {
  const org = testOrg();
  const holderOp = (channelId: string, deviceId: string, rowId = `${channelId}/${deviceId}`): OpDraft => ({
    entity: 'comms_channel_holder',
    rowId,
    fields: { channelId, deviceId, held: true, secretId: 's1' },
  });

  it("is valid from a comms lead's or commander's own laptop", () => {
    for (const role of ['comms', 'commander', 'admin'] as const) {
      const device = org.certify({ role });
      const view = trustView([org]).accept(device.certificate);
      expect(judgeOp(device.write(holderOp('status-page', device.deviceId), epoch + 1000), view).is).toBe('valid');
    }
  });

  it('is refused when it names another laptop, or a row id that is not channelId/deviceId', () => {
    const device = org.certify({ role: 'comms' });
    const other = org.certify({ role: 'comms' });
    const view = trustView([org]).accept(device.certificate).accept(other.certificate);
    expect(judgeOp(device.write(holderOp('status-page', other.deviceId), epoch + 1000), view)).toMatchObject({
      is: 'refused',
      reason: expect.stringContaining('only say whether it holds a channel secret itself'),
    });
    expect(judgeOp(device.write(holderOp('status-page', device.deviceId, `other/${device.deviceId}`), epoch + 1000), view)).toMatchObject({
      is: 'refused',
      reason: expect.stringContaining(`must be status-page/${device.deviceId}`),
    });
    const partial = device.write({ entity: 'comms_channel_holder', rowId: `status-page/${device.deviceId}`, fields: { held: false } }, epoch + 1000);
    expect(judgeOp(partial, view)).toMatchObject({ is: 'refused', reason: expect.stringContaining('must name its channelId and deviceId') });
  });

  it('is refused from a responder, even for its own laptop', () => {
    const device = org.certify({ role: 'responder' });
    const view = trustView([org]).accept(device.certificate);
    expect(judgeOp(device.write(holderOp('status-page', device.deviceId), epoch + 1000), view).is).toBe('refused');
  });
});
