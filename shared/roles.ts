// Who may write what. The central service checks every op against these rules; replicas use them
// to explain in the UI why something will be refused.
import type { Op } from './ops';

export const roles = ['admin', 'commander', 'comms', 'responder', 'viewer', 'pipeline'] as const;
export type Role = (typeof roles)[number];

export const roleDuties: Record<Role, string> = {
  admin: 'everything, including users and organisation settings',
  commander: 'declares and runs incidents: every incident field, freezes, the timeline, deletion, the directory, org settings and the runbook library; may relay ops for others',
  comms: 'stakeholder updates, their templates and delivery channels, the timeline, tasks and role handoffs, runbook steps, and incident summaries',
  responder: 'declares incidents, writes the timeline, tasks, role handoffs, runbook steps and the runbook library, and approves updates when named; cannot change severity or status or freeze deployments',
  viewer: 'reads everything, writes nothing',
  pipeline: 'CI/CD pipelines and automation: reads active deployment freezes (GET /v1/freeze) and posts deployment, rollback and recovery events to incidents; nothing else',
};

/** Roles that may push ops written by other people (a war-room hub relaying to the service). */
export const relayRoles: readonly Role[] = ['admin', 'commander'];

/** Stakeholder updates of an incident: drafted and published by comms leads and commanders. */
const commsEntities: readonly string[] = ['comms_update', 'comms_published', 'comms_delivery'];
/** The fields an approver writes on an update: a named approver may be any responder. */
const approvalFields: readonly string[] = ['incidentId', 'state', 'approvedDigest', 'decidedBy', 'decidedAt', 'decisionComment'];

/**
 * The stream of delivery channels: their addresses, passwords and API keys. Only the people who
 * publish updates (admins, commanders, comms leads) may read it: the service never sends it to
 * responders or viewers, and a war-room hub never serves it.
 */
export const commsStream = 'comms';

/** Why `role` may not read `streamId`, or null when it may. */
export function readRefusal(role: Role, streamId: string): string | null {
  if (role === 'pipeline') return 'pipeline tokens read only GET /v1/freeze; they do not sync';
  if (streamId === commsStream && role !== 'admin' && role !== 'commander' && role !== 'comms') {
    return `the ${role} role may not read delivery channels (their secrets are for commanders and comms leads)`;
  }
  return null;
}

/** The fields of an incident's declaration (incidents.create), which responders may write. */
const declarationFields: readonly string[] = ['title', 'severity', 'status', 'summary', 'type', 'services', 'isDrill', 'declaredAt', 'detectedAt', 'acknowledgedAt', 'mitigatedAt', 'resolvedAt', 'closedAt'];

const incidentWideEntities: readonly string[] = ['timeline_entry', 'timeline_pin', 'task', 'incident_role', 'runbook_run', 'runbook_step', 'artifact', 'custody_event', 'review', 'action_item'];

/** Why `role` may not write `op`, or null when it may. */
export function writeRefusal(role: Role, op: Pick<Op, 'entity' | 'streamId' | 'fields'> & { actorId?: string }): string | null {
  // A decision on a stakeholder update is signed by whoever writes it, whatever their role.
  const isDecision = op.entity === 'comms_update' && (op.fields.state === 'approved' || op.fields.state === 'rejected');
  if (isDecision && op.actorId !== undefined && op.fields.decidedBy !== op.actorId) return `a decision on an update must be written by the person who decides (decidedBy ${String(op.fields.decidedBy)}, written by ${op.actorId})`;
  if (role === 'admin') return null;
  if (role === 'viewer') return 'viewers cannot write';
  if (role === 'pipeline') return 'pipeline tokens cannot write through sync: post events to /v1/incidents/{id}/events';
  // Shared streams (organisation settings, the people directory) are kept by commanders.
  if (op.streamId === 'org' || op.streamId === 'directory') return role === 'commander' ? null : `only commanders and admins may change ${op.streamId}`;
  // Delivery channels are kept by the people who publish updates.
  if (op.streamId === commsStream) return role === 'commander' || role === 'comms' ? null : `only commanders, comms leads and admins may change delivery channels`;
  // The library (runbooks, checklists) is written by the people who respond; comms leads write its
  // update templates; viewers read it.
  if (op.streamId === 'library') {
    if (role === 'commander' || role === 'responder') return op.entity === 'update_template' && role === 'responder' ? 'responders may read update templates but not change them; ask a comms lead' : null;
    return role === 'comms' && op.entity === 'update_template' ? null : `the ${role} role may read the library but not change it`;
  }
  if (!op.streamId.startsWith('incident:')) return `${role}s cannot write to ${op.streamId}`;
  if (role === 'commander') return null;
  // Inside an incident everyone who responds writes the timeline, pins, tasks and role handoffs;
  // the incident-level rules (who may hand over a role) are checked by each replica's domain rules.
  if (incidentWideEntities.includes(op.entity)) return null;
  if (commsEntities.includes(op.entity)) {
    if (role === 'comms') return null;
    // Whether this person is the update's approver is checked by each replica's domain rules.
    if (isDecision && Object.keys(op.fields).every((f) => approvalFields.includes(f))) return null;
    return `${role}s may not write stakeholder updates; ask the comms lead`;
  }
  if (op.entity === 'incident') {
    const fields = Object.keys(op.fields);
    if (role === 'comms' && fields.every((f) => f === 'summary')) return null;
    // The first incident commander stamps the acknowledged time.
    if (fields.every((f) => f === 'acknowledgedAt')) return null;
    // A declaration carries title, severity and declaredAt together; later edits need a commander.
    // Only what a declaration writes: a legal hold, a close or an impact start cannot ride along.
    const isDeclaration =
      ['title', 'severity', 'declaredAt'].every((f) => fields.includes(f)) &&
      fields.every((f) => declarationFields.includes(f)) &&
      (op.fields.status === undefined || op.fields.status === 'investigating') &&
      [op.fields.mitigatedAt, op.fields.resolvedAt, op.fields.closedAt].every((v) => v === undefined || v === null);
    if (role === 'responder' && isDeclaration) return null;
    return `${role}s may not change ${fields.join(', ')} of an incident; ask the incident commander`;
  }
  return `${role}s cannot write ${op.entity}`;
}
