// Reads of an incident's timeline that other domains share: the whole record, for exports and
// reports, and the pinned key moments, for the review draft.
import type { TimelineEntry } from '@shared/domain/timeline';
import type { RefusedRecord, TimelineStore } from './timeline-store';

/** Every entry of the incident, in event-time order. */
export function wholeTimeline(timeline: TimelineStore, incidentId: string): TimelineEntry[] {
  return timeline.window(incidentId, 0, Number.MAX_SAFE_INTEGER, {}).entries;
}

/** The first `limit` pinned entries, in event-time order. */
export function pinnedEntries(timeline: TimelineStore, incidentId: string, limit: number): TimelineEntry[] {
  return timeline.window(incidentId, 0, limit, { isPinnedOnly: true }, 'start').entries;
}

/** The incident's ops kept but refused (authentic, but their signer's role may not write them), oldest first. */
export function refusedRecords(timeline: TimelineStore, incidentId: string): RefusedRecord[] {
  return timeline.refused(incidentId);
}
