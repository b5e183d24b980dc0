// POST /v1/incidents/{id}/events and /v1/services/{name}/events on the central service: a
// pipeline's event becomes a `system` timeline entry in each incident it concerns, written by the
// service as its own device (its own clock and hash chain per stream, see SyncStore.writeAsService),
// signed under the service device's `service` certificate, on behalf of the token's user, so
// replicas pull it, verify it and show it like any other entry.
import { createHash } from 'node:crypto';
import type { Json } from '@shared/canonical';
import {
  affectsService,
  entrySource,
  eventFingerprintText,
  eventText,
  incidentStates,
  isOpenIncident,
  maxEventAheadMs,
  type EventResponse,
  type EventTarget,
  type IncidentState,
  type PipelineEvent,
} from '@shared/domain/pipeline';
import { incidentStream } from '@shared/entities';
import { uuidv7 } from '@shared/ids';
import { goneReason } from '@shared/purge';
import type { Principal, SyncReply } from '@shared/sync-handler';
import type { OpSigner } from '@shared/trust/signing';
import type { InsertStatus, ServiceDraft, StoredReply, SyncStore } from './storage/sync-store';

export interface EventDeps {
  store: SyncStore;
  now: () => number;
  /** The service device's signer (its `service` certificate); without one (no org key) events are unsigned. */
  signer?: () => Promise<OpSigner>;
}

const fail = (status: number, code: string, message: string): StoredReply => ({ status, body: { error: { code, message } } });

const incidentIdPattern = /^[0-9a-f-]{36}$/;

/** Where the event goes, or the reply refusing it (404 unknown or deleted, 409 closed, 410 purged). */
async function targetsOf(store: SyncStore, target: EventTarget): Promise<IncidentState[] | StoredReply> {
  if (target.kind === 'service') {
    const incidents = incidentStates(await store.readOpsByEntity(['incident']));
    return [...incidents.values()].filter((incident) => isOpenIncident(incident) && affectsService(incident, target.service)).sort((a, b) => (a.id < b.id ? -1 : 1));
  }
  const { incidentId } = target;
  const unknown = fail(404, 'not_found', `no incident ${incidentId} on this service (it may not have synced here yet); check the id in the incident's link`);
  if (!incidentIdPattern.test(incidentId)) return unknown;
  const streamId = incidentStream(incidentId);
  const incident = incidentStates(await store.readOpsByEntity(['incident'], streamId)).get(incidentId);
  if (!incident) {
    const purge = await store.purgedStream(streamId);
    return purge ? fail(410, 'gone', goneReason(incidentId, purge.purgedAt)) : unknown;
  }
  if (incident.isDeleted) return fail(404, 'not_found', `incident ${incidentId} ("${incident.title}") was deleted`);
  if (incident.status === 'closed')
    return fail(409, 'conflict', `incident ${incidentId} ("${incident.title}") is closed and its record is final; post to an open incident`);
  return [incident];
}

/** Posts one event: the reply to send, and the streams that advanced (for pokes). */
export async function postPipelineEvent(
  { store, now, signer }: EventDeps,
  principal: Principal,
  target: EventTarget,
  event: PipelineEvent,
  idempotencyKey: string | null,
): Promise<{ reply: SyncReply; advanced: string[] }> {
  const fingerprint = createHash('sha256').update(eventFingerprintText(target, event)).digest('hex');
  const conflict = (recordedAt: number) =>
    fail(409, 'conflict', `idempotency key "${idempotencyKey}" was used at ${new Date(recordedAt).toISOString()} for a different request; use a new key for a new event`);
  // A retry is answered as the first request was, whatever happened to its incident since.
  if (idempotencyKey !== null) {
    const record = await store.idempotencyRecord(principal.name, idempotencyKey);
    if (record) return { reply: record.fingerprint === fingerprint ? record.reply : conflict(record.recordedAt), advanced: [] };
  }
  const at = now();
  const eventAt = event.at ?? at;
  if (eventAt > at + maxEventAheadMs) {
    const ahead = Math.round((eventAt - at) / 1000);
    return {
      reply: fail(400, 'bad_request', `at: is ${ahead} s in the future (at most ${maxEventAheadMs / 1000} s is allowed); check the clock of the machine posting it`),
      advanced: [],
    };
  }
  const targets = await targetsOf(store, target);
  if (!Array.isArray(targets)) return { reply: targets, advanced: [] };

  const text = eventText({ ...event, service: event.service ?? (target.kind === 'service' ? target.service : undefined) });
  const source = entrySource(event.source);
  const drafts = targets.map((incident): ServiceDraft => {
    const opId = uuidv7(at);
    return {
      opId,
      streamId: incidentStream(incident.id),
      actorId: principal.name,
      entity: 'timeline_entry',
      rowId: opId,
      kind: 'append',
      fields: { incidentId: incident.id, kind: 'system', text, eventAt, source },
    };
  });
  const reply = (statuses: InsertStatus[]): StoredReply => {
    // An incident purged between reading it and writing: its entry is gone with it.
    if (target.kind === 'incident' && statuses[0] === 'gone') return fail(410, 'gone', `gone: incident ${target.incidentId} was purged under the retention setting`);
    const response: EventResponse = {
      attached: targets.flatMap((incident, i) => (statuses[i] === 'accepted' ? [{ incidentId: incident.id, title: incident.title, entryId: drafts[i].opId }] : [])),
      eventAt,
      text,
      source,
    };
    return { status: 200, body: response as unknown as Json };
  };
  const written = await store.writeAsService(
    {
      drafts,
      idempotency: idempotencyKey === null ? null : { userName: principal.name, key: idempotencyKey, fingerprint },
      reply,
      signer: signer ? await signer() : undefined,
    },
    at,
  );
  if (written.outcome === 'conflict') return { reply: conflict(written.recordedAt), advanced: [] };
  if (written.outcome === 'replayed') return { reply: written.reply, advanced: [] };
  return { reply: written.reply, advanced: [...new Set(written.ops.map((op) => op.streamId))] };
}
