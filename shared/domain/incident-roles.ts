// Roles inside one incident (not to be confused with the organisation roles that authorize writes,
// shared/roles.ts) and the rules of handing them over: explicit and two-party, never silent.
import { z } from 'zod';
import type { EntityRecord } from '../entities/rows';

export const incidentRoles = ['commander', 'deputy', 'comms', 'ops', 'scribe', 'liaison', 'sme'] as const;
export type IncidentRole = (typeof incidentRoles)[number];

/** The fixed roles, one holder each; subject-matter experts (`sme`) may be any number. */
export const singleRoles = incidentRoles.filter((r): r is Exclude<IncidentRole, 'sme'> => r !== 'sme');

export const roleTitles: Record<IncidentRole, string> = {
  commander: 'Incident commander',
  deputy: 'Deputy commander',
  comms: 'Comms lead',
  ops: 'Operations lead',
  scribe: 'Scribe',
  liaison: 'Liaison',
  sme: 'Subject-matter expert',
};

/** One-line duty cards, shown next to each role. */
export const roleDuties: Record<IncidentRole, string> = {
  commander: 'Owns the incident: sets severity and status, decides, delegates, never debugs.',
  deputy: 'Backs up the commander, tracks open threads and takes over if the commander drops.',
  comms: 'Writes stakeholder updates on cadence; the only voice to customers and executives.',
  ops: 'Directs the hands-on work: who investigates, who changes production, in what order.',
  scribe: 'Keeps the timeline: decisions, actions and observations as they happen, with times.',
  liaison: 'Links to other teams, vendors and partners; brings in people the room needs.',
  sme: 'Brings deep knowledge of one system; answers questions and advises on changes.',
};

/**
 * A role seat in an incident, as the war room shows it (declared in shared/entities/incident.ts).
 * Its id is `incidentId/role` for fixed roles, `incidentId/sme-…` for experts; `label` is an
 * expert's area (e.g. "Postgres", "CDN"); `offered*` a pending handoff; `since` when the current
 * holder took the role (UTC ms).
 */
export type RoleSeat = EntityRecord<'incident_role'>;

export const roleSeatId = (incidentId: string, role: Exclude<IncidentRole, 'sme'>) => `${incidentId}/${role}`;

export const personId = z
  .string({ error: "must be the person's user name" })
  .trim()
  .min(1, { error: 'must name a person' })
  .max(100, { error: 'must be at most 100 characters' });

const reason = z.string({ error: 'must be text' }).trim().max(1000, { error: 'must be at most 1000 characters' });
const incidentId = z.string({ error: 'must be an incident id' }).min(1).max(100, { error: 'must be at most 100 characters' });
const seatId = z.string({ error: 'must be a role seat id' }).min(1).max(200, { error: 'must be at most 200 characters' });

export const assignRoleRequest = z
  .object({
    incidentId,
    role: z.enum(singleRoles, { error: `must be one of ${singleRoles.join(', ')}` }),
    personId,
    reason: reason.optional(),
  })
  .strict();

export const addExpertRequest = z
  .object({
    incidentId,
    personId,
    label: z
      .string({ error: 'must be text' })
      .trim()
      .min(1, { error: 'say what the expert knows (e.g. Postgres)' })
      .max(100, { error: 'must be at most 100 characters' }),
  })
  .strict();

export const offerRoleRequest = z.object({ seatId, to: personId }).strict();
export const answerOfferRequest = z.object({ seatId, isAccepted: z.boolean({ error: 'must be true or false' }) }).strict();
export const seatRequest = z.object({ seatId }).strict();
export const releaseRoleRequest = z.object({ seatId, reason: reason.optional() }).strict();

/** What a person may do with the seats of an incident, from who holds the command. */
export interface Command {
  commanderId: string | null;
  deputyId: string | null;
}

export const commandOf = (seats: readonly RoleSeat[]): Command => ({
  commanderId: seats.find((s) => s.role === 'commander')?.holderId ?? null,
  deputyId: seats.find((s) => s.role === 'deputy')?.holderId ?? null,
});

const isCommand = (command: Command, actor: string) => actor === command.commanderId || actor === command.deputyId;

/**
 * Why `actor` may not put `personId` in `seat` (null when they may). A vacant seat is filled by the
 * commander or deputy, by a person taking it themselves, or by anyone while nobody commands. A held
 * seat changes hands only by the holder's offer, or by the commander or deputy reassigning with a reason.
 */
export function assignRefusal(seat: RoleSeat | undefined, role: IncidentRole, personId: string, actor: string, command: Command, reason?: string): string | null {
  const title = roleTitles[role];
  const holder = seat?.holderId ?? null;
  if (holder === personId) return `${personId} already holds ${title}.`;
  if (holder === null) {
    if (command.commanderId === null || isCommand(command, actor) || personId === actor) return null;
    return `Only the incident commander (${command.commanderId}) or deputy assigns ${title}; you can take it yourself.`;
  }
  if (!isCommand(command, actor)) {
    return holder === actor
      ? `You hold ${title}: offer it to ${personId}; they accept to take it.`
      : `${holder} holds ${title}: they offer it, or the incident commander reassigns it with a reason.`;
  }
  if (!reason?.trim()) return `${holder} holds ${title}: reassigning it without their acceptance needs a reason.`;
  return null;
}

export function offerRefusal(seat: RoleSeat, to: string, actor: string): string | null {
  const title = roleTitles[seat.role];
  if (seat.holderId !== actor)
    return seat.holderId ? `Only ${seat.holderId}, who holds ${title}, can offer it.` : `${title} is vacant: assign it instead of offering it.`;
  if (to === actor) return 'You cannot hand a role to yourself.';
  if (seat.offeredTo === to) return `${title} is already offered to ${to}.`;
  return null;
}

export function answerRefusal(seat: RoleSeat, actor: string): string | null {
  if (seat.offeredTo === null) return `${roleTitles[seat.role]} has no pending handoff.`;
  if (seat.offeredTo !== actor) return `${roleTitles[seat.role]} is offered to ${seat.offeredTo}; only they can accept or decline.`;
  // Edits made apart can leave an offer from someone who no longer holds the role: it no longer stands.
  if (seat.offeredBy !== seat.holderId) {
    return `${seat.offeredBy} offered ${roleTitles[seat.role]}, but ${seat.holderId ?? 'nobody'} holds it now; ask ${seat.holderId ?? 'the incident commander'} to offer it again.`;
  }
  return null;
}

export function withdrawRefusal(seat: RoleSeat, actor: string): string | null {
  if (seat.offeredTo === null) return `${roleTitles[seat.role]} has no pending handoff.`;
  if (seat.offeredBy !== actor && seat.holderId !== actor) return `Only ${seat.holderId ?? seat.offeredBy} can withdraw this offer.`;
  return null;
}

/** Stepping down leaves the seat vacant; the commander hands command over instead. */
export function releaseRefusal(seat: RoleSeat, actor: string, command: Command): string | null {
  const title = roleTitles[seat.role];
  if (seat.holderId === null) return `${title} is already vacant.`;
  if (seat.role === 'commander') return 'The incident commander cannot just step down: offer the role to someone, who accepts it.';
  if (seat.holderId !== actor && !isCommand(command, actor)) return `Only ${seat.holderId} or the incident commander can release ${title}.`;
  return null;
}
