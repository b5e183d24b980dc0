// The header's word when everything is down: the service and every health check the organisation
// configured failed. It offers the break-glass kit and a war-room hub on this network.
import { useState } from 'react';
import { localClock } from '../../lib/time';
import { useStore } from '../../store';
import { KitDialog } from './kit-dialog';
import { useOutage } from './use-outage';
import './outage.css';

export function OutageBanner() {
  const outage = useOutage();
  const setView = useStore((s) => s.setView);
  const [isKitOpen, setKitOpen] = useState(false);
  if (!outage?.isOutage) return null;
  const down = ['the Holdfast service', ...outage.checks.map((c) => c.name)].join(', ');
  return (
    <div className="outage-banner" role="status" data-testid="outage-banner">
      <strong>Outage mode</strong>
      <span>
        {down} cannot be reached{outage.since !== null ? ` since ${localClock(outage.since)}` : ''}. Keep working here; sync resumes when the service is back.
      </span>
      <button type="button" className="button small" onClick={() => setKitOpen(true)} data-testid="outage-open-kit">
        Break-glass kit
      </button>
      <button type="button" className="button small" onClick={() => setView('settings')} data-testid="outage-host-hub">
        Host or join a war room
      </button>
      {isKitOpen && <KitDialog onClose={() => setKitOpen(false)} />}
    </div>
  );
}
