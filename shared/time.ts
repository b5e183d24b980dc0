// Time as the record states it: UTC, to the second, the same on every replica and in every export.
import { format } from 'date-fns';
import { UTCDate } from '@date-fns/utc';

export function utcStamp(ms: number): string {
  return `${format(new UTCDate(ms), 'yyyy-MM-dd HH:mm:ss')} UTC`;
}

/** A wall clock in a time zone: its fields, and its offset as Intl names it (`GMT-5`). */
export interface ZonedWallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  offsetName: string;
}

/** What a clock in `timeZone` showed at `ms`; throws a RangeError for a zone this runtime does not know. */
export function zonedWallClock(ms: number, timeZone: string): ZonedWallClock {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'shortOffset',
  }).formatToParts(ms);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  const number = (type: Intl.DateTimeFormatPartTypes) => Number(part(type) || 0);
  return {
    year: number('year'),
    month: number('month'),
    day: number('day'),
    hour: number('hour'),
    minute: number('minute'),
    second: number('second'),
    offsetName: part('timeZoneName'),
  };
}
