// Runs a call against the handlers: checks the call name, parses the request with its schema and
// turns every failure into `{code, message}`. Used by Electron main's IPC and by the web bridge,
// so both hosts refuse bad input the same way and change nothing when they do.
import { z } from 'zod';
import { calls, isCallName, type Handlers } from './contract';
import { ApiError, type Result } from './errors';

export type Dispatch = (name: unknown, request: unknown) => Promise<Result<unknown>>;

export interface DispatchOptions {
  /** Where unexpected errors are reported; the caller only learns that something failed. */
  onInternalError?: (error: unknown, name: string) => void;
}

export function createDispatch(handlers: Handlers, options: DispatchOptions = {}): Dispatch {
  return async (name, request) => {
    if (!isCallName(name)) {
      const shown = typeof name === 'string' ? `"${name.slice(0, 80)}"` : `a ${typeof name}`;
      return failure('unknown_call', `Unknown call ${shown}. Known calls: ${Object.keys(calls).join(', ')}.`);
    }
    const parsed = calls[name].request.safeParse(request ?? {});
    if (!parsed.success) {
      return failure('bad_request', `Invalid request for ${name}: ${describeIssues(parsed.error)}`);
    }
    try {
      const handler = handlers[name] as (req: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.toBody() };
      options.onInternalError?.(error, name);
      return failure('internal', `${name} failed inside Holdfast; nothing was changed. Details are in the log.`);
    }
  };
}

function failure(code: ApiError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/** One line naming each bad field and what it needs, e.g. `severity: must be one of SEV1…`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => {
      const path = issue.path.length > 0 ? issue.path.join('.') : 'request';
      if (issue.code === 'unrecognized_keys') return `${path}: unexpected field(s) ${issue.keys.join(', ')}`;
      return `${path}: ${issue.message}`;
    })
    .join('; ');
}
