// Update approval: which audiences' updates wait for a second person, and who may approve one.
import type { Audience } from './comms-update';

/** Which audiences' updates wait for a second person before they go out; internal ones never do. */
export interface ApprovalSetting {
  customers: boolean;
  executives: boolean;
}

export const defaultApprovalSetting: ApprovalSetting = { customers: true, executives: false };

export function needsApproval(audience: Audience, setting: ApprovalSetting): boolean {
  return audience === 'internal' ? false : setting[audience];
}

const orList = (items: string[]) => (items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`);

/**
 * Why `approver` may not approve an update `author` wrote (null when they may): a second person
 * approves, and that person is the incident commander, the deputy or a named approver.
 */
export function approvalRefusal(args: {
  author: string;
  approver: string;
  commanderId: string | null;
  deputyId: string | null;
  namedApprovers: string[];
}): string | null {
  const { author, approver, commanderId, deputyId, namedApprovers } = args;
  const approvers = new Map<string, string>();
  if (commanderId) approvers.set(commanderId, 'incident commander');
  if (deputyId && !approvers.has(deputyId)) approvers.set(deputyId, 'deputy commander');
  for (const id of namedApprovers) if (id && !approvers.has(id)) approvers.set(id, 'approver');
  const others = [...approvers].filter(([id]) => id !== author).map(([id, role]) => `${id} (${role})`);
  if (approver === author) {
    return others.length > 0
      ? `You wrote this update, so someone else approves it: ${orList(others)}.`
      : 'You wrote this update, so someone else approves it, and nobody else can: assign a deputy commander or name an approver.';
  }
  if (approvers.has(approver)) return null;
  if (others.length === 0) return 'Nobody can approve this update yet: assign an incident commander or deputy, or name an approver.';
  return `Only ${orList(others)} can approve this update.`;
}
