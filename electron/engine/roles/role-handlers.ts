// Role calls: assign, offer, accept or decline, withdraw, release, and add experts. The rules live
// in shared/domain/incident-roles.ts; every change is written with its timeline entry.
import type { Handlers, ParsedRequest } from '@shared/contract';
import {
  answerRefusal,
  assignRefusal,
  commandOf,
  offerRefusal,
  releaseRefusal,
  roleSeatId,
  roleTitles,
  withdrawRefusal,
  type RoleSeat,
} from '@shared/domain/incident-roles';
import { ApiError } from '@shared/errors';
import { uuidv7 } from '@shared/ids';
import type { IncidentStore } from '../incidents/incident-store';
import type { Replica } from '../core/replica';
import { mustGetOpenIncident, systemEntry } from '../incidents/incident-handlers';

type RoleHandlers = Pick<Handlers, 'roles.assign' | 'roles.addExpert' | 'roles.offer' | 'roles.answer' | 'roles.withdraw' | 'roles.release'>;

export interface RoleDeps {
  replica: Replica;
  incidents: IncidentStore;
  now: () => number;
}

export function roleHandlers(deps: RoleDeps): RoleHandlers {
  return {
    'roles.assign': (request) => assignRole(deps, request),
    'roles.addExpert': (request) => addExpert(deps, request),
    'roles.offer': (request) => offerRole(deps, request),
    'roles.answer': (request) => answerOffer(deps, request),
    'roles.withdraw': (request) => withdrawOffer(deps, request),
    'roles.release': (request) => releaseRole(deps, request),
  };
}

const noOffer = { offeredTo: null, offeredBy: null, offeredAt: null };

function assignRole({ replica, incidents, now }: RoleDeps, request: ParsedRequest<'roles.assign'>): RoleSeat[] {
  const incident = mustGetOpenIncident(incidents, request.incidentId);
  const actor = replica.actorId;
  const seats = incidents.seats(request.incidentId);
  const id = roleSeatId(request.incidentId, request.role);
  const seat = seats.find((s) => s.id === id);
  refuse(assignRefusal(seat, request.role, request.personId, actor, commandOf(seats), request.reason));
  const title = roleTitles[request.role];
  const previous = seat?.holderId ?? null;
  const text =
    previous !== null
      ? `${actor} reassigned ${title} from ${previous} to ${request.personId}: ${request.reason}`
      : request.personId === actor
        ? `${actor} took ${title}`
        : `${actor} assigned ${title} to ${request.personId}${request.reason ? `: ${request.reason}` : ''}`;
  const isAcknowledging = request.role === 'commander' && incident.milestones.acknowledged === null;
  const at = now();
  replica.commitLocal([
    {
      entity: 'incident_role',
      rowId: id,
      fields: { incidentId: request.incidentId, role: request.role, label: '', holderId: request.personId, since: at, ...noOffer },
    },
    systemEntry(request.incidentId, text, at),
    // The first commander acknowledges the incident: someone owns it now.
    ...(isAcknowledging ? [{ entity: 'incident' as const, rowId: request.incidentId, fields: { acknowledgedAt: at } }] : []),
  ]);
  return incidents.seats(request.incidentId);
}

function addExpert(deps: RoleDeps, request: ParsedRequest<'roles.addExpert'>): RoleSeat[] {
  const { replica, incidents, now } = deps;
  mustGetOpenIncident(incidents, request.incidentId);
  const actor = replica.actorId;
  const seats = incidents.seats(request.incidentId);
  const command = commandOf(seats);
  if (command.commanderId !== null && request.personId !== actor && actor !== command.commanderId && actor !== command.deputyId) {
    throw new ApiError('conflict', `Only the incident commander (${command.commanderId}) or deputy brings in experts; you can join as one yourself.`);
  }
  const id = `${request.incidentId}/sme-${uuidv7(now())}`;
  return writeSeat(
    deps,
    { id, incidentId: request.incidentId, role: 'sme', label: request.label },
    { holderId: request.personId, since: now(), ...noOffer },
    `${actor} ${request.personId === actor ? 'joined' : `brought in ${request.personId}`} as ${roleTitles.sme} (${request.label})`,
  );
}

