// Timeline calls: add an entry (an immutable `append` op), correct one (a new entry pointing at the
// original, which stays), pin entries, and read the timeline by page, by window or by author.
import type { Handlers, ParsedRequest } from '@shared/contract';
import { incidentRowId } from '@shared/entities';
import { ApiError } from '@shared/errors';
import type { TimelineEntry } from '@shared/domain/timeline';
import type { IncidentStore } from '../incidents/incident-store';
import type { Replica } from '../core/replica';
import type { TimelineStore } from './timeline-store';
import { mustGetIncident, mustGetOpenIncident } from '../incidents/incident-handlers';

type TimelineHandlers = Pick<
  Handlers,
  'timeline.add' | 'timeline.correct' | 'timeline.pin' | 'timeline.list' | 'timeline.window' | 'timeline.locate' | 'timeline.authors'
>;

export interface TimelineDeps {
  replica: Replica;
  incidents: IncidentStore;
  timeline: TimelineStore;
  now: () => number;
}

export function timelineHandlers(deps: TimelineDeps): TimelineHandlers {
  const { timeline } = deps;
  return {
    'timeline.add': (request) => addEntry(deps, request),
    'timeline.correct': (request) => correctEntry(deps, request),
    'timeline.pin': (request) => pinEntry(deps, request),
    'timeline.list': (request) => timeline.page(request.incidentId, request.limit, request.before),
    'timeline.window': (request) => timelineWindow(deps, request),
    'timeline.locate': (request) => ({ position: timeline.locate(request.incidentId, request.entryId, request.filter) }),
    'timeline.authors': (request) => timeline.authors(request.incidentId),
  };
}

function addEntry({ replica, incidents, now, timeline }: TimelineDeps, request: ParsedRequest<'timeline.add'>): TimelineEntry {
  mustGetOpenIncident(incidents, request.incidentId);
  checkEventAt(request.eventAt, now());
  const [op] = replica.commitLocal([
    { entity: 'timeline_entry', rowId: '', fields: { incidentId: request.incidentId, kind: request.kind, text: request.text, eventAt: request.eventAt ?? now() } },
  ]);
  return readBack(timeline, op.rowId);
}

function correctEntry(deps: TimelineDeps, request: ParsedRequest<'timeline.correct'>): TimelineEntry {
  const { replica, incidents, now, timeline } = deps;
  const original = mustGetEntry(deps, request.entryId);
  mustGetOpenIncident(incidents, original.incidentId);
  if (original.kind === 'system') {
    throw new ApiError('conflict', 'Automatic entries record what Holdfast did and cannot be corrected; add a note, or correct the milestone itself.');
  }
  if (original.correctedBy.length > 0) {
    throw new ApiError('conflict', `This entry was already corrected (by entry ${original.correctedBy.at(-1)}); correct the newest version instead.`);
  }
  checkEventAt(request.eventAt, now());
  const kind = request.kind ?? original.kind;
  if (request.text === original.text && (request.eventAt ?? original.eventAt) === original.eventAt && kind === original.kind) {
    throw new ApiError('bad_request', 'The correction is identical to the entry; change the text, the kind or the event time.');
  }
  const [op] = replica.commitLocal([
    {
      entity: 'timeline_entry',
      rowId: '',
      fields: { incidentId: original.incidentId, kind, text: request.text, eventAt: request.eventAt ?? original.eventAt, corrects: original.id },
    },
  ]);
  return readBack(timeline, op.rowId);
}

function pinEntry(deps: TimelineDeps, request: ParsedRequest<'timeline.pin'>): TimelineEntry {
  const entry = mustGetEntry(deps, request.entryId);
  if (entry.isPinned !== request.isPinned) {
    deps.replica.commitLocal([
      { entity: 'timeline_pin', rowId: incidentRowId(entry.incidentId, entry.id), fields: { incidentId: entry.incidentId, isPinned: request.isPinned } },
    ]);
  }
  return readBack(deps.timeline, entry.id);
}

function timelineWindow({ incidents, timeline }: TimelineDeps, request: ParsedRequest<'timeline.window'>) {
  mustGetIncident(incidents, request.incidentId);
  return timeline.window(request.incidentId, request.offset, request.limit, request.filter, request.anchor);
}

function readBack(timeline: TimelineStore, rowId: string): TimelineEntry {
  const entry = timeline.get(rowId);
  if (!entry) throw new Error(`timeline entry ${rowId} was written but cannot be read back`);
  return entry;
}

function mustGetEntry({ timeline, incidents }: TimelineDeps, id: string): TimelineEntry {
  const entry = timeline.get(id);
  if (!entry) throw new ApiError('not_found', `No timeline entry ${id} on this replica.`);
  mustGetIncident(incidents, entry.incidentId);
  return entry;
}

function checkEventAt(eventAt: number | undefined, now: number): void {
  if (eventAt !== undefined && eventAt > now + 5 * 60_000) {
    throw new ApiError('bad_request', 'eventAt is in the future; the event time is when it happened. Check the date and time zone.');
  }
}
