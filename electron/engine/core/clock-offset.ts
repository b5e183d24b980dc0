// How far this computer's clock is from its sync peers'. Every reply of the service and of a
// war-room hub carries the peer's time (the `x-holdfast-time` header, ms); the offset is that time
// minus the midpoint of the exchange on our wall clock. New ops are stamped with the wall clock
// plus the service's offset (a hub's when no service answered), once it is significant: a laptop
// hours off still writes at the service's time, and its ops are taken everywhere.
//
// A measurement is kept against the monotonic clock too: when the wall clock jumps (set right,
// NTP stepping it, waking from sleep), the measurement is dropped, since it described the clock as
// it was; the next exchange measures again.
//
// The newest time a peer gave is kept (`floor`, stored by the replica): real time never goes back,
// so until the next measurement this replica's time is never earlier than it. A laptop whose clock
// runs behind, restarted with no route to the service, keeps stamping after what it last heard
// instead of hours earlier (before its own certificate).

export interface ExchangeStart {
  wall: number;
  mono: number;
}

export interface ClockOffset {
  /** Taken just before a request is sent. */
  begin(): ExchangeStart;
  /** A reply came from `peerId` carrying its time (null: it did not say): records the offset. */
  observe(peerId: string, kind: 'central' | 'hub', started: ExchangeStart, peerTime: number | null): void;
  /** The peer's clock minus ours, in ms, from the last exchange; null when not measured or no longer true. */
  of(peerId: string): number | null;
  /** What is added to the wall clock to stamp ops: the service's offset (else a hub's) when significant, else 0. */
  correction(): number;
  /**
   * The time this replica stamps with (and a hub it hosts answers with): the wall clock plus the
   * correction while a measurement holds; otherwise the wall clock, but never before the floor.
   */
  time: () => number;
  forget(peerId: string): void;
}

/** Offsets smaller than this are measurement noise (half a round trip) and not applied. */
export const significantOffsetMs = 2000;
/** A wall clock that moved this much more or less than the monotonic clock jumped. */
const jumpMs = 1000;
/** Slower exchanges measure too loosely (± half the round trip). */
const maxRoundTripMs = 10_000;

interface Sample {
  kind: 'central' | 'hub';
  offsetMs: number;
  wall: number;
  mono: number;
}

/** The floor is stored again once it moved on this much. */
const floorStepMs = 60_000;

export interface ClockOffsetOptions {
  now?: () => number;
  monotonic?: () => number;
  /** The newest peer time known from before (stored), and where to store a newer one. */
  floor?: number;
  saveFloor?: (ms: number) => void;
}

export function createClockOffset(options: ClockOffsetOptions = {}): ClockOffset {
  const now = options.now ?? Date.now;
  const monotonic = options.monotonic ?? (() => performance.now());
  const samples = new Map<string, Sample>();
  let floor = options.floor ?? 0;
  let savedFloor = floor;

  const current = (sample: Sample): number | null => {
    const wallMoved = now() - sample.wall;
    const monoMoved = monotonic() - sample.mono;
    return Math.abs(wallMoved - monoMoved) > jumpMs ? null : sample.offsetMs;
  };

  const correction = (): number => {
    let best: { kind: Sample['kind']; offsetMs: number; wall: number } | null = null;
    for (const sample of samples.values()) {
      const offsetMs = current(sample);
      if (offsetMs === null) continue;
      // The service's time rules; among peers of one kind, the newest measurement.
      const isBetter = !best || (sample.kind === 'central' && best.kind === 'hub') || (sample.kind === best.kind && sample.wall > best.wall);
      if (isBetter) best = { kind: sample.kind, offsetMs, wall: sample.wall };
    }
    return best && Math.abs(best.offsetMs) >= significantOffsetMs ? best.offsetMs : 0;
  };

  return {
    begin: () => ({ wall: now(), mono: monotonic() }),
    observe(peerId, kind, started, peerTime) {
      if (peerTime === null || !Number.isFinite(peerTime)) return;
      const wall = now();
      const mono = monotonic();
      const roundTrip = mono - started.mono;
      // A wall clock that jumped during the exchange, or a slow exchange, measures nothing useful.
      if (roundTrip > maxRoundTripMs || Math.abs(wall - started.wall - roundTrip) > jumpMs) return;
      const midpoint = (started.wall + wall) / 2;
      samples.set(peerId, { kind, offsetMs: Math.round(peerTime - midpoint), wall, mono });
      if (peerTime > floor) floor = peerTime;
      if (floor - savedFloor >= floorStepMs) {
        savedFloor = floor;
        options.saveFloor?.(floor);
      }
    },
    of(peerId) {
      const sample = samples.get(peerId);
      return sample ? current(sample) : null;
    },
    correction,
    forget(peerId) {
      samples.delete(peerId);
    },
    // Unbound on purpose: handlers take `time` as their clock.
    time: () => {
      const isMeasured = [...samples.values()].some((sample) => current(sample) !== null);
      return isMeasured ? now() + correction() : Math.max(now(), floor);
    },
  };
}
