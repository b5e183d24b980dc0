// Tells the user, at a glance, whether their changes are safe and where they go.
import { useStore } from '../../store';

interface Indicator {
  tone: 'ok' | 'warn' | 'bad' | 'idle';
  label: string;
  detail: string;
}

export function ConnectionIndicator() {
  const link = useStore((s) => s.link);
  const indicator = describe(link);
  return (
    <div className={`connection connection-${indicator.tone}`} data-testid="connection-indicator" title={indicator.detail}>
      <span className="connection-dot" aria-hidden="true" />
      <div>
        <div className="connection-label">{indicator.label}</div>
        <div className="connection-detail">Sync: no server configured</div>
      </div>
    </div>
  );
}

function describe(link: ReturnType<typeof useStore.getState>['link']): Indicator {
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
