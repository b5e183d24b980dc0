// Which war-room actions this replica's user may take, by the same rule every node judges their ops
// by: an action their role cannot do stays out of the palette, and its button is disabled with a
// title saying which roles may. A standalone replica (never connected) is offered everything.
import type { Json } from '@shared/canonical';
import type { EntityName } from '@shared/entities';
import { mayWrite, type TrustStatus } from '../../lib/use-may-write';
import type { Action } from './actions';

/** What an action writes, by its id: the entity and the fields its op carries. */
function writeOf(id: string): { entity: EntityName; fields: Record<string, Json> } | null {
  const [kind, value = ''] = id.split(':');
  switch (kind) {
    case 'status':
      return { entity: 'incident', fields: { status: value } };
    case 'severity':
      return { entity: 'incident', fields: { severity: value } };
    case 'edit-incident':
      return { entity: 'incident', fields: { title: '', type: '', services: [], isDrill: false } };
    case 'correct-milestone':
      return { entity: 'incident', fields: { mitigatedAt: 0 } };
    case 'legal-hold':
      return { entity: 'incident', fields: { isLegalHold: true, legalHoldReason: '' } };
    case 'freeze':
      return { entity: 'freeze', fields: { scope: '', reason: '', since: 0, until: null, declaredBy: '' } };
    case 'lift':
      return { entity: 'freeze', fields: { liftedAt: 0, liftedBy: '', liftReason: '' } };
    default:
      return null;
  }
}

/** The actions with `disabledWhy` set on those `status`'s role may not take. */
export function gateActions(actions: Action[], status: TrustStatus | null): Action[] {
  return actions.map((action) => {
    const write = writeOf(action.id);
    if (!write) return action;
    const verdict = mayWrite(status, write.entity, write.fields);
    return verdict.may ? action : { ...action, disabledWhy: verdict.why };
  });
}

/** The button props of an action: disabled, with why, when the user's role may not take it. */
export function gatedButton(action: Action | undefined): { disabled?: boolean; title?: string } {
  return action?.disabledWhy ? { disabled: true, title: action.disabledWhy } : {};
}
