// Closes the /v1/sync/live sockets of revoked tokens. Revocation is a row in the store written by
// `holdfast server user revoke` (another process, or another service node on the same PostgreSQL),
// so each node looks: every `intervalMs` while sockets are open it reads the users once and closes
// every socket whose user is no longer active (close code 4401).
import { hashToken } from './central-backend';
import type { SyncStore } from './storage/sync-store';

export const revokedCloseCode = 4401;

export interface LiveRevocation {
  /** Watches one socket's token; returns its unwatch. */
  watch(token: string, close: (code: number, reason: string) => void): () => void;
  /** One look now (the timer does this every interval). */
  check(): Promise<void>;
  stop(): void;
}

interface Watched {
  /** The user's id once looked up; undefined while the lookup runs. */
  userId?: number;
  close: (code: number, reason: string) => void;
}

export function watchLiveRevocation(
  store: Pick<SyncStore, 'userByTokenHash' | 'listUsers'>,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
): LiveRevocation {
  const intervalMs = options.intervalMs ?? 250;
  const watched = new Set<Watched>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = false;

  const end = (entry: Watched) => {
    if (!watched.delete(entry)) return;
    entry.close(revokedCloseCode, 'token revoked');
    if (watched.size === 0) stopTimer();
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };

  const look = async () => {
    const entries = [...watched].filter((entry) => entry.userId !== undefined);
    if (entries.length === 0) return;
    const active = new Set((await store.listUsers()).filter((user) => user.revokedAt === null).map((user) => user.id));
    for (const entry of entries) if (!active.has(entry.userId as number)) end(entry);
  };
  const check = (): Promise<void> => {
    running ??= look()
      .catch((error: unknown) => options.onError?.(error))
      .finally(() => {
        running = null;
      });
    return running;
  };

  return {
    watch(token, close) {
      const entry: Watched = { close };
      watched.add(entry);
      if (!timer && !stopped) {
        timer = setInterval(() => void check(), intervalMs);
        timer.unref();
      }
      // The socket was let in on this token a moment ago; a revocation since then closes it now.
      void store
        .userByTokenHash(hashToken(token))
        .then((user) => {
          if (!watched.has(entry)) return;
          if (user) entry.userId = user.id;
          else end(entry);
        })
        .catch((error: unknown) => options.onError?.(error));
      return () => {
        watched.delete(entry);
        if (watched.size === 0) stopTimer();
      };
    },
    check,
    stop() {
      stopped = true;
      stopTimer();
      watched.clear();
    },
  };
}
