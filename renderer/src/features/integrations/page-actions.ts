// "Page a team…" in the war room (its header's action list and the command palette): pick a team
// from the directory, or the owner team of one of the incident's services, add what they should
// know, and the engine pages the team through every paging target it carries (docs/integrations.md).
import { useStore } from '../../store';
import { rereadRoom } from '../war-room/war-room-queries';
import { client } from '../../store/client-ref';
import type { Action } from '../war-room/actions';
import type { FieldValue } from '../war-room/dialog-spec';

const text = (values: Record<string, FieldValue>, name: string) => String(values[name] ?? '').trim();

/** Opens the paging dialog; `preset` chooses the team (or "service:<id>") already. */
export async function openPageDialog(incidentId: string, services: string[], preset?: string): Promise<void> {
  const directory = await client().call('directory.list', {});
  const options = [
    ...directory.teams.map((team) => ({ value: team.id, label: team.name })),
    ...services.map((service) => ({ value: `service:${service}`, label: `Owner team of ${service}` })),
  ];
  useStore.getState().openDialog({
    title: 'Page a team',
    description:
      'Pages the team through its paging targets (PagerDuty, Opsgenie, Grafana OnCall or a webhook). Paging the same team again in this incident updates the same alert.',
    fields: [
      { name: 'team', label: 'Team', kind: 'select', options, initial: preset ?? options[0]?.value ?? '' },
      { name: 'note', label: 'What should they know?', kind: 'textarea', placeholder: 'Card payments failing since 14:02 UTC; rollback did not help' },
    ],
    submitLabel: 'Page',
    submit: async (values) => {
      const team = text(values, 'team');
      if (!team) throw new Error('Choose a team to page.');
      const note = text(values, 'note');
      const target = team.startsWith('service:') ? { serviceId: team.slice('service:'.length) } : { teamId: team };
      await client().call('integrations.page', { incidentId, ...target, ...(note ? { note } : {}) });
      void rereadRoom(incidentId);
    },
  });
}

export function integrationActions(incidentId: string, services: string[]): Action[] {
  const run = (preset?: string) => () => void openPageDialog(incidentId, services, preset).catch((error: unknown) => useStore.getState().showRoomError(error));
  return [
    { id: 'integrations-page', label: 'Page a team…', group: 'Incident', run: run() },
    ...services.map((service) => ({
      id: `integrations-page-service:${service}`,
      label: `Page the owner team of ${service}`,
      group: 'Incident' as const,
      run: run(`service:${service}`),
    })),
  ];
}
