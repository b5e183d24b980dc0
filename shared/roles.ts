// Who may write what. The central service checks every op against these rules; replicas use them
// to explain in the UI why something will be refused.
import type { Op } from './ops';

export const roles = ['admin', 'commander', 'comms', 'responder', 'viewer'] as const;
export type Role = (typeof roles)[number];

export const roleDuties: Record<Role, string> = {
  admin: 'everything, including users and organisation settings',
  commander: 'declares and runs incidents: every incident field, freezes, the timeline, deletion, the directory, org settings and the runbook library; may relay ops for others',
  comms: 'the timeline, tasks and role handoffs, runbook steps, and incident summaries',
  responder: 'declares incidents, writes the timeline, tasks, role handoffs, runbook steps and the runbook library; cannot change severity or status or freeze deployments',
  viewer: 'reads everything, writes nothing',
};

/** Roles that may push ops written by other people (a war-room hub relaying to the service). */
export const relayRoles: readonly Role[] = ['admin', 'commander'];

const incidentWideEntities: readonly string[] = ['timeline_entry', 'timeline_pin', 'task', 'incident_role', 'runbook_run', 'runbook_step', 'artifact', 'custody_event'];

/** Why `role` may not write `op`, or null when it may. */
export function writeRefusal(role: Role, op: Pick<Op, 'entity' | 'streamId' | 'fields'>): string | null {
  if (role === 'admin') return null;
  if (role === 'viewer') return 'viewers cannot write';
  // Shared streams (organisation settings, the people directory) are kept by commanders.
  if (op.streamId === 'org' || op.streamId === 'directory') return role === 'commander' ? null : `only commanders and admins may change ${op.streamId}`;
  // The library (runbooks) is written by the people who respond; comms leads and viewers read it.
  if (op.streamId === 'library') return role === 'commander' || role === 'responder' ? null : `the ${role} role may read the library but not change it`;
  if (!op.streamId.startsWith('incident:')) return `${role}s cannot write to ${op.streamId}`;
  if (role === 'commander') return null;
  // Inside an incident everyone who responds writes the timeline, pins, tasks and role handoffs;
  // the incident-level rules (who may hand over a role) are checked by each replica's domain rules.
  if (incidentWideEntities.includes(op.entity)) return null;
  if (op.entity === 'incident') {
    const fields = Object.keys(op.fields);
    if (role === 'comms' && fields.every((f) => f === 'summary')) return null;
    // The first incident commander stamps the acknowledged time.
    if (fields.every((f) => f === 'acknowledgedAt')) return null;
    // A declaration carries title, severity and declaredAt together; later edits need a commander.
    const isDeclaration =
      ['title', 'severity', 'declaredAt'].every((f) => fields.includes(f)) &&
      !fields.includes('deleted') &&
      (op.fields.status === undefined || op.fields.status === 'investigating');
    if (role === 'responder' && isDeclaration) return null;
    return `${role}s may not change ${fields.join(', ')} of an incident; ask the incident commander`;
  }
  return `${role}s cannot write ${op.entity}`;
}
