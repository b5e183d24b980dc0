// Settings › Sync against real engines: the status shown is what the engine answers and then pushes
// (`sync.status` events, fed into the query cache by the invalidation table), so a joined war room
// shows as connected when the engine says so; the join form is checked by the engine's own request
// schemas, so a bad link or code is named beside its field and nothing is sent.
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { SyncSettings } from '../../renderer/src/features/sync/sync-settings';
import { setClient } from '../../renderer/src/store/client-ref';
import { clientOfEngine } from '../support/engine-client';
import { call, openTestEngine, stateOf } from '../support/engines';
import { startCentral } from '../support/sync';

function showSettings() {
  const engine = openTestEngine();
  setClient(clientOfEngine(engine));
  render(<SyncSettings />);
  return engine;
}

// Typing through user-event is slow on a loaded machine: the time limit is generous, nothing waits on it.
describe('Settings › Sync', { timeout: 30_000 }, () => {
  it('shows a laptop that syncs with nobody', async () => {
    showSettings();
    expect(await screen.findByText(/Not syncing: everything stays on this computer/)).toBeTruthy();
    expect(screen.queryByTestId('peer-hub')).toBeNull();
  });

  it('refuses an empty link and a short code beside their fields, sending nothing', async () => {
    const user = userEvent.setup({ delay: null });
    const engine = showSettings();
    const form = await screen.findByTestId('war-room-join');
    const before = stateOf(engine);
    await user.click(within(form).getByRole('button', { name: 'Join' }));
    expect((await screen.findByTestId('join-link-problem')).textContent).toBe("paste the war room's join link");
    expect(within(form).getByRole('alert').textContent).toBe("Join link: paste the war room's join link");
    expect(within(form).getByLabelText('Join link').getAttribute('aria-invalid')).toBe('true');

    await user.click(within(form).getByRole('button', { name: 'No link? Type what the host reads out' }));
    expect(screen.queryByTestId('join-link-problem')).toBeNull();
    await user.type(within(form).getByLabelText('Address'), '127.0.0.1:7440');
    await user.type(within(form).getByLabelText('Join code'), '7KQ');
    await user.type(within(form).getByLabelText('Certificate fingerprint'), 'ab'.repeat(32));
    await user.click(within(form).getByRole('button', { name: 'Join' }));
    expect((await screen.findByTestId('join-code-problem')).textContent).toBe('give the whole join code the host reads out');
    expect(within(form).getByRole('alert').textContent).toBe('Join code: give the whole join code the host reads out');
    expect(screen.queryByTestId('join-address-problem')).toBeNull();
    expect((await call(engine, 'sync.status', {})).peers).toEqual([]);
    expect(stateOf(engine)).toEqual(before);
  });

  it('connects to the service and shows it connected when the engine reports it', async () => {
    const user = userEvent.setup({ delay: null });
    const service = await startCentral('sqlite');
    try {
      showSettings();
      await user.type(await screen.findByTestId('server-url'), service.url);
      await user.type(screen.getByTestId('server-token'), await service.token('bob', 'responder'));
      await user.click(screen.getByTestId('server-connect'));
      const peer = await screen.findByTestId('peer-central', {}, { timeout: 15_000 });
      // The connect answers before the first sync; "connected" arrives as an event.
      await waitFor(() => expect(within(peer).getByTestId('peer-state').textContent).toMatch(/^connected/), { timeout: 15_000 });
      expect(screen.getByTestId<HTMLInputElement>('server-token').value).toBe('');
    } finally {
      await service.close();
    }
  });
});
