// The scribe's box in a war room over a real engine: Enter writes an entry and keeps the cursor in
// the box, prefixes and the kind picker set the kind (for one entry unless kept), an earlier time
// backdates it, a refused entry comes back with the engine's reason, E reaches the box from anywhere;
// and the person hints under a user-name field (assigning a role): who the name is in the
// directory, who it may mean, or that nobody is called that.
import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { call, openTestEngine } from '../support/engines';
import { openWarRoom } from '../support/render-app';

const title = 'Checkout returns 502 for card payments';

async function warRoom() {
  const engine = openTestEngine();
  const incident = await call(engine, 'incidents.create', { title, severity: 'SEV2', summary: '' });
  const app = await openWarRoom(engine, title);
  const box = screen.getByRole('textbox', { name: 'New timeline entry' });
  return { engine, incidentId: incident.id, ...app, box };
}

/** The entries people wrote (not Holdfast's own), oldest first, as the engine holds them. */
async function written(engine: Engine, incidentId: string) {
  const window = await call(engine, 'timeline.window', { incidentId, offset: 0, limit: 100, filter: { kinds: ['note', 'decision', 'action', 'observation', 'comms'] } });
  return window.entries.map((e) => ({ kind: e.kind, text: e.text, eventAt: e.eventAt }));
}

const timeline = () => screen.getByRole('log', { name: 'Incident timeline' });

describe('quick entry', { timeout: 60_000 }, () => {
  it('writes the typed line on Enter, shows it on the timeline and keeps the cursor in the emptied box', async () => {
    const { engine, incidentId, user, box } = await warRoom();
    await user.click(box);
    await user.keyboard('Paused the deploy pipeline{Enter}');
    await waitFor(async () => expect(await written(engine, incidentId)).toMatchObject([{ kind: 'note', text: 'Paused the deploy pipeline' }]));
    expect(await within(timeline()).findByText('Paused the deploy pipeline')).toBeTruthy();
    expect(box).toHaveProperty('value', '');
    expect(document.activeElement).toBe(box);

    // Typing straight on: the second entry needs no click.
    await user.keyboard('Error rate back under 1%{Enter}');
    expect(await within(timeline()).findByText('Error rate back under 1%')).toBeTruthy();
    expect((await written(engine, incidentId)).map((e) => e.text)).toEqual(['Paused the deploy pipeline', 'Error rate back under 1%']);
  });

  it('starts a new line on Shift+Enter instead of writing', async () => {
    const { engine, incidentId, user, box } = await warRoom();
    await user.click(box);
    await user.keyboard('Rolled back payments-api{Shift>}{Enter}{/Shift}to 4.12.1');
    expect(box).toHaveProperty('value', 'Rolled back payments-api\nto 4.12.1');
    await user.keyboard('{Enter}');
    await waitFor(async () => expect(await written(engine, incidentId)).toMatchObject([{ kind: 'note', text: 'Rolled back payments-api\nto 4.12.1' }]));
  });

  it('takes a prefix as the kind of that one entry', async () => {
    const { engine, incidentId, user, box } = await warRoom();
    await user.click(box);
    await user.keyboard('/d Roll back to 4.12{Enter}');
    await within(timeline()).findByText('Roll back to 4.12');
    await user.keyboard('/A page the database on-call{Enter}');
    await within(timeline()).findByText('page the database on-call');
    await user.keyboard('/x is not a prefix{Enter}');
    await within(timeline()).findByText('/x is not a prefix');
    expect(await written(engine, incidentId)).toMatchObject([
      { kind: 'decision', text: 'Roll back to 4.12' },
      { kind: 'action', text: 'page the database on-call' },
      { kind: 'note', text: '/x is not a prefix' },
    ]);
    const rows = within(timeline()).getAllByTestId('timeline-row');
    expect(rows.map((row) => row.dataset.kind).filter((kind) => kind !== 'system')).toEqual(['decision', 'action', 'note']);
  });

  it('uses a picked kind for the next entry only, and for every entry once kept', async () => {
    const { engine, incidentId, user, box } = await warRoom();
    const kind = screen.getByRole('combobox', { name: 'Kind of entry' });
    await user.selectOptions(kind, 'observation');
    await user.click(box);
    await user.keyboard('Replica lag 40 s on db-eu-2{Enter}');
    await within(timeline()).findByText('Replica lag 40 s on db-eu-2');
    expect(kind).toHaveProperty('value', 'note');
    await user.keyboard('Lag falling{Enter}');
    await within(timeline()).findByText('Lag falling');

    await user.selectOptions(kind, 'decision');
    const keep = screen.getByRole('button', { name: /the kind for the next entries/ });
    await user.click(keep);
    expect(keep.getAttribute('aria-pressed')).toBe('true');
    await user.click(box);
    await user.keyboard('Keep the freeze{Enter}');
    await within(timeline()).findByText('Keep the freeze');
    await user.keyboard('No schema changes today{Enter}');
    await within(timeline()).findByText('No schema changes today');
    expect(kind).toHaveProperty('value', 'decision');

    expect((await written(engine, incidentId)).map((e) => `${e.kind}: ${e.text}`)).toEqual([
      'observation: Replica lag 40 s on db-eu-2',
      'note: Lag falling',
      'decision: Keep the freeze',
      'decision: No schema changes today',
    ]);
  });

  it('backdates an entry to the time given, in local time', async () => {
    const { engine, incidentId, user, box } = await warRoom();
    await user.type(screen.getByLabelText('Happened at (leave empty for now)'), '2025-03-14T10:20:00');
    await user.click(box);
    await user.keyboard('First alert fired{Enter}');
    await within(timeline()).findByText('First alert fired');
    expect(await written(engine, incidentId)).toEqual([{ kind: 'note', text: 'First alert fired', eventAt: new Date(2025, 2, 14, 10, 20, 0).getTime() }]);
    // The time was for that entry: the next one happens now.
    expect(screen.getByLabelText('Happened at (leave empty for now)')).toHaveProperty('value', '');
  });

  it("gives a refused entry back, with the engine's reason, and writes nothing", async () => {
    const { engine, incidentId, user, box } = await warRoom();
    const tooLong = 'x'.repeat(20_001);
    await user.click(box);
    await user.paste(tooLong);
    await user.keyboard('{Enter}');
    expect((await screen.findByRole('alert')).textContent).toMatch(/at most 20000 characters/);
    expect(box).toHaveProperty('value', tooLong);
    expect(await written(engine, incidentId)).toEqual([]);
  });

  it('puts the cursor in the box when E is pressed anywhere in the war room', async () => {
    const { user, box } = await warRoom();
    expect(document.activeElement).not.toBe(box);
    await user.keyboard('e');
    await waitFor(() => expect(document.activeElement).toBe(box));
    // The key itself is not typed into the box.
    expect(box).toHaveProperty('value', '');
  });
});

