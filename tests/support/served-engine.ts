// A stand-in engine for tests of the engine port: a few real-shaped handlers, events on demand, a
// hub whose backend records what it was asked, and a close the test can hold open.
import { EventEmitter } from 'node:events';
import { callNames, type EventListener, type EventName, type Events, type Handlers } from '@shared/contract';
import { ApiError } from '@shared/errors';
import type { Poke } from '@shared/sync';
import type { EngineOptions } from '../../electron/engine/engine';
import type { ServedEngine } from '../../electron/engine/hosts/engine-service';
import type { Hub } from '../../electron/engine/sync/hub';

const unused = () => {
  throw new Error('not used by these tests');
};

export interface FakeEngine extends ServedEngine {
  opened: EngineOptions[];
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  pokeHub(poke: Poke): void;
  hubUrls(): string[];
  backendCalls: unknown[][];
  /** Until this is called, close() waits. */
  finishClose(): void;
  isClosed: boolean;
  /** Calls to incidents.list wait until this is called (to have calls in flight). */
  releaseList(): void;
}

export function fakeEngine(options: { holdClose?: boolean; holdList?: boolean } = {}): FakeEngine {
  const events = new EventEmitter();
  const pokes = new EventEmitter();
  let urls: () => string[] = () => [];
  let finishClose: () => void = () => undefined;
  let releaseList: () => void = () => undefined;
  const listGate = new Promise<void>((resolve) => {
    releaseList = resolve;
  });
  if (!options.holdList) releaseList();
  const backendCalls: unknown[][] = [];
  const handlers = {
    ...(Object.fromEntries(callNames.map((name) => [name, unused])) as unknown as Handlers),
    'incidents.list': async () => {
      await listGate;
      return [];
    },
    'incidents.get': (request: { id: string }) => {
      throw new ApiError('not_found', `No incident ${request.id} on this replica.`);
    },
    'app.info': () => {
      throw new Error('disk on fire');
    },
  } as Handlers;
  const hub: Hub = {
    joinCode: '123-456',
    tls: null,
    clients: () => [],
    members: () => [],
    code: () => ({ code: '123-456', since: 0, wrongGuesses: 0, rotatedBecause: null }),
    rotateCode: () => ({ code: '654-321', since: 0, wrongGuesses: 0, rotatedBecause: 'asked' }),
    poke: () => undefined,
    subscribe(listener) {
      pokes.on('poke', listener);
      return () => pokes.off('poke', listener);
    },
    backend: {
      node: 'hub',
      authenticate: async (token) => (token === 'good' ? { name: 'sam', role: 'commander' } : null),
      push: async (principal, ops) => {
        backendCalls.push(['push', principal, ops]);
        return ops.map(() => ({ opId: 'o1', status: 'accepted' as const }));
      },
      pull: async () => {
        throw new Error('pull exploded');
      },
      streams: async () => [],
      ready: async () => true,
      challenge: async () => ({ hubDeviceId: '00000000000000aa', nonce: 'n'.repeat(24) }),
      join: async (request) =>
        request.code === '123-456' ? { token: 'good', name: 'sam', role: 'commander' as const, orgKeys: [] } : { status: 401 as const, message: 'wrong join code' },
      streamRefusal: () => null,
    },
  };
  const engine: FakeEngine = {
    opened: [],
    handlers,
    onEvent(listener: EventListener) {
      events.on('event', listener);
      return () => events.off('event', listener);
    },
    backupNow: async () => ({ opCount: 4 }),
    evidenceRecord: (incidentId) => {
      throw new ApiError('not_found', `No incident ${incidentId} on this replica.`);
    },
    hostHubInside(hostUrls) {
      urls = hostUrls;
      return hub;
    },
    close: () =>
      new Promise<void>((resolve) => {
        finishClose = () => {
          engine.isClosed = true;
          resolve();
        };
        if (!options.holdClose) finishClose();
      }),
    emit: (event, payload) => events.emit('event', event, payload),
    pokeHub: (poke) => pokes.emit('poke', poke),
    hubUrls: () => urls(),
    backendCalls,
    finishClose: () => finishClose(),
    isClosed: false,
    releaseList: () => releaseList(),
  };
  return engine;
}

/** Whether `promise` is still unsettled a moment later (a close that must wait for the engine's). */
export async function isStillPending(promise: Promise<unknown>, waitMs = 30): Promise<boolean> {
  let isSettled = false;
  void promise.then(
    () => (isSettled = true),
    () => (isSettled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, waitMs));
  return !isSettled;
}
