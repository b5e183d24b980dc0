// Who held which role when: every change to an incident's role seats, read back from the ops that
// made them (assignments, handoffs by offer and acceptance, releases).
import type { IncidentRole } from '@shared/domain/incident-roles';
import type { Op } from '@shared/ops';
import { byClock, opTime, seatTitle, str } from './report-record';

export interface RoleChange {
  at: number;
  /** Who made the change (the op's author). */
  by: string;
  seatId: string;
  role: IncidentRole;
  roleTitle: string;
  change: 'took' | 'assigned' | 'accepted handoff' | 'reassigned' | 'stepped down' | 'released' | 'offered' | 'offer withdrawn' | 'offer declined' | 'updated';
  /** Holder before and after (for an offer: who offered and to whom). */
  from: string | null;
  to: string | null;
  description: string;
}

/** Every change to the incident's role seats, oldest first, read from the ops that made them. */
export function roleChanges(ops: readonly Op[]): RoleChange[] {
  const seats = new Map<string, { role: IncidentRole; label: string; holderId: string | null; offeredTo: string | null; offeredBy: string | null }>();
  const changes: RoleChange[] = [];
  for (const op of ops.filter((o) => o.entity === 'incident_role').sort(byClock)) {
    const before = seats.get(op.rowId) ?? { role: 'sme' as IncidentRole, label: '', holderId: null, offeredTo: null, offeredBy: null };
    const f = op.fields;
    const after = {
      role: (str(f.role) as IncidentRole | null) ?? before.role,
      label: str(f.label) ?? before.label,
      holderId: 'holderId' in f ? str(f.holderId) : before.holderId,
      offeredTo: 'offeredTo' in f ? str(f.offeredTo) : before.offeredTo,
      offeredBy: 'offeredBy' in f ? str(f.offeredBy) : before.offeredBy,
    };
    seats.set(op.rowId, after);
    const by = op.actorId;
    const title = seatTitle(after.role, after.label);
    const base = { at: opTime(op), by, seatId: op.rowId, role: after.role, roleTitle: title };
    let change: RoleChange['change'];
    let from: string | null = before.holderId;
    let to: string | null = after.holderId;
    let description: string;
    if (before.holderId !== after.holderId) {
      if (before.holderId === null) {
        change = after.holderId === by ? 'took' : 'assigned';
        description = change === 'took' ? `${by} took ${title}` : `${by} assigned ${title} to ${after.holderId}`;
      } else if (after.holderId === null) {
        change = before.holderId === by ? 'stepped down' : 'released';
        description = change === 'stepped down' ? `${by} stepped down as ${title}` : `${by} released ${before.holderId} from ${title}`;
      } else if (before.offeredTo === after.holderId && by === after.holderId) {
        change = 'accepted handoff';
        description = `${by} accepted ${title} from ${before.holderId}`;
      } else {
        change = 'reassigned';
        description = `${by} reassigned ${title} from ${before.holderId} to ${after.holderId}`;
      }
    } else if (before.offeredTo !== after.offeredTo) {
      if (after.offeredTo !== null) {
        change = 'offered';
        from = after.offeredBy ?? by;
        to = after.offeredTo;
        description = `${from} offered ${title} to ${after.offeredTo}`;
      } else {
        change = before.offeredTo === by ? 'offer declined' : 'offer withdrawn';
        from = before.offeredBy;
        to = before.offeredTo;
        description =
          change === 'offer declined'
            ? `${by} declined ${title} offered by ${before.offeredBy ?? before.holderId}`
            : `${by} withdrew the offer of ${title} to ${before.offeredTo}`;
      }
    } else {
      change = 'updated';
      description = `${by} updated ${title}`;
    }
    changes.push({ ...base, change, from, to, description });
  }
  return changes;
}
