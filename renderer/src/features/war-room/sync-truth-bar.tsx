// Sync in the war room header, in one line: each peer's state, the war room this laptop hosts and
// what waits for whom; then what must not go unseen: a clock off by over a minute, entries refused
// and kept only here, changes held to retry, entries on no other laptop. Nothing when this laptop
// syncs with nobody and hosts nothing.
import { toneClass } from '../shell/connection-indicator';
import { hubRefreshMs, useSyncNow, useSyncTruth } from '../shell/use-sync-truth';
import { useHubStatus, useSyncStatus } from '../sync/sync-queries';

export function SyncTruthBar() {
  const sync = useSyncStatus();
  const hub = useHubStatus(hubRefreshMs);
  const hasPeers = sync.peers.length > 0;
  const truth = useSyncTruth();
  const syncNow = useSyncNow();
  const isHosting = hub.isRunning || Boolean(sync.hosting);
  if (!hasPeers && !isHosting && truth.warnings.length === 0) return null;
  return (
    <div className="sync-truth-bar" data-testid="war-sync" data-tone={truth.tone}>
      <span className={`sync-truth-line connection-${toneClass[truth.tone]}`} title={truth.tooltip || undefined}>
        <span className="connection-dot" aria-hidden="true" />
        <span data-testid="war-sync-line">{truth.line}</span>
      </span>
      {truth.warnings.map((warning) => (
        <span key={warning.kind} className={`sync-warning sync-warning-${warning.kind}`} role="status" data-testid={`war-sync-warning-${warning.kind}`}>
          {warning.text}
        </span>
      ))}
      {hasPeers && truth.tone !== 'ok' && (
        <button
          type="button"
          className="button button-small"
          data-testid="war-sync-now"
          disabled={syncNow.isBusy}
          onClick={syncNow.run}
          title={syncNow.error ?? undefined}
        >
          {syncNow.isBusy ? 'Syncing…' : 'Sync now'}
        </button>
      )}
    </div>
  );
}
