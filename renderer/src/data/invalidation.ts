// THE table of what each engine event makes stale: every event the engine pushes (Events in
// shared/contract.ts) is routed here, and only here, into the query cache. A row names query keys
// ([call name, request], see use-engine-query.ts); a key invalidates every kept answer it is a
// prefix of (['catalog.get'] is every service's detail; ['reviews.get', { incidentId }] one
// incident's review). Invalidated answers on screen are read again at once; the others when next
// shown. A read on its way when its event arrives is dropped and made again, so an answer read
// before a change never overwrites one read after it. Rows marked `gathered` (views across many
// incidents) are read once a moment after a burst of changes (a sync bringing many) ends. Events
// that carry the new value (`pushed`) put it in the cache as well.
import type { QueryClient, QueryKey } from '@tanstack/react-query';
import type { EventName, Events } from '@shared/contract';
import { isFurtherHashJob, type HashJob } from '@shared/domain/evidence';
import { isNewerSyncStatus, type SyncStatus } from '@shared/domain/sync-status';
import { commsStream, libraryStream, orgStream, scopeOfStream, type Scope } from '@shared/entities/streams';
import type { Client } from '../api/client';

/** A key to read again a moment after the last of a burst of events, not at once. */
export interface Gathered {
  gathered: QueryKey;
}
export type Stale = QueryKey | Gathered;
const gathered = (key: QueryKey): Gathered => ({ gathered: key });

/** How long a burst of gathered invalidations is waited out. */
export const gatherMs = 300;
/** The longest a gathered read waits while events keep coming (a long sync): it is read by then. */
export const gatherMaxMs = 2_000;

/** What reads each kind of shared stream (stream.changed) feeds: by call name. */
const streamReaders: Record<Scope, readonly QueryKey[]> = {
  org: [['comms.settings'], ['org.severityMeanings'], ['comms.templates'], ['outage.healthChecks'], ['kit.holdingTemplates'], ['kit.info'], ['retention.get']],
  directory: [['directory.list'], ['catalog.list'], ['catalog.get'], ['catalog.forIncident'], ['kit.info'], ['integrations.teamTargets']],
  library: [
    ['evidence.templates'],
    ['comms.templates'],
    ['runbooks.list'],
    ['runbooks.get'],
    ['runbooks.search'],
    ['catalog.list'],
    ['catalog.get'],
    ['catalog.forIncident'],
    ['kit.info'],
  ],
  // Integration targets live in the comms stream; the sends and mirrors name them.
  comms: [['comms.channels'], ['integrations.targets'], ['integrations.sends'], ['integrations.mirrors']],
  trust: [['trust.status']],
  incident: [],
};

// The war room and the incident list (features/war-room/war-room-queries.ts, features/incidents/incident-queries.ts).

/** An incident's record changed: the list, its room, runbook executions, evidence, stakeholder updates, pages and chat mirrors. */
const warRoomOfIncident = (incidentId: string): QueryKey[] => [
  ['incidents.list'],
  ['incidents.room', { id: incidentId }],
  ['runs.list', { incidentId }],
  ['runbooks.suggest', { incidentId }],
  ['evidence.list', { incidentId }],
  ['comms.room', { incidentId }],
  ['integrations.sends', { incidentId }],
  ['integrations.mirrors', { incidentId }],
  ['incidents.get', { id: incidentId }],
];

/** An incident's timeline changed: its windows and the names written on it. */
const timelineOf = (incidentId: string): QueryKey[] => [
  ['timeline.window', { incidentId }],
  ['timeline.authors', { incidentId }],
];

/**
 * What the war room reads from shared streams: org settings in the room (freezes, roles), the
 * library's runbooks (suggestions, whether a run's version is current) and update templates, and
 * the delivery channels in the stakeholder updates.
 */
function warRoomOfStream(streamId: string): QueryKey[] {
  if (streamId === orgStream) return [['incidents.room']];
  if (streamId === libraryStream) return [['runs.list'], ['runbooks.suggest'], ['comms.room']];
  if (streamId === commsStream) return [['comms.room']];
  return [];
}

/** Each peer's writes waiting for it and refused by it, as one comparable string. */
const pendingOf = (status: Events['sync.status'] | undefined) => (status?.peers ?? []).map((p) => `${p.pending}/${p.refused}`).join();

/** Views across incidents: read again (gathered) when any incident changes. */
const acrossIncidents: readonly QueryKey[] = [['reviews.list'], ['actions.list'], ['metrics.report'], ['retention.get']];

