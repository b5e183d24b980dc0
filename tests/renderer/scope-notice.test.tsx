// The incident list's notice of what is not on this laptop, against a real engine and service.
import { render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { ScopeNotice } from '../../renderer/src/features/incidents/scope-notice';
import { setClient } from '../../renderer/src/store/client-ref';
import { clientOfEngine } from '../support/engine-client';
import { call, openTestEngine } from '../support/engines';
import { startCentral, type Central } from '../support/sync';

const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
});

describe('Incidents › not on this laptop', { timeout: 30_000 }, () => {
  it('says nothing on a laptop alone, names the scope once it syncs, and says when the service is out of reach', async () => {
    const laptop = openTestEngine({ syncPollMs: 60_000 });
    setClient(clientOfEngine(laptop));
    await call(laptop, 'sync.setScope', { keepClosedDays: 30, isKeepEverything: false });
    const alone = render(<ScopeNotice />);
    await call(laptop, 'sync.scope', {});
    expect(screen.queryByTestId('scope-notice')).toBeNull();
    alone.unmount();

    const central = await startCentral('sqlite');
    centrals.push(central);
    await call(laptop, 'sync.connect', { url: central.url, token: await central.token('ana', 'responder') });
    await call(laptop, 'sync.now', {});
    render(<ScopeNotice />);
    expect((await screen.findByTestId('scope-notice')).textContent).toBe(
      'Not on this laptop: incidents closed more than 30 days ago that you did not work on. They are kept on the service.',
    );
    await central.stop();
    await call(laptop, 'sync.now', {});
    await waitFor(() => expect(screen.getByTestId('scope-notice').textContent).toContain('kept on the service, which this laptop cannot reach now.'));
  });
});
