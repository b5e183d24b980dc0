// Time, the one module for it, shared by the engine, the service and the renderer. An instant is UTC
// milliseconds, the same on every replica and in every export; a wall clock is what a clock in a
// time zone showed at an instant. Zones are read through @date-fns/tz (the runtime's IANA data), so
// every layer agrees on offsets, on the hours a DST change skips or repeats, and on how durations
// and "local and UTC" times read.
//
// A zone is an IANA name ("Europe/Berlin", any case) or `localZone`: the zone this machine or
// browser runs in now (the renderer's "your local time"); a symbol, so no typed name can be it.
import { format, isSameDay, isSameYear } from 'date-fns';
import { TZDate, tzOffset } from '@date-fns/tz';

/** The zone of this machine or browser, whatever it is now: a laptop that travels changes it. */
export const localZone: unique symbol = Symbol('the local time zone');

/** An IANA zone name, or localZone. */
export type Zone = string | typeof localZone;

/** The name of this machine's or browser's zone, e.g. "Europe/Berlin"; "UTC" when the runtime does not say. */
export const localTimeZone = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const knownZones = new Map<string, boolean>();

/** True for a zone name this runtime knows ("Europe/Berlin", "europe/berlin", "UTC"); false for '' and anything else. */
export function isTimeZone(zone: string): boolean {
  if (zone === '') return false;
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(zone, known);
  }
  return known;
}

function checkZone(zone: Zone): void {
  if (typeof zone === 'string' && !isTimeZone(zone)) {
    throw new RangeError(`"${zone}" is not a time zone this runtime knows: give an IANA name such as Europe/Berlin or America/New_York`);
  }
}

/** The instant as a date whose fields (getHours(), and date-fns on it) read the wall clock in `zone`. */
function dateIn(ms: number, zone: Zone): Date {
  checkZone(zone);
  return zone === localZone ? new Date(ms) : new TZDate(ms, zone);
}

// ---------------------------------------------------------------------------------------------
// Offsets

/**
 * How far `zone` is ahead of UTC at `ms`, in minutes: 330 for Asia/Kolkata, −240 for New York in
 * summer, −300 in winter. Throws a RangeError for a zone this runtime does not know.
 */
export function zoneOffsetMinutes(ms: number, zone: Zone): number {
  checkZone(zone);
  return zone === localZone ? -new Date(ms).getTimezoneOffset() : tzOffset(zone, new Date(ms));
}

/**
 * An offset in minutes as written. 'gmt' as the evidence exports write it (Intl's short offset):
 * "GMT+0", "GMT-5", "GMT+5:30". 'utc' as people read it beside a clock: "UTC+0", "UTC−3",
 * "UTC+5:30", with a true minus sign.
 */
export function formatOffset(minutes: number, style: 'gmt' | 'utc'): string {
  const whole = Math.round(minutes);
  const sign = whole >= 0 ? '+' : style === 'gmt' ? '-' : '−';
  const hours = Math.floor(Math.abs(whole) / 60);
  const rest = Math.abs(whole) % 60;
  return `${style === 'gmt' ? 'GMT' : 'UTC'}${sign}${hours}${rest === 0 ? '' : `:${String(rest).padStart(2, '0')}`}`;
}

// ---------------------------------------------------------------------------------------------
// Wall clocks

/** What a clock showed: month 1–12, hour 0–23. */
export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What a clock in `zone` showed at `ms` (to the second). Throws a RangeError for an unknown zone. */
export function wallClockAt(ms: number, zone: Zone): WallClock {
  const d = dateIn(ms, zone);
  return { year: d.getFullYear(), month: d.getMonth() + 1, day: d.getDate(), hour: d.getHours(), minute: d.getMinutes(), second: d.getSeconds() };
}

/** How a wall clock met the zone's clock: shown once, never (skipped by a DST change), or twice (repeated). */
export type WallClockFit = 'exact' | 'skipped' | 'repeated';

/** The instant a wall clock stands for, and how it fitted. */
export interface ZonedInstant {
  ms: number;
  fit: WallClockFit;
}

