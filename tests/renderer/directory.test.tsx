// The people directory against a real engine: the page reads the directory through the query layer
// and follows edits another laptop made (brought by sync, announced as a `directory` stream change)
// without a click; each editor checks its form with the engine's own field rules, naming a bad
// field beside it and sending nothing, and saves a good one through the engine.
import { screen, waitFor, within } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { call, exchange, openTestEngine, stateOf } from '../support/engines';
import { startApp } from '../support/render-app';

const startTimeoutMs = 15_000;

/** Starts the app over `engine` and opens the directory from the sidebar. */
async function openDirectory(engine: Engine): Promise<UserEvent> {
  const user = userEvent.setup({ delay: null });
  await startApp(engine, { user });
  await user.click(await screen.findByTestId('nav-directory', {}, { timeout: startTimeoutMs }));
  await screen.findByTestId('directory-search', {}, { timeout: startTimeoutMs });
  return user;
}

const personCard = (name: string) => screen.getAllByTestId('person-card').find((card) => within(card).queryByRole('heading', { name }));
const cardOf = (testId: string, name: string) =>
  screen.getAllByTestId(testId).find((card) => card.getAttribute('aria-label') === name || within(card).queryByRole('heading', { name }));

// Typing through user-event is slow on a loaded machine: the time limit is generous, nothing waits on it.
describe('directory page', { timeout: 60_000 }, () => {
  it('shows the directory the engine keeps, and edits another laptop made once sync brings them', async () => {
    const engine = openTestEngine();
    const team = await call(engine, 'directory.saveTeam', { name: 'Payments', description: '', escalationPhone: '', pager: '' });
    const priya = await call(engine, 'directory.savePerson', {
      name: 'Priya Shah',
      title: 'SRE',
      teamId: team.id,
      phones: [{ label: 'mobile', number: '+44 20 7946 0000' }],
    });
    const laptop = openTestEngine();
    exchange(engine, laptop);

    await openDirectory(engine);
    expect(await screen.findByRole('heading', { name: 'Priya Shah' })).toBeTruthy();
    expect(personCard('Priya Shah')?.textContent).toContain('SRE');
    expect(screen.getByText(/1 person · 1 team · 0 bridges/)).toBeTruthy();

    // Written on the other laptop, then exchanged as sync would: the page follows without a click.
    await call(laptop, 'directory.savePerson', { id: priya.id, title: 'Payments SRE lead' });
    await call(laptop, 'directory.savePerson', { name: 'Sam Lee', phones: [{ label: 'desk', number: '+1 415 555 0100' }] });
    await call(laptop, 'directory.saveBridge', { name: 'Major incident bridge', dialIn: [{ label: 'US', number: '+1 646 555 0100' }], pin: '482 913#' });
    exchange(engine, laptop);

    expect(await screen.findByRole('heading', { name: 'Sam Lee' })).toBeTruthy();
    await waitFor(() => expect(personCard('Priya Shah')?.textContent).toContain('Payments SRE lead'));
    expect(await screen.findByRole('heading', { name: 'Major incident bridge' })).toBeTruthy();
    expect(screen.getByText(/2 people · 1 team · 1 bridge/)).toBeTruthy();

    // A removal elsewhere takes the card away.
    await call(laptop, 'directory.remove', { kind: 'person', id: priya.id });
    exchange(engine, laptop);
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Priya Shah' })).toBeNull());
    expect(screen.getAllByTestId('person-card')).toHaveLength(1);
  });
});

describe('person editor', { timeout: 60_000 }, () => {
  it('names each bad field beside it and sends nothing, then saves the person once they are fixed', async () => {
    const engine = openTestEngine();
    const team = await call(engine, 'directory.saveTeam', { name: 'Payments', description: '', escalationPhone: '', pager: '' });
    const user = await openDirectory(engine);
    await screen.findByText('No one in the directory yet');
    const before = stateOf(engine);

    await user.click(screen.getByTestId('add-person'));
    const dialog = await screen.findByTestId('person-dialog');
    const field = (testId: string) => within(dialog).getByTestId(testId);
    await user.type(field('person-name'), 'Rosa Diaz');
    await user.type(field('person-email'), 'rosa at example');
    await user.type(field('person-time-zone'), 'Mars/Base');
    await user.type(within(dialog).getAllByTestId('person-phones-number')[0], 'call me');
    await user.click(field('editor-save'));

    expect((await within(dialog).findByTestId('person-time-zone-problem')).textContent).toBe(
      '"Mars/Base" is not a known IANA time zone; use a name like Europe/Berlin or America/New_York',
    );
    expect(field('person-time-zone').getAttribute('aria-invalid')).toBe('true');
    expect(field('person-email-problem').textContent).toBe('must be an e-mail address like name@example.com');
    expect(field('person-phones-1-problem').textContent).toContain('"call me" is not a phone number');
    expect(within(dialog).queryByTestId('person-name-problem')).toBeNull();
    // The summary names each field as the engine names it in a refusal.
    expect(field('editor-error').textContent).toMatch(/^email: .*; phones\.0\.number: .*; timeZone: "Mars\/Base" is not a known IANA time zone/);
    expect(stateOf(engine)).toEqual(before);

    await user.clear(field('person-email'));
    await user.type(field('person-email'), 'rosa@example.com');
    await user.clear(field('person-time-zone'));
    await user.type(field('person-time-zone'), 'america/chicago');
    await user.clear(within(dialog).getAllByTestId('person-phones-number')[0]);
    await user.type(within(dialog).getAllByTestId('person-phones-number')[0], '+1 415 555 0120');
    // A second row left blank is dropped rather than refused.
    await user.click(field('person-phones-add'));
    await user.selectOptions(field('person-team'), 'Payments');
    await user.click(field('editor-save'));

    await waitFor(() => expect(screen.queryByTestId('person-dialog')).toBeNull());
    const [rosa] = (await call(engine, 'directory.list', {})).people;
    expect(rosa).toMatchObject({
      name: 'Rosa Diaz',
      email: 'rosa@example.com',
      timeZone: 'America/Chicago',
      teamId: team.id,
      phones: [{ label: 'mobile', number: '+1 415 555 0120' }],
    });
    expect(await screen.findByRole('heading', { name: 'Rosa Diaz' })).toBeTruthy();
  });

  it("shows the engine's refusal: a user name another person already has", async () => {
    const engine = openTestEngine();
    await call(engine, 'directory.savePerson', { name: 'Ben Tran', handle: 'ben.tran' });
    const user = await openDirectory(engine);
    await screen.findByRole('heading', { name: 'Ben Tran' });
    const before = stateOf(engine);

    await user.click(screen.getByTestId('add-person'));
    const dialog = await screen.findByTestId('person-dialog');
    await user.type(within(dialog).getByTestId('person-name'), 'Benjamin Tran');
    await user.type(within(dialog).getByTestId('person-handle'), 'Ben.Tran');
    await user.type(within(dialog).getAllByTestId('person-phones-number')[0], '+1 415 555 0100');
    await user.click(within(dialog).getByTestId('editor-save'));

    expect((await within(dialog).findByTestId('editor-error')).textContent).toBe(
      'The handle Ben.Tran already belongs to Ben Tran; each person has their own Holdfast user name.',
    );
    expect(screen.getByTestId('person-dialog')).toBeTruthy();
    expect(stateOf(engine)).toEqual(before);
  });
});