/** A row: what `payload` makes stale; `previous` is the payload this event came with last time (rows comparing the two). */
type Table = { [E in EventName]: (payload: Events[E], previous: Events[E] | undefined) => readonly Stale[] };

export const invalidation: Table = {
  'stream.changed': ({ streamId }) => {
    const scope = scopeOfStream(streamId);
    return [...(scope ? streamReaders[scope] : []), ...warRoomOfStream(streamId)];
  },
  'incidents.changed': ({ incidentId }) => [
    ['reviews.get', { incidentId }],
    ['actions.list', { incidentId }],
    ['reviews.knowledge', { incidentId }],
    ...acrossIncidents.map(gathered),
    ...warRoomOfIncident(incidentId),
  ],
  'timeline.changed': ({ incidentId }) => [['reviews.knowledge', { incidentId }], ...timelineOf(incidentId)],
  // Writes acknowledged by a peer are no longer pending, refusals resolved are gone: the timeline shows it.
  'sync.status': (status, previous) => (pendingOf(status) !== pendingOf(previous) ? [['timeline.window']] : []),
  'comms.due': ({ incidentId }) => [['comms.room', { incidentId }]],
  'evidence.hashProgress': () => [],
  'outage.changed': () => [],
};

/** What a pushed event puts under `key`: from the answer kept there (undefined when none). */
type Pushed = { [E in EventName]?: (payload: Events[E]) => { key: QueryKey; value: (known: unknown) => unknown } };

/** Events that carry the new value of a read: it is shown as it comes. */
export const pushed: Pushed = {
  // Sync status, shown as it comes (features/sync/sync-queries.ts): only a newer one replaces what is known.
  'sync.status': (status) => ({ key: ['sync.status', {}], value: (known) => (isNewerSyncStatus(status, known as SyncStatus | undefined) ? status : known) }),
  'outage.changed': (status) => ({ key: ['outage.status', {}], value: () => status }),
  // Hashing progress of a job (war-room/war-room-queries.ts, the artifact drawer): kept only when it
  // tells more than what is known (a progress event arriving after the job's "done" never shows it running again).
  'evidence.hashProgress': (job) => ({
    key: ['evidence.hashJob', { jobId: job.id }],
    value: (known) => (isFurtherHashJob(job, known as HashJob | undefined) ? job : known),
  }),
};

const isGathered = (stale: Stale): stale is Gathered => !Array.isArray(stale);

/** Reads `key` again: answers on their way are dropped first, so the new read is the one kept. */
function invalidate(queries: QueryClient, key: QueryKey): void {
  void queries.cancelQueries({ queryKey: key }).then(() => queries.invalidateQueries({ queryKey: key }));
}

/** Applies one event to the cache. `gather` takes the keys to read after a burst. */
export function applyEvent<E extends EventName>(queries: QueryClient, event: E, payload: Events[E], gather: (key: QueryKey) => void, previous?: Events[E]): void {
  const push = pushed[event];
  if (push) {
    const { key, value } = push(payload);
    void queries.cancelQueries({ queryKey: key, exact: true });
    queries.setQueryData(key, value);
  }
  for (const stale of invalidation[event](payload, previous)) {
    if (isGathered(stale)) gather(stale.gathered);
    else invalidate(queries, stale);
  }
}

/** Subscribes `queries` to every event `client` pushes, through the table. Returns the unsubscribe. */
export function routeEngineEvents(client: Client, queries: QueryClient): () => void {
  const waiting = new Map<string, QueryKey>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstAt = 0;
  const flush = () => {
    timer = null;
    const keys = [...waiting.values()];
    waiting.clear();
    for (const key of keys) invalidate(queries, key);
  };
  const gather = (key: QueryKey) => {
    if (waiting.size === 0) firstAt = Date.now();
    waiting.set(JSON.stringify(key), key);
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, Math.max(0, Math.min(gatherMs, firstAt + gatherMaxMs - Date.now())));
  };
  const events = Object.keys(invalidation) as EventName[];
  const last = new Map<EventName, unknown>();
  const offs = events.map((event) =>
    client.on(event, (payload) => {
      const previous = last.get(event) as typeof payload | undefined;
      last.set(event, payload);
      applyEvent(queries, event, payload, gather, previous);
    }),
  );
  return () => {
    offs.forEach((off) => off());
    if (timer) clearTimeout(timer);
  };
}
