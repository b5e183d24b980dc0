import { describe, expect, it, vi } from 'vitest';
import { callNames, type Handlers } from '@shared/contract';
import { ApiError } from '@shared/errors';
import { createDispatch } from '@shared/rpc';

const unused = () => {
  throw new Error('not used by these tests');
};

function fakeHandlers(overrides: Partial<Handlers> = {}): Handlers & { created: unknown[] } {
  const created: unknown[] = [];
  const rest = Object.fromEntries(callNames.map((name) => [name, unused])) as unknown as Handlers;
  return {
    ...rest,
    created,
    'app.info': () => ({ name: 'Holdfast', version: 't', dataDir: '/d', schemaVersion: 1, deviceId: '0', actorId: 'a', host: 'web' }),
    'incidents.create': (request) => {
      created.push(request);
      const milestones = { started: null, detected: 1, acknowledged: null, mitigated: null, resolved: null, closed: null };
      return { id: 'i1', ...request, status: 'investigating', declaredAt: 1, updatedAt: 1, milestones, isLegalHold: false, legalHoldReason: '' };
    },
    'incidents.list': () => [],
    ...overrides,
  };
}

describe('dispatch', () => {
  it('parses the request with its schema and hands the handler clean data', async () => {
    const handlers = fakeHandlers();
    const result = await createDispatch(handlers)('incidents.create', { title: '  Checkout down  ', severity: 'SEV1' });
    expect(result.ok).toBe(true);
    expect(handlers.created).toEqual([{ title: 'Checkout down', severity: 'SEV1', summary: '', type: '', services: [], isDrill: false, isTakingCommand: true }]);
  });

  it('refuses an unknown call by name and lists the known ones', async () => {
    const result = await createDispatch(fakeHandlers())('incidents.drop', {});
    expect(result).toEqual({
      ok: false,
      error: { code: 'unknown_call', message: expect.stringContaining('Unknown call "incidents.drop". Known calls: app.info') },
    });
  });

  it('refuses inherited property names as calls', async () => {
    for (const name of ['toString', '__proto__', 'constructor', 42, null]) {
      const result = await createDispatch(fakeHandlers())(name, {});
      expect(result.ok ? 'ok' : result.error.code).toBe('unknown_call');
    }
  });

  it('names every bad field and never calls the handler', async () => {
    const handlers = fakeHandlers();
    const result = await createDispatch(handlers)('incidents.create', { title: 7, severity: 'SEV9', colour: 'red' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('bad_request');
    expect(result.error.message).toContain('title: must be text');
    expect(result.error.message).toContain('severity: must be one of SEV1, SEV2, SEV3, SEV4');
    expect(result.error.message).toContain('unexpected field(s) colour');
    expect(handlers.created).toEqual([]);
  });

  it('refuses a request that is not an object', async () => {
    const handlers = fakeHandlers();
    const result = await createDispatch(handlers)('incidents.create', 'SEV1 checkout');
    expect(result.ok ? 'ok' : result.error.code).toBe('bad_request');
    expect(handlers.created).toEqual([]);
  });

  it('passes a domain error through with its code', async () => {
    const dispatch = createDispatch(
      fakeHandlers({
        'incidents.list': () => {
          throw new ApiError('conflict', 'Someone else changed it; reload.');
        },
      }),
    );
    expect(await dispatch('incidents.list', {})).toEqual({
      ok: false,
      error: { code: 'conflict', message: 'Someone else changed it; reload.' },
    });
  });

  it('reports an unexpected failure as internal without leaking its details', async () => {
    const onInternalError = vi.fn();
    const dispatch = createDispatch(
      fakeHandlers({
        'incidents.list': () => {
          throw new Error('SQLITE_CORRUPT at /home/alice/secret');
        },
      }),
      { onInternalError },
    );
    const result = await dispatch('incidents.list', {});
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('internal');
    expect(result.error.message).not.toContain('secret');
    expect(onInternalError).toHaveBeenCalledWith(expect.any(Error), 'incidents.list');
  });
});
