// What every domain uses: a point in time as UTC milliseconds, within what a JavaScript Date (and
// so every replica) can represent, and names folded for matching.
import { z } from 'zod';

const latestMs = 8_640_000_000_000_000;

export const utcMs = z
  .number({ error: 'must be a time in UTC milliseconds' })
  .int({ error: 'must be a whole number of UTC milliseconds' })
  .min(0, { error: 'must not be before 1970' })
  .max(latestMs, { error: 'is too far in the future to be a date' });

/** Folded for matching: case, edge spaces and runs of spaces do not count. */
export const fold = (value: string) => value.trim().toLowerCase().replace(/\s+/g, ' ');
