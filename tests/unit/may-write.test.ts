// What the UI offers a role: the pure rule behind useMayWrite and the war room's action gates, with
// the role a trust status names. A standalone replica (never connected) is offered everything.
import { describe, expect, it } from 'vitest';
import { mayWrite, standaloneStatus, type TrustStatus } from '../../renderer/src/lib/use-may-write';
import { gateActions } from '../../renderer/src/features/war-room/action-gates';
import type { Action } from '../../renderer/src/features/war-room/actions';

const as = (role: TrustStatus['role'], mode: TrustStatus['mode'] = 'certified'): TrustStatus => ({ ...standaloneStatus, mode, role, user: 'x' });
const action = (id: string): Action => ({ id, label: id, group: 'Incident', run: () => undefined });

describe('mayWrite', () => {
  it('offers everything to a standalone replica and while the status is unknown', () => {
    expect(mayWrite(standaloneStatus, 'incident', { severity: 'SEV1' })).toEqual({ may: true, why: undefined });
    expect(mayWrite(null, 'freeze', { scope: 'all' }).may).toBe(true);
  });

  it("follows each role's grants and says which roles may", () => {
    expect(mayWrite(as('commander'), 'incident', { severity: 'SEV1' }).may).toBe(true);
    const responder = mayWrite(as('responder'), 'incident', { severity: 'SEV1' });
    expect(responder).toEqual({ may: false, why: 'Your role (responder) cannot do this: admin, commander may.' });
    expect(mayWrite(as('responder'), 'timeline_entry', { incidentId: 'i', kind: 'note', text: 't', eventAt: 1 }).may).toBe(true);
    expect(mayWrite(as('comms'), 'person', { name: 'Ana' }).why).toBe('Your role (comms) cannot do this: admin, commander may.');
    expect(mayWrite(as('viewer'), 'timeline_entry', { incidentId: 'i', kind: 'note', text: 't', eventAt: 1 }).may).toBe(false);
  });

  it('lets a guest write timeline notes only', () => {
    expect(mayWrite(as('guest', 'guest'), 'timeline_entry', { incidentId: 'i', kind: 'note', text: 't', eventAt: 1 }).may).toBe(true);
    expect(mayWrite(as('guest', 'guest'), 'task', { title: 't' }).why).toMatch(/^Guests may write timeline notes only: /);
  });
});

describe('gateActions', () => {
  it("disables status, severity, freeze and legal hold for a responder and leaves notes and others' actions alone", () => {
    const ids = ['status:mitigated', 'severity:SEV1', 'freeze', 'lift:f1', 'legal-hold', 'edit-incident', 'correct-milestone', 'entry:note', 'add-task'];
    const gated = gateActions(ids.map(action), as('responder'));
    expect(gated.filter((a) => a.disabledWhy).map((a) => a.id)).toEqual(ids.slice(0, 7));
    expect(gateActions(ids.map(action), as('commander')).some((a) => a.disabledWhy)).toBe(false);
    expect(gateActions(ids.map(action), standaloneStatus).some((a) => a.disabledWhy)).toBe(false);
  });
});
