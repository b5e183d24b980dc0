// The declare dialog against a real engine: the engine's own request schema checks the form before
// anything is sent, so a bad title shows the schema's message and writes nothing; a good form
// declares the incident through the engine; the severity wording is the organisation's, kept current.
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { DeclareIncidentDialog } from '../../renderer/src/features/incidents/declare-incident-dialog';
import { useStore } from '../../renderer/src/store';
import { setClient } from '../../renderer/src/store/client-ref';
import { clientOfEngine } from '../support/engine-client';
import { call, openTestEngine, stateOf } from '../support/engines';

function openDialog() {
  const engine = openTestEngine();
  setClient(clientOfEngine(engine));
  useStore.setState({ isDeclareOpen: true });
  render(<DeclareIncidentDialog />);
  return engine;
}

// Typing through user-event is slow on a loaded machine: the time limit is generous, nothing waits on it.
describe('DeclareIncidentDialog', { timeout: 30_000 }, () => {
  it('shows what to fix and sends nothing when the title is too short', async () => {
    const user = userEvent.setup({ delay: null });
    const engine = openDialog();
    const before = stateOf(engine);
    await user.type(screen.getByTestId('declare-title'), 'db');
    await user.click(screen.getByTestId('declare-submit'));
    expect((await screen.findByTestId('declare-error')).textContent).toBe('title: must have at least 3 characters: say what is broken');
    expect(stateOf(engine)).toEqual(before);
    expect(useStore.getState().isDeclareOpen).toBe(true);
  });

  it('declares the incident through the engine, with its services as a list', async () => {
    const user = userEvent.setup({ delay: null });
    const engine = openDialog();
    await user.type(screen.getByTestId('declare-title'), 'Checkout API returns 502');
    await user.click(screen.getByTestId('declare-SEV1'));
    await user.type(screen.getByTestId('declare-services'), 'checkout-api, payments, checkout-api');
    await user.click(screen.getByTestId('declare-drill'));
    await user.click(screen.getByTestId('declare-submit'));
    await waitFor(() => expect(useStore.getState().isDeclareOpen).toBe(false));
    const [incident] = await call(engine, 'incidents.list', {});
    expect(incident).toMatchObject({ title: 'Checkout API returns 502', severity: 'SEV1', services: ['checkout-api', 'payments'], isDrill: true });
    expect(screen.queryByTestId('declare-error')).toBeNull();
  });

  it("offers the organisation's own severity wording, and a change made while it is open shows at once", async () => {
    const engine = openDialog();
    const meanings = await call(engine, 'org.severityMeanings', {});
    await call(engine, 'org.setSeverityMeanings', { meanings: { ...meanings, SEV1: 'Sev one here: every customer is down' } });
    await waitFor(() => expect(screen.getByTestId('declare-SEV1').closest('label')?.textContent).toContain('Sev one here'));
    await call(engine, 'org.setSeverityMeanings', { meanings: { ...meanings, SEV1: 'Changed meanwhile: all regions down' } });
    await waitFor(() => expect(screen.getByTestId('declare-SEV1').closest('label')?.textContent).toContain('Changed meanwhile'));
  });
});
