// Outage mode as the UI sees it: read once, then kept current by the engine's outage.changed event.
import { useEffect, useState } from 'react';
import type { OutageStatus } from '@shared/domain/outage-api';
import { client } from '../../store/client-ref';

export function useOutage(): OutageStatus | null {
  const [status, setStatus] = useState<OutageStatus | null>(null);
  useEffect(() => {
    let isMounted = true;
    client()
      .call('outage.status', {})
      .then((s) => isMounted && setStatus(s))
      .catch(() => undefined);
    const off = client().on('outage.changed', (s) => setStatus(s));
    return () => {
      isMounted = false;
      off();
    };
  }, []);
  return status;
}