describe('team editor', { timeout: 60_000 }, () => {
  it('refuses an escalation number that cannot be dialled, then saves the team', async () => {
    const engine = openTestEngine();
    const user = await openDirectory(engine);
    const before = stateOf(engine);

    await user.click(screen.getByTestId('add-team'));
    const dialog = await screen.findByTestId('team-dialog');
    await user.click(within(dialog).getByTestId('editor-save'));
    expect((await within(dialog).findByTestId('team-name-problem')).textContent).toBe('give the team a name');

    await user.type(within(dialog).getByTestId('team-name'), 'Platform SRE');
    await user.type(within(dialog).getByTestId('team-escalation'), '12');
    await user.click(within(dialog).getByTestId('editor-save'));
    await waitFor(() => expect(within(dialog).getByTestId('team-escalation-problem').textContent).toBe('"12" has 2 digits; a phone number has 3 to 20'));
    expect(within(dialog).queryByTestId('team-name-problem')).toBeNull();
    expect(stateOf(engine)).toEqual(before);

    await user.clear(within(dialog).getByTestId('team-escalation'));
    await user.type(within(dialog).getByTestId('team-escalation'), '+1 415 555 0188');
    await user.type(within(dialog).getByTestId('team-pager'), 'platform-oncall@pager.example.com');
    await user.click(within(dialog).getByTestId('editor-save'));

    await waitFor(() => expect(screen.queryByTestId('team-dialog')).toBeNull());
    expect((await call(engine, 'directory.list', {})).teams).toMatchObject([
      { name: 'Platform SRE', escalationPhone: '+1 415 555 0188', pager: 'platform-oncall@pager.example.com' },
    ]);
    await waitFor(() => expect(cardOf('team-card', 'Platform SRE')).toBeTruthy());
  });
});

describe('bridge editor', { timeout: 60_000 }, () => {
  it('refuses a meeting link that is not a web address and a bad dial-in, then saves the bridge', async () => {
    const engine = openTestEngine();
    const user = await openDirectory(engine);
    const before = stateOf(engine);

    await user.click(screen.getByTestId('add-bridge'));
    const dialog = await screen.findByTestId('bridge-dialog');
    const field = (testId: string) => within(dialog).getByTestId(testId);
    await user.type(field('bridge-name'), 'Major incident bridge');
    await user.type(within(dialog).getAllByTestId('bridge-dial-in-label')[0], 'US: main');
    await user.type(within(dialog).getAllByTestId('bridge-dial-in-number')[0], '+1 646 555 0100');
    await user.type(field('bridge-url'), 'javascript:alert(1)');
    await user.click(field('editor-save'));

    expect((await within(dialog).findByTestId('bridge-url-problem')).textContent).toBe('must be an http:// or https:// link');
    expect(field('bridge-dial-in-1-problem').textContent).toBe('Label: must not contain ":" or ";"');
    expect(stateOf(engine)).toEqual(before);

    await user.clear(within(dialog).getAllByTestId('bridge-dial-in-label')[0]);
    await user.type(within(dialog).getAllByTestId('bridge-dial-in-label')[0], 'US');
    await user.clear(field('bridge-url'));
    await user.type(field('bridge-url'), 'https://meet.example.com/major-incident');
    await user.type(field('bridge-pin-input'), '482 913#');
    await user.click(field('editor-save'));

    await waitFor(() => expect(screen.queryByTestId('bridge-dialog')).toBeNull());
    expect((await call(engine, 'directory.list', {})).bridges).toMatchObject([
      { name: 'Major incident bridge', dialIn: [{ label: 'US', number: '+1 646 555 0100' }], pin: '482 913#', meetingUrl: 'https://meet.example.com/major-incident' },
    ]);
    expect(await screen.findByRole('heading', { name: 'Major incident bridge' })).toBeTruthy();
  });
});
