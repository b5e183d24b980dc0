// Someone's wall-clock time now, in their own time zone, with its UTC offset: whether a call will
// wake them. The zone arithmetic is shared/time's.
import { formatIn, formatOffset, isTimeZone, wallClockAt, zoneOffsetMinutes } from '@shared/time';

export interface ZoneClock {
  /** "14:05" */
  time: string;
  /** "Tue" */
  weekday: string;
  /** "UTC+5:30", "UTC−3", "UTC+0" */
  offset: string;
  /** Between 22:00 and 07:00 there: call only when it matters. */
  isNight: boolean;
}

/** Null for no zone or one this browser does not know (written by a newer replica). */
export function zoneClock(timeZone: string, now: number): ZoneClock | null {
  if (!isTimeZone(timeZone)) return null;
  const { hour } = wallClockAt(now, timeZone);
  return {
    time: formatIn(now, timeZone, 'HH:mm'),
    weekday: formatIn(now, timeZone, 'EEE'),
    offset: formatOffset(zoneOffsetMinutes(now, timeZone), 'utc'),
    isNight: hour >= 22 || hour < 7,
  };
}
