// The updates pane from the command palette (Ctrl/Cmd+K): open it at an audience, start an
// update for an audience without a draft, or go back to the timeline.
import { audienceLabels, audiences } from '@shared/domain/comms';
import type { CommsRoom } from '@shared/domain/comms-api';
import { useStore } from '../../store';
import type { Action } from '../war-room/actions';
import { startUpdate } from './comms-actions';
import { useCommsView } from './comms-view-store';

export function commsActions(incidentId: string, comms: CommsRoom | null): Action[] {
  const open = (audience: (typeof audiences)[number], section: 'draft' | 'history' = 'draft') => {
    useCommsView.getState().show(audience, section);
    useStore.getState().setWarPane('updates');
  };
  const actions: Action[] = [];
  for (const audience of audiences) {
    const label = audienceLabels[audience];
    const hasDraft = comms?.drafts.some((d) => d.audience === audience) ?? false;
    actions.push({
      id: `updates:open:${audience}`,
      label: hasDraft ? `Open the ${label.toLowerCase()} draft update` : `${label}: update clock and drafts`,
      group: 'Updates',
      run: () => open(audience),
    });
    if (comms && !hasDraft) {
      actions.push({
        id: `updates:new:${audience}`,
        label: `New update for ${label.toLowerCase()}`,
        group: 'Updates',
        run: () => {
          open(audience);
          startUpdate(incidentId, audience).catch((error: unknown) => useStore.getState().showRoomError(error));
        },
      });
    }
    actions.push({ id: `updates:history:${audience}`, label: `What ${label.toLowerCase()} were told (history)`, group: 'Updates', run: () => open(audience, 'history') });
  }
  actions.push({ id: 'updates:timeline', label: 'Back to the timeline', group: 'Updates', run: () => useStore.getState().setWarPane('timeline') });
  return actions;
}
