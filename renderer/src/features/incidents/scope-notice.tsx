// Says plainly which incidents are not on this laptop (docs/replica-scope.md): with a central
// service configured and a limited scope, older closed incidents nobody here worked on stay there.
import { useEngineQuery } from '../../data/use-engine-query';
import { useSyncStatus } from '../sync/sync-queries';

export function ScopeNotice() {
  const scope = useEngineQuery('sync.scope', {}).value;
  const central = useSyncStatus().peers.find((peer) => peer.kind === 'central');
  if (!scope || !central || scope.settings.isKeepEverything) return null;
  const isOffline = central.state === 'offline';
  return (
    <p className="muted small" data-testid="scope-notice">
      Not on this laptop: incidents closed more than {scope.settings.keepClosedDays} days ago that you did not work on. They are kept on the service
      {isOffline ? ', which this laptop cannot reach now.' : '.'}
    </p>
  );
}
