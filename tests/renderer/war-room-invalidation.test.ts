// The war room's rows of the invalidation table (renderer/src/data/invalidation.ts), on a bare query
// cache: which kept answers each engine event makes stale, and which it leaves alone.
import { QueryClient, type QueryKey } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Events } from '@shared/contract';
import type { SyncStatus } from '@shared/domain/sync-status';
import type { Client } from '../../renderer/src/api/client';
import { applyEvent, gatherMaxMs, gatherMs, routeEngineEvents } from '../../renderer/src/data/invalidation';

const window = (incidentId: string, offset = 0): QueryKey => ['timeline.window', { incidentId, offset, limit: 100, filter: {}, anchor: 'start' }];
const kept: QueryKey[] = [
  ['incidents.list', {}],
  ['incidents.room', { id: 'a' }],
  ['incidents.room', { id: 'b' }],
  ['runs.list', { incidentId: 'a' }],
  ['runbooks.suggest', { incidentId: 'a' }],
  ['evidence.list', { incidentId: 'a' }],
  ['comms.room', { incidentId: 'a' }],
  ['comms.room', { incidentId: 'b' }],
  window('a'),
  window('a', 100),
  window('b'),
  ['timeline.authors', { incidentId: 'a' }],
];

/** A cache holding an answer under every key of `kept`, none of them stale. */
function cache(): QueryClient {
  const queries = new QueryClient();
  for (const key of kept) queries.setQueryData(key, { answer: JSON.stringify(key) });
  return queries;
}

/** The keys `event` made stale, in the order of `kept`. */
async function staleAfter<E extends keyof Events>(event: E, payload: Events[E], previous?: Events[E]): Promise<string[]> {
  const queries = cache();
  applyEvent(queries, event, payload, () => undefined, previous);
  // Invalidation waits for reads on their way to be dropped: promise steps only (no timer, no
  // read), all done before the next task runs.
  await new Promise((settled) => setTimeout(settled, 0));
  return kept.filter((key) => queries.getQueryState(key)?.isInvalidated).map((key) => JSON.stringify(key));
}

const names = (...keys: QueryKey[]) => keys.map((key) => JSON.stringify(key));

const status = (pending: number, refused = 0, version = 1): SyncStatus => ({
  state: 'connected',
  version,
  peers: [{ pending, refused } as SyncStatus['peers'][number]],
});

describe('invalidation rows of the war room and the incident list', () => {
  it('incidents.changed: the list and that incident’s room, runbooks, evidence and updates', async () => {
    expect(await staleAfter('incidents.changed', { incidentId: 'a' })).toEqual(names(kept[0], kept[1], kept[3], kept[4], kept[5], kept[6]));
  });

  it('timeline.changed: every window of that incident’s timeline and its authors, no other incident’s', async () => {
    expect(await staleAfter('timeline.changed', { incidentId: 'a' })).toEqual(names(window('a'), window('a', 100), kept[11]));
  });

  it('comms.due: that incident’s stakeholder updates only', async () => {
    expect(await staleAfter('comms.due', { incidentId: 'b', incidentTitle: 'Search slow', audience: 'internal', level: 'overdue', dueAt: 0 })).toEqual(names(kept[7]));
  });

  it('stream.changed: org settings re-read the rooms; the library the runbooks and updates; the comms channels the updates', async () => {
    expect(await staleAfter('stream.changed', { streamId: 'org' })).toEqual(names(kept[1], kept[2]));
    expect(await staleAfter('stream.changed', { streamId: 'library' })).toEqual(names(kept[3], kept[4], kept[6], kept[7]));
    expect(await staleAfter('stream.changed', { streamId: 'comms' })).toEqual(names(kept[6], kept[7]));
  });

  it('sync.status: timelines are read again only when a peer’s pending or refused writes changed', async () => {
    const timelines = names(window('a'), window('a', 100), window('b'));
    expect(await staleAfter('sync.status', status(3), undefined)).toEqual(timelines);
    expect(await staleAfter('sync.status', status(3, 0, 2), status(3, 0, 1))).toEqual([]);
    expect(await staleAfter('sync.status', status(0), status(3))).toEqual(timelines);
    expect(await staleAfter('sync.status', status(0, 1), status(0, 0))).toEqual(timelines);
  });

  it('evidence.hashProgress: the job as pushed is kept under its evidence.hashJob read, and nothing goes stale', async () => {
    const queries = cache();
    const job = {
      id: 'job-1',
      artifactId: 'art-1',
      path: '/evidence/disk.img',
      purpose: 'collect',
      bytesDone: 512,
      bytesTotal: 1024,
      state: 'running',
      error: null,
      sha256: null,
      md5: null,
      sha1: null,
    } as const;
    applyEvent(queries, 'evidence.hashProgress', job, () => undefined);
    expect(queries.getQueryData(['evidence.hashJob', { jobId: 'job-1' }])).toEqual(job);
    await new Promise((settled) => setTimeout(settled, 0));
    expect(kept.filter((key) => queries.getQueryState(key)?.isInvalidated)).toEqual([]);

    // Progress and answers may cross: a job known done never shows running again, and later progress is kept.
    applyEvent(queries, 'evidence.hashProgress', { ...job, bytesDone: 768 }, () => undefined);
    expect(queries.getQueryData(['evidence.hashJob', { jobId: 'job-1' }])).toMatchObject({ state: 'running', bytesDone: 768 });
    applyEvent(queries, 'evidence.hashProgress', { ...job, bytesDone: 600 }, () => undefined);
    expect(queries.getQueryData(['evidence.hashJob', { jobId: 'job-1' }])).toMatchObject({ state: 'running', bytesDone: 768 });
    const done = { ...job, bytesDone: 1024, state: 'done', sha256: 'ab'.repeat(32) } as const;
    applyEvent(queries, 'evidence.hashProgress', done, () => undefined);
    applyEvent(queries, 'evidence.hashProgress', { ...job, bytesDone: 1000 }, () => undefined);
    expect(queries.getQueryData(['evidence.hashJob', { jobId: 'job-1' }])).toEqual(done);
  });
});

describe('gathered reads under a stream of events', () => {
  afterEach(() => vi.useRealTimers());

  it('reads a view across incidents by gatherMaxMs while incident changes keep coming, and once after a lone burst', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const listeners = new Map<string, (payload: unknown) => void>();
    const events = { on: (event: string, listener: (payload: unknown) => void) => (listeners.set(event, listener), () => listeners.delete(event)) };
    const queries = new QueryClient();
    const key: QueryKey = ['reviews.list', {}];
    queries.setQueryData(key, []);
    routeEngineEvents(events as unknown as Client, queries);
    const isStale = () => queries.getQueryState(key)?.isInvalidated === true;
    const changed = () => listeners.get('incidents.changed')!({ incidentId: 'a' });

    // A sync bringing a change every 200 ms (less than gatherMs apart) for 5 s.
    let waited = 0;
    while (!isStale() && waited < 5_000) {
      changed();
      await vi.advanceTimersByTimeAsync(200);
      waited += 200;
    }
    expect(isStale()).toBe(true);
    expect(waited).toBeGreaterThanOrEqual(gatherMaxMs);
    expect(waited).toBeLessThanOrEqual(gatherMaxMs + 200);

    // A lone burst: read gatherMs after its last event, not before.
    queries.setQueryData(key, []);
    changed();
    changed();
    await vi.advanceTimersByTimeAsync(gatherMs - 1);
    expect(isStale()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(isStale()).toBe(true);
  });
});
