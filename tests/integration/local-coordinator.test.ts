// A replica's own delivery coordinator (what it and a hub it hosts with no service above use) judges
// claims and settlements with the service's rule: signed by this device's key, for a published
// update, by a device that holds the channel.
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/ids';
import { claimSigningString, type ClaimAct } from '@shared/trust/comms-rules';
import type { ClaimRequest, SettleRequest } from '@shared/sync';
import { loadOrCreateDeviceKey } from '../../electron/engine/core/device-key';
import { fileSecretStore } from '../../electron/engine/core/secrets';
import { localCoordinator } from '../../electron/engine/comms/outbox';
import type { Engine } from '../../electron/engine/engine';
import { call, exchange, openTestEngine } from '../support/engines';
import { tempDir } from '../support/temp';

/** An engine with its data folder, so the test can sign with its device key. */
function engineAs(name: string): { engine: Engine; sign: (message: string) => string } {
  const dataDir = tempDir();
  const engine = openTestEngine({ dataDir });
  engine.replica.setActor(name);
  const key = loadOrCreateDeviceKey(fileSecretStore(dataDir), engine.replica.deviceId);
  return { engine, sign: key.sign };
}

const channel = (id: string) => ({
  entity: 'comms_channel' as const,
  rowId: id,
  fields: { name: id, config: { kind: 'webhook' as const, url: 'http://127.0.0.1:9/hook' }, audiences: ['internal' as const], isEnabled: true, deleted: false },
});

describe("a replica's own coordinator", () => {
  it('grants only signed claims of a published update by a device holding the channel, and refuses the rest', async () => {
    const host = engineAs('maya');
    const other = engineAs('lee');
    const incident = await call(host.engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV2' });
    host.engine.replica.commitLocal([channel('mine')]);
    other.engine.replica.commitLocal([channel('theirs')]);
    exchange(host.engine, other.engine);
    const coordinator = localCoordinator(host.engine.db, Date.now, host.engine.replica);
    const updateId = uuidv7();
    const keyOf = (channelId: string) => `${incident.id}/${updateId}/${channelId}`;
    const signed = <T extends ClaimAct>(by: { sign: (m: string) => string }, act: T) => {
      const at = Date.now();
      return { certId: null, at, sig: by.sign(claimSigningString(act, null, at)) };
    };
    const claim = (by: { sign: (m: string) => string }, holder: string, channelId: string): ClaimRequest => {
      const act = { kind: 'claim' as const, key: keyOf(channelId), holder, leaseMs: 60_000 };
      return { key: act.key, holder, leaseMs: act.leaseMs, proof: signed(by, act) };
    };
    const settle = (by: { sign: (m: string) => string }, holder: string, channelId: string): SettleRequest => {
      const act = { kind: 'settle' as const, key: keyOf(channelId), holder, outcome: 'delivered' as const };
      return { key: act.key, holder, outcome: act.outcome, proof: signed(by, act) };
    };
    const hostId = host.engine.replica.deviceId;

    // A draft: nothing is granted, even to this device.
    expect(await coordinator.claim(claim(host, hostId, 'mine'))).toMatchObject({ granted: false, refused: expect.stringContaining('a draft cannot be claimed') });
    expect(await coordinator.settle(settle(host, hostId, 'mine'))).toMatchObject({ ok: false, reason: expect.stringContaining('a draft cannot be claimed') });

    host.engine.replica.commitLocal([
      {
        entity: 'comms_published',
        rowId: '',
        fields: {
          incidentId: incident.id,
          updateId,
          audience: 'internal',
          title: 'Checkout is down',
          body: 'We are on it.',
          nextUpdateAt: null,
          channels: [],
          approvedBy: null,
          lintAcknowledged: [],
          publishedAt: Date.now(),
        },
      },
    ]);
    // Unsigned, or signed by another laptop in this device's name or its own: refused.
    const { proof: _dropped, ...unsigned } = claim(host, hostId, 'mine');
    expect(await coordinator.claim(unsigned)).toMatchObject({ granted: false, refused: expect.stringContaining('not signed') });
    expect(await coordinator.claim(claim(other, hostId, 'mine'))).toMatchObject({ granted: false, refused: expect.stringContaining('does not verify') });
    expect(await coordinator.claim(claim(other, other.engine.replica.deviceId, 'theirs'))).toMatchObject({
      granted: false,
      refused: expect.stringContaining('only a certified device may claim'),
    });
    // This device does not hold the channel the other laptop configured.
    expect(await coordinator.claim(claim(host, hostId, 'theirs'))).toMatchObject({ granted: false, refused: expect.stringContaining('does not hold channel theirs') });
    // Its own, published, on its own channel: granted and settled.
    expect(await coordinator.claim(claim(host, hostId, 'mine'))).toMatchObject({ granted: true, holder: hostId });
    expect(await coordinator.settle(settle(host, hostId, 'mine'))).toEqual({ ok: true });
    expect(await coordinator.claim(claim(host, hostId, 'mine'))).toMatchObject({ granted: false, isDone: true });
  });
});
