// The rules of delivery claims (POST /v1/outbox/claim and /settle), written once: the central
// service's drivers and a replica coordinating alone each lock the key's row, pass it here and
// write back `next` in the same transaction, so the rules are one compare-and-set wherever they run.
import type { ClaimResponse, SettleRequest, SettleResponse } from './sync';

export type ClaimState = 'held' | 'released' | 'done';

/** One delivery key's row of `outbox_claims`. */
export interface DeliveryClaim {
  /** The holder of the lease (held), the last one (released), or the one that delivered (done). */
  holder: string;
  leaseUntil: number;
  state: ClaimState;
  /** Whose lease ran out unsettled when `holder` took over: that one may have sent already. */
  previousHolder: string | null;
  updatedAt: number;
}

/** A row of `outbox_claims` (both drivers). */
export interface ClaimRow {
  holder: string;
  lease_until: number;
  state: ClaimState;
  previous_holder: string | null;
  updated_at: number;
}

export const toDeliveryClaim = (row: ClaimRow): DeliveryClaim => ({
  holder: row.holder,
  leaseUntil: row.lease_until,
  state: row.state,
  previousHolder: row.previous_holder,
  updatedAt: row.updated_at,
});

/** What a claim answers, and the row to write (null: leave it as it is). */
export function decideClaim(current: DeliveryClaim | null, holder: string, leaseMs: number, now: number): { response: ClaimResponse; next: DeliveryClaim | null } {
  const grant = (previousHolder: string | null) => ({
    response: { granted: true, holder, leaseUntil: now + leaseMs, isDone: false, previousHolder },
    next: { holder, leaseUntil: now + leaseMs, state: 'held' as const, previousHolder, updatedAt: now },
  });
  if (!current) return grant(null);
  if (current.state === 'done') {
    return { response: { granted: false, holder: current.holder, leaseUntil: current.leaseUntil, isDone: true, previousHolder: null }, next: null };
  }
  // The holder again (a retry, or a renewal before its lease runs out): the same answer as before,
  // so a retried claim still names whoever it took over from.
  if (current.holder === holder) return grant(current.state === 'held' ? current.previousHolder : null);
  // Released: the one before settled it (its send failed), so there is nobody to warn about.
  if (current.state === 'released') return grant(null);
  if (current.leaseUntil <= now) return grant(current.holder);
  return { response: { granted: false, holder: current.holder, leaseUntil: current.leaseUntil, isDone: false, previousHolder: null }, next: null };
}

/**
 * What a settle answers, and the row to write (null: leave it). Only the holder settles, even when
 * its lease has run out, as long as nobody took over; delivering twice is fine, releasing after
 * delivering is not (the update went out: nobody may send it again).
 */
export function decideSettle(
  current: DeliveryClaim | null,
  key: string,
  holder: string,
  outcome: SettleRequest['outcome'],
  now: number,
): { response: SettleResponse; next: DeliveryClaim | null } {
  const refuse = (reason: string) => ({ response: { ok: false as const, reason }, next: null });
  const ok = (next: DeliveryClaim | null) => ({ response: { ok: true as const }, next });
  if (!current) return refuse(`nobody has claimed ${key}: claim it before settling it`);
  if (current.holder !== holder) {
    return refuse(
      current.state === 'done'
        ? `${key} was delivered by ${current.holder}, not ${holder}`
        : `${holder} does not hold ${key}: ${current.holder} ${current.state === 'held' ? 'holds' : 'released'} it; only the holder settles a claim`,
    );
  }
  if (outcome === 'delivered') {
    if (current.state === 'done') return ok(null);
    if (current.state === 'released') return refuse(`${holder} released ${key}; claim it again before settling it as delivered`);
    return ok({ ...current, state: 'done', updatedAt: now });
  }
  if (current.state === 'done') return refuse(`${key} was delivered already; a delivered update cannot be released`);
  if (current.state === 'released') return ok(null);
  return ok({ ...current, state: 'released', leaseUntil: now, previousHolder: null, updatedAt: now });
}
