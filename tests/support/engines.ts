// Real engines on real SQLite files in temp folders, closed after each test.
import { afterEach } from 'vitest';
import { calls, type CallName, type Handlers, type ParsedRequest, type Request } from '../../shared/contract';
import type { Op } from '../../shared/ops';
import { openEngine, type Engine, type EngineOptions } from '../../electron/engine/engine';
import { tempDir } from './temp';

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
