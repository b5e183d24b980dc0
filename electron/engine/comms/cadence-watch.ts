// Update clocks: where each audience's next stakeholder update stands in an incident, and a watch
// that says once when one turns due soon and once when it turns overdue.
import { audiences, cadenceStatus, type Cadence, type CadenceStatus } from '@shared/domain/comms';
import type { UpdateDue } from '@shared/domain/comms-api';
import type { Incident } from '@shared/domain/incident';
import type { IncidentStore } from '../incidents/incident-store';
import type { CommsStore } from './comms-store';
import { commsSettings } from './comms-settings';

/** Where each audience's update clock stands; none once the incident is resolved. */
export function incidentCadence(incident: Incident, cadence: Cadence, comms: CommsStore, at: number): CadenceStatus[] {
  if (incident.status === 'resolved' || incident.status === 'closed') return [];
  return audiences.map((audience) => {
    const last = comms.lastPublished(incident.id, audience);
    return cadenceStatus({
      severity: incident.severity,
      audience,
      cadence,
      declaredAt: incident.declaredAt,
      lastPublishedAt: last?.publishedAt ?? null,
      nextUpdateAt: last?.nextUpdateAt ?? null,
      now: at,
    });
  });
}

/**
 * Watches the update clocks of open incidents and says once when an audience's update turns due
 * soon and once when it turns overdue (per due time: a new update starts a new clock).
 */
export function createCadenceWatch(deps: { incidents: IncidentStore; comms: CommsStore; now: () => number; onDue: (due: UpdateDue) => void; intervalMs?: number }) {
  const said = new Set<string>();
  const check = () => {
    const at = deps.now();
    const { cadence } = commsSettings(deps.incidents);
    for (const incident of deps.incidents.list(1000)) {
      for (const status of incidentCadence(incident, cadence, deps.comms, at)) {
        if ((status.level !== 'soon' && status.level !== 'overdue') || status.dueAt === null) continue;
        const key = `${incident.id}\n${status.audience}\n${status.level}\n${status.dueAt}`;
        if (said.has(key)) continue;
        said.add(key);
        deps.onDue({ incidentId: incident.id, incidentTitle: incident.title, audience: status.audience, level: status.level, dueAt: status.dueAt });
      }
    }
  };
  const timer = setInterval(check, deps.intervalMs ?? 30_000);
  timer.unref();
  return {
    check,
    close: () => clearInterval(timer),
  };
}
