// Timeline entries: immutable records of what happened in an incident.
import { z } from 'zod';
import { utcMs } from './common';

export const timelineKinds = ['note', 'decision', 'action', 'observation', 'comms', 'system'] as const;
export type TimelineKind = (typeof timelineKinds)[number];

export interface TimelineEntry {
  id: string;
  incidentId: string;
  kind: TimelineKind;
  text: string;
  /** When it happened (UTC ms), as the author says. */
  eventAt: number;
  /** When it was recorded (UTC ms), from the recording device's clock. */
  recordedAt: number;
  authorId: string;
  /** The entry this one corrects (its text and time replace the original's). */
  corrects: string | null;
  /** Entries that correct this one: when any exist, this one shows struck through. */
  correctedBy: string[];
  isPinned: boolean;
  /** Written here and not yet acknowledged by any sync peer. */
  isPending: boolean;
  /** Why a sync peer refused this entry (e.g. the writer's role may not write it), or null. */
  refusal: string | null;
  /** What wrote an automatic entry from outside (a pipeline, a tool), if not a person. */
  source: string | null;
  /** How its op is vouched for (see EntryTrust); absent where a record is made without the op log. */
  trust?: EntryTrust;
}

/**
 * How a timeline entry's op is vouched for: `signed` by its device (under an org certificate, or on
 * a never-connected replica), `guest` (a hub-issued guest certificate: the name is the guest's own
 * claim, shown as unverified), or `unsigned` (written before Holdfast signed ops).
 */
export type EntryTrust = 'signed' | 'guest' | 'unsigned';

export const timelineText = z.string({ error: 'must be text' }).trim().min(1, { error: 'must not be empty' }).max(20_000, { error: 'must be at most 20000 characters' });

/** Kinds a person may write; `system` entries are written by Holdfast itself. */
export const manualTimelineKinds = ['note', 'decision', 'action', 'observation', 'comms'] as const;

export const addTimelineEntryRequest = z
  .object({
    incidentId: z.string({ error: 'must be an incident id' }).min(1).max(100, { error: 'must be at most 100 characters' }),
    kind: z.enum(manualTimelineKinds, { error: `must be one of ${manualTimelineKinds.join(', ')}` }).default('note'),
    text: timelineText,
    /** When it happened, if not now (UTC ms). */
    eventAt: utcMs.optional(),
  })
  .strict();

const incidentId = z.string({ error: 'must be an incident id' }).min(1).max(100, { error: 'must be at most 100 characters' });
const entryId = z.string({ error: 'must be a timeline entry id' }).min(1).max(100, { error: 'must be at most 100 characters' });

export const correctTimelineEntryRequest = z
  .object({
    entryId,
    text: timelineText,
    /** The corrected time it happened, if that is what was wrong (UTC ms). */
    eventAt: utcMs.optional(),
    /** The corrected kind (a note that was really a decision); the original's when left out. */
    kind: z.enum(manualTimelineKinds, { error: `must be one of ${manualTimelineKinds.join(', ')}` }).optional(),
  })
  .strict();

export const pinTimelineEntryRequest = z.object({ entryId, isPinned: z.boolean({ error: 'must be true or false' }) }).strict();

/** Which entries a timeline view shows. */
export const timelineFilter = z
  .object({
    kinds: z
      .array(z.enum(timelineKinds, { error: `must be kinds among ${timelineKinds.join(', ')}` }))
      .max(timelineKinds.length)
      .optional(),
    authorId: z.string().min(1).max(100, { error: 'must be at most 100 characters' }).optional(),
    isPinnedOnly: z.boolean().optional(),
  })
  .strict();
export type TimelineFilter = z.infer<typeof timelineFilter>;

/** A slice of the timeline in event-time order (oldest first), by position: what a virtual list asks for. */
export const timelineWindowRequest = z
  .object({
    incidentId,
    offset: z.number({ error: 'must be a position' }).int().min(0),
    limit: z.number({ error: 'must be a count' }).int().min(1).max(500),
    filter: timelineFilter.default({}),
    /** `end`: the last `limit` entries (the offset is ignored); a war room opens on the newest. */
    anchor: z.enum(['start', 'end']).default('start'),
  })
  .strict();

export interface TimelineWindow {
  /** Entries matching the filter in the whole timeline. */
  total: number;
  offset: number;
  entries: TimelineEntry[];
}

/** Where an entry sits in the filtered timeline, to scroll to it (null when the filter hides it). */
export const locateTimelineEntryRequest = z.object({ incidentId, entryId, filter: timelineFilter.default({}) }).strict();

export const timelineAuthorsRequest = z.object({ incidentId }).strict();

export const listTimelineRequest = z
  .object({
    incidentId: z.string({ error: 'must be an incident id' }).min(1).max(100, { error: 'must be at most 100 characters' }),
    limit: z.number().int().min(1).max(500).default(100),
    before: z
      .object({ eventAt: z.number().int(), id: z.string().max(100) })
      .strict()
      .optional(),
  })
  .strict();

export interface TimelinePage {
  entries: TimelineEntry[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: { eventAt: number; id: string } | null;
}
