// Runs one engine call from the command line as the app would: the request is checked against the
// same schema, and a refusal becomes the command's one-line error. A command whose calls may go
// through a running engine (the app or `holdfast web` holding the data folder) uses withEngineCalls.
import type { CallName, Request, Response } from '@shared/contract';
import { createDispatch } from '@shared/rpc';
import { callRunningEngine, type SocketCall } from '../engine/core/call-socket';
import { DataDirLockedError } from '../engine/core/data-lock';
import { openEngine, type Engine } from '../engine/engine';

export async function callEngine<K extends CallName>(engine: Engine, log: (line: string) => void, name: K, request: Request<K>): Promise<Response<K>> {
  const dispatch = createDispatch(engine.handlers, { onInternalError: (error) => log(error instanceof Error ? (error.stack ?? error.message) : String(error)) });
  const result = await dispatch(name, request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Response<K>;
}

export type SocketCaller = <K extends SocketCall>(name: K, request: Request<K>) => Promise<Response<K>>;

/**
 * Gives `use` a way to make socket calls on the replica in `dataDir`: the engine opened here, or,
 * when the app or `holdfast web` on this machine has the folder open, that running engine (said on
 * `log`). Never two writers on one folder.
 */
export async function withEngineCalls<T>(
  dataDir: string,
  io: { out: (line: string) => void; err: (line: string) => void },
  use: (call: SocketCaller) => Promise<T>,
): Promise<T> {
  let engine: Engine;
  try {
    engine = openEngine({ dataDir, host: 'web', log: io.err });
  } catch (error) {
    if (!(error instanceof DataDirLockedError) || !error.isHeldHere) throw error;
    io.out(`the data folder ${dataDir} is open in a running Holdfast: going through it`);
    return use((name, request) => callRunningEngine(dataDir, name, request));
  }
  try {
    return await use((name, request) => callEngine(engine, io.err, name, request));
  } finally {
    await engine.close();
  }
}
