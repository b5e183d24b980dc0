// What the war room notifies this person of: role offers to them, updates waiting for their
// approval, and overdue stakeholder updates for whoever answers for them.
import { describe, expect, it } from 'vitest';
import type { CommsRoom } from '@shared/domain/comms-api';
import type { WarRoom } from '@shared/domain/incident';
import { alertsFor, watchedIncidents } from '../../renderer/src/lib/notify';

const now = 1_795_000_000_000;
const seat = (role: string, holderId: string | null, offer: { to: string; by: string; at?: number } | null = null) => ({
  id: `inc-1/${role}`,
  role,
  label: '',
  holderId,
  offeredTo: offer?.to ?? null,
  offeredBy: offer?.by ?? null,
  offeredAt: offer ? (offer.at ?? now - 60_000) : null,
});
const room = (seats: ReturnType<typeof seat>[], status = 'investigating') =>
  ({ incident: { id: 'inc-1', title: 'Orders database down', status }, seats }) as unknown as WarRoom;
const comms = (drafts: object[], cadence: object[] = []) => ({ incidentId: 'inc-1', drafts, cadence }) as unknown as CommsRoom;

describe('alertsFor', () => {
  it('tells the person a role is offered to them, and nobody else', () => {
    const r = room([seat('commander', 'ana', { to: 'ben.tran', by: 'ana' })]);
    expect(alertsFor(r, null, 'ben.tran', now)).toEqual([
      {
        key: `offer:inc-1/commander:ana:${now - 60_000}`,
        title: 'Incident commander offered to you',
        body: 'ana offers you Incident commander on "Orders database down". Accept or decline in the war room.',
      },
    ]);
    expect(alertsFor(r, null, 'ana', now)).toEqual([]);
  });

  it('tells them again of an offer made again (after they declined), not of the same offer', () => {
    const first = alertsFor(room([seat('comms', 'ana', { to: 'ben.tran', by: 'ana', at: now - 60_000 })]), null, 'ben.tran', now);
    const same = alertsFor(room([seat('comms', 'ana', { to: 'ben.tran', by: 'ana', at: now - 60_000 })]), null, 'ben.tran', now + 15_000);
    const again = alertsFor(room([seat('comms', 'ana', { to: 'ben.tran', by: 'ana', at: now - 5_000 })]), null, 'ben.tran', now);
    expect(same.map((a) => a.key)).toEqual(first.map((a) => a.key));
    expect(again).toHaveLength(1);
    expect(again[0].key).not.toBe(first[0].key);
    expect(again[0].title).toBe('Comms lead offered to you');
  });

  it('asks the named approver, or the commander when none is named; never the author', () => {
    const drafts = [
      { id: 'u1', state: 'awaiting-approval', author: 'priya', approver: 'omar', audience: 'customers', requestedAt: 5 },
      { id: 'u2', state: 'awaiting-approval', author: 'priya', approver: null, audience: 'executives', requestedAt: 6 },
      { id: 'u3', state: 'draft', author: 'priya', approver: 'omar', audience: 'customers', requestedAt: null },
    ];
    const r = room([seat('commander', 'ana')]);
    expect(alertsFor(r, comms(drafts), 'omar', now).map((a) => a.key)).toEqual(['approval:u1:5']);
    expect(alertsFor(r, comms(drafts), 'ana', now).map((a) => a.key)).toEqual(['approval:u2:6']);
    expect(alertsFor(r, comms(drafts), 'priya', now)).toEqual([]);
  });

  it('tells the comms lead (or the commander without one) of an overdue update', () => {
    const cadence = [
      { audience: 'customers', dueAt: now - 4 * 60_000 },
      { audience: 'executives', dueAt: now + 60_000 },
      { audience: 'internal', dueAt: null },
    ];
    const withLead = room([seat('commander', 'ana'), seat('comms', 'priya')]);
    expect(alertsFor(withLead, comms([], cadence), 'priya', now)).toEqual([
      {
        key: `overdue:inc-1:customers:${now - 4 * 60_000}`,
        title: 'Stakeholder update overdue',
        body: 'The customers update on "Orders database down" was due 4 min ago.',
      },
    ]);
    expect(alertsFor(withLead, comms([], cadence), 'ana', now)).toEqual([]);
    expect(alertsFor(room([seat('commander', 'ana')]), comms([], cadence), 'ana', now)).toHaveLength(1);
  });

  it('says nothing about a closed incident', () => {
    expect(alertsFor(room([seat('commander', 'ana', { to: 'ben', by: 'ana' })], 'closed'), null, 'ben', now)).toEqual([]);
  });
});

describe('watchedIncidents', () => {
  it('watches every incident not closed, in the list order, whatever screen is open', () => {
    const incidents = [
      { id: 'inc-1', status: 'investigating' },
      { id: 'inc-2', status: 'closed' },
      { id: 'inc-3', status: 'resolved' },
      { id: 'inc-4', status: 'mitigated' },
    ] as const;
    expect(watchedIncidents(incidents)).toEqual(['inc-1', 'inc-3', 'inc-4']);
  });

  it('watches nothing before the list is read or when every incident is closed', () => {
    expect(watchedIncidents([])).toEqual([]);
    expect(watchedIncidents([{ id: 'inc-2', status: 'closed' }])).toEqual([]);
  });
});
