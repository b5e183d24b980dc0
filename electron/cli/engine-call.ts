// Runs one engine call from the command line as the app would: the request is checked against the
// same schema, and a refusal becomes the command's one-line error.
import type { CallName, Request, Response } from '@shared/contract';
import { createDispatch } from '@shared/rpc';
import type { Engine } from '../engine/engine';

export async function callEngine<K extends CallName>(engine: Engine, log: (line: string) => void, name: K, request: Request<K>): Promise<Response<K>> {
  const dispatch = createDispatch(engine.handlers, { onInternalError: (error) => log(error instanceof Error ? (error.stack ?? error.message) : String(error)) });
  const result = await dispatch(name, request);
  if (!result.ok) throw new Error(result.error.message);
  return result.value as Response<K>;
}
