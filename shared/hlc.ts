// Hybrid logical clock. A timestamp is a fixed-width string that sorts as text in causal order:
// wall-clock milliseconds (15 digits), a counter (5 digits) and the device id (16 hex digits).
// Remote clocks more than `maxDriftMs` ahead of our wall clock are refused, not adopted, so one
// laptop with a wrong clock cannot drag every replica into the future.

export interface HlcParts {
  ms: number;
  counter: number;
  deviceId: string;
}

export const deviceIdPattern = /^[0-9a-f]{16}$/;
const hlcPattern = /^(\d{15})-(\d{5})-([0-9a-f]{16})$/;
const maxCounter = 99_999;
export const defaultMaxDriftMs = 5 * 60 * 1000;

export function encodeHlc({ ms, counter, deviceId }: HlcParts): string {
  return `${String(ms).padStart(15, '0')}-${String(counter).padStart(5, '0')}-${deviceId}`;
}

export function decodeHlc(hlc: string): HlcParts {
  const match = hlcPattern.exec(hlc);
  if (!match) throw new HlcError(`"${hlc.slice(0, 60)}" is not a Holdfast clock value (ms-counter-device)`);
  return { ms: Number(match[1]), counter: Number(match[2]), deviceId: match[3] };
}

export function isHlc(value: string): boolean {
  return hlcPattern.test(value);
}

export class HlcError extends Error {
  override name = 'HlcError';
}

export class ClockDriftError extends HlcError {
  override name = 'ClockDriftError';
}

export interface HlcClock {
  /** A new timestamp for a local event, later than every timestamp seen so far. */
  tick(): string;
  /** Takes in a remote timestamp; throws ClockDriftError if it is too far ahead of our wall clock. */
  receive(remote: string): void;
  /** The last timestamp issued or received. */
  peek(): string;
}

export interface HlcOptions {
  deviceId: string;
  now?: () => number;
  maxDriftMs?: number;
  /** Resume after the newest timestamp this device already used (e.g. from its op log). */
  last?: string;
}

export function createHlc({ deviceId, now = Date.now, maxDriftMs = defaultMaxDriftMs, last }: HlcOptions): HlcClock {
  if (!deviceIdPattern.test(deviceId)) throw new HlcError(`device id must be 16 lowercase hex digits, got "${deviceId}"`);
  let state = last ? decodeHlc(last) : { ms: 0, counter: 0, deviceId };

  const advance = (ms: number, counter: number) => {
    // Past the counter's width the clock moves on by a millisecond rather than wrapping.
    state = counter > maxCounter ? { ms: ms + 1, counter: 0, deviceId } : { ms, counter, deviceId };
    return encodeHlc(state);
  };

  return {
    tick() {
      const wall = now();
      return wall > state.ms ? advance(wall, 0) : advance(state.ms, state.counter + 1);
    },
    receive(remote) {
      const theirs = decodeHlc(remote);
      const wall = now();
      if (theirs.ms > wall + maxDriftMs) {
        throw new ClockDriftError(
          `clock ${remote} is ${Math.round((theirs.ms - wall) / 1000)} s ahead of this computer (limit ${Math.round(maxDriftMs / 1000)} s): ` +
            "check the sending device's clock",
        );
      }
      const ms = Math.max(wall, state.ms, theirs.ms);
      if (ms === state.ms && ms === theirs.ms) advance(ms, Math.max(state.counter, theirs.counter) + 1);
      else if (ms === state.ms) advance(ms, state.counter + 1);
      else if (ms === theirs.ms) advance(ms, theirs.counter + 1);
      else advance(ms, 0);
    },
    peek: () => encodeHlc(state),
  };
}
