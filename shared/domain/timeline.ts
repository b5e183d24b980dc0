// Timeline entries: immutable records of what happened in an incident.
import { z } from 'zod';

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
}

export const timelineText = z
  .string({ error: 'must be text' })
  .trim()
  .min(1, { error: 'must not be empty' })
  .max(20_000, { error: 'must be at most 20000 characters' });

/** Kinds a person may write; `system` entries are written by Holdfast itself. */
export const manualTimelineKinds = ['note', 'decision', 'action', 'observation', 'comms'] as const;

export const addTimelineEntryRequest = z
  .object({
    incidentId: z.string({ error: 'must be an incident id' }).min(1).max(100),
    kind: z.enum(manualTimelineKinds, { error: `must be one of ${manualTimelineKinds.join(', ')}` }).default('note'),
    text: timelineText,
    /** When it happened, if not now (UTC ms). */
    eventAt: z.number({ error: 'must be a time in UTC milliseconds' }).int().min(0).optional(),
  })
  .strict();

export const listTimelineRequest = z
  .object({
    incidentId: z.string({ error: 'must be an incident id' }).min(1).max(100),
    limit: z.number().int().min(1).max(500).default(100),
    before: z.object({ eventAt: z.number().int(), id: z.string().max(100) }).strict().optional(),
  })
  .strict();

export interface TimelinePage {
  entries: TimelineEntry[];
  /** Pass as `before` for the next (older) page; null when there is none. */
  next: { eventAt: number; id: string } | null;
}
