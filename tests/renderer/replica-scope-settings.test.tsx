// Settings › Incidents on this laptop against a real engine: the replica scope (docs/replica-scope.md)
// is read from the engine, a good value is saved by it, and a bad one is named and writes nothing.
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ReplicaScopeSettings } from '../../renderer/src/features/settings/replica-scope-settings';
import { setClient } from '../../renderer/src/store/client-ref';
import { clientOfEngine } from '../support/engine-client';
import { call, openTestEngine } from '../support/engines';

/** The section on a fresh engine, its days field once the engine's setting (90) shows, with the field cleared. */
async function openSection() {
  const user = userEvent.setup({ delay: null });
  const laptop = openTestEngine();
  setClient(clientOfEngine(laptop));
  render(<ReplicaScopeSettings />);
  const days = await screen.findByTestId<HTMLInputElement>('scope-keep-days');
  await waitFor(() => expect(days.value).toBe('90'));
  await user.clear(days);
  return { user, laptop, days };
}

describe('Settings › Incidents on this laptop', { timeout: 30_000 }, () => {
  it('shows the default, saves a shorter period, then keep-everything', async () => {
    const { user, laptop, days } = await openSection();
    await user.type(days, '30');
    await user.click(screen.getByTestId('scope-save'));
    await waitFor(async () => expect((await call(laptop, 'sync.scope', {})).settings).toEqual({ keepClosedDays: 30, isKeepEverything: false }));

    await user.click(screen.getByTestId('scope-keep-everything'));
    expect(days.disabled).toBe(true);
    await user.click(screen.getByTestId('scope-save'));
    await waitFor(async () => expect((await call(laptop, 'sync.scope', {})).settings).toEqual({ keepClosedDays: 30, isKeepEverything: true }));
  });

  it('names a bad number of days and writes nothing', async () => {
    const { user, laptop, days } = await openSection();
    await user.type(days, '0');
    await user.click(screen.getByTestId('scope-save'));
    expect((await screen.findByTestId('scope-error')).textContent).toBe('Days: keepClosedDays must be at least 1 day');
    expect((await call(laptop, 'sync.scope', {})).settings).toEqual({ keepClosedDays: 90, isKeepEverything: false });
  });
});
