// Tells the user, at a glance, whether their changes are safe and where they go: the link to the
// engine (in a browser), and sync with the central service or a war-room hub.
import type { SyncStatus } from '@shared/domain/sync-status';
import { localTime } from '../../lib/time';
import { useStore } from '../../store';

interface Indicator {
  tone: 'ok' | 'warn' | 'bad' | 'idle';
  label: string;
  detail: string;
}

export function ConnectionIndicator() {
  const link = useStore((s) => s.link);
  const sync = useStore((s) => s.sync);
  const engine = describeLink(link);
  const shown = engine.tone === 'ok' ? describeSync(sync) : engine;
  return (
    <div className={`connection connection-${shown.tone}`} data-testid="connection-indicator" title={engine.detail}>
      <span className="connection-dot" aria-hidden="true" />
      <div>
        <div className="connection-label">{shown.label}</div>
        <div className="connection-detail" data-testid="sync-detail">
          {shown.detail}
        </div>
      </div>
    </div>
  );
}

function describeSync(sync: SyncStatus): Indicator {
  const pending = sync.peers.reduce((n, p) => n + p.pending, 0);
  const last = Math.max(0, ...sync.peers.map((p) => p.lastSuccessAt ?? 0));
  const where = sync.peers.map((p) => (p.kind === 'hub' ? 'war room' : 'server')).join(' + ');
  switch (sync.state) {
    case 'not-configured':
      return { tone: 'ok', label: 'Local replica', detail: 'Sync: no server configured' };
    case 'syncing':
      return { tone: 'ok', label: 'Syncing…', detail: `${where}${pending > 0 ? ` · ${pending} to send` : ''}` };
    case 'connected':
      return { tone: 'ok', label: `Synced with ${where}`, detail: last ? `last ${localTime(last)}${pending > 0 ? ` · ${pending} to send` : ''}` : 'connected' };
    case 'offline': {
      const error = sync.peers.find((p) => p.lastError)?.lastError;
      return { tone: 'warn', label: 'Offline: saved locally', detail: `${pending} change(s) waiting${error ? ` · ${error}` : ''}` };
    }
  }
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
