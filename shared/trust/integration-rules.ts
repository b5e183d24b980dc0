// Who may page a team, mirror an incident to chat and file action items in a tracker, written once:
// the entities' authority (so every node's judge refuses anyone else's request), the delivery claim
// facts (a send is claimed only when a valid request for it exists) and the UI all read this rule.
import type { EntityAuthority } from '../entities/authority';
import type { Role } from '../roles';
import type { TargetPurpose } from '../domain/integrations';

/** The roles that may ask for each kind of integration send (admins may do everything). */
export const integrationRoles: Record<TargetPurpose, readonly Role[]> = {
  page: ['admin', 'commander', 'comms'],
  mirror: ['admin', 'commander', 'comms'],
  track: ['admin', 'commander', 'comms'],
};

const verbs: Record<TargetPurpose, string> = { page: 'page teams', mirror: 'mirror incidents to chat', track: 'file action items in trackers' };

/** Why `role` may not ask for a `purpose` send (null when it may). */
export function integrationRefusal(role: string | null, purpose: TargetPurpose): string | null {
  if (role === null || (integrationRoles[purpose] as readonly string[]).includes(role)) return null;
  return `${role}s may not ${verbs[purpose]}; ask the incident commander or the comms lead`;
}

/** The entity authority that says the same (commanders and comms leads write sends; responders do not). */
export const integrationAuthority: EntityAuthority<never> = {
  grants: {
    commander: integrationRoles.page.includes('commander') ? 'any' : 'none',
    comms: integrationRoles.page.includes('comms') ? 'any' : 'none',
    responder: 'none',
  },
  refusal: ({ role }) => integrationRefusal(role, 'page') ?? `${role}s may not page, mirror or file action items`,
};

/** Whether a delivery claim key names an integration send (incidentId/int-…/targetId) rather than an update's delivery. */
export const isIntegrationSendId = (sendId: string) => sendId.startsWith('int-');

/**
 * What the service may write of a send: the vendor's acknowledgement or resolution of a page it
 * received on its inbound webhook (state and who, nothing else), so the send shows it.
 */
export function isInboundSendUpdate(op: { entity: string; fields: Record<string, unknown> }): boolean {
  if (op.entity !== 'integration_send') return false;
  const keys = Object.keys(op.fields).sort();
  return keys.join(',') === 'detail,incidentId,state' && (op.fields.state === 'acknowledged' || op.fields.state === 'resolved');
}
