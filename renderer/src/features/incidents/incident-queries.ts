// The incident list as the engine has it, through the query layer (renderer/src/data): read while a
// view shows it (the incident list, the sidebar's count), read again on `incidents.changed`
// (data/invalidation.ts). Declaring one shows it at once, before that read.
import type { CreateIncidentRequest, Incident } from '@shared/domain/incident';
import { engineQueries } from '../../data/query-client';
import { engineKey, rereadKey, useEngineQuery, type EngineQuery } from '../../data/use-engine-query';
import { client } from '../../store/client-ref';

export const incidentListKey = engineKey('incidents.list', {});

export function useIncidents(): EngineQuery<Incident[]> {
  return useEngineQuery('incidents.list', {});
}

/** Incidents not yet resolved or closed. */
export const openCountOf = (incidents: readonly Incident[]) => incidents.filter((i) => i.status !== 'resolved' && i.status !== 'closed').length;

/** Reads the list again now (an import brought an incident). */
export const rereadIncidents = () => rereadKey(incidentListKey);

/** Declares an incident and puts it at the top of the list at once. */
export async function createIncident(request: CreateIncidentRequest): Promise<Incident> {
  const incident = await client().call('incidents.create', request);
  engineQueries().setQueryData<Incident[]>(incidentListKey, (incidents) =>
    !incidents || incidents.some((i) => i.id === incident.id) ? incidents : [incident, ...incidents],
  );
  return incident;
}
