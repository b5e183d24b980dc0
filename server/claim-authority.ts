// Delivery claims and settlements at the central service: judged with the same rule every replica's
// own coordinator applies (shared/trust/comms-rules claimRefusal), from what the service stores: the
// update's publication in its incident stream, and the channel's holders in the comms stream.
import { commsStream, incidentStream } from '@shared/entities/streams';
import type { ClaimRequest, SettleRequest } from '@shared/sync';
import { channelHeldBy, claimFactsRefusal, claimRefusal, type ClaimAct, type DeliveryFacts } from '@shared/trust/comms-rules';
import { isIntegrationSendId } from '@shared/trust/integration-rules';
import type { SyncStore } from './storage/sync-store';
import type { LiveTrust } from './trust/stored-trust';

/** The facts a claim is judged on, read from the service's store (valid ops only). */
export function storedDeliveryFacts(store: SyncStore): DeliveryFacts {
  return {
    async isPublished(incidentId, updateId) {
      if (isIntegrationSendId(updateId)) {
        const sends = await store.readOpsByEntity(['integration_send'], incidentStream(incidentId));
        return sends.some((op) => op.rowId.startsWith(`${incidentId}/${updateId}/`));
      }
      const published = await store.readOpsByEntity(['comms_published'], incidentStream(incidentId));
      return published.some((op) => op.fields.updateId === updateId);
    },
    async holds(channelId, deviceId) {
      // comms_channel_holder: each replica's record of holding a channel's secret.
      const ops = await store.readOpsByEntity(['comms_channel_holder', 'comms_channel', 'integration_target'], commsStream);
      return channelHeldBy(ops, channelId, deviceId);
    },
  };
}

export type ClaimOrSettle = ({ kind: 'claim' } & ClaimRequest) | ({ kind: 'settle' } & SettleRequest);

/**
 * Why the service refuses a claim or settlement, or null. With an org key (`live`) it checks
 * everything: signature, certificate, role, holder and publication. Without one there is no
 * certificate to check a signature or a holder against, so only the publication is checked: a
 * draft is never claimed.
 */
export function claimJudge(store: SyncStore, live: LiveTrust | null, now: () => number) {
  const facts = storedDeliveryFacts(store);
  return async (request: ClaimOrSettle): Promise<string | null> => {
    const act: ClaimAct =
      request.kind === 'claim'
        ? { kind: 'claim', key: request.key, holder: request.holder, leaseMs: request.leaseMs }
        : { kind: 'settle', key: request.key, holder: request.holder, outcome: request.outcome };
    if (live) return claimRefusal(act, request.proof, { view: await live.current(), now: now(), facts });
    return claimFactsRefusal(act, facts, { checkHolder: false });
  };
}
