// The incident status lifecycle and its milestone times. Pure rules: the engine asks them before it
// writes, the UI asks them to offer only the moves that will be accepted.

export const incidentStatuses = ['investigating', 'identified', 'mitigated', 'resolved', 'closed'] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/** `started`: when the impact began, if someone recorded it (often before anyone noticed). */
export const milestones = ['started', 'detected', 'acknowledged', 'mitigated', 'resolved', 'closed'] as const;
export type Milestone = (typeof milestones)[number];

export const milestoneLabels: Record<Milestone, string> = {
  started: 'Impact started',
  detected: 'Detected',
  acknowledged: 'Acknowledged',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
  closed: 'Closed',
};

/** Milestone times of an incident (UTC ms), null until reached. */
export type Milestones = Record<Milestone, number | null>;

const rank = (status: IncidentStatus) => incidentStatuses.indexOf(status);

export type TransitionCheck = { isAllowed: true; isReopen: boolean } | { isAllowed: false; reason: string };

/**
 * Whether an incident may move from `from` to `to`. Forward moves may skip steps (an incident can
 * be mitigated before its cause is identified); closing needs a resolved incident; a closed
 * incident is final; moving back (a regression or a reopen) is allowed but needs a reason.
 */
export function checkTransition(from: IncidentStatus, to: IncidentStatus, reason?: string): TransitionCheck {
  if (from === to) return { isAllowed: false, reason: `The incident is already ${to}.` };
  if (from === 'closed') {
    return { isAllowed: false, reason: 'The incident is closed and its record is final; declare a new incident if the problem is back.' };
  }
  if (to === 'closed' && from !== 'resolved') {
    return { isAllowed: false, reason: `Only a resolved incident can be closed; this one is ${from}. Resolve it first.` };
  }
  const isReopen = rank(to) < rank(from);
  if (isReopen && !reason?.trim()) {
    return {
      isAllowed: false,
      reason: `Moving back from ${from} to ${to} ${from === 'resolved' ? 'reopens the incident' : 'records a regression'}: give a reason.`,
    };
  }
  return { isAllowed: true, isReopen };
}

/** The statuses an incident in `from` may move to, in lifecycle order. */
export function nextStatuses(from: IncidentStatus): IncidentStatus[] {
  return incidentStatuses.filter((to) => checkTransition(from, to, 'reason').isAllowed);
}

/**
 * The milestone fields a status change sets or clears. Reaching a status stamps its milestone (and
 * any skipped one, once); a reopen clears the milestones after the status it returns to, so they
 * are stamped again when reached again.
 */
export function milestoneChanges(current: Milestones, to: IncidentStatus, at: number): Partial<Milestones> {
  const changes: Partial<Milestones> = {};
  const reached: Record<IncidentStatus, Milestone[]> = {
    investigating: [],
    identified: [],
    mitigated: ['mitigated'],
    resolved: ['mitigated', 'resolved'],
    closed: ['closed'],
  };
  for (const milestone of reached[to]) if (current[milestone] === null) changes[milestone] = at;
  const cleared: Record<IncidentStatus, Milestone[]> = {
    investigating: ['mitigated', 'resolved'],
    identified: ['mitigated', 'resolved'],
    mitigated: ['resolved'],
    resolved: [],
    closed: [],
  };
  for (const milestone of cleared[to]) if (current[milestone] !== null) changes[milestone] = null;
  return changes;
}

/**
 * Why a corrected milestone time is refused (null when fine): times must not lie in the future and
 * must keep detected ≤ acknowledged ≤ mitigated ≤ resolved ≤ closed.
 */
export function milestoneCorrectionRefusal(current: Milestones, milestone: Milestone, at: number, now: number): string | null {
  // The impact start and the detection may be recorded afterwards; the rest are reached, then corrected.
  if (current[milestone] === null && milestone !== 'detected' && milestone !== 'started') {
    return `The incident has not reached ${milestone} yet; there is no time to correct.`;
  }
  if (at > now + 60_000) return 'A milestone cannot be in the future; check the date and time zone.';
  const index = milestones.indexOf(milestone);
  for (const earlier of milestones.slice(0, index)) {
    const time = current[earlier];
    if (time !== null && time > at) return `${milestoneLabels[milestone]} cannot be before ${milestoneLabels[earlier].toLowerCase()}; correct that one first.`;
  }
  for (const later of milestones.slice(index + 1)) {
    const time = current[later];
    if (time !== null && time < at) return `${milestoneLabels[milestone]} cannot be after ${milestoneLabels[later].toLowerCase()}; correct that one first.`;
  }
  return null;
}
