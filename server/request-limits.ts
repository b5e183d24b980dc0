// The service's rate-limit key: one allowance per token, and one per address for every request
// without a valid token. A flood from one viewer's token spends only that token's allowance, so a
// commander behind the same NAT or proxy is not refused; made-up tokens get no allowance of their
// own, they share their address's.
import { bearerToken } from '@shared/sync-handler';
import { hashToken } from './central-backend';
import type { SyncStore } from './storage/sync-store';

export interface RateKeyOptions {
  now?: () => number;
  /** How long a token found active is remembered for keying (not for authorization: every handler checks the token again). */
  rememberMs?: number;
  /** At most this many remembered tokens; the memory is cleared when full. */
  maxRemembered?: number;
}

/** `token:<sha256>` for a token of an active user, else `address:<ip>`. */
export function rateLimitKeyOf(store: Pick<SyncStore, 'userByTokenHash'>, options: RateKeyOptions = {}) {
  const now = options.now ?? Date.now;
  // A busy laptop asks about once a second, so a second remembered almost nothing: each request
  // looked its token up twice (here and to authorize). Keying only needs to know the token was
  // good lately; a token revoked meanwhile still fails its handler's own check.
  const rememberMs = options.rememberMs ?? 60_000;
  const maxRemembered = options.maxRemembered ?? 10_000;
  const active = new Map<string, number>();
  return async (request: { ip: string; headers: { authorization?: string } }): Promise<string> => {
    const token = bearerToken(request.headers.authorization);
    if (token) {
      const hash = hashToken(token);
      const until = active.get(hash);
      if (until !== undefined && until > now()) return `token:${hash}`;
      active.delete(hash);
      // A store that cannot answer leaves the request to its address's allowance; its handler reports the failure.
      if (await store.userByTokenHash(hash).catch(() => null)) {
        if (active.size >= maxRemembered) active.clear();
        active.set(hash, now() + rememberMs);
        return `token:${hash}`;
      }
    }
    return `address:${request.ip}`;
  };
}
