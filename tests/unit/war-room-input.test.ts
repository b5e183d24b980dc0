import { describe, expect, it } from 'vitest';
import { matchActions } from '../../renderer/src/features/war-room/command-palette';
import type { Action } from '../../renderer/src/features/war-room/actions';
import { parseQuickEntry } from '../../renderer/src/features/war-room/quick-entry';

describe('quick entry', () => {
  it('takes the kind from a typed prefix, or from the picker', () => {
    expect(parseQuickEntry('/d Roll back 4512', 'note')).toEqual({ kind: 'decision', text: 'Roll back 4512' });
    expect(parseQuickEntry('/A  Restarted pod 7', 'note')).toEqual({ kind: 'action', text: 'Restarted pod 7' });
    expect(parseQuickEntry('/o p99 at 4 s', 'comms')).toEqual({ kind: 'observation', text: 'p99 at 4 s' });
    expect(parseQuickEntry('Paged the DBA', 'comms')).toEqual({ kind: 'comms', text: 'Paged the DBA' });
    // Not a known prefix, or no space after it: the text is kept as typed.
    expect(parseQuickEntry('/x something', 'note')).toEqual({ kind: 'note', text: '/x something' });
    expect(parseQuickEntry('/dev/sda1 is full', 'observation')).toEqual({ kind: 'observation', text: '/dev/sda1 is full' });
  });
});

describe('command palette', () => {
  const action = (id: string, group: Action['group'], label: string): Action => ({ id, group, label, run: () => undefined });
  const actions = [
    action('status:mitigated', 'Incident', 'Move to mitigated'),
    action('assign:comms', 'Roles', 'Assign Comms lead…'),
    action('offer:x', 'Roles', 'Hand over Incident commander…'),
    action('freeze', 'Freeze', 'Freeze deployments…'),
  ];

  it('finds actions by any words of their name or group, in catalogue order', () => {
    expect(matchActions(actions, 'comms').map((a) => a.id)).toEqual(['assign:comms']);
    expect(matchActions(actions, 'roles').map((a) => a.id)).toEqual(['assign:comms', 'offer:x']);
    expect(matchActions(actions, 'hand COMMANDER').map((a) => a.id)).toEqual(['offer:x']);
    expect(matchActions(actions, '').map((a) => a.id)).toEqual(actions.map((a) => a.id));
    expect(matchActions(actions, 'close')).toEqual([]);
  });
});