describe('person hints under a user-name field', { timeout: 60_000 }, () => {
  async function assignDialog() {
    const room = await warRoom();
    await call(room.engine, 'directory.savePerson', {
      name: 'Ben Tran',
      handle: 'ben.tran',
      email: '',
      phones: [{ label: 'mobile', number: '+44 20 7946 0018' }],
      teamId: null,
      timeZone: '',
      title: '',
      notes: '',
    });
    await call(room.engine, 'directory.savePerson', {
      name: 'Benedikt Roth',
      handle: 'ben.roth',
      email: '',
      phones: [],
      teamId: null,
      timeZone: '',
      title: '',
      notes: '',
    });
    await room.user.keyboard('{Control>}k{/Control}');
    await room.user.keyboard('assign scribe{Enter}');
    const dialog = await screen.findByRole('dialog', { name: /Scribe/ });
    const person = within(dialog).getByRole('combobox', { name: /Person/ });
    return { ...room, dialog, person };
  }

  it('offers the directory people a typed name may mean, and takes one with a click', async () => {
    const { user, dialog, person } = await assignDialog();
    await user.type(person, 'ben');
    const hint = await within(dialog).findByTestId('person-suggest');
    expect(hint.textContent).toMatch(/“ben” is not a user name in the directory/);
    expect(
      within(hint)
        .getAllByRole('button')
        .map((b) => b.textContent),
    ).toEqual(['ben.roth', 'ben.tran']);
    await user.click(within(hint).getByRole('button', { name: 'ben.tran' }));
    expect(person).toHaveProperty('value', 'ben.tran');
    const match = within(dialog).getByTestId('person-match');
    expect(match.textContent).toMatch(/Ben Tran in the directory/);
    expect(within(match).getByRole('link').getAttribute('href')).toMatch(/^tel:\+44/);
  });

  it('warns that nobody is called a name the directory does not know, and assigns it as typed', async () => {
    const { engine, incidentId, user, dialog, person } = await assignDialog();
    await user.type(person, 'zed.quinn');
    expect((await within(dialog).findByTestId('person-none')).textContent).toMatch(/Nobody called “zed.quinn” is in the directory/);
    await user.click(within(dialog).getByRole('button', { name: /Assign/ }));
    await waitFor(async () => {
      const room = await call(engine, 'incidents.room', { id: incidentId });
      expect(room.seats.find((s) => s.role === 'scribe')).toMatchObject({ holderId: 'zed.quinn' });
    });
  });
});
