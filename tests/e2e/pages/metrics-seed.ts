// Incidents laid down months ago through the real API, for the metrics dashboard's tests and
// screenshots: the engine's clock is set to each moment (declared, impact start recorded,
// mitigated, resolved, a time corrected), so every milestone is exactly the one chosen.
import { expect } from '@playwright/test';
import type { Severity } from '@shared/domain/incident';
import type { ShiftedWeb } from '../shifted-clock';
import { callApi } from './comms-room';

const minute = 60_000;
const day = 86_400_000;

/** One incident as the test lays it down: times in minutes from its declaration. */
export interface Seed {
  title: string;
  severity: Severity;
  services: string[];
  isDrill?: boolean;
  daysAgo: number;
  /** Detected this many minutes before it was declared (0: on declaring). */
  detectedBefore: number;
  /** The impact start, recorded afterwards with a correction: minutes before the declaration. */
  startedBefore?: number;
  mitigatedAfter: number;
  resolvedAfter?: number;
  /** The resolution time corrected afterwards to this many minutes after the declaration. */
  resolvedCorrectedTo?: number;
}

/** Lays the incidents down through the real API, each at its own time; the clock is real again after. Answers their ids by title. */
export async function seedIncidents(web: ShiftedWeb, now: number, seeds: Seed[]): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  // Oldest first: the engine's clock only moves forward.
  for (const s of [...seeds].sort((a, b) => b.daysAgo - a.daysAgo)) {
    const declaredAt = Math.floor((now - s.daysAgo * day) / minute) * minute;
    await web.setClock(declaredAt);
    const incident = await callApi(web, 'incidents.create', {
      title: s.title,
      severity: s.severity,
      services: s.services,
      isDrill: s.isDrill ?? false,
      ...(s.detectedBefore > 0 ? { detectedAt: declaredAt - s.detectedBefore * minute } : {}),
    });
    expect(incident.declaredAt).toBe(declaredAt);
    ids[s.title] = incident.id;
    if (s.startedBefore !== undefined) {
      await callApi(web, 'incidents.correctMilestone', {
        id: incident.id,
        milestone: 'started',
        at: declaredAt - s.startedBefore * minute,
        reason: 'Error rate graphs show the impact began before the alert',
      });
    }
    await web.setClock(declaredAt + s.mitigatedAfter * minute);
    await callApi(web, 'incidents.setStatus', { id: incident.id, status: 'mitigated' });
    if (s.resolvedAfter !== undefined) {
      await web.setClock(declaredAt + s.resolvedAfter * minute);
      const resolved = await callApi(web, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
      expect(resolved.milestones.resolved).toBe(declaredAt + s.resolvedAfter * minute);
    }
    if (s.resolvedCorrectedTo !== undefined) {
      const corrected = await callApi(web, 'incidents.correctMilestone', {
        id: incident.id,
        milestone: 'resolved',
        at: declaredAt + s.resolvedCorrectedTo * minute,
        reason: 'Recovery was confirmed an hour before the status was changed',
      });
      expect(corrected.milestones.resolved).toBe(declaredAt + s.resolvedCorrectedTo * minute);
    }
  }
  await web.realClock();
  return ids;
}
