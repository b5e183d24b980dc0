// shared/time across DST changes: the hour a change skips and the hour it repeats, offsets either
// side, and durations that span a change, in a northern zone either side of the Atlantic, a
// southern one (its clocks go forward in October), Chile's (changes at midnight) and two
// half-hour zones (Adelaide changes by an hour, Lord Howe by half an hour).
import { describe, expect, it } from 'vitest';
import {
  dayAndTime,
  durationStyles,
  formatDuration,
  formatIn,
  formatOffset,
  inputOfInstant,
  instantOfInput,
  instantOfWallClock,
  isTimeZone,
  localAndUtc,
  parseWallClock,
  utcStamp,
  wallClockAt,
  zonedStamp,
  zoneOffsetMinutes,
  type WallClock,
} from '@shared/time';

const t = (iso: string) => Date.parse(iso);
const wall = (text: string): WallClock => {
  const parsed = parseWallClock(text);
  if (!parsed) throw new Error(`test wall clock ${text} does not parse`);
  return parsed;
};
const hour = 3_600_000;
/** A wall clock as a count of minutes, to subtract one from another. */
const clockMinutes = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute) / 60_000;

/**
 * One DST change per row: the zone, a wall clock the change skips, the instant clocks jump (UTC),
 * the offsets (minutes) before and after going forward, and a wall clock the change back repeats
 * with the instant it first shows.
 */
const zones = [
  {
    zone: 'America/New_York',
    skipped: '2026-03-08T02:30',
    jump: '2026-03-08T07:00:00Z',
    standard: -300,
    summer: -240,
    repeated: '2026-11-01T01:30',
    firstRepeat: '2026-11-01T05:30:00Z',
  },
  {
    zone: 'Europe/London',
    skipped: '2026-03-29T01:30',
    jump: '2026-03-29T01:00:00Z',
    standard: 0,
    summer: 60,
    repeated: '2026-10-25T01:30',
    firstRepeat: '2026-10-25T00:30:00Z',
  },
  {
    // Southern: forward in October, back in April.
    zone: 'Australia/Sydney',
    skipped: '2026-10-04T02:30',
    jump: '2026-10-03T16:00:00Z',
    standard: 600,
    summer: 660,
    repeated: '2026-04-05T02:30',
    firstRepeat: '2026-04-04T15:30:00Z',
  },
  {
    // Southern, changes at midnight: 00:30 on 6 September never shows, 23:30 on 4 April shows twice.
    zone: 'America/Santiago',
    skipped: '2026-09-06T00:30',
    jump: '2026-09-06T04:00:00Z',
    standard: -240,
    summer: -180,
    repeated: '2026-04-04T23:30',
    firstRepeat: '2026-04-05T02:30:00Z',
  },
  {
    // Half-hour zone: +9:30 and +10:30.
    zone: 'Australia/Adelaide',
    skipped: '2026-10-04T02:30',
    jump: '2026-10-03T16:30:00Z',
    standard: 570,
    summer: 630,
    repeated: '2026-04-05T02:30',
    firstRepeat: '2026-04-04T16:00:00Z',
  },
];

