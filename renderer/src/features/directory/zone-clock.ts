// Someone's wall-clock time now, in their own time zone, with its UTC offset: whether a call will
// wake them. Formatters are cached per zone because a directory re-renders every card each minute.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat | null {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-GB', {
        timeZone,
        weekday: 'short',
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
        timeZoneName: 'shortOffset',
      });
    } catch {
      return null; // a zone this browser does not know (written by a newer replica)
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

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

export function zoneClock(timeZone: string, now: number): ZoneClock | null {
  const formatter = timeZone ? formatterFor(timeZone) : null;
  if (!formatter) return null;
  const parts = Object.fromEntries(formatter.formatToParts(now).map((part) => [part.type, part.value]));
  const hour = Number(parts.hour);
  // Intl writes the offset as "GMT+1"; the record everywhere else in Holdfast says UTC.
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT/, 'UTC').replace('-', '−');
  return {
    time: `${parts.hour}:${parts.minute}`,
    weekday: parts.weekday ?? '',
    offset: offset === 'UTC' ? 'UTC+0' : offset,
    isNight: hour >= 22 || hour < 7,
  };
}
