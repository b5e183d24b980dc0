// Outage mode as the UI sees it: read once, then kept current by the engine's outage.changed event
// (it carries the new status: data/invalidation.ts puts it in place). Null until read, or when the
// engine cannot say.
import type { OutageStatus } from '@shared/domain/outage-api';
import { useEngineQuery } from '../../data/use-engine-query';

export function useOutage(): OutageStatus | null {
  return useEngineQuery('outage.status', {}).value;
}
