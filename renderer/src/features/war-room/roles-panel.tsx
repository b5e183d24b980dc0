// Role seats with their holders, duty cards and pending handoffs, and the moves this person may make
// on each: take, assign, offer, accept or decline, withdraw, release.
import type { WarRoom } from '@shared/domain/incident';
import { roleDuties, roleTitles, singleRoles, type RoleSeat } from '@shared/domain/incident-roles';
import { elapsed } from '../../lib/time';
import { useDirectoryPeople } from '../directory/directory-queries';
import { PhoneLink } from '../directory/phone-link';
import type { Action } from './actions';
import { seatTitle } from './actions';

export function RolesPanel({ room, actions, me, now }: { room: WarRoom; actions: Action[]; me: string; now: number }) {
  const byRole = new Map(room.seats.map((s) => [s.id, s]));
  const seats: (RoleSeat | { role: (typeof singleRoles)[number]; vacant: true })[] = singleRoles.map(
    (role) => byRole.get(`${room.incident.id}/${role}`) ?? { role, vacant: true as const },
  );
  const experts = room.seats.filter((s) => s.role === 'sme' && s.holderId);
  const run = (id: string) => actions.find((a) => a.id === id)?.run();
  const has = (id: string) => actions.some((a) => a.id === id);
  const people = useDirectoryPeople();
  const phoneOf = (handle: string | null | undefined) => people.find((p) => handle && p.handle === handle)?.phones[0];

  return (
    <section className="panel side-panel" aria-labelledby="roles-heading" data-testid="roles-panel">
      <h2 id="roles-heading">Roles</h2>
      <ul className="seats">
        {[...seats, ...experts].map((seat) => {
          const isVacant = 'vacant' in seat || seat.holderId === null;
          const held = 'vacant' in seat ? null : seat;
          const key = held?.id ?? seat.role;
          const phone = isVacant ? undefined : phoneOf(held?.holderId);
          return (
            <li key={key} className="seat" data-testid={`seat-${seat.role}`} title={roleDuties[seat.role]}>
              <div className="seat-head">
                <span className="seat-title">{held ? seatTitle(held) : roleTitles[seat.role]}</span>
                <span>
                  <span className={isVacant ? 'seat-holder is-vacant' : 'seat-holder'} data-testid="seat-holder">
                    {isVacant ? 'vacant' : held?.holderId}
                  </span>
                  {held?.since && !isVacant && <span className="muted small"> · {elapsed(held.since, now)}</span>}
                </span>
              </div>
              <p className="seat-duty muted small">{roleDuties[seat.role]}</p>
              {phone && <PhoneLink phone={phone} />}
              {held?.offeredTo && (
                <p className="seat-offer" data-testid="seat-offer">
                  Offered to <strong>{held.offeredTo}</strong> by {held.offeredBy}
                </p>
              )}
              <div className="seat-actions">
                {held && held.offeredTo === me && has(`accept:${held.id}`) && (
                  <>
                    <button type="button" className="button button-small button-primary" data-testid="seat-accept" onClick={() => run(`accept:${held.id}`)}>
                      Accept
                    </button>
                    <button type="button" className="button button-small" data-testid="seat-decline" onClick={() => run(`decline:${held.id}`)}>
                      Decline
                    </button>
                  </>
                )}
                {held && has(`withdraw:${held.id}`) && (
                  <button type="button" className="button button-small" data-testid="seat-withdraw" onClick={() => run(`withdraw:${held.id}`)}>
                    Withdraw offer
                  </button>
                )}
                {held && held.holderId === me && !held.offeredTo && has(`offer:${held.id}`) && (
                  <button type="button" className="button button-small" data-testid="seat-offer-button" onClick={() => run(`offer:${held.id}`)}>
                    Hand over
                  </button>
                )}
                {seat.role !== 'sme' && isVacant && has(`take:${seat.role}`) && (
                  <button type="button" className="button button-small" data-testid="seat-take" onClick={() => run(`take:${seat.role}`)}>
                    Take
                  </button>
                )}
                {seat.role !== 'sme' && has(`assign:${seat.role}`) && (
                  <button type="button" className="button button-small" data-testid="seat-assign" onClick={() => run(`assign:${seat.role}`)}>
                    {isVacant ? 'Assign' : 'Reassign'}
                  </button>
                )}
                {held && !isVacant && has(`release:${held.id}`) && (held.holderId === me || seat.role === 'sme') && (
                  <button type="button" className="button button-small" data-testid="seat-release" onClick={() => run(`release:${held.id}`)}>
                    {held.holderId === me ? 'Step down' : 'Release'}
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
      {has('add-expert') && (
        <button type="button" className="button button-small" data-testid="add-expert" onClick={() => run('add-expert')}>
          + Subject-matter expert
        </button>
      )}
    </section>
  );
}
