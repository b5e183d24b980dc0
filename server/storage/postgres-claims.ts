// Outbox delivery claims on PostgreSQL: one row per delivery key, claimed and settled in
// transactions that take the row's lock in turn, deciding with decideClaim and decideSettle.
import type pg from 'pg';
import type { PoolClient } from 'pg';
import type { ClaimResponse, SettleRequest, SettleResponse } from '@shared/sync';
import { inTransaction } from './postgres-pool';
import { decideClaim, decideSettle, toDeliveryClaim, type ClaimRow, type DeliveryClaim } from './sync-store';

export async function claimDelivery(pool: pg.Pool, key: string, holder: string, leaseMs: number, now: number): Promise<ClaimResponse> {
  return inTransaction(pool, async (client) => {
    const fresh = decideClaim(null, holder, leaseMs, now);
    const inserted = await client.query(insertClaimSql, claimValues(key, fresh.next!));
    if (inserted.rowCount === 1) return fresh.response;
    const { response, next } = decideClaim(await lockedClaim(client, key), holder, leaseMs, now);
    await writeClaim(client, key, next);
    return response;
  });
}

export async function settleDelivery(pool: pg.Pool, key: string, holder: string, outcome: SettleRequest['outcome'], now: number): Promise<SettleResponse> {
  return inTransaction(pool, async (client) => {
    const { response, next } = decideSettle(await lockedClaim(client, key), key, holder, outcome, now);
    await writeClaim(client, key, next);
    return response;
  });
}

// Delivery claims: the first claim of a key inserts its row; ON CONFLICT DO NOTHING makes a
// concurrent first claim (on this node or another) wait for that insert to commit and then skip it.
const insertClaimSql = `
  INSERT INTO outbox_claims (key, holder, lease_until, state, previous_holder, updated_at)
  VALUES ($1, $2, $3, $4, $5, $6)
  ON CONFLICT (key) DO NOTHING
  RETURNING key`;

// Any other claim or settle locks the row first, so the claims of one key take turns: each sees
// the row as the one before it left it, and decides (decideClaim, decideSettle) on that.
const lockClaimSql = 'SELECT holder, lease_until, state, previous_holder, updated_at FROM outbox_claims WHERE key = $1 FOR UPDATE';

const updateClaimSql = `
  UPDATE outbox_claims SET holder = $2, lease_until = $3, state = $4, previous_holder = $5, updated_at = $6
  WHERE key = $1`;

const claimValues = (key: string, claim: DeliveryClaim) => [key, claim.holder, claim.leaseUntil, claim.state, claim.previousHolder, claim.updatedAt];

async function lockedClaim(client: PoolClient, key: string): Promise<DeliveryClaim | null> {
  const { rows } = await client.query<ClaimRow>(lockClaimSql, [key]);
  return rows[0] ? toDeliveryClaim(rows[0]) : null;
}

async function writeClaim(client: PoolClient, key: string, next: DeliveryClaim | null): Promise<void> {
  if (!next) return;
  const { rowCount } = await client.query(updateClaimSql, claimValues(key, next));
  if (rowCount !== 1) throw new Error(`claims: the row of ${key} was not there to update`);
}