describe('zones and offsets', () => {
  it.each(zones)('$zone: the offset either side of going forward', ({ zone, jump, standard, summer }) => {
    expect(zoneOffsetMinutes(t(jump) - 1, zone)).toBe(standard);
    expect(zoneOffsetMinutes(t(jump), zone)).toBe(summer);
  });

  it('reads half-hour offsets, and a zone that changes by half an hour (Lord Howe)', () => {
    expect(zoneOffsetMinutes(t('2026-07-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(zoneOffsetMinutes(t('2026-01-01T00:00:00Z'), 'Asia/Kolkata')).toBe(330);
    expect(zoneOffsetMinutes(t('2026-10-03T15:30:00Z') - 1, 'Australia/Lord_Howe')).toBe(630);
    expect(zoneOffsetMinutes(t('2026-10-03T15:30:00Z'), 'Australia/Lord_Howe')).toBe(660);
    // 02:15 is skipped there: the clock goes 02:00 → 02:30; read with the earlier offset it is 02:45.
    const skipped = instantOfWallClock(wall('2026-10-04T02:15'), 'Australia/Lord_Howe');
    expect(skipped.fit).toBe('skipped');
    expect(formatIn(skipped.ms, 'Australia/Lord_Howe', 'HH:mm')).toBe('02:45');
  });

  it('writes offsets as Intl and the exports do, and as people read them', () => {
    expect([0, -300, 330, -210, 660, 345].map((m) => formatOffset(m, 'gmt'))).toEqual(['GMT+0', 'GMT-5', 'GMT+5:30', 'GMT-3:30', 'GMT+11', 'GMT+5:45']);
    expect([0, -180, 330, -570].map((m) => formatOffset(m, 'utc'))).toEqual(['UTC+0', 'UTC−3', 'UTC+5:30', 'UTC−9:30']);
    // The same text Intl gives, either side of a change.
    for (const { zone, jump } of zones) {
      for (const ms of [t(jump) - 1, t(jump)]) {
        const intl = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'shortOffset' }).formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value;
        expect(formatOffset(zoneOffsetMinutes(ms, zone), 'gmt')).toBe(intl);
      }
    }
  });

  it('knows zones in any case and refuses unknown ones with a clear error', () => {
    expect(isTimeZone('europe/london')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('')).toBe(false);
    expect(isTimeZone('Mars/Olympus_Mons')).toBe(false);
    expect(() => zoneOffsetMinutes(0, 'Mars/Olympus_Mons')).toThrow(/"Mars\/Olympus_Mons" is not a time zone this runtime knows: give an IANA name/);
    expect(() => wallClockAt(0, 'Mars/Olympus_Mons')).toThrow(RangeError);
    expect(instantOfInput('2026-03-08T02:30', 'Mars/Olympus_Mons')).toBeNull();
  });
});

describe('wall clock ↔ instant', () => {
  it.each(zones)('$zone: a skipped wall clock reads as the time that far past the jump', ({ zone, skipped, jump, standard, summer }) => {
    const { ms, fit } = instantOfWallClock(wall(skipped), zone);
    expect(fit).toBe('skipped');
    // Read with the offset before the jump ...
    expect(ms).toBe(Date.parse(`${skipped}:00Z`) - standard * 60_000);
    // ... which is after the jump, and shows the clock that far past it.
    expect(ms).toBeGreaterThanOrEqual(t(jump));
    expect(clockMinutes(wallClockAt(ms, zone))).toBe(clockMinutes(wall(skipped)) + (summer - standard));
  });

  it.each(zones)('$zone: a repeated wall clock reads as its first showing, before the change', ({ zone, repeated, firstRepeat, summer, standard }) => {
    const { ms, fit } = instantOfWallClock(wall(repeated), zone);
    expect(fit).toBe('repeated');
    expect(ms).toBe(t(firstRepeat));
    expect(zoneOffsetMinutes(ms, zone)).toBe(summer);
    // The second showing is the summer–standard difference later, and shows the same clock.
    const second = ms + (summer - standard) * 60_000;
    expect(formatIn(second, zone, "yyyy-MM-dd'T'HH:mm")).toBe(repeated);
    expect(formatIn(ms, zone, "yyyy-MM-dd'T'HH:mm")).toBe(repeated);
  });

  it.each(zones)('$zone: every other wall clock of the change days round-trips exactly', ({ zone, skipped, repeated }) => {
    for (const day of [skipped.slice(0, 10), repeated.slice(0, 10)]) {
      for (let minutes = 0; minutes < 24 * 60; minutes += 15) {
        const text = `${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}:00`;
        const { ms, fit } = instantOfWallClock(wall(text), zone);
        if (fit === 'skipped') continue;
        expect(inputOfInstant(ms, zone)).toBe(text);
      }
    }
  });

  it('reads datetime-local values in a zone, and refuses what is no complete, real date and time', () => {
    expect(instantOfInput('2026-01-15T09:30', 'America/New_York')).toBe(t('2026-01-15T14:30:00Z'));
    expect(instantOfInput('2026-07-15T09:30:15', 'America/New_York')).toBe(t('2026-07-15T13:30:15Z'));
    expect(instantOfInput('2026-07-15T09:30:15.250', 'Asia/Kolkata')).toBe(t('2026-07-15T04:00:15Z'));
    expect(instantOfInput('2026-03-08T02:30', 'America/New_York')).toBe(t('2026-03-08T07:30:00Z'));
    for (const bad of ['', '2026-01-15', '2026-01-15 09:30', '2026-02-30T10:00', '2026-01-15T24:00', '2026-01-15T09:60', 'yesterday']) {
      expect(parseWallClock(bad)).toBeNull();
      expect(instantOfInput(bad, 'UTC')).toBeNull();
    }
    expect(inputOfInstant(t('2026-10-04T15:59:59Z'), 'Australia/Sydney')).toBe('2026-10-05T02:59:59');
  });
});

describe('the record and "local and UTC"', () => {
  it('states instants in UTC, and zoned with the offset in force', () => {
    expect(utcStamp(t('2026-03-29T00:59:59Z'))).toBe('2026-03-29 00:59:59 UTC');
    expect(zonedStamp(t('2026-03-29T00:59:59Z'), 'Europe/London')).toBe('2026-03-29 00:59:59 GMT+0');
    expect(zonedStamp(t('2026-03-29T01:00:00Z'), 'Europe/London')).toBe('2026-03-29 02:00:00 GMT+1');
    expect(zonedStamp(t('2026-11-01T05:30:00Z'), 'America/New_York')).toBe('2026-11-01 01:30:00 GMT-4');
    expect(zonedStamp(t('2026-11-01T06:30:00Z'), 'America/New_York')).toBe('2026-11-01 01:30:00 GMT-5');
    expect(zonedStamp(t('2026-10-03T16:30:00Z'), 'Australia/Adelaide')).toBe('2026-10-04 03:00:00 GMT+10:30');
  });

  it('puts the day in front of a time from another day in the zone read, not in UTC', () => {
    const now = t('2026-04-05T12:00:00Z'); // 22:00 in Sydney, 5 April
    // 16:30 UTC on 4 April is 02:30 (the second one) on 5 April in Sydney: today there.
    expect(dayAndTime(t('2026-04-04T16:30:00Z'), now, 'Australia/Sydney', false)).toBe('02:30');
    expect(dayAndTime(t('2026-04-04T16:30:00Z'), now, 'UTC', false)).toBe('4 Apr 16:30');
    expect(dayAndTime(t('2025-12-31T23:00:00Z'), now, 'UTC', true)).toBe('31 Dec 2025 23:00:00');
    expect(localAndUtc(t('2026-03-08T07:30:00Z'), 'America/New_York')).toBe('Sun 8 Mar 2026 03:30:00 local · 2026-03-08 07:30:00 UTC');
  });
});

describe('durations', () => {
  it('reads measured durations: "45 s", "12 min", "3 h 05 min", "2 d 4 h"; "—" for none', () => {
    const min = 60_000;
    expect([null, 45_000, 12 * min, 185 * min, 52 * 60 * min].map((ms) => formatDuration(ms))).toEqual(['—', '45 s', '12 min', '3 h 05 min', '2 d 4 h']);
    // 59.6 s is a minute, not "60 s".
    expect(formatDuration(59_600)).toBe('1 min');
    expect(formatDuration(59 * min + 40_000)).toBe('1 h 00 min');
    expect(() => formatDuration(Number.NaN)).toThrow(/finite number of milliseconds/);
  });

  it('reads each style the app uses', () => {
    const min = 60_000;
    const cases: [keyof typeof durationStyles, number, string][] = [
      ['elapsed', 45_999, '45s'],
      ['elapsed', 14 * min + 59_999, '14m'],
      ['elapsed', 2 * hour + 5 * min, '2h 05m'],
      ['elapsed', 2 * hour, '2h 00m'],
      ['elapsed', 71 * hour, '3 days'],
      ['gap', -5 * min, '5 min'],
      ['gap', 3 * hour, '3 h'],
      ['gap', 3 * hour + 2 * min, '3 h 2 min'],
      ['gap', 90_000, '2 min'],
      ['gap', 60 * hour, '3 days'],
      ['drift', 90_000, '90 s'],
      ['drift', 100 * min, '100 min'],
      ['drift', 24 * hour, '24 h'],
      ['wait', 0, '0 min'],
      ['wait', 12 * min, '12 min'],
      ['wait', 60 * min, '1 h'],
      ['wait', 65 * min, '1 h 05 min'],
      ['wait', 50 * hour, '50 h'],
    ];
    expect(cases.map(([style, ms]) => formatDuration(ms, durationStyles[style]))).toEqual(cases.map(([, , text]) => text));
  });

  it.each(zones)(
    '$zone: a duration across a DST change is the time that passed, not the clocks’ difference',
    ({ zone, jump, repeated, firstRepeat, summer, standard }) => {
      const change = Math.abs(summer - standard) * 60_000;
      // From half an hour before going forward to half an hour after: an hour passed, though clocks moved 1 h + the change.
      const before = t(jump) - hour / 2;
      const after = t(jump) + hour / 2;
      expect(formatDuration(after - before)).toBe('1 h 00 min');
      expect(formatDuration(after - before, durationStyles.elapsed)).toBe('1h 00m');
      const shownBefore = wallClockAt(before, zone);
      const shownAfter = wallClockAt(after, zone);
      expect(clockMinutes(shownAfter) - clockMinutes(shownBefore)).toBe(60 + change / 60_000);
      // The first and the second showing of a repeated wall clock are the change apart.
      const first = t(firstRepeat);
      const second = first + change;
      expect(formatIn(second, zone, "yyyy-MM-dd'T'HH:mm")).toBe(repeated);
      expect(formatDuration(second - first, durationStyles.elapsed)).toBe('1h 00m');
      // Two days across a change read as two days, whichever zone reads them.
      expect(formatDuration(48 * hour, durationStyles.elapsed)).toBe('2 days');
      expect(formatDuration(48 * hour)).toBe('2 d 0 h');
    },
  );
});
