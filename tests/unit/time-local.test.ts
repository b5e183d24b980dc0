// The renderer's "your local time" (lib/time over shared/time's localZone) across the DST changes
// of the zone this process runs in, set here to New York: the same choices as a named zone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatIn, instantOfInput, localTimeZone, localZone } from '@shared/time';
import { elapsed, fromLocalInput, localClock, toLocalInput, utcClock } from '../../renderer/src/lib/time';

const t = (iso: string) => Date.parse(iso);
let zoneBefore: string | undefined;

beforeAll(() => {
  zoneBefore = process.env.TZ;
  process.env.TZ = 'America/New_York';
});

afterAll(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

describe('local time in a zone with DST (New York)', () => {
  it('runs in New York', () => {
    expect(localTimeZone()).toBe('America/New_York');
    expect(new Date(t('2026-01-15T12:00:00Z')).getTimezoneOffset()).toBe(300);
  });

  it('reads local inputs with the same choices as the named zone: skipped forward, repeated as the first', () => {
    expect(fromLocalInput('2026-03-08T02:30')).toBe(t('2026-03-08T07:30:00Z'));
    expect(fromLocalInput('2026-11-01T01:30')).toBe(t('2026-11-01T05:30:00Z'));
    for (let minutes = 0; minutes < 24 * 60; minutes += 30) {
      for (const day of ['2026-03-08', '2026-11-01']) {
        const text = `${day}T${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
        expect(instantOfInput(text, localZone)).toBe(instantOfInput(text, 'America/New_York'));
      }
    }
    expect(fromLocalInput('2026-11-01')).toBeNull();
  });

  it('shows both 01:30s of the night clocks fall back, and UTC beside them', () => {
    const now = t('2026-11-01T12:00:00Z');
    expect(localClock(t('2026-11-01T05:30:00Z'), now)).toBe('01:30:00');
    expect(localClock(t('2026-11-01T06:30:00Z'), now)).toBe('01:30:00');
    expect(utcClock(t('2026-11-01T06:30:00Z'), now)).toBe('06:30:00 UTC');
    expect(toLocalInput(t('2026-03-08T07:00:00Z'))).toBe('2026-03-08T03:00:00');
    expect(formatIn(t('2026-03-08T06:59:59Z'), localZone, 'HH:mm:ss')).toBe('01:59:59');
  });

  it('counts elapsed time, not clock readings, across a change', () => {
    // 01:00 to 03:00 on the night clocks go forward: one hour passed.
    expect(elapsed(t('2026-03-08T06:00:00Z'), t('2026-03-08T07:00:00Z'))).toBe('1h 00m');
    // 01:30 (first) to 01:30 (second): an hour.
    expect(elapsed(t('2026-11-01T05:30:00Z'), t('2026-11-01T06:30:00Z'))).toBe('1h 00m');
    // 60 h across going forward is 2.5 days: "3 days" here as in any zone.
    expect(elapsed(t('2026-03-07T00:00:00Z'), t('2026-03-09T12:00:00Z'))).toBe('3 days');
    expect(elapsed(t('2026-03-09T12:00:00Z'), t('2026-03-07T00:00:00Z'))).toBe('0s');
  });
});
