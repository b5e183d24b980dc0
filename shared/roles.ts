// The roles, who may read which stream, and who may write what (declared per entity in ./entities).
// Every node judges every op against these rules (shared/trust/judge.ts, under the signer's
// certificate); replicas also use them to explain in the UI why something will be refused.
import { commsStream, judgeEntityWrite } from './entities';
import type { Op } from './ops';

export const roles = ['admin', 'commander', 'comms', 'responder', 'viewer', 'pipeline'] as const;
export type Role = (typeof roles)[number];

/**
 * The roles a device certificate may name: every user role, plus `guest` (a hub admits a laptop
 * without one: notes only, self-named) and `service` (the central service's own device: trust
 * records and pipeline events). Users are never given these two (`roles` is what `user add` takes).
 */
export const certRoles = [...roles, 'guest', 'service'] as const;
export type CertRole = (typeof certRoles)[number];
export const isCertRole = (value: unknown): value is CertRole => (certRoles as readonly unknown[]).includes(value);

export const roleDuties: Record<Role, string> = {
  admin: 'everything, including users and organisation settings',
  commander: 'declares and runs incidents: every incident field, freezes, the timeline, deletion, the directory, org settings and the runbook library',
  comms: 'stakeholder updates, their templates and delivery channels, the timeline, tasks and role handoffs, runbook steps, and incident summaries',
  responder:
    'declares incidents, writes the timeline, tasks, role handoffs, runbook steps and the runbook library, and approves updates when named; cannot change severity or status or freeze deployments',
  viewer: 'reads everything, writes nothing',
  pipeline:
    'CI/CD pipelines and automation: reads active deployment freezes (GET /v1/freeze) and posts deployment, rollback and recovery events to incidents; nothing else',
};

/**
 * The stream of delivery channels (declared with the other streams in ./entities): only the
 * people who publish updates may read it.
 */
export { commsStream };

/** Why `role` may not read `streamId`, or null when it may. */
export function readRefusal(role: Role, streamId: string): string | null {
  if (role === 'pipeline') return 'pipeline tokens read only GET /v1/freeze; they do not sync';
  if (streamId === commsStream && role !== 'admin' && role !== 'commander' && role !== 'comms') {
    return `the ${role} role may not read delivery channels (their secrets are for commanders and comms leads)`;
  }
  return null;
}

/**
 * Why `role` may not write `op`, or null when it may: the authority every entity declares
 * (./entities), evaluated. A pure function of the op and the role, the same on every node.
 */
export function writeRefusal(role: Role, op: Pick<Op, 'entity' | 'streamId' | 'fields'> & { actorId?: string }): string | null {
  return judgeEntityWrite(role, op);
}
