import { describe, expect, it } from 'vitest';
import { checkTransition, milestoneChanges, milestoneCorrectionRefusal, nextStatuses, type Milestones } from '@shared/domain/lifecycle';

const none: Milestones = { started: null, detected: 100, acknowledged: null, mitigated: null, resolved: null, closed: null };

describe('incident lifecycle', () => {
  it('moves forward, skipping steps when the facts do', () => {
    expect(checkTransition('investigating', 'identified')).toEqual({ isAllowed: true, isReopen: false });
    expect(checkTransition('investigating', 'mitigated')).toEqual({ isAllowed: true, isReopen: false });
    expect(checkTransition('identified', 'resolved')).toEqual({ isAllowed: true, isReopen: false });
    expect(checkTransition('resolved', 'closed')).toEqual({ isAllowed: true, isReopen: false });
  });

  it('refuses illegal moves with a message that says what to do', () => {
    expect(checkTransition('investigating', 'closed')).toEqual({
      isAllowed: false,
      reason: 'Only a resolved incident can be closed; this one is investigating. Resolve it first.',
    });
    expect(checkTransition('mitigated', 'closed')).toMatchObject({ isAllowed: false, reason: expect.stringContaining('Resolve it first') });
    expect(checkTransition('closed', 'investigating', 'it is back')).toMatchObject({ isAllowed: false, reason: expect.stringContaining('declare a new incident') });
    expect(checkTransition('identified', 'identified')).toEqual({ isAllowed: false, reason: 'The incident is already identified.' });
  });

  it('lets an incident move back only with a reason', () => {
    expect(checkTransition('resolved', 'investigating')).toMatchObject({ isAllowed: false, reason: expect.stringContaining('reopens the incident: give a reason') });
    expect(checkTransition('mitigated', 'identified', '  ')).toMatchObject({ isAllowed: false, reason: expect.stringContaining('records a regression') });
    expect(checkTransition('resolved', 'investigating', 'errors are back')).toEqual({ isAllowed: true, isReopen: true });
  });

  it('offers exactly the moves it would accept', () => {
    expect(nextStatuses('investigating')).toEqual(['identified', 'mitigated', 'resolved']);
    expect(nextStatuses('resolved')).toEqual(['investigating', 'identified', 'mitigated', 'closed']);
    expect(nextStatuses('closed')).toEqual([]);
  });

  it('stamps milestones once as they are reached, and clears later ones on a reopen', () => {
    expect(milestoneChanges(none, 'identified', 500)).toEqual({});
    expect(milestoneChanges(none, 'mitigated', 500)).toEqual({ mitigated: 500 });
    expect(milestoneChanges(none, 'resolved', 500)).toEqual({ mitigated: 500, resolved: 500 });
    const mitigated = { ...none, mitigated: 400 };
    expect(milestoneChanges(mitigated, 'resolved', 500)).toEqual({ resolved: 500 });
    const resolved = { ...none, mitigated: 400, resolved: 500 };
    expect(milestoneChanges(resolved, 'investigating', 600)).toEqual({ mitigated: null, resolved: null });
    expect(milestoneChanges(resolved, 'mitigated', 600)).toEqual({ resolved: null });
    expect(milestoneChanges(resolved, 'closed', 700)).toEqual({ closed: 700 });
  });

  it('refuses milestone corrections that break their order or lie in the future', () => {
    const times: Milestones = { started: null, detected: 100, acknowledged: 200, mitigated: 300, resolved: null, closed: null };
    expect(milestoneCorrectionRefusal(times, 'mitigated', 250, 1000)).toBeNull();
    expect(milestoneCorrectionRefusal(times, 'mitigated', 150, 1000)).toBe('Mitigated cannot be before acknowledged; correct that one first.');
    expect(milestoneCorrectionRefusal(times, 'detected', 250, 1000)).toBe('Detected cannot be after acknowledged; correct that one first.');
    expect(milestoneCorrectionRefusal(times, 'resolved', 900, 1000)).toContain('has not reached resolved yet');
    expect(milestoneCorrectionRefusal(times, 'mitigated', 1_000_000, 1000)).toContain('cannot be in the future');
  });
});
