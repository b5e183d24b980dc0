// Who may write a receipt (shared/entities/knowledge): every member of an incident who holds its
// ops, whatever their role (guests on a hub and viewers included), since a receipt only says what
// its own device held. Not the service: it holds no incident as a replica does.
import { decodeHlc } from '../hlc';
import type { Op } from '../ops';

/** Roles that never hold an incident as a replica. */
const nonHolders = ['service', 'pipeline'];

/** Why `role` may not write the receipt `op`, or null when it may. */
export function receiptRefusal(op: Op, role: string): string | null {
  if (nonHolders.includes(role)) return `the ${role} role holds no incident and writes no receipts`;
  const writtenAt = decodeHlc(op.hlc).ms;
  const groups = (op.fields as { held?: { at: number }[] }).held ?? [];
  const late = groups.find((g) => g.at > writtenAt);
  if (late) {
    return `a receipt cannot say its device held ops at ${new Date(late.at).toISOString()}, after the receipt itself was written (${new Date(writtenAt).toISOString()})`;
  }
  return null;
}
