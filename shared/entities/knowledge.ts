// Receipts: a replica's signed word that its device held some ops of an incident from a time. They
// are what the review's "as seen by" view and its split-war-room flags are computed from
// (docs/knowledge.md). The holder is the op's own device and user, bound by its certificate; who
// may write one is decided by shared/trust/receipt-rules (any member of the incident, guests and
// viewers too).
import { z } from 'zod';
import { epochMs, everyResponder } from './common';
import { declareEntity } from './declare';
import { placements } from './streams';

/** The most op ids one receipt lists; a replica holding more writes several. */
export const maxReceiptOps = 500;
/** The most groups (distinct held times) in one receipt. */
export const maxReceiptGroups = 100;

const opIdText = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/, { error: 'must be an op id (UUIDv7)' });

/** Ops first held at one time (`at`: the holder's corrected clock, UTC ms). */
export const receiptGroup = z.object({ at: epochMs, opIds: z.array(opIdText).min(1).max(maxReceiptOps) }).strict();

/** One receipt (row id: the op id). Never written for the holder's own ops, nor for receipts. */
export const op_receipt = declareEntity({
  kind: 'append',
  fields: z
    .object({
      incidentId: z.string().min(1).max(100),
      held: z
        .array(receiptGroup)
        .min(1)
        .max(maxReceiptGroups)
        .refine((groups) => groups.reduce((n, g) => n + g.opIds.length, 0) <= maxReceiptOps, { error: `a receipt lists at most ${maxReceiptOps} ops` }),
    })
    .strict(),
  stream: placements.inIncident,
  table: 'op_receipts',
  // The judge decides receipts before roles (shared/trust/receipt-rules): this grant is what
  // judgeEntityWrite answers for the roles it knows.
  authority: everyResponder,
});
