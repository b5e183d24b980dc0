// The central service's side of the protocol: tokens checked against the user directory, every op
// checked for integrity, clock drift and authorization before it is stored once with its seq. A
// purge record deletes its incident's stream here (see SyncStore.insertOps); later ops of it are
// refused as gone.
import { createHash } from 'node:crypto';
import { decodeHlc, defaultMaxDriftMs } from '@shared/hlc';
import { entitySpecs, incidentOfStream } from '@shared/entities';
import { trustStream } from '@shared/entities/streams';
import { checkOp, claimedOpId, type Op } from '@shared/ops';
import { goneReason, purgedStreamOf } from '@shared/purge';
import { readRefusal, relayRoles, writeRefusal } from '@shared/roles';
import type { PushResult } from '@shared/sync';
import { pageOf, type Principal, type SyncBackend } from '@shared/sync-handler';
import type { TrustIssuer } from './trust/issue';
import { readStoredTrust, relayedTrustRefusal, type StoredTrust } from './trust/stored-trust';
import { freezeStatus } from '@shared/domain/pipeline';
import { postPipelineEvent } from './pipeline-events';
import type { PurgedStream, SyncStore } from './storage/sync-store';

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export interface CentralOptions {
  store: SyncStore;
  now?: () => number;
  maxDriftMs?: number;
  /** Told which streams advanced after each push (for live pokes). */
  onAdvanced?: (streamIds: string[]) => void;
  /** Told of each incident stream a push purged (for the service log). */
  onPurged?: (purge: PurgedStream & { purgedBy: string }) => void;
  /** The org key and certificate issuing; without it the certificate routes answer 404. */
  trust?: TrustIssuer;
}