function offerRole(deps: RoleDeps, request: ParsedRequest<'roles.offer'>): RoleSeat[] {
  const { replica, now } = deps;
  const seat = mustGetSeat(deps.incidents, request.seatId);
  refuse(offerRefusal(seat, request.to, replica.actorId));
  return writeSeat(deps, seat, { offeredTo: request.to, offeredBy: replica.actorId, offeredAt: now() }, `${replica.actorId} offered ${titleOf(seat)} to ${request.to}`);
}

function answerOffer(deps: RoleDeps, request: ParsedRequest<'roles.answer'>): RoleSeat[] {
  const seat = mustGetSeat(deps.incidents, request.seatId);
  const actor = deps.replica.actorId;
  refuse(answerRefusal(seat, actor));
  if (!request.isAccepted) return writeSeat(deps, seat, noOffer, `${actor} declined ${titleOf(seat)} offered by ${seat.offeredBy ?? seat.holderId}`);
  return writeSeat(deps, seat, { holderId: actor, since: deps.now(), ...noOffer }, `${actor} accepted ${titleOf(seat)} from ${seat.holderId ?? seat.offeredBy}`);
}

function withdrawOffer(deps: RoleDeps, request: ParsedRequest<'roles.withdraw'>): RoleSeat[] {
  const seat = mustGetSeat(deps.incidents, request.seatId);
  refuse(withdrawRefusal(seat, deps.replica.actorId));
  return writeSeat(deps, seat, noOffer, `${deps.replica.actorId} withdrew the offer of ${titleOf(seat)} to ${seat.offeredTo}`);
}

function releaseRole(deps: RoleDeps, request: ParsedRequest<'roles.release'>): RoleSeat[] {
  const seat = mustGetSeat(deps.incidents, request.seatId);
  const actor = deps.replica.actorId;
  refuse(releaseRefusal(seat, actor, commandOf(deps.incidents.seats(seat.incidentId))));
  const reason = request.reason?.trim() ? `: ${request.reason.trim()}` : '';
  const text = seat.holderId === actor ? `${actor} stepped down as ${titleOf(seat)}${reason}` : `${actor} released ${seat.holderId} from ${titleOf(seat)}${reason}`;
  return writeSeat(deps, seat, { holderId: null, since: null, ...noOffer }, text);
}

const seatFields = (seat: Partial<RoleSeat> & Pick<RoleSeat, 'role' | 'label'>) => ({
  role: seat.role,
  label: seat.label,
  holderId: seat.holderId ?? null,
  since: seat.since ?? null,
  offeredTo: seat.offeredTo ?? null,
  offeredBy: seat.offeredBy ?? null,
  offeredAt: seat.offeredAt ?? null,
});

// Every role op carries the whole seat (holder and offer together), so when two people change a
// seat apart, one change wins whole on every replica instead of a mix of both (a holder from one
// and an offer from the other).
function writeSeat(
  { replica, incidents, now }: RoleDeps,
  seat: Omit<RoleSeat, 'since' | 'holderId' | 'offeredTo' | 'offeredBy' | 'offeredAt'> & Partial<RoleSeat>,
  fields: Partial<RoleSeat>,
  text: string,
): RoleSeat[] {
  const whole = { ...seatFields(seat), ...fields };
  replica.commitLocal([{ entity: 'incident_role', rowId: seat.id, fields: { ...whole, incidentId: seat.incidentId } }, systemEntry(seat.incidentId, text, now())]);
  return incidents.seats(seat.incidentId);
}

function refuse(reason: string | null): void {
  if (reason) throw new ApiError('conflict', reason);
}

function mustGetSeat(incidents: IncidentStore, seatId: string): RoleSeat {
  const seat = incidents.seat(seatId);
  if (!seat) throw new ApiError('not_found', `No role seat ${seatId} on this replica.`);
  mustGetOpenIncident(incidents, seat.incidentId);
  return seat;
}

const titleOf = (seat: RoleSeat) => (seat.role === 'sme' ? `${roleTitles.sme} (${seat.label})` : roleTitles[seat.role]);
