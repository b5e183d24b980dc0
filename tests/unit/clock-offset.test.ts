import { describe, expect, it } from 'vitest';
import { createClockOffset, maxHubOffsetMs, significantOffsetMs } from '../../electron/engine/core/clock-offset';
import { maxAheadMs } from '../../shared/hlc';

/** A wall clock and a monotonic clock the test moves; `jump` moves the wall clock alone. */
function clocks(startWall = 1_795_000_000_000) {
  let wall = startWall;
  let mono = 5_000;
  return {
    now: () => wall,
    monotonic: () => mono,
    pass(ms: number) {
      wall += ms;
      mono += ms;
    },
    jump(ms: number) {
      wall += ms;
    },
  };
}

describe('clock offset', () => {
  it("measures the peer's clock minus ours from the midpoint of the exchange", () => {
    const c = clocks();
    const offset = createClockOffset(c);
    const started = offset.begin();
    c.pass(200);
    // The peer stamped its reply halfway through, three hours ahead of us.
    offset.observe('central', 'central', started, c.now() - 100 + 3 * 3600_000);
    expect(offset.of('central')).toBe(3 * 3600_000);
    expect(offset.correction()).toBe(3 * 3600_000);
    expect(offset.time()).toBe(c.now() + 3 * 3600_000);
  });

  it('applies only offsets that are significant', () => {
    const c = clocks();
    const offset = createClockOffset(c);
    offset.observe('central', 'central', offset.begin(), c.now() + significantOffsetMs - 1);
    expect(offset.of('central')).toBe(significantOffsetMs - 1);
    expect(offset.correction()).toBe(0);
    offset.observe('central', 'central', offset.begin(), c.now() - significantOffsetMs);
    expect(offset.correction()).toBe(-significantOffsetMs);
  });

  it("prefers the service's time to a hub's, and a hub's to nothing", () => {
    const c = clocks();
    const offset = createClockOffset(c);
    offset.observe('hub', 'hub', offset.begin(), c.now() + 10_000);
    expect(offset.correction()).toBe(10_000);
    offset.observe('central', 'central', offset.begin(), c.now() - 60_000);
    c.pass(1000);
    offset.observe('hub', 'hub', offset.begin(), c.now() + 20_000);
    expect(offset.correction()).toBe(-60_000);
    offset.forget('central');
    expect(offset.correction()).toBe(20_000);
  });

  it('drops a measurement once the wall clock jumps (set right), until the next exchange', () => {
    const c = clocks();
    const offset = createClockOffset(c);
    offset.observe('central', 'central', offset.begin(), c.now() - 3 * 3600_000);
    c.pass(60_000);
    expect(offset.of('central')).toBe(-3 * 3600_000);
    c.jump(-3 * 3600_000); // the user fixes the clock
    expect(offset.of('central')).toBeNull();
    expect(offset.correction()).toBe(0);
    offset.observe('central', 'central', offset.begin(), c.now() + 30);
    expect(offset.of('central')).toBe(30);
  });

  it('ignores replies without a time, slow exchanges, and exchanges the wall clock jumped through', () => {
    const c = clocks();
    const offset = createClockOffset(c);
    offset.observe('central', 'central', offset.begin(), null);
    expect(offset.of('central')).toBeNull();
    let started = offset.begin();
    c.pass(11_000);
    offset.observe('central', 'central', started, c.now());
    expect(offset.of('central')).toBeNull();
    started = offset.begin();
    c.jump(5000);
    offset.observe('central', 'central', started, c.now());
    expect(offset.of('central')).toBeNull();
  });

  it('never reads earlier than the newest service time it heard, until it measures again', () => {
    const c = clocks();
    const saved: number[] = [];
    const offset = createClockOffset({ ...c, saveFloor: (ms) => saved.push(ms) });
    const serviceTime = c.now() + 3 * 3600_000;
    offset.observe('central', 'central', offset.begin(), serviceTime);
    expect(saved).toEqual([serviceTime]);
    // Restarted with no route to the service: the floor it stored holds the time up.
    const restarted = createClockOffset({ ...c, floor: saved[0] });
    expect(restarted.time()).toBe(serviceTime);
    c.pass(5000);
    expect(restarted.time()).toBe(serviceTime);
    // A clock ahead of the floor reads as it is; a measurement corrects it again.
    c.jump(4 * 3600_000);
    expect(restarted.time()).toBe(c.now());
    restarted.observe('central', 'central', restarted.begin(), c.now() - 3600_000);
    expect(restarted.time()).toBe(c.now() - 3600_000);
    // The floor is stored again only once it moved on a minute.
    offset.observe('central', 'central', offset.begin(), serviceTime + 30_000);
    expect(saved).toHaveLength(1);
    offset.observe('central', 'central', offset.begin(), serviceTime + 61_000);
    expect(saved).toEqual([serviceTime, serviceTime + 61_000]);
  });

  it("refuses a hub's time a day or more from ours, says so, and keeps stamping at its own", () => {
    const c = clocks();
    const saved: number[] = [];
    const offset = createClockOffset({ ...c, saveFloor: (ms) => saved.push(ms) });
    const years = 10 * 365 * 24 * 3600_000;
    offset.observe('hub', 'hub', offset.begin(), c.now() + years);
    expect(maxHubOffsetMs).toBe(maxAheadMs);
    expect(offset.of('hub')).toBeNull();
    expect(offset.correction()).toBe(0);
    expect(offset.time()).toBe(c.now());
    expect(offset.refused('hub')).toMatchObject({ peerTime: c.now() + years, offsetMs: years });
    expect(offset.refused('hub')?.reason).toMatch(/over 24 h/);
    expect(saved).toEqual([]);
    // Just past the bound, either way, is refused too; a refused hub's earlier sample no longer counts.
    offset.observe('hub', 'hub', offset.begin(), c.now() + 3600_000);
    expect(offset.correction()).toBe(3600_000);
    expect(offset.refused('hub')).toBeNull();
    offset.observe('hub', 'hub', offset.begin(), c.now() - maxAheadMs);
    expect(offset.correction()).toBe(0);
    expect(offset.refused('hub')?.offsetMs).toBe(-maxAheadMs);
    // The service is the authority: its time corrects any amount.
    offset.observe('central', 'central', offset.begin(), c.now() + 2 * maxAheadMs);
    expect(offset.correction()).toBe(2 * maxAheadMs);
    expect(offset.refused('central')).toBeNull();
  });

  it("corrects by a hub's time within the bound but never stores it as the floor", () => {
    const c = clocks();
    const saved: number[] = [];
    const offset = createClockOffset({ ...c, saveFloor: (ms) => saved.push(ms) });
    offset.observe('hub', 'hub', offset.begin(), c.now() + 3 * 3600_000);
    expect(offset.time()).toBe(c.now() + 3 * 3600_000);
    expect(saved).toEqual([]);
    // Once the hub's sample no longer holds, nothing it said keeps the time up.
    c.jump(-5000);
    expect(offset.of('hub')).toBeNull();
    expect(offset.time()).toBe(c.now());
  });

  it('does not use a floor more than the hold bound ahead of the wall clock, and stores the next service time over it', () => {
    const c = clocks();
    const saved: number[] = [];
    const future = c.now() + 10 * 365 * 24 * 3600_000;
    const offset = createClockOffset({ ...c, floor: future, saveFloor: (ms) => saved.push(ms) });
    expect(offset.time()).toBe(c.now());
    offset.observe('central', 'central', offset.begin(), c.now() + 5000);
    expect(saved).toEqual([c.now() + 5000]);
    // A floor just inside the bound still holds the time up (a laptop far behind, restarted offline).
    const near = c.now() + maxAheadMs - 60_000;
    expect(createClockOffset({ ...c, floor: near }).time()).toBe(near);
    // A wall clock set back far behind the floor after the start: the floor is no longer used.
    const later = createClockOffset({ ...c, floor: c.now() + 3600_000 });
    c.jump(-2 * maxAheadMs);
    expect(later.time()).toBe(c.now());
  });
});
