// Reads over the incident store that several domains share: what each severity means in this
// organisation, and one incident's war room (role seats, freezes, tasks).
import { severities, severityMeaning, type Incident, type Severity, type WarRoom } from '@shared/domain/incident';
import type { IncidentStore } from './incident-store';

// One setting per level, so two commanders rewording different levels at once both keep theirs.
export const meaningKey = (severity: Severity) => `severity:${severity}`;

export function severityMeanings(incidents: IncidentStore): Record<Severity, string> {
  return Object.fromEntries(severities.map((s) => [s, incidents.setting(meaningKey(s)) || severityMeaning[s]])) as Record<Severity, string>;
}

/** The war room of an incident already read: who holds which role, its freezes and tasks, and what severities mean. */
export function warRoom(incidents: IncidentStore, incident: Incident): WarRoom {
  return {
    incident,
    seats: incidents.seats(incident.id),
    freezes: incidents.freezes(incident.id),
    tasks: incidents.tasks(incident.id),
    severityMeanings: severityMeanings(incidents),
  };
}
