// The service's rate-limit key and its watch on revoked tokens' live sockets, with a fake store and
// clock (the running service is tested in tests/integration/service-limits.test.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { hashToken } from '../../server/central-backend';
import { revokedCloseCode, watchLiveRevocation } from '../../server/live-revocation';
import { rateLimitKeyOf } from '../../server/request-limits';
import type { User } from '../../server/storage/sync-store';

/** Users by token; `revoked` marks them as `holdfast server user revoke` does. */
function fakeStore(tokens: Record<string, string>) {
  const users = new Map<string, User>(
    Object.entries(tokens).map(([name, token], i) => [hashToken(token), { id: i + 1, name, role: 'viewer', createdAt: 0, revokedAt: null }]),
  );
  const store = {
    lookups: 0,
    failing: false,
    async userByTokenHash(hash: string) {
      store.lookups += 1;
      if (store.failing) throw new Error('database down');
      const user = users.get(hash);
      return user && user.revokedAt === null ? user : null;
    },
    async listUsers() {
      if (store.failing) throw new Error('database down');
      return [...users.values()];
    },
    revoke(name: string) {
      for (const user of users.values()) if (user.name === name) user.revokedAt = 1;
    },
  };
  return store;
}

const request = (token: string | null, ip = '10.0.0.7') => ({ ip, headers: token === null ? {} : { authorization: `Bearer ${token}` } });

describe('rateLimitKeyOf', () => {
  it('keys a valid token on the token and anything else on the address', async () => {
    const store = fakeStore({ vera: 'hf_vera', cole: 'hf_cole' });
    const key = rateLimitKeyOf(store);
    expect(await key(request('hf_vera'))).toBe(`token:${hashToken('hf_vera')}`);
    expect(await key(request('hf_cole'))).toBe(`token:${hashToken('hf_cole')}`);
    expect(await key(request('hf_made_up'))).toBe('address:10.0.0.7');
    expect(await key(request(null))).toBe('address:10.0.0.7');
    expect(await key({ ip: '10.0.0.7', headers: { authorization: 'Basic abc' } })).toBe('address:10.0.0.7');
  });

  it('remembers a good token for a moment, then looks again (a revoked one falls back to the address)', async () => {
    let now = 1000;
    const store = fakeStore({ vera: 'hf_vera' });
    const key = rateLimitKeyOf(store, { now: () => now, rememberMs: 1000 });
    await key(request('hf_vera'));
    await key(request('hf_vera'));
    expect(store.lookups).toBe(1);
    store.revoke('vera');
    now += 1001;
    expect(await key(request('hf_vera'))).toBe('address:10.0.0.7');
    expect(store.lookups).toBe(2);
  });

  it('falls back to the address when the store cannot answer', async () => {
    const store = fakeStore({ vera: 'hf_vera' });
    store.failing = true;
    expect(await rateLimitKeyOf(store)(request('hf_vera'))).toBe('address:10.0.0.7');
  });
});

describe('watchLiveRevocation', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  const flush = async () => {
    for (let i = 0; i < 5; i += 1) await Promise.resolve();
  };

  it('closes only the revoked token’s sockets, within one interval', async () => {
    vi.useFakeTimers();
    const store = fakeStore({ vera: 'hf_vera', cole: 'hf_cole' });
    const live = watchLiveRevocation(store, { intervalMs: 250 });
    const closed: string[] = [];
    live.watch('hf_vera', (code, reason) => closed.push(`vera ${code} ${reason}`));
    live.watch('hf_vera', (code) => closed.push(`vera again ${code}`));
    live.watch('hf_cole', (code) => closed.push(`cole ${code}`));
    await flush();
    await vi.advanceTimersByTimeAsync(600);
    expect(closed).toEqual([]);
    store.revoke('vera');
    await vi.advanceTimersByTimeAsync(250);
    expect(closed).toEqual([`vera ${revokedCloseCode} token revoked`, `vera again ${revokedCloseCode}`]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(closed).toHaveLength(2);
    live.stop();
  });

  it('closes at once a socket whose token was revoked before the watch looked it up', async () => {
    const store = fakeStore({ vera: 'hf_vera' });
    store.revoke('vera');
    const live = watchLiveRevocation(store);
    const closed: number[] = [];
    live.watch('hf_vera', (code) => closed.push(code));
    await flush();
    expect(closed).toEqual([revokedCloseCode]);
    live.stop();
  });

  it('keeps sockets open while the store cannot answer, and does not close an unwatched one', async () => {
    const store = fakeStore({ vera: 'hf_vera', cole: 'hf_cole' });
    const errors: unknown[] = [];
    const live = watchLiveRevocation(store, { onError: (error) => errors.push(error) });
    const closed: string[] = [];
    live.watch('hf_vera', () => closed.push('vera'));
    const unwatch = live.watch('hf_cole', () => closed.push('cole'));
    await flush();
    store.failing = true;
    await live.check();
    expect(closed).toEqual([]);
    expect(errors).toHaveLength(1);
    store.failing = false;
    unwatch();
    store.revoke('cole');
    await live.check();
    expect(closed).toEqual([]);
    live.stop();
  });
});
