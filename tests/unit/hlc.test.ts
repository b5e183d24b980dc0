import { describe, expect, it } from 'vitest';
import { ClockDriftError, createHlc, decodeHlc, encodeHlc, HlcError } from '@shared/hlc';

const deviceA = 'aaaaaaaaaaaaaaaa';
const deviceB = 'bbbbbbbbbbbbbbbb';

describe('hybrid logical clock', () => {
  it('encodes to fixed-width text that sorts like the clock', () => {
    const values = [
      { ms: 5, counter: 0, deviceId: deviceA },
      { ms: 1_795_000_000_000, counter: 2, deviceId: deviceA },
      { ms: 1_795_000_000_000, counter: 10, deviceId: deviceA },
      { ms: 1_795_000_000_001, counter: 0, deviceId: deviceA },
    ].map(encodeHlc);
    expect(new Set(values.map((v) => v.length)).size).toBe(1);
    expect([...values].reverse().sort()).toEqual(values);
    expect(decodeHlc(values[2])).toEqual({ ms: 1_795_000_000_000, counter: 10, deviceId: deviceA });
  });

  it('issues strictly increasing timestamps even when the wall clock stands still or goes back', () => {
    let wall = 1000;
    const clock = createHlc({ deviceId: deviceA, now: () => wall });
    const seen = [clock.tick(), clock.tick()];
    wall = 400; // NTP stepped the clock back
    seen.push(clock.tick());
    wall = 2000;
    seen.push(clock.tick());
    expect([...seen].sort()).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.map((s) => decodeHlc(s).ms)).toEqual([1000, 1000, 1000, 2000]);
  });

  it('moves to the next millisecond rather than overflowing its counter', () => {
    const clock = createHlc({ deviceId: deviceA, now: () => 7, last: encodeHlc({ ms: 7, counter: 99_999, deviceId: deviceA }) });
    expect(decodeHlc(clock.tick())).toEqual({ ms: 8, counter: 0, deviceId: deviceA });
  });

  it('resumes after the newest timestamp it already used', () => {
    const last = encodeHlc({ ms: 5000, counter: 3, deviceId: deviceA });
    const clock = createHlc({ deviceId: deviceA, now: () => 10, last });
    expect(clock.tick() > last).toBe(true);
  });

  it('orders local events after a received one', () => {
    const clock = createHlc({ deviceId: deviceA, now: () => 1000 });
    const remote = encodeHlc({ ms: 1500, counter: 4, deviceId: deviceB });
    clock.receive(remote);
    const next = clock.tick();
    expect(next > remote).toBe(true);
    expect(decodeHlc(next)).toMatchObject({ ms: 1500, counter: 6 });
  });

  it('refuses a remote clock too far ahead and stays where it was', () => {
    const clock = createHlc({ deviceId: deviceA, now: () => 1_000_000, maxDriftMs: 60_000 });
    const before = clock.peek();
    expect(() => clock.receive(encodeHlc({ ms: 1_000_000 + 60_001, counter: 0, deviceId: deviceB }))).toThrow(ClockDriftError);
    expect(clock.peek()).toBe(before);
    expect(() => clock.receive(encodeHlc({ ms: 1_000_000 + 60_000, counter: 0, deviceId: deviceB }))).not.toThrow();
  });

  it('rejects malformed values and device ids', () => {
    expect(() => decodeHlc('2026-11-23T10:00:00Z')).toThrow(HlcError);
    expect(() => createHlc({ deviceId: 'laptop-1' })).toThrow(/16 lowercase hex/);
  });
});
