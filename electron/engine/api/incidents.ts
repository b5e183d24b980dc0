// Incident calls: declare, read and edit incidents. Every change is written as a `set` op.
import type { Handlers } from '../../../shared/contract';
import type { Incident } from '../../../shared/domain/incident';
import { ApiError } from '../../../shared/errors';
import { uuidv7 } from '../../../shared/ids';
import type { IncidentStore } from '../incident-store';
import type { Replica } from '../replica';

type IncidentHandlers = Pick<Handlers, 'incidents.create' | 'incidents.list' | 'incidents.get' | 'incidents.update'>;

export function incidentHandlers(deps: { replica: Replica; incidents: IncidentStore; now: () => number }): IncidentHandlers {
  const { replica, incidents, now } = deps;
  const mustGet = (id: string): Incident => {
    const incident = incidents.get(id);
    if (!incident) throw new ApiError('not_found', `No incident ${id} on this replica; it may not have synced here yet.`);
    return incident;
  };

  return {
    'incidents.create': (request) => {
      const id = uuidv7(now());
      replica.commitLocal([
        {
          entity: 'incident',
          rowId: id,
          fields: { title: request.title, severity: request.severity, status: 'investigating', summary: request.summary, declaredAt: now() },
        },
      ]);
      return mustGet(id);
    },
    'incidents.list': (request) => incidents.list(request.limit),
    'incidents.get': (request) => mustGet(request.id),
    'incidents.update': (request) => {
      const current = mustGet(request.id);
      const changes = Object.fromEntries(
        Object.entries({ title: request.title, severity: request.severity, summary: request.summary }).filter(
          ([field, value]) => value !== undefined && value !== current[field as keyof Incident],
        ),
      ) as Record<string, string>;
      if (Object.keys(changes).length === 0) return current;
      replica.commitLocal([{ entity: 'incident', rowId: request.id, fields: changes }]);
      return mustGet(request.id);
    },
  };
}