const dayMs = 86_400_000;
const wallAsUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/**
 * The instant a clock in `zone` showed `wall`. Around a DST change a wall clock can name no instant
 * or two; the choices (those of JavaScript's Date and of Temporal's "compatible"):
 * - skipped (clocks jump 02:00 → 03:00; 02:30 never shows): read with the offset in force before
 *   the jump, as a clock not yet set forward would show it. 02:30 is 03:30 after the jump: the
 *   instant moves forward by the length of the gap.
 * - repeated (clocks fall back 02:00 → 01:00; 01:30 shows twice): the first time, before the change.
 * Throws a RangeError for an unknown zone.
 */
export function instantOfWallClock(wall: WallClock, zone: Zone): ZonedInstant {
  const asUtc = wallAsUtc(wall);
  // Offsets a day either side: DST changes are months apart, so these are the two that can apply.
  const before = zoneOffsetMinutes(asUtc - dayMs, zone);
  const after = zoneOffsetMinutes(asUtc + dayMs, zone);
  const candidates = [...new Set([asUtc - before * 60_000, asUtc - after * 60_000])].filter((ms) => wallAsUtc(wallClockAt(ms, zone)) === asUtc);
  if (candidates.length === 0) return { ms: asUtc - before * 60_000, fit: 'skipped' };
  return { ms: Math.min(...candidates), fit: candidates.length > 1 ? 'repeated' : 'exact' };
}

const inputPattern = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/**
 * A `datetime-local` value ("2026-03-14T10:20", seconds and a fraction optional) as a wall clock;
 * null when it is not a complete date and time or not a real one (30 February, 24:00).
 */
export function parseWallClock(value: string): WallClock | null {
  const m = inputPattern.exec(value);
  if (!m) return null;
  const wall: WallClock = { year: +m[1], month: +m[2], day: +m[3], hour: +m[4], minute: +m[5], second: Number(m[6] ?? 0) };
  const back = new Date(wallAsUtc(wall));
  const isReal =
    back.getUTCFullYear() === wall.year &&
    back.getUTCMonth() + 1 === wall.month &&
    back.getUTCDate() === wall.day &&
    back.getUTCHours() === wall.hour &&
    back.getUTCMinutes() === wall.minute &&
    back.getUTCSeconds() === wall.second;
  return isReal ? wall : null;
}

/** A `datetime-local` value read as the wall clock in `zone`, as UTC ms (DST choices as instantOfWallClock); null when it is no complete date and time, or the zone is unknown. */
export function instantOfInput(value: string, zone: Zone): number | null {
  const wall = parseWallClock(value);
  if (!wall || (typeof zone === 'string' && !isTimeZone(zone))) return null;
  return instantOfWallClock(wall, zone).ms;
}

/** The wall clock in `zone` at `ms`, as a `datetime-local` value to the second ("2026-03-14T10:20:00"). */
export const inputOfInstant = (ms: number, zone: Zone): string => formatIn(ms, zone, "yyyy-MM-dd'T'HH:mm:ss");

/** `ms` in a date-fns pattern, read on the wall clock in `zone`. Throws a RangeError for an unknown zone. */
export const formatIn = (ms: number, zone: Zone, pattern: string): string => format(dateIn(ms, zone), pattern);

// ---------------------------------------------------------------------------------------------
// The record (UTC) and "local and UTC" for people

/** "2026-01-15 14:30:00 UTC": time as the record states it, the same on every replica and in every export. */
export const utcStamp = (ms: number): string => `${formatIn(ms, 'UTC', 'yyyy-MM-dd HH:mm:ss')} UTC`;

/** "2026-01-15 09:30:00 GMT-5": the wall clock in `zone` to the second, with its offset ('gmt' style). */
export const zonedStamp = (ms: number, zone: Zone): string => `${formatIn(ms, zone, 'yyyy-MM-dd HH:mm:ss')} ${formatOffset(zoneOffsetMinutes(ms, zone), 'gmt')}`;

/**
 * A time of day, with the day in front when it is not `now`'s day in `zone` (a war room runs past
 * midnight): "14:02", "23 Nov 14:02", "23 Nov 2025 14:02"; to the second with `seconds`.
 */
export function dayAndTime(ms: number, now: number, zone: Zone, seconds: boolean): string {
  const at = dateIn(ms, zone);
  const today = dateIn(now, zone);
  const day = isSameDay(at, today) ? '' : format(at, isSameYear(at, today) ? 'd MMM ' : 'd MMM yyyy ');
  return `${day}${format(at, seconds ? 'HH:mm:ss' : 'HH:mm')}`;
}

