import { describe, expect, it } from 'vitest';
import { answerRefusal, assignRefusal, commandOf, offerRefusal, releaseRefusal, withdrawRefusal, type RoleSeat } from '@shared/domain/incident-roles';

const seat = (role: RoleSeat['role'], holderId: string | null, offer: Partial<RoleSeat> = {}): RoleSeat => ({
  id: `i/${role}`,
  incidentId: 'i',
  role,
  label: '',
  holderId,
  since: holderId ? 1 : null,
  offeredTo: null,
  offeredBy: null,
  offeredAt: null,
  ...offer,
});

const ic = seat('commander', 'ana');
const room = [ic, seat('deputy', 'ben'), seat('scribe', 'sam')];
const command = commandOf(room);

describe('role handoff rules', () => {
  it('fills a vacant role: the commander or deputy assigns, anyone may take it, anyone assigns while nobody commands', () => {
    expect(assignRefusal(undefined, 'comms', 'cara', 'ana', command)).toBeNull();
    expect(assignRefusal(undefined, 'comms', 'cara', 'ben', command)).toBeNull();
    expect(assignRefusal(undefined, 'comms', 'dev', 'dev', command)).toBeNull();
    expect(assignRefusal(undefined, 'comms', 'cara', 'dev', command)).toBe('Only the incident commander (ana) or deputy assigns Comms lead; you can take it yourself.');
    expect(assignRefusal(undefined, 'commander', 'cara', 'dev', commandOf([]))).toBeNull();
  });

  it('never moves a held role silently: the holder offers, or the commander reassigns with a reason', () => {
    const scribe = room[2];
    expect(assignRefusal(scribe, 'scribe', 'dev', 'sam', command)).toBe('You hold Scribe: offer it to dev; they accept to take it.');
    expect(assignRefusal(scribe, 'scribe', 'dev', 'dev', command)).toBe('sam holds Scribe: they offer it, or the incident commander reassigns it with a reason.');
    expect(assignRefusal(scribe, 'scribe', 'dev', 'ana', command)).toBe('sam holds Scribe: reassigning it without their acceptance needs a reason.');
    expect(assignRefusal(scribe, 'scribe', 'dev', 'ana', command, 'sam lost power')).toBeNull();
    expect(assignRefusal(ic, 'commander', 'ben', 'ben', command, 'ana unreachable for 20 minutes')).toBeNull();
    expect(assignRefusal(scribe, 'scribe', 'sam', 'ana', command, 'x')).toBe('sam already holds Scribe.');
  });

  it('lets only the holder offer, and only the receiver accept or decline', () => {
    expect(offerRefusal(ic, 'ben', 'ana')).toBeNull();
    expect(offerRefusal(ic, 'ben', 'ben')).toBe('Only ana, who holds Incident commander, can offer it.');
    expect(offerRefusal(ic, 'ana', 'ana')).toBe('You cannot hand a role to yourself.');
    expect(offerRefusal(seat('comms', null), 'ben', 'ana')).toBe('Comms lead is vacant: assign it instead of offering it.');
    const offered = seat('commander', 'ana', { offeredTo: 'ben', offeredBy: 'ana', offeredAt: 5 });
    expect(offerRefusal(offered, 'ben', 'ana')).toBe('Incident commander is already offered to ben.');
    expect(answerRefusal(offered, 'ben')).toBeNull();
    expect(answerRefusal(offered, 'sam')).toBe('Incident commander is offered to ben; only they can accept or decline.');
    expect(answerRefusal(ic, 'ben')).toBe('Incident commander has no pending handoff.');
    expect(withdrawRefusal(offered, 'ana')).toBeNull();
    expect(withdrawRefusal(offered, 'sam')).toBe('Only ana can withdraw this offer.');
  });

  it('keeps the command seat filled: the commander hands over instead of stepping down', () => {
    expect(releaseRefusal(ic, 'ana', command)).toContain('offer the role to someone, who accepts it');
    expect(releaseRefusal(room[2], 'sam', command)).toBeNull();
    expect(releaseRefusal(room[2], 'ana', command)).toBeNull();
    expect(releaseRefusal(room[2], 'dev', command)).toBe('Only sam or the incident commander can release Scribe.');
    expect(releaseRefusal(seat('liaison', null), 'ana', command)).toBe('Liaison is already vacant.');
  });
});
