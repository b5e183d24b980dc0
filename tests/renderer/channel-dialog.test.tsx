// The delivery channel dialog against a real engine: the engine's schemas (the request's and the
// channel configuration's) check the form before anything is sent, so a bad address is named in
// the engine's words beside its field and nothing is written; a good channel is saved by the engine.
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { ChannelView } from '@shared/domain/comms-api';
import { ChannelDialog } from '../../renderer/src/features/comms-settings/channel-dialog';
import { setClient } from '../../renderer/src/store/client-ref';
import { clientOfEngine } from '../support/engine-client';
import { call, openTestEngine, stateOf } from '../support/engines';

async function fillWebhook(url: string) {
  const user = userEvent.setup({ delay: null });
  await user.type(screen.getByTestId('channel-name'), 'Status relay');
  await user.click(screen.getByTestId('channel-audience-customers'));
  await user.type(screen.getByTestId('channel-url'), url);
  await user.click(screen.getByTestId('channel-save'));
}

function openDialog() {
  const engine = openTestEngine();
  setClient(clientOfEngine(engine));
  const onSaved = vi.fn<(channel: ChannelView) => void>();
  render(<ChannelDialog channel={null} onClose={() => undefined} onSaved={onSaved} />);
  return { engine, onSaved };
}

// Typing through user-event is slow on a loaded machine: the time limit is generous, nothing waits on it.
describe('ChannelDialog', { timeout: 30_000 }, () => {
  it('names a bad address beside its field and sends nothing', async () => {
    const { engine, onSaved } = openDialog();
    const before = stateOf(engine);
    await fillWebhook('hooks.example.com/holdfast');
    expect((await screen.findByTestId('channel-error')).textContent).toBe(
      'The channel cannot be saved: url is not a web address: give one like https://hooks.example.com/holdfast.',
    );
    expect(screen.getByTestId('channel-url-problem').textContent).toBe('is not a web address: give one like https://hooks.example.com/holdfast');
    expect(screen.getByTestId('channel-url').getAttribute('aria-invalid')).toBe('true');
    expect(onSaved).not.toHaveBeenCalled();
    expect(stateOf(engine)).toEqual(before);
  });

  it('saves a good webhook through the engine', async () => {
    const { engine, onSaved } = openDialog();
    await fillWebhook('https://hooks.example.com/holdfast/T0K3N');
    await waitFor(() => expect(onSaved).toHaveBeenCalledTimes(1));
    const channels = await call(engine, 'comms.channels', {});
    expect(channels.map((c) => ({ name: c.name, kind: c.kind, audiences: c.audiences }))).toEqual([{ name: 'Status relay', kind: 'webhook', audiences: ['customers'] }]);
    expect(onSaved.mock.calls[0][0].id).toBe(channels[0].id);
    expect(screen.queryByTestId('channel-error')).toBeNull();
  });
});
