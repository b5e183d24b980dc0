// The war room's command palette over a real engine: Ctrl+K opens it with the cursor in it, typed
// words narrow the actions (every word, in the group or the label), arrows choose, Enter or a click
// runs, Escape closes and gives the cursor back; an action that writes reaches the engine and the
// room shows the result; what the palette offers follows the incident as the engine changes it.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { call, openTestEngine } from '../support/engines';
import { openWarRoom } from '../support/render-app';

const title = 'Search results empty for every query';

async function warRoom() {
  const engine = openTestEngine();
  const incident = await call(engine, 'incidents.create', { title, severity: 'SEV2', summary: '' });
  const app = await openWarRoom(engine, title);
  return { engine, incidentId: incident.id, ...app };
}

const palette = () => screen.getByRole('dialog', { name: 'Command palette' });
const input = () => within(palette()).getByRole('textbox');
/** The actions listed, as shown: group, then label. */
const listed = () =>
  within(palette())
    .queryAllByTestId('palette-item')
    .map((item) => item.textContent?.replace(/\s+/g, ' ').trim());
const chosen = () =>
  within(palette())
    .queryAllByTestId('palette-item')
    .find((item) => item.getAttribute('aria-current') === 'true')?.textContent;
const isOpen = () => screen.getByTestId('command-palette').hasAttribute('open');

describe('command palette', { timeout: 60_000 }, () => {
  it('opens on Ctrl+K with the cursor in it and narrows the actions to those matching every typed word', async () => {
    const { user } = await warRoom();
    await user.keyboard('{Control>}k{/Control}');
    expect(isOpen()).toBe(true);
    expect(document.activeElement).toBe(input());
    expect(listed().length).toBeGreaterThan(10);

    await user.keyboard('write dec');
    expect(listed()).toEqual(['Timeline Write a decision']);
    // Words may come from the group as well as the label, in any order.
    await user.clear(input());
    await user.keyboard('pinned timeline');
    expect(listed()).toEqual(['Timeline Show pinned entries only']);
    await user.clear(input());
    await user.keyboard('severity sev4');
    expect(listed()).toEqual([expect.stringMatching(/^Incident Change severity to SEV4/)]);
    await user.clear(input());
    await user.keyboard('defenestrate');
    expect(listed()).toEqual([]);
    expect(within(palette()).getByText('No action matches.')).toBeTruthy();
  });

  it('chooses with the arrows and runs the chosen action on Enter', async () => {
    const { engine, incidentId, user } = await warRoom();
    await user.keyboard('{Control>}k{/Control}write');
    expect(listed()).toEqual([
      'Timeline Write a note',
      'Timeline Write a decision',
      'Timeline Write an action',
      'Timeline Write an observation',
      'Timeline Write a comms entry',
    ]);
    expect(chosen()).toMatch(/Write a note$/);
    await user.keyboard('{ArrowUp}');
    expect(chosen()).toMatch(/Write a note$/);
    await user.keyboard('{ArrowDown}{ArrowDown}{ArrowDown}{ArrowDown}{ArrowDown}{ArrowDown}');
    expect(chosen()).toMatch(/Write a comms entry$/);
    await user.keyboard('{ArrowUp}{ArrowUp}');
    expect(chosen()).toMatch(/Write an action$/);
    // Typing again starts from the first match.
    await user.keyboard(' a');
    expect(chosen()).toMatch(/Write a note$/);
    await user.keyboard('{Backspace}{Backspace}{ArrowDown}{ArrowDown}{Enter}');

    // "Write an action": the palette is gone, the box has the cursor and writes an action.
    expect(isOpen()).toBe(false);
    const box = screen.getByRole('textbox', { name: 'New timeline entry' });
    await waitFor(() => expect(document.activeElement).toBe(box));
    expect(screen.getByRole('combobox', { name: 'Kind of entry' })).toHaveProperty('value', 'action');
    await user.keyboard('Page the payments on-call{Enter}');
    await waitFor(async () => {
      const entries = await call(engine, 'timeline.window', { incidentId, offset: 0, limit: 10, filter: { kinds: ['action'] } });
      expect(entries.entries.map((e) => e.text)).toEqual(['Page the payments on-call']);
    });
  });

  it('writes through the engine and the room shows what the engine recorded', async () => {
    const { engine, incidentId, user } = await warRoom();
    await user.keyboard('{Control>}k{/Control}severity sev1{Enter}');
    expect(isOpen()).toBe(false);
    await waitFor(async () => expect((await call(engine, 'incidents.get', { id: incidentId })).severity).toBe('SEV1'));
    expect(await screen.findByText(/severity SEV2 → SEV1/)).toBeTruthy();

    // A click runs an item as Enter does.
    await user.keyboard('{Control>}k{/Control}move to mitigated');
    await user.click(within(palette()).getByRole('button', { name: /Move to mitigated/ }));
    await waitFor(async () => expect((await call(engine, 'incidents.get', { id: incidentId })).status).toBe('mitigated'));
    expect(await within(screen.getByTestId('war-status')).findByText(/mitigated/i)).toBeTruthy();
  });

  it('closes on Escape or Ctrl+K and gives the cursor back to where it was', async () => {
    const { user } = await warRoom();
    const search = screen.getByRole('searchbox', { name: 'Search this timeline' });
    await user.click(search);
    await user.keyboard('{Control>}k{/Control}');
    expect(isOpen()).toBe(true);
    await user.keyboard('status{Escape}');
    expect(isOpen()).toBe(false);
    expect(document.activeElement).toBe(search);

    // Opened again, it starts empty; Ctrl+K closes it as well.
    await user.keyboard('{Control>}k{/Control}');
    expect(input()).toHaveProperty('value', '');
    await user.keyboard('{Control>}k{/Control}');
    expect(isOpen()).toBe(false);
  });

  it('offers only what a closed incident still allows once the engine says it is closed', async () => {
    const { engine, incidentId, user } = await warRoom();
    await user.keyboard('{Control>}k{/Control}write');
    expect(listed()).toHaveLength(5);
    await user.keyboard('{Escape}');

    await call(engine, 'incidents.setStatus', { id: incidentId, status: 'resolved' });
    await call(engine, 'incidents.setStatus', { id: incidentId, status: 'closed' });
    await screen.findByTestId('closed-note');
    await user.keyboard('{Control>}k{/Control}write');
    expect(listed()).toEqual([]);
    await user.clear(input());
    await user.keyboard('pinned');
    expect(listed()).toEqual(['Timeline Show pinned entries only']);
  });
});
