// Hybrid logical clock. A timestamp is a fixed-width string that sorts as text in causal order:
// wall-clock milliseconds (15 digits), a counter (5 digits) and the device id (16 hex digits).
//
// Wrong clocks (docs/sync.md, "Clocks"): a replica stamps with its wall clock corrected by the
// offset its last exchange with the service measured. A remote stamp up to `maxDriftMs` ahead of
// that time is adopted (later local stamps follow it); one further ahead, up to `maxAheadMs`, is
// taken but not adopted, so one laptop with a wrong clock cannot drag every replica into the
// future; one beyond that is refused for now (ClockDriftError) and taken once its time is near:
// the caller keeps it and tries again, never drops it. A device whose own stamps ran ahead (its
// clock was wrong, then fixed) starts again from the corrected time, except where a chain of its
// own ops needs a later stamp (`tick(after)`).
import { durationStyles, formatDuration } from './time';

export interface HlcParts {
  ms: number;
  counter: number;
  deviceId: string;
}

export const deviceIdPattern = /^[0-9a-f]{16}$/;
const hlcPattern = /^(\d{15})-(\d{5})-([0-9a-f]{16})$/;
const maxCounter = 99_999;
/** How far ahead a remote stamp may be and still move this clock. */
export const defaultMaxDriftMs = 5 * 60 * 1000;
/** How far ahead an op's stamp may be and still be taken (not adopted) by any node; later ones wait. */
export const maxAheadMs = 24 * 3600_000;

export function encodeHlc({ ms, counter, deviceId }: HlcParts): string {
  return `${String(ms).padStart(15, '0')}-${String(counter).padStart(5, '0')}-${deviceId}`;
}

// The last value decoded: an op's clock is decoded several times in a row as it is checked, judged
// and applied. Frozen, so no caller can change what the next one is handed.
let lastDecoded: { hlc: string; parts: HlcParts } | null = null;

export function decodeHlc(hlc: string): HlcParts {
  if (lastDecoded !== null && lastDecoded.hlc === hlc) return lastDecoded.parts;
  const match = hlcPattern.exec(hlc);
  if (!match) throw new HlcError(`"${hlc.slice(0, 60)}" is not a Holdfast clock value (ms-counter-device)`);
  const parts = Object.freeze({ ms: Number(match[1]), counter: Number(match[2]), deviceId: match[3] });
  lastDecoded = { hlc, parts };
  return parts;
}

export function isHlc(value: string): boolean {
  return hlcPattern.test(value);
}

export class HlcError extends Error {
  override name = 'HlcError';
}

export class ClockDriftError extends HlcError {
  override name = 'ClockDriftError';
  constructor(
    message: string,
    /** When (on the refusing node's clock) the op will be near enough to be taken. */
    readonly dueAt: number,
  ) {
    super(message);
  }
}

/** "90 s", "3 h 2 min": how far a clock is ahead, for people. */
export const describeDuration = (ms: number): string => formatDuration(ms, durationStyles.drift);

const clockAheadPrefix = 'clock ahead: ';

/** Why a node does not take an op stamped `aheadMs` ahead of its time yet; it takes it from `dueAt`. */
export function clockAheadReason(aheadMs: number, dueAt: number, where: string): string {
  return (
    `${clockAheadPrefix}the op is stamped ${describeDuration(aheadMs)} ahead of ${where} (at most ${describeDuration(maxAheadMs)} is taken); ` +
    `it is kept and sent again, and taken from ${new Date(dueAt).toISOString()}: check the writing device's clock`
  );
}

/** A refusal that only time lifts (a stamp too far ahead): the op stays queued and goes again. */
export function isClockAhead(reason: string): boolean {
  // Services before this rule said "hlc: clock is too far ahead of the service".
  return reason.startsWith(clockAheadPrefix) || reason.startsWith('hlc: clock is too far ahead');
}

export interface HlcClock {
  /**
   * A new timestamp for a local event, later than every timestamp seen so far (once this device's
   * own stamps ran far ahead of the corrected time, later than the corrected time instead). `after`
   * gives a stamp it must follow even then (the device's newest op in the chain it writes to); it is
   * asked only when the clock has started again below its own past.
   */
  tick(after?: () => string | undefined): string;
  /** Takes in a remote timestamp; throws ClockDriftError if it is more than `maxAheadMs` ahead of our time. */
  receive(remote: string): void;
  /** The last timestamp issued or received. */
  peek(): string;
}

export interface HlcOptions {
  deviceId: string;
  /** The time to stamp with: the wall clock, corrected by a measured offset. */
  now?: () => number;
  maxDriftMs?: number;
  /** Resume after the newest timestamp this device already used (e.g. from its op log). */
  last?: string;
}

export function createHlc({ deviceId, now = Date.now, maxDriftMs = defaultMaxDriftMs, last }: HlcOptions): HlcClock {
  if (!deviceIdPattern.test(deviceId)) throw new HlcError(`device id must be 16 lowercase hex digits, got "${deviceId}"`);
  let state = last ? decodeHlc(last) : { ms: 0, counter: 0, deviceId };
  // The newest stamp this device ever issued or adopted: below it, a chain may need `after`.
  let highest = encodeHlc(state);

  const advance = (ms: number, counter: number) => {
    // Past the counter's width the clock moves on by a millisecond rather than wrapping.
    state = counter > maxCounter ? { ms: ms + 1, counter: 0, deviceId } : { ms, counter, deviceId };
    const stamp = encodeHlc(state);
    if (stamp > highest) highest = stamp;
    return stamp;
  };
  /** The clock's state, unless it ran further ahead of `wall` than any clock may move it: then the time itself. */
  const base = (wall: number) => (state.ms > wall + maxDriftMs ? { ms: wall, counter: -1 } : state);

  return {
    tick(after) {
      const wall = now();
      const from = base(wall);
      let stamp = wall > from.ms ? advance(wall, 0) : advance(from.ms, from.counter + 1);
      if (stamp < highest) {
        const floor = after?.();
        if (floor !== undefined && stamp <= floor) {
          const { ms, counter } = decodeHlc(floor);
          stamp = advance(ms, counter + 1);
        }
      }
      return stamp;
    },
    receive(remote) {
      const theirs = decodeHlc(remote);
      const wall = now();
      if (theirs.ms > wall + maxAheadMs) {
        const dueAt = theirs.ms - maxAheadMs;
        throw new ClockDriftError(clockAheadReason(theirs.ms - wall, dueAt, 'this computer'), dueAt);
      }
      // Further ahead than the drift allowed: taken, not adopted.
      if (theirs.ms > wall + maxDriftMs) return;
      const from = base(wall);
      const ms = Math.max(wall, from.ms, theirs.ms);
      if (ms === from.ms && ms === theirs.ms) advance(ms, Math.max(from.counter, theirs.counter) + 1);
      else if (ms === from.ms) advance(ms, from.counter + 1);
      else if (ms === theirs.ms) advance(ms, theirs.counter + 1);
      else advance(ms, 0);
    },
    peek: () => encodeHlc(state),
  };
}
