// Real engines on real SQLite files in temp folders, closed after each test.
import { afterEach } from 'vitest';
import { calls, type CallName, type Handlers, type ParsedRequest, type Request } from '@shared/contract';
import { ApiError } from '@shared/errors';
import type { Op } from '@shared/ops';
import type { CertRole } from '@shared/roles';
import { openEngine, type Engine, type EngineOptions } from '../../electron/engine/engine';
import { tempDir } from './temp';
import { day, type TestOrg } from './trust';

const opened: Engine[] = [];

afterEach(async () => {
  for (const engine of opened.splice(0)) await engine.close();
});

export function openTestEngine(options: Partial<EngineOptions> = {}): Engine {
  const engine = openEngine({ dataDir: options.dataDir ?? tempDir(), host: 'web', log: () => undefined, ...options });
  opened.push(engine);
  return engine;
}

/** Every op in an engine's log, as another replica would receive it. */
export function opsOf(engine: Engine): Op[] {
  return engine.replica.opLog.since(0, Number.MAX_SAFE_INTEGER).map(({ seq: _seq, ...op }) => op);
}

/** Calls an engine handler the way every transport does: the request parsed by its schema first. */
export function call<K extends CallName>(engine: Engine, name: K, request: Request<K>): ReturnType<Handlers[K]> {
  const parsed = calls[name].request.parse(request) as ParsedRequest<K>;
  return (engine.handlers[name] as unknown as (r: ParsedRequest<K>) => ReturnType<Handlers[K]>)(parsed);
}

/** Laptops exchanging everything they have, as sync would. */
export function exchange(...engines: Engine[]): void {
  const all = engines.flatMap(opsOf);
  for (const engine of engines) engine.replica.applyRemote(all);
}

/** What a refused call must not have changed: every projection row and the op log. */
export const stateOf = (engine: Engine) => ({ digest: engine.replica.digest(), ops: engine.replica.opLog.count() });

/** The error a call is refused with (handlers may throw before they return a promise). */
export async function refusal(attempt: () => unknown): Promise<ApiError> {
  try {
    await attempt();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}

/** The texts of an incident's automatic timeline entries, oldest first. */
export const systemTexts = async (engine: Engine, incidentId: string): Promise<string[]> =>
  (await call(engine, 'timeline.window', { incidentId, offset: 0, limit: 500, filter: { kinds: ['system'] } })).entries.map((e) => e.text);

/**
 * Pins `org`'s key on an engine and gives its device a certificate for `user` in `role`, as a first
 * connect to the service would (valid around `at`), without a service.
 */
export function certifyEngine(engine: Engine, org: TestOrg, user: string, role: CertRole, at = Date.now()): void {
  engine.replica.trust.pinOrgKey(org.orgKey);
  const publicKey = engine.replica.publicKey!;
  const aliases = engine.replica.actorId === user ? [] : [engine.replica.actorId];
  const certificate = org.issue({ user, role, deviceId: engine.replica.deviceId, publicKey, notBefore: at - 3_600_000, notAfter: at + 30 * day, adopts: true, aliases });
  engine.replica.trust.adoptCertificate(certificate);
  engine.replica.setActor(user);
}

/** Starts an internal update for `incident`, fills it in for `channelIds` and publishes it: what comms.publish returns. */
export async function publishInternalUpdate(engine: Engine, incident: { id: string }, channelIds: string[]) {
  const draft = await call(engine, 'comms.start', { incidentId: incident.id, audience: 'internal' });
  await call(engine, 'comms.save', {
    incidentId: incident.id,
    updateId: draft.id,
    channelIds,
    values: { impact: 'Checkout down', status: 'Failing over', actions: 'Promoting the replica' },
  });
  return call(engine, 'comms.publish', { incidentId: incident.id, updateId: draft.id });
}
