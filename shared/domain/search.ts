// Search results as the UI receives them. Matched words in `snippet` sit between the two markers,
// which the UI turns into highlights (never into HTML).
import { z } from 'zod';

export const highlightStart = '\u0002';
export const highlightEnd = '\u0003';

export interface SearchHit {
  kind: 'incident' | 'timeline';
  incidentId: string;
  /** The incident or timeline entry that matched. */
  rowId: string;
  /** Title of the incident the hit belongs to. */
  title: string;
  snippet: string;
}

export const searchRequest = z
  .object({
    text: z.string({ error: 'must be text' }).max(500, { error: 'must be at most 500 characters' }),
    limit: z.number().int().min(1).max(200).default(50),
    /** Search one incident's timeline only. */
    incidentId: z.string({ error: 'must be an incident id' }).min(1).max(100).optional(),
  })
  .strict();
