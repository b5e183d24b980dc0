// Tells the user, at a glance, whether their changes are safe and where they go: the link to the
// engine (in a browser), then sync as it really stands, per peer (the central service, a war-room
// hub), the war room this laptop hosts, what waits for whom, and errors in words (the raw error in
// the tooltip). Green only when every peer has everything. "Sync now" retries at once.
import type { SyncTone } from '@shared/domain/sync-truth';
import { useStore } from '../../store';
import { useSyncStatus } from '../sync/sync-queries';
import { useSyncNow, useSyncTruth } from './use-sync-truth';
import './sync-truth.css';

interface Indicator {
  tone: 'ok' | 'warn' | 'bad' | 'idle';
  label: string;
  detail: string;
}

/** The indicator's colour for a sync tone: busy (sending, connecting) is neither green nor amber. */
export const toneClass: Record<SyncTone, Indicator['tone']> = { ok: 'ok', busy: 'idle', warn: 'warn', bad: 'bad' };

export function ConnectionIndicator() {
  const link = useStore((s) => s.link);
  const hasPeers = useSyncStatus().peers.length > 0;
  const truth = useSyncTruth();
  const syncNow = useSyncNow();
  const engine = describeLink(link);
  const isEngineUp = engine.tone === 'ok';
  const shown: Indicator = isEngineUp ? { tone: toneClass[truth.tone], label: truth.label, detail: truth.detail } : engine;
  const title = isEngineUp ? [truth.line, truth.tooltip, engine.detail].filter(Boolean).join('\n') : engine.detail;
  return (
    <div className={`connection connection-${shown.tone}`} data-testid="connection-indicator" data-tone={isEngineUp ? truth.tone : engine.tone} title={title}>
      <span className="connection-dot" aria-hidden="true" />
      <div className="connection-body">
        <div className="connection-label" data-testid="sync-label">
          {shown.label}
        </div>
        <div className="connection-detail" data-testid="sync-detail">
          {shown.detail}
        </div>
        {isEngineUp && truth.problem && (
          <div className="connection-problem" data-testid="sync-problem">
            {truth.problem}
          </div>
        )}
        {isEngineUp && hasPeers && (
          <button
            type="button"
            className="link-button small sync-now"
            data-testid="sync-now"
            disabled={syncNow.isBusy}
            onClick={syncNow.run}
            title={syncNow.error ?? undefined}
          >
            {syncNow.isBusy ? 'Syncing…' : 'Sync now'}
          </button>
        )}
      </div>
    </div>
  );
}

function describeLink(link: ReturnType<typeof useStore.getState>['link']): Indicator {
  if (link.kind === 'desktop') return { tone: 'ok', label: 'Local replica', detail: 'Changes are saved on this computer.' };
  if (link.kind === 'web-no-token') return { tone: 'bad', label: 'Not connected', detail: 'Open the URL printed by holdfast web.' };
  switch (link.state) {
    case 'connected':
      return { tone: 'ok', label: 'Local replica', detail: 'Connected to holdfast web on this computer.' };
    case 'connecting':
      return { tone: 'idle', label: 'Connecting…', detail: 'Connecting to holdfast web.' };
    case 'reconnecting':
      return { tone: 'warn', label: 'Engine unreachable', detail: 'holdfast web stopped answering; retrying.' };
    case 'unauthorized':
      return { tone: 'bad', label: 'Access token rejected', detail: 'holdfast web was restarted: open the new URL it printed.' };
  }
}
