// What a purge record does to an incident's stream, in the words every node uses: a replica, a
// war-room hub and the central service all remove the stream and refuse its later ops with the
// same reason, naming the incident and the day it was purged.
import { incidentStream } from './entities';
import type { Op } from './ops';

/** The incident stream a purge record removes, or null when `op` is not a purge record. */
export function purgedStreamOf(op: Pick<Op, 'entity' | 'fields'>): string | null {
  return op.entity === 'purge_record' ? incidentStream(typeof op.fields.incidentId === 'string' ? op.fields.incidentId : '') : null;
}

/** The day (UTC, ISO 8601) of an epoch-ms time. */
export const isoDay = (at: number): string => new Date(at).toISOString().split('T')[0];

/** Why an op of a purged incident is refused, everywhere. */
export function goneReason(incidentId: string, purgedAt: number): string {
  return `gone: incident ${incidentId} was purged under the retention setting on ${isoDay(purgedAt)}`;
}