export function createCentralBackend({ store, now = Date.now, maxDriftMs = defaultMaxDriftMs, onAdvanced, onPurged, trust }: CentralOptions): SyncBackend {
  let serviceDevice: Promise<string> | undefined;
  const serviceDeviceId = () => (serviceDevice ??= store.serviceDeviceId());
  return {
    node: 'central',
    async authenticate(token) {
      const user = await store.userByTokenHash(hashToken(token));
      return user ? { name: user.name, role: user.role } : null;
    },
    async push(principal: Principal, inputs: unknown[]) {
      /** The legal-hold reason an incident has as its stored ops stand (last writer wins), or null. */
      const legalHoldOf = async (incidentId: string): Promise<string | null> => {
        let held: { hlc: string; opId: string; isHeld: boolean; reason: string } | null = null;
        for (const stored of await store.readOpsByEntity(['incident'], `incident:${incidentId}`)) {
          if (stored.fields.isLegalHold === undefined) continue;
          if (held && (stored.hlc < held.hlc || (stored.hlc === held.hlc && stored.opId < held.opId))) continue;
          held = {
            hlc: stored.hlc,
            opId: stored.opId,
            isHeld: stored.fields.isLegalHold === true,
            reason: typeof stored.fields.legalHoldReason === 'string' ? stored.fields.legalHoldReason : '',
          };
        }
        return held?.isHeld ? held.reason || 'no reason given' : null;
      };
      const results: PushResult[] = new Array<PushResult>(inputs.length);
      const valid: { index: number; op: Op }[] = [];
      const roleOf = new Map<string, Principal['role'] | null>([[principal.name, principal.role]]);
      const authorOf = new Map<string, string | null>();
      const ownDevice = await serviceDeviceId();
      const checkedOps = inputs.map((input) => checkOp(input, hashToken));
      // Ops of the service's own device (pipeline events) come back from relays that received them
      // from a hub or a peer: a copy of one stored here is a duplicate, anything else is forged.
      const ownOpIds = checkedOps.flatMap((checked) => (checked.ok && checked.op.deviceId === ownDevice ? [checked.op.opId] : []));
      const knownOwn = ownOpIds.length > 0 ? await store.knownOpIds(ownOpIds) : new Set<string>();
      let storedTrust: StoredTrust | undefined;
      for (const [index, input] of inputs.entries()) {
        const checked = checkedOps[index];
        const opId = claimedOpId(input);
        if (!checked.ok) {
          results[index] = { opId, status: 'rejected', reason: checked.reason };
          continue;
        }
        const { op } = checked;
        if (op.deviceId === ownDevice) {
          if (knownOwn.has(op.opId) || (await store.purgedStream(op.streamId))) valid.push({ index, op });
          else results[index] = { opId, status: 'rejected', reason: 'forbidden: only this service writes as its own device' };
          continue;
        }
        if (decodeHlc(op.hlc).ms > now() + maxDriftMs) {
          results[index] = { opId, status: 'rejected', reason: 'hlc: clock is too far ahead of the service; check the device clock' };
          continue;
        }
        // Trust records are judged by their signatures alone: relaying one vouches for nothing.
        if (op.streamId === trustStream || entitySpecs[op.entity].scope === 'trust') {
          storedTrust ??= await readStoredTrust(store);
          const refusal = relayedTrustRefusal(op, storedTrust);
          if (refusal) results[index] = { opId, status: 'rejected', reason: `forbidden: ${refusal}` };
          else valid.push({ index, op });
          continue;
        }
        // Who wrote it: a user by name, or a name a user claimed for this device before connecting.
        const key = `${op.deviceId}\n${op.actorId}`;
        if (!authorOf.has(key)) {
          const user = await store.userByName(op.actorId);
          const owner = user ? null : await store.aliasOwner(op.deviceId, op.actorId);
          authorOf.set(key, user?.name ?? owner);
        }
        const author = authorOf.get(key) ?? null;
        if (author !== principal.name && !relayRoles.includes(principal.role)) {
          results[index] = { opId, status: 'rejected', reason: `forbidden: actorId must be the token's user (${principal.name})` };
          continue;
        }
        if (author && !roleOf.has(author)) roleOf.set(author, (await store.userByName(author))?.role ?? null);
        const actorRole = author ? roleOf.get(author) : null;
        if (!actorRole) {
          results[index] = { opId, status: 'rejected', reason: `forbidden: ${op.actorId} is not a user of this service` };
          continue;
        }
        // A relayed op must be allowed to its author and to the relaying user: a relay never
        // lets anyone do more than they could themselves.
        const refusal = writeRefusal(actorRole, op) ?? (author !== principal.name ? writeRefusal(principal.role, op) : null);
        if (refusal) {
          results[index] = { opId, status: 'rejected', reason: `forbidden: ${refusal}` };
          continue;
        }
        // The purging replica checked the hold against what it had heard; a hold placed elsewhere
        // that reached the service first still stops the purge here.
        const hold = op.entity === 'purge_record' ? await legalHoldOf(typeof op.fields.incidentId === 'string' ? op.fields.incidentId : '') : null;
        if (hold) {
          results[index] = { opId, status: 'rejected', reason: `conflict: the incident is under a legal hold (${hold}); lift the hold before purging` };
          continue;
        }
        valid.push({ index, op });
      }
      if (valid.length > 0) {
        const statuses = await store.insertOps(
          valid.map((v) => v.op),
          now(),
        );
        const purges = new Map<string, PurgedStream | null>();
        for (const [i, v] of valid.entries()) {
          const status = statuses[i];
          if (status !== 'gone') {
            results[v.index] = { opId: v.op.opId, status };
            continue;
          }
          if (!purges.has(v.op.streamId)) purges.set(v.op.streamId, await store.purgedStream(v.op.streamId));
          const purge = purges.get(v.op.streamId);
          const incidentId = incidentOfStream(v.op.streamId) ?? v.op.streamId;
          results[v.index] = { opId: v.op.opId, status: 'rejected', reason: purge ? goneReason(incidentId, purge.purgedAt) : `gone: incident ${incidentId} was purged` };
        }
        // Purges this push made, for the log: the purge record accepted names the stream.
        for (const [i, v] of valid.entries()) {
          const streamId = statuses[i] === 'accepted' ? purgedStreamOf(v.op) : null;
          if (!streamId || !onPurged) continue;
          const purge = await store.purgedStream(streamId);
          if (purge?.purgeOpId === v.op.opId) onPurged({ ...purge, purgedBy: v.op.actorId });
        }
        const advanced = [...new Set(valid.filter((_, i) => statuses[i] === 'accepted').map((v) => v.op.streamId))];
        if (advanced.length > 0) onAdvanced?.(advanced);
      }
      return results;
    },
    async pull(_principal, streamId, after, limit, skipDevice) {
      return pageOf(await store.readOps(streamId, after, limit + 1), after, limit, skipDevice);
    },
    async claimAlias(principal, deviceId, alias) {
      if (alias !== principal.name && (await store.userByName(alias))) {
        return { ok: false, reason: `"${alias}" is the name of another user of this service; it cannot be claimed` };
      }
      const owner = await store.claimAlias(deviceId, alias, principal.name, now());
      return owner === principal.name ? { ok: true } : { ok: false, reason: `"${alias}" on this device was already claimed by ${owner}` };
    },
    // The streams this principal may pull: responders and viewers never learn of delivery channels.
    async streams(principal) {
      return (await store.streamHeads()).filter((stream) => readRefusal(principal.role, stream.streamId) === null);
    },
    // GET /v1/freeze: folded from the freeze and incident ops alone (the service keeps no projections).
    async freezes(_principal, scopes) {
      const [ops, purged] = await Promise.all([store.readOpsByEntity(['freeze', 'incident']), store.purgedStreams()]);
      return freezeStatus(ops, { now: now(), scopes, purgedIncidents: new Set(purged.map((p) => p.incidentId)) });
    },
    async postEvent(principal, target, event, idempotencyKey) {
      const written = await postPipelineEvent({ store, now }, principal, target, event, idempotencyKey);
      if (written.advanced.length > 0) onAdvanced?.(written.advanced);
      return written.reply;
    },
    // The holder is a device, not the principal: one person's laptops are different senders.
    claimDelivery: (_principal, { key, holder, leaseMs }) => store.claimDelivery(key, holder, leaseMs, now()),
    settleDelivery: (_principal, { key, holder, outcome }) => store.settleDelivery(key, holder, outcome, now()),
    ...(trust && {
      trustRoot: async () => trust.root(),
      async issueCertificate(principal, request) {
        const issued = await trust.issue(principal, request);
        if (!issued.ok) return { status: issued.status, body: { error: { code: issued.code, message: issued.message } } };
        onAdvanced?.([trustStream]);
        return { status: 200, body: issued.reply };
      },
    }),
    async ready() {
      await store.ping();
      return true;
    },
  };
}
