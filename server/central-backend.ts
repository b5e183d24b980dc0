// The central service's side of the protocol: tokens checked against the user directory, every op
// checked for integrity and clock drift, authenticated and judged (judge-push.ts) before it is
// stored once with its seq: valid, or refused with its reason. A purge record deletes its
// incident's stream here (see SyncStore.insertOps); later ops of it are refused as gone.
import { createHash } from 'node:crypto';
import { maxAheadMs } from '@shared/hlc';
import { incidentOfStream } from '@shared/entities';
import { trustStream } from '@shared/entities/streams';
import type { Op } from '@shared/ops';
import { goneReason, purgedStreamOf } from '@shared/purge';
import { readRefusal } from '@shared/roles';
import { pageOf, type Principal, type SyncBackend } from '@shared/sync-handler';
import { judgePush, rejudgeStored } from './judge-push';
import type { TrustIssuer } from './trust/issue';
import { createLiveTrust } from './trust/stored-trust';
import { claimJudge } from './claim-authority';
import { freezeStatus } from '@shared/domain/pipeline';
import { postPipelineEvent } from './pipeline-events';
import { createScopeFacts } from './scope-facts';
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

/** The legal-hold reason an incident has as its valid stored ops stand (last writer wins), or null. */
async function legalHoldOf(store: SyncStore, incidentId: string): Promise<string | null> {
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
}

export function createCentralBackend({ store, now = Date.now, maxDriftMs = maxAheadMs, onAdvanced, onPurged, trust }: CentralOptions): SyncBackend {
  const live = trust?.live ?? createLiveTrust(store);
  const judgeClaim = claimJudge(store, trust ? live : null, now);
  const scopeFacts = createScopeFacts(store);
  // The purging replica checked the hold against what it had heard; a hold placed elsewhere that
  // reached the service first still stops the purge here.
  const purgeConflict = async (op: Op): Promise<string | null> => {
    if (op.entity !== 'purge_record') return null;
    const hold = await legalHoldOf(store, typeof op.fields.incidentId === 'string' ? op.fields.incidentId : '');
    return hold ? `conflict: the incident is under a legal hold (${hold}); lift the hold before purging` : null;
  };
  return {
    node: 'central',
    async authenticate(token) {
      const user = await store.userByTokenHash(hashToken(token));
      return user ? { name: user.name, role: user.role } : null;
    },
    async push(_principal: Principal, inputs: unknown[]) {
      const { results, trustSeq, toStore: valid } = await judgePush({ store, live, now, maxDriftMs, conflictOf: purgeConflict }, inputs);
      if (valid.length > 0) {
        const statuses = await store.insertOps(
          valid.map((v) => v.op),
          now(),
        );
        // A refused op is stored (its chain stays whole) and answered as refused.
        const purges = new Map<string, PurgedStream | null>();
        for (const [i, v] of valid.entries()) {
          const status = statuses[i];
          if (status !== 'gone') {
            const { refusal } = v.op;
            results[v.index] = status === 'accepted' && refusal !== undefined ? { opId: v.op.opId, status: 'refused', reason: refusal } : { opId: v.op.opId, status };
            continue;
          }
          if (!purges.has(v.op.streamId)) purges.set(v.op.streamId, await store.purgedStream(v.op.streamId));
          const purge = purges.get(v.op.streamId);
          const incidentId = incidentOfStream(v.op.streamId) ?? v.op.streamId;
          results[v.index] = { opId: v.op.opId, status: 'rejected', reason: purge ? goneReason(incidentId, purge.purgedAt) : `gone: incident ${incidentId} was purged` };
        }
        // Trust records stored meanwhile (another node's revocation) may refuse what was just stored valid.
        const late = await rejudgeStored(
          store,
          live,
          trustSeq,
          valid.filter((v, i) => statuses[i] === 'accepted' && v.op.refusal === undefined).map((v) => v.op),
        );
        for (const v of valid) {
          const reason = late.get(v.op.opId);
          if (reason !== undefined) results[v.index] = { opId: v.op.opId, status: 'refused', reason };
        }
        // Purges this push made, for the log: the purge record accepted names the stream.
        for (const [i, v] of valid.entries()) {
          const streamId = statuses[i] === 'accepted' && v.op.refusal === undefined ? purgedStreamOf(v.op) : null;
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
    // The streams this principal may pull: responders and viewers never learn of delivery channels.
    // With a scope, only the incidents of the laptop's scope, judged by the service's clock.
    async streams(principal, scope) {
      const readable = (await store.streamHeads()).filter((stream) => readRefusal(principal.role, stream.streamId) === null);
      return scope ? scopeFacts.inScope(readable, principal.name, scope, now()) : readable;
    },
    // GET /v1/freeze: folded from the freeze and incident ops alone (the service keeps no projections).
    async freezes(_principal, scopes) {
      const [ops, purged] = await Promise.all([store.readOpsByEntity(['freeze', 'incident']), store.purgedStreams()]);
      return freezeStatus(ops, { now: now(), scopes, purgedIncidents: new Set(purged.map((p) => p.incidentId)) });
    },
    async postEvent(principal, target, event, idempotencyKey) {
      const written = await postPipelineEvent({ store, now, signer: trust && (() => trust.signer()) }, principal, target, event, idempotencyKey);
      if (written.advanced.length > 0) onAdvanced?.(written.advanced);
      return written.reply;
    },
    // The holder is a device, not the principal: one person's laptops are different senders.
    // Each claim and settlement is judged first (claim-authority.ts): signed by a publisher's device
    // that holds the channel, for a published update.
    async claimDelivery(_principal, request) {
      const refused = await judgeClaim({ kind: 'claim', ...request });
      if (refused) return { granted: false, holder: request.holder, leaseUntil: 0, isDone: false, previousHolder: null, refused };
      return store.claimDelivery(request.key, request.holder, request.leaseMs, now());
    },
    async settleDelivery(_principal, request) {
      const refused = await judgeClaim({ kind: 'settle', ...request });
      if (refused) return { ok: false, reason: refused };
      return store.settleDelivery(request.key, request.holder, request.outcome, now());
    },
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
