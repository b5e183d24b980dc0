// Timeline calls: add an entry (an immutable `append` op) and read an incident's timeline by page.
import type { Handlers } from '../../../shared/contract';
import { ApiError } from '../../../shared/errors';
import type { IncidentStore } from '../incident-store';
import type { Replica } from '../replica';
import type { TimelineStore } from '../timeline-store';

type TimelineHandlers = Pick<Handlers, 'timeline.add' | 'timeline.list'>;

export function timelineHandlers(deps: {
  replica: Replica;
  incidents: IncidentStore;
  timeline: TimelineStore;
  now: () => number;
}): TimelineHandlers {
  const { replica, incidents, timeline, now } = deps;
  return {
    'timeline.add': (request) => {
      if (!incidents.get(request.incidentId)) {
        throw new ApiError('not_found', `No incident ${request.incidentId} on this replica; it may not have synced here yet.`);
      }
      const [op] = replica.commitLocal([
        {
          entity: 'timeline_entry',
          rowId: '',
          fields: { incidentId: request.incidentId, kind: request.kind, text: request.text, eventAt: request.eventAt ?? now() },
        },
      ]);
      const entry = timeline.get(op.rowId);
      if (!entry) throw new Error(`timeline entry ${op.rowId} was written but cannot be read back`);
      return entry;
    },
    'timeline.list': (request) => timeline.page(request.incidentId, request.limit, request.before),
  };
}
