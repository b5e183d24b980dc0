import { describe, expect, it } from 'vitest';
import { transportCalls, type TransportApi } from '@shared/contract';
import { ApiError, type Result } from '@shared/errors';
import { createClient } from '../../renderer/src/api/client';

function transport(answer: (name: string, request: unknown) => Result<unknown>): TransportApi {
  return { ...transportCalls(async (name, request) => answer(name, request)), on: () => () => undefined };
}

describe('renderer client', () => {
  it('resolves to the value of a successful call', async () => {
    const client = createClient(transport((name, request) => ({ ok: true, value: { name, request } })));
    expect(await client.call('incidents.list', { limit: 5 })).toEqual({ name: 'incidents.list', request: { limit: 5 } });
  });

  it('throws ApiError with the engine code and message', async () => {
    const client = createClient(transport(() => ({ ok: false, error: { code: 'bad_request', message: 'title: too short' } })));
    const failure = await client.call('incidents.create', { title: 'x', severity: 'SEV1' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApiError);
    expect(failure).toMatchObject({ code: 'bad_request', message: 'title: too short' });
  });
});
