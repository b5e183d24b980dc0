// Sync as it really stands, for the sidebar and the war room header: the engine's per-peer status
// and the war room this laptop hosts (read again every few seconds while it runs, so the count of
// laptops follows who joins), described by @shared/domain/sync-truth.
import { useMemo, useState } from 'react';
import { format, isSameDay } from 'date-fns';
import type { HostingStatus } from '@shared/domain/sync-status';
import { describeSync, type SyncTruth } from '@shared/domain/sync-truth';
import { syncNow, useHubStatus, useSyncStatus } from '../sync/sync-queries';

/** How often the hosted war room is read again while it runs (the count of laptops follows who joins). */
export const hubRefreshMs = 5000;

/** "12:03" today, "6 Dec 12:03" before. */
export function shortMoment(ms: number): string {
  return isSameDay(ms, Date.now()) ? format(ms, 'HH:mm') : format(ms, 'd MMM HH:mm');
}

export function useSyncTruth(): SyncTruth {
  const sync = useSyncStatus();
  const hub = useHubStatus(hubRefreshMs);
  const members = hub.isRunning ? (hub.members?.length ?? hub.clients.length) : (sync.hosting?.members ?? null);
  const liveMembers = hub.isRunning ? (hub.liveMembers ?? null) : (sync.hosting?.liveMembers ?? null);
  return useMemo(() => {
    const hosting: HostingStatus | null = members === null ? null : { members, liveMembers };
    return describeSync(sync, hosting, shortMoment);
  }, [sync, members, liveMembers]);
}

/** Runs sync.now; `isBusy` while it runs, and the engine's refusal (if any) to show. */
export function useSyncNow(): { run: () => void; isBusy: boolean; error: string | null } {
  const [isBusy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = () => {
    setBusy(true);
    setError(null);
    syncNow()
      .catch((e: unknown) => setError(e instanceof Error ? e.message : String(e)))
      .finally(() => setBusy(false));
  };
  return { run, isBusy, error };
}
