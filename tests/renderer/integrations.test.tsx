// Integrations against a real engine: the targets in Settings, a team's paging targets and the war
// room's integrations panel read through the query layer and read again when the engine says a
// target, a team or the incident changed (here or by sync); the target form names what is missing
// and writes nothing, and saves a good target through the engine.
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { FileInTracker } from '../../renderer/src/features/integrations/file-in-tracker';
import { IntegrationSettings } from '../../renderer/src/features/integrations/integration-settings';
import { IntegrationsPanel } from '../../renderer/src/features/integrations/integrations-panel';
import { TeamPagingTargets } from '../../renderer/src/features/integrations/team-paging-targets';
import { setClient } from '../../renderer/src/store/client-ref';
import { clientOfEngine } from '../support/engine-client';
import { call, openTestEngine, stateOf } from '../support/engines';

/** Nothing listens there: a send fails at once instead of reaching the internet. */
const nowhere = 'http://127.0.0.1:9';

function engineShown() {
  const engine = openTestEngine();
  setClient(clientOfEngine(engine));
  return engine;
}

const rowNames = () => screen.queryAllByTestId('target-row').map((row) => row.getAttribute('aria-label'));

// Typing through user-event is slow on a loaded machine: the time limit is generous, nothing waits on it.
describe('Settings › Integrations', { timeout: 30_000 }, () => {
  it('loads the targets and follows a target saved elsewhere', async () => {
    const engine = engineShown();
    render(<IntegrationSettings />);
    await screen.findByTestId('targets-empty');
    await call(engine, 'integrations.saveTarget', { name: 'Ops chat', config: { kind: 'slack', url: `${nowhere}/hooks/T0K3N` } });
    await waitFor(() => expect(rowNames()).toEqual(['Ops chat']));
    expect(screen.queryByTestId('targets-empty')).toBeNull();
  });

  it('names what is missing and writes nothing; saves a good target', async () => {
    const user = userEvent.setup({ delay: null });
    const engine = engineShown();
    render(<IntegrationSettings />);
    await screen.findByTestId('targets-empty');
    await user.click(screen.getByTestId('add-target'));
    const before = stateOf(engine);
    await user.click(screen.getByTestId('target-save'));
    const problems = await screen.findByTestId('target-problems');
    expect(
      within(problems)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['Name: give the target a name', 'Routing key (Events API v2 integration key): fill it in']);
    expect(stateOf(engine)).toEqual(before);
    await user.type(screen.getByTestId('target-name'), 'Payments on call');
    await user.type(screen.getByTestId('target-field-routingKey'), 'R0UT1NGKEY');
    await user.click(screen.getByTestId('target-save'));
    await waitFor(() => expect(rowNames()).toEqual(['Payments on call']));
    expect(screen.queryByTestId('target-form')).toBeNull();
    expect((await call(engine, 'integrations.targets', {})).map((t) => [t.name, t.kind])).toEqual([['Payments on call', 'pagerduty']]);
  });
});

describe("A team's paging targets", { timeout: 30_000 }, () => {
  it('loads the targets a team is paged through and follows a change made elsewhere', async () => {
    const engine = engineShown();
    const team = await call(engine, 'directory.saveTeam', { name: 'Payments', description: '', escalationPhone: '', pager: '' });
    const target = await call(engine, 'integrations.saveTarget', { name: 'PD payments', config: { kind: 'pagerduty', routingKey: 'R0UT1NG', url: nowhere } });
    render(<TeamPagingTargets teamId={team.id} teamName="Payments" />);
    expect((await screen.findByTestId('team-paging-names')).textContent).toBe('none');
    await call(engine, 'integrations.setTeamTargets', { teamId: team.id, targetIds: [target.id] });
    await waitFor(() => expect(screen.getByTestId('team-paging-names').textContent).toBe('PD payments'));
  });

  it('saves the targets ticked through the engine', async () => {
    const user = userEvent.setup({ delay: null });
    const engine = engineShown();
    const team = await call(engine, 'directory.saveTeam', { name: 'Payments', description: '', escalationPhone: '', pager: '' });
    const target = await call(engine, 'integrations.saveTarget', { name: 'PD payments', config: { kind: 'pagerduty', routingKey: 'R0UT1NG', url: nowhere } });
    render(<TeamPagingTargets teamId={team.id} teamName="Payments" />);
    await user.click(await screen.findByTestId('team-paging-edit'));
    await user.click(within(screen.getByTestId('team-paging-form')).getByRole('checkbox', { name: 'PD payments' }));
    await user.click(screen.getByTestId('team-paging-save'));
    await waitFor(() => expect(screen.getByTestId('team-paging-names').textContent).toBe('PD payments'));
    expect(screen.queryByTestId('team-paging-form')).toBeNull();
    expect(await call(engine, 'integrations.teamTargets', { teamId: team.id })).toEqual([target.id]);
  });
});

describe('The war room’s integrations panel', { timeout: 30_000 }, () => {
  it('shows a chat target to mirror to, and follows a mirror turned on elsewhere', async () => {
    const engine = engineShown();
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    render(<IntegrationsPanel incidentId={incident.id} services={[]} />);
    await screen.findByTestId('integrations-panel');
    const chat = await call(engine, 'integrations.saveTarget', { name: 'Ops chat', config: { kind: 'slack', url: `${nowhere}/hooks/T0K3N` } });
    const box = await screen.findByTestId<HTMLInputElement>(`mirror-${chat.id}`);
    expect(box.checked).toBe(false);
    await call(engine, 'integrations.setMirror', { incidentId: incident.id, targetId: chat.id, kinds: ['decision'], internalUpdates: true, isEnabled: true });
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>(`mirror-${chat.id}`).checked).toBe(true));
  });

  it('turns a mirror on through the engine', async () => {
    const user = userEvent.setup({ delay: null });
    const engine = engineShown();
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    const chat = await call(engine, 'integrations.saveTarget', { name: 'Ops chat', config: { kind: 'slack', url: `${nowhere}/hooks/T0K3N` } });
    render(<IntegrationsPanel incidentId={incident.id} services={[]} />);
    await user.click(await screen.findByTestId(`mirror-${chat.id}`));
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>(`mirror-${chat.id}`).checked).toBe(true));
    expect((await call(engine, 'integrations.mirrors', { incidentId: incident.id })).map((m) => [m.targetId, m.isEnabled])).toEqual([[chat.id, true]]);
  });
});

describe('File in a tracker', { timeout: 30_000 }, () => {
  it('offers a tracker target, and shows an action item filed elsewhere', async () => {
    const engine = engineShown();
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    const item = await call(engine, 'actions.add', { incidentId: incident.id, title: 'Alert on replication lag', type: 'detect' });
    render(<FileInTracker incidentId={incident.id} actionItemId={item.id} />);
    const tracker = await call(engine, 'integrations.saveTarget', {
      name: 'Jira',
      config: { kind: 'jira', baseUrl: nowhere, email: 'ops@example.com', apiToken: 'T0K3N', projectKey: 'OPS' },
    });
    expect((await screen.findByTestId('file-in-tracker-button')).textContent).toBe('File in Jira');
    expect(screen.queryByTestId('tracker-state')).toBeNull();
    await call(engine, 'integrations.fileActionItem', { incidentId: incident.id, actionItemId: item.id, targetId: tracker.id });
    await waitFor(() => expect(screen.getByTestId('tracker-state')).toBeTruthy());
  });
});
