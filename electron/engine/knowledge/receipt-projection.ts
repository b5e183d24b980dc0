// Projects receipts (shared/entities/knowledge) into op_receipts: one row per incident, op and holding
// device (a receipt naming an op of another incident makes a row of its own, purged with its own
// incident), the earliest time any receipt of that device gives (ties: the smaller receipt id), so
// the table is the same whatever order receipts and purges arrive in. Statements are prepared on first use, so a database
// of an older schema (a backup being verified) can still be digested.
import type { Database, Statement } from 'better-sqlite3';
import type { EntityFields } from '@shared/entities';
import type { Op } from '@shared/ops';

/** The projection table of receipts: digested (when it has rows), cleared and proved like the others. */
export const receiptTable = 'op_receipts';
/** The order its rows are digested in. */
export const receiptDigestOrder = 'id';

export function receiptProjector(db: Database): (op: Op) => void {
  let upsert: Statement | undefined;
  return (op) => {
    upsert ??= db.prepare(`INSERT INTO op_receipts (id, op_id, device_id, actor, held_at, incident_id, receipt_id) VALUES (?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET actor = excluded.actor, held_at = excluded.held_at, incident_id = excluded.incident_id, receipt_id = excluded.receipt_id
      WHERE excluded.held_at < op_receipts.held_at OR (excluded.held_at = op_receipts.held_at AND excluded.receipt_id < op_receipts.receipt_id)`);
    const { incidentId, held } = op.fields as EntityFields<'op_receipt'>;
    for (const group of held)
      for (const opId of group.opIds) upsert.run(`${incidentId}/${opId}/${op.deviceId}`, opId, op.deviceId, op.actorId, group.at, incidentId, op.opId);
  };
}
