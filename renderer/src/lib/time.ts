// How times are shown in the renderer: local time for the reader (this browser's zone, whatever it
// is now) with UTC beside it or in its tooltip (lib/when.tsx shows both), a date whenever the time
// is not from today (a war room runs past midnight), and compact elapsed durations for a war room.
// Thin names over shared/time, which holds the zone arithmetic and the formats.
import { dayAndTime, durationStyles, formatDuration, formatIn, inputOfInstant, instantOfInput, localAndUtc, localZone } from '@shared/time';

const utc = 'UTC';

export const localTime = (ms: number): string => formatIn(ms, localZone, 'yyyy-MM-dd HH:mm');

export const utcTime = (ms: number): string => `${formatIn(ms, utc, 'yyyy-MM-dd HH:mm')} UTC`;

/** Clock time to the second: "14:02:09" today, "23 Nov 14:02:09" another day, "23 Nov 2025 14:02:09" another year. */
export const localClock = (ms: number, now = Date.now()): string => dayAndTime(ms, now, localZone, true);

/** The same in UTC: "19:02:09 UTC", or "23 Nov 19:02:09 UTC" when that is not today in UTC. */
export const utcClock = (ms: number, now = Date.now()): string => `${dayAndTime(ms, now, utc, true)} UTC`;

/** Clock time to the minute: "14:02" today, "23 Nov 14:02" another day. */
export const localWhen = (ms: number, now = Date.now()): string => dayAndTime(ms, now, localZone, false);

/** The same in UTC: "19:02 UTC", "23 Nov 19:02 UTC". */
export const utcWhen = (ms: number, now = Date.now()): string => `${dayAndTime(ms, now, utc, false)} UTC`;

/** The whole moment, for a tooltip: "Mon 23 Nov 2026 14:02:09 local · 2026-11-23 19:02:09 UTC". */
export const fullWhen = (ms: number): string => localAndUtc(ms, localZone);

/** The value of a `datetime-local` input for a time (local, to the second). */
export const toLocalInput = (ms: number): string => inputOfInstant(ms, localZone);

/**
 * A `datetime-local` input's value as UTC ms, or null when it is not a complete date and time. A
 * local time skipped by a DST change reads as the time that far past the jump, a repeated one as
 * the first (shared/time: instantOfWallClock).
 */
export const fromLocalInput = (value: string): number | null => instantOfInput(value, localZone);

/** "2h 05m", "14m", "45s", "3 days": how long an incident has been open (nothing before it started). */
export const elapsed = (fromMs: number, nowMs: number): string => formatDuration(Math.max(0, nowMs - fromMs), durationStyles.elapsed);
