// How times are shown: local time for the reader, UTC beside it where the record is legal or
// forensic, and compact elapsed durations for a war room.
import { format, formatDistanceStrict, isValid, parseISO } from 'date-fns';
import { UTCDate } from '@date-fns/utc';

export function localTime(ms: number): string {
  return format(ms, 'yyyy-MM-dd HH:mm');
}

export function utcTime(ms: number): string {
  return `${format(new UTCDate(ms), 'yyyy-MM-dd HH:mm')} UTC`;
}

/** Clock time to the second, local and UTC, for timeline rows. */
export function localClock(ms: number): string {
  return format(ms, 'HH:mm:ss');
}

export function utcClock(ms: number): string {
  return `${format(new UTCDate(ms), 'HH:mm:ss')} UTC`;
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