/** The whole moment in `zone` and in UTC: "Mon 23 Nov 2026 14:02:09 local · 2026-11-23 19:02:09 UTC". */
export const localAndUtc = (ms: number, zone: Zone): string => `${formatIn(ms, zone, 'EEE d MMM yyyy HH:mm:ss')} local · ${utcStamp(ms)}`;

// ---------------------------------------------------------------------------------------------
// Durations

/** How a duration reads; every field optional (the defaults read "45 s", "12 min", "3 h 05 min", "2 d 4 h"). */
export interface DurationStyle {
  /** 'long' "3 h 05 min" (default); 'short' "3h 05m". */
  units?: 'long' | 'short';
  /** 'round' to the nearest unit shown (default); 'floor' for a running clock, which never shows a minute before it has passed. */
  rounding?: 'round' | 'floor';
  /** The smallest unit: 's' (default), or 'min' for a count of whole minutes ("0 min"). */
  smallest?: 's' | 'min';
  /** Seconds, then minutes, give way to the next unit at 60 (default: "59 s", "1 min") or at 120 ("90 s", "2 min"; "100 min", "2 h"). */
  carryAt?: 60 | 120;
  /** Minutes after hours: 'padded' "3 h 05 min", "3 h 00 min" (default); 'trimmed' "3 h 05 min", "3 h"; 'plain' "3 h 5 min", "3 h". */
  minutes?: 'padded' | 'trimmed' | 'plain';
  /** From 48 hours: 'd h' "2 d 4 h" (default); 'days' "3 days" (rounded); 'hours' never days ("52 h 05 min"). */
  days?: 'd h' | 'days' | 'hours';
}

/** The styles the app reads durations in. */
export const durationStyles = {
  /** Measured durations in metrics, reports and reviews: "45 s", "12 min", "3 h 05 min", "2 d 4 h". */
  measured: {},
  /** How long something has run, on a war room's clocks: "45s", "14m", "2h 05m", "3 days"; never ahead of time. */
  elapsed: { units: 'short', rounding: 'floor', days: 'days' },
  /** A gap between clocks, in a message: "45 s", "5 min", "3 h 2 min", "3 h", "2 days". */
  gap: { minutes: 'plain', days: 'days' },
  /** The same, to the second below two minutes and to the minute below two hours ("90 s", "100 min"): how far ahead a clock stamped. */
  drift: { minutes: 'plain', days: 'days', carryAt: 120 },
  /** A wait or a lateness in whole minutes: "12 min", "1 h", "1 h 05 min", "50 h". */
  wait: { smallest: 'min', minutes: 'trimmed', days: 'hours' },
} as const satisfies Record<string, DurationStyle>;

const unitNames = { long: { s: ' s', min: ' min', h: ' h', d: ' d' }, short: { s: 's', min: 'm', h: 'h', d: 'd' } };

/**
 * A duration for people, in `style` (durationStyles, or your own); "—" for null (not measured). A
 * duration has no sign: a caller says "ahead" or "behind". An amount of time is the same in every
 * zone: a DST change between its ends does not make it an hour longer or shorter.
 */
export function formatDuration(ms: number | null, style: DurationStyle = {}): string {
  if (ms === null) return '—';
  if (!Number.isFinite(ms)) throw new RangeError(`A duration is a finite number of milliseconds, not ${ms}.`);
  const { units = 'long', rounding = 'round', smallest = 's', carryAt = 60, minutes: minuteStyle = 'padded', days = 'd h' } = style;
  const unit = unitNames[units];
  const abs = Math.abs(ms);
  const count = (unitMs: number) => (rounding === 'floor' ? Math.floor(abs / unitMs) : Math.round(abs / unitMs));
  const seconds = count(1000);
  if (smallest === 's' && seconds < carryAt) return `${seconds}${unit.s}`;
  const minutes = count(60_000);
  if (minutes < carryAt) return `${minutes}${unit.min}`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  if (hours < 48 || days === 'hours') {
    if (rest === 0 && minuteStyle !== 'padded') return `${hours}${unit.h}`;
    return `${hours}${unit.h} ${minuteStyle === 'plain' ? rest : String(rest).padStart(2, '0')}${unit.min}`;
  }
  if (days === 'days') return `${Math.round(abs / dayMs)} days`;
  return `${Math.floor(hours / 24)}${unit.d} ${hours % 24}${unit.h}`;
}
