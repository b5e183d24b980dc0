import { describe, expect, it } from 'vitest';
import { ClockDriftError, createHlc, decodeHlc, describeDuration, encodeHlc, HlcError, isClockAhead, maxAheadMs } from '@shared/hlc';

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

  it('adopts a remote clock within the drift, takes one further ahead without adopting it, and refuses one beyond a day for now', () => {
    const wall = 1_000_000_000;
    const clock = createHlc({ deviceId: deviceA, now: () => wall, maxDriftMs: 60_000 });
    clock.receive(encodeHlc({ ms: wall + 60_000, counter: 3, deviceId: deviceB }));
    expect(decodeHlc(clock.peek())).toMatchObject({ ms: wall + 60_000, counter: 4 });
    const before = clock.peek();
    // Three hours ahead: taken (no throw), but this clock does not move into the future.
    clock.receive(encodeHlc({ ms: wall + 3 * 3600_000, counter: 0, deviceId: deviceB }));
    expect(clock.peek()).toBe(before);
    const tooFar = encodeHlc({ ms: wall + maxAheadMs + 1, counter: 0, deviceId: deviceB });
    let error: unknown;
    try {
      clock.receive(tooFar);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ClockDriftError);
    expect((error as ClockDriftError).dueAt).toBe(wall + 1);
    expect(isClockAhead((error as Error).message)).toBe(true);
    expect((error as Error).message).toMatch(/^clock ahead: the op is stamped 24 h ahead of this computer \(at most 24 h is taken\)/);
    expect(clock.peek()).toBe(before);
  });

  it('starts again from the corrected time once its own stamps ran far ahead (a clock set right)', () => {
    let wall = 1_795_000_000_000;
    const threeHours = 3 * 3600_000;
    // Written while the laptop's clock ran three hours fast.
    const ahead = createHlc({ deviceId: deviceA, now: () => wall + threeHours });
    const future = ahead.tick();
    // The clock is set right and the app restarts: it resumes after its newest stamp, yet stamps the real time.
    const clock = createHlc({ deviceId: deviceA, now: () => wall, last: future });
    const next = clock.tick();
    expect(decodeHlc(next).ms).toBe(wall);
    wall += 5;
    expect(decodeHlc(clock.tick()).ms).toBe(wall);
    // A chain that already holds the future stamp is stamped after it (its ops stay in clock order).
    const inChain = clock.tick(() => future);
    expect(inChain > future).toBe(true);
    expect(decodeHlc(inChain)).toMatchObject({ ms: decodeHlc(future).ms, counter: 1 });
    // ... and the next stamp elsewhere is the real time again.
    expect(decodeHlc(clock.tick(() => undefined)).ms).toBe(wall);
  });

  it('asks for the chain floor only when it started again below its own past', () => {
    const clock = createHlc({ deviceId: deviceA, now: () => 1000 });
    let asked = 0;
    clock.tick(() => {
      asked += 1;
      return undefined;
    });
    expect(asked).toBe(0);
  });

  it('drifts within the bound are not a recovery: a clock set back a minute still stamps after its past', () => {
    let wall = 10_000_000;
    const clock = createHlc({ deviceId: deviceA, now: () => wall });
    const first = clock.tick();
    wall -= 60_000;
    expect(clock.tick() > first).toBe(true);
  });

  it('describes durations for people', () => {
    expect(describeDuration(45_000)).toBe('45 s');
    expect(describeDuration(10 * 60_000)).toBe('10 min');
    expect(describeDuration(3 * 3600_000)).toBe('3 h');
    expect(describeDuration(3 * 3600_000 + 2 * 60_000)).toBe('3 h 2 min');
    expect(isClockAhead('hlc: clock is too far ahead of the service; check the device clock')).toBe(true);
    expect(isClockAhead('signature: does not verify')).toBe(false);
  });

  it('rejects malformed values and device ids', () => {
    expect(() => decodeHlc('2026-11-23T10:00:00Z')).toThrow(HlcError);
    expect(() => createHlc({ deviceId: 'laptop-1' })).toThrow(/16 lowercase hex/);
  });
});
