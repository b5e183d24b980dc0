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
// The newest time the service gave is kept (`floor`, stored by the replica): real time never goes
// back, so until the next measurement this replica's time is never earlier than it. A laptop whose
// clock runs behind, restarted with no route to the service, keeps stamping after what it last heard
// instead of hours earlier (before its own certificate).
//
// A hub is any laptop in the room, so its time is trusted less than the service's: a hub's sample
// more than `maxAheadMs` (24 h, the bound past which every node holds an op) from our clock is
// refused (`refused(peerId)` says so), and a hub never raises the floor. A floor more than that bound
// ahead of the wall clock is not used (a floor stored before, or a wall clock set back since).

export interface ExchangeStart {
  wall: number;
  mono: number;
}

import { maxAheadMs } from '@shared/hlc';

/** A hub's time this far from ours or more is refused: it would stamp ops every node holds. */
export const maxHubOffsetMs = maxAheadMs;

/** A sample that was not taken: what the peer said and how far that is from our clock. */
export interface RefusedSample {
  peerTime: number;
  offsetMs: number;
  reason: string;
}

export interface ClockOffset {
  /** Taken just before a request is sent. */
  begin(): ExchangeStart;
  /** A reply came from `peerId` carrying its time (null: it did not say): records the offset. */
  observe(peerId: string, kind: 'central' | 'hub', started: ExchangeStart, peerTime: number | null): void;
  /** The peer's clock minus ours, in ms, from the last exchange; null when not measured or no longer true. */
  of(peerId: string): number | null;
  /** The peer's last sample when it was refused (a hub's time too far from ours); null once one is taken. */
  refused(peerId: string): RefusedSample | null;
  /** What is added to the wall clock to stamp ops: the service's offset (else a hub's) when significant, else 0. */
  correction(): number;
  /**
   * The time this replica stamps with (and a hub it hosts answers with): the wall clock plus the
   * correction while a measurement holds; otherwise the wall clock, but never before the floor
   * (unless the floor is more than `maxAheadMs` ahead of the wall clock: then it is not used).
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
  /** The newest service time known from before (stored), and where to store a newer one. */
  floor?: number;
  saveFloor?: (ms: number) => void;
}

export function createClockOffset(options: ClockOffsetOptions = {}): ClockOffset {
  const now = options.now ?? Date.now;
  const monotonic = options.monotonic ?? (() => performance.now());
  const samples = new Map<string, Sample>();
  const refusals = new Map<string, RefusedSample>();
  const isUsableFloor = (ms: number) => Number.isFinite(ms) && ms <= now() + maxAheadMs;
  // A stored floor far ahead of the wall clock came from a wrong time: start without it.
  let floor = isUsableFloor(options.floor ?? 0) ? (options.floor ?? 0) : 0;
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
      const offsetMs = Math.round(peerTime - midpoint);
      if (kind === 'hub' && Math.abs(offsetMs) >= maxHubOffsetMs) {
        // One hub's clock (wrong, or lying) must not move this replica a day or more.
        samples.delete(peerId);
        const hours = Math.round(offsetMs / 3600_000);
        refusals.set(peerId, { peerTime, offsetMs, reason: `hub time ${hours >= 0 ? '+' : ''}${hours} h from this clock (over 24 h): not used` });
        return;
      }
      refusals.delete(peerId);
      samples.set(peerId, { kind, offsetMs, wall, mono });
      if (kind !== 'central') return;
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
    refused: (peerId) => refusals.get(peerId) ?? null,
    correction,
    forget(peerId) {
      samples.delete(peerId);
      refusals.delete(peerId);
    },
    // Unbound on purpose: handlers take `time` as their clock.
    time: () => {
      const isMeasured = [...samples.values()].some((sample) => current(sample) !== null);
      if (isMeasured) return now() + correction();
      return isUsableFloor(floor) ? Math.max(now(), floor) : now();
    },
  };
}
