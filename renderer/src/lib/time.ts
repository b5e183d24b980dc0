// How times are shown, the one place for it: local time for the reader with UTC beside it or in its
// tooltip (lib/when.tsx shows both), a date whenever the time is not from today (a war room runs
// past midnight), and compact elapsed durations for a war room.
import { format, formatDistanceStrict, isSameDay, isSameYear, isValid, parseISO } from 'date-fns';
import { UTCDate } from '@date-fns/utc';

/** "" today, "23 Nov " another day this year, "23 Nov 2025 " another year: in local time, or in UTC. */
function dayPrefix(ms: number, now: number, inUtc: boolean): string {
  const [at, today] = inUtc ? [new UTCDate(ms), new UTCDate(now)] : [new Date(ms), new Date(now)];
  if (isSameDay(at, today)) return '';
  return format(at, isSameYear(at, today) ? 'd MMM ' : 'd MMM yyyy ');
}

export function localTime(ms: number): string {
  return format(ms, 'yyyy-MM-dd HH:mm');
}

export function utcTime(ms: number): string {
  return `${format(new UTCDate(ms), 'yyyy-MM-dd HH:mm')} UTC`;
}

/** Clock time to the second: "14:02:09" today, "23 Nov 14:02:09" another day. */
export function localClock(ms: number, now = Date.now()): string {
  return `${dayPrefix(ms, now, false)}${format(ms, 'HH:mm:ss')}`;
}

/** The same in UTC: "19:02:09 UTC", or "23 Nov 19:02:09 UTC" when that is not today in UTC. */
export function utcClock(ms: number, now = Date.now()): string {
  return `${dayPrefix(ms, now, true)}${format(new UTCDate(ms), 'HH:mm:ss')} UTC`;
}

/** Clock time to the minute: "14:02" today, "23 Nov 14:02" another day. */
export function localWhen(ms: number, now = Date.now()): string {
  return `${dayPrefix(ms, now, false)}${format(ms, 'HH:mm')}`;
}

/** The same in UTC: "19:02 UTC", "23 Nov 19:02 UTC". */
export function utcWhen(ms: number, now = Date.now()): string {
  return `${dayPrefix(ms, now, true)}${format(new UTCDate(ms), 'HH:mm')} UTC`;
}

/** The whole moment, for a tooltip: "Mon 23 Nov 2026 14:02:09 local · 2026-11-23 19:02:09 UTC". */
export function fullWhen(ms: number): string {
  return `${format(ms, 'EEE d MMM yyyy HH:mm:ss')} local · ${format(new UTCDate(ms), 'yyyy-MM-dd HH:mm:ss')} UTC`;
}

/** "23 Nov": the day of a timeline entry that is not from today. */
export function localShortDay(ms: number): string {
  return format(ms, 'd MMM');
}

export function localDay(ms: number): string {
  return format(ms, 'EEE d MMM yyyy');
}

/** The value of a `datetime-local` input for a time (local, to the second). */
export function toLocalInput(ms: number): string {
  return format(ms, "yyyy-MM-dd'T'HH:mm:ss");
}

/** A `datetime-local` input's value as UTC ms, or null when it is not a complete date and time. */
export function fromLocalInput(value: string): number | null {
  if (!value) return null;
  const parsed = parseISO(value);
  return isValid(parsed) ? parsed.getTime() : null;
}

/** "2h 05m", "14m", "45s": how long an incident has been open. */
export function elapsed(fromMs: number, nowMs: number): string {
  const seconds = Math.max(0, Math.floor((nowMs - fromMs) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h ${String(minutes % 60).padStart(2, '0')}m`;
  return formatDistanceStrict(fromMs, nowMs, { unit: 'day' });
}
