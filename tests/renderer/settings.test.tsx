// Settings › Retention and Severity levels against a real engine: each reads through the query
// layer and reads again when the engine says the setting changed (here or by sync); their forms are
// checked by the engine's own request schemas, so a bad value is named beside its field and nothing
// is written, and a good one is saved by the engine.
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { RetentionSettings } from '../../renderer/src/features/settings/retention-settings';
import { SeveritySettings } from '../../renderer/src/features/settings/severity-settings';
import { setClient } from '../../renderer/src/store/client-ref';
import { clientOfEngine } from '../support/engine-client';
import { call, openTestEngine, stateOf } from '../support/engines';

const day = 86_400_000;

/** An engine whose clock the test moves: incidents closed long ago are past retention now. */
function engineWithClock() {
  const clock = { at: Date.now() };
  const engine = openTestEngine({ now: () => clock.at });
  setClient(clientOfEngine(engine));
  return { engine, clock };
}

async function closeIncidentDaysAgo(engine: ReturnType<typeof openTestEngine>, clock: { at: number }, title: string, daysAgo: number) {
  const now = clock.at;
  clock.at = now - daysAgo * day;
  const incident = await call(engine, 'incidents.create', { title, severity: 'SEV2', summary: '' });
  await call(engine, 'incidents.setStatus', { id: incident.id, status: 'resolved' });
  await call(engine, 'incidents.setStatus', { id: incident.id, status: 'closed' });
  clock.at = now;
  return incident;
}

// Typing through user-event is slow on a loaded machine: the time limit is generous, nothing waits on it.
describe('Settings › Retention', { timeout: 30_000 }, () => {
  it('loads the setting, then follows a change the engine announces', async () => {
    const { engine, clock } = engineWithClock();
    await closeIncidentDaysAgo(engine, clock, 'Old DNS outage', 200);
    render(<RetentionSettings />);
    expect((await screen.findByTestId<HTMLInputElement>('retention-forever')).checked).toBe(true);
    expect(screen.getByTestId('retention-candidates-empty')).toBeTruthy();
    // Set elsewhere (another replica's op arrives the same way): the view reads again.
    await call(engine, 'retention.set', { keepDays: 90 });
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>('retention-limited').checked).toBe(true));
    expect(screen.getByTestId<HTMLInputElement>('retention-days').value).toBe('90');
    expect((await screen.findByTestId('retention-candidate')).textContent).toContain('Old DNS outage');
  });

  it('refuses too short a period beside the field and writes nothing', async () => {
    const user = userEvent.setup({ delay: null });
    const { engine } = engineWithClock();
    render(<RetentionSettings />);
    await user.click(await screen.findByTestId('retention-limited'));
    await user.clear(screen.getByTestId('retention-days'));
    await user.type(screen.getByTestId('retention-days'), '10');
    const before = stateOf(engine);
    await user.click(screen.getByTestId('retention-save'));
    expect((await screen.findByTestId('retention-days-problem')).textContent).toBe('must be at least 30 days: reviews and audits need the record');
    expect(screen.getByTestId('retention-save-error').textContent).toBe('Days: must be at least 30 days: reviews and audits need the record');
    expect(screen.getByTestId('retention-days').getAttribute('aria-invalid')).toBe('true');
    expect(stateOf(engine)).toEqual(before);
    // No number at all: said in the form's words.
    await user.clear(screen.getByTestId('retention-days'));
    await user.click(screen.getByTestId('retention-save'));
    await waitFor(() => expect(screen.getByTestId('retention-days-problem').textContent).toBe('give a whole number of days'));
    expect(stateOf(engine)).toEqual(before);
  });

  it('saves a good period through the engine', async () => {
    const user = userEvent.setup({ delay: null });
    const { engine } = engineWithClock();
    render(<RetentionSettings />);
    await user.click(await screen.findByTestId('retention-limited'));
    await user.clear(screen.getByTestId('retention-days'));
    await user.type(screen.getByTestId('retention-days'), '120');
    await user.click(screen.getByTestId('retention-save'));
    await screen.findByText('Saved.');
    expect((await call(engine, 'retention.get', {})).setting.keepDays).toBe(120);
    expect(screen.queryByTestId('retention-save-error')).toBeNull();
  });

  it('purges only with a reason the engine accepts', async () => {
    const user = userEvent.setup({ delay: null });
    const { engine, clock } = engineWithClock();
    const old = await closeIncidentDaysAgo(engine, clock, 'Old DNS outage', 200);
    await call(engine, 'retention.set', { keepDays: 90 });
    render(<RetentionSettings />);
    await user.click(await screen.findByTestId('retention-choose'));
    await user.click(screen.getByTestId('purge-start'));
    await user.type(screen.getByTestId('purge-reason'), ' x ');
    const before = stateOf(engine);
    await user.click(screen.getByTestId('purge-confirmed'));
    expect((await screen.findByTestId('purge-reason-problem')).textContent).toBe('say why these incidents are purged');
    expect(screen.getByTestId('purge-error').textContent).toBe('Reason: say why these incidents are purged');
    expect(stateOf(engine)).toEqual(before);
    await user.clear(screen.getByTestId('purge-reason'));
    await user.type(screen.getByTestId('purge-reason'), 'Kept 90 days by policy');
    await user.click(screen.getByTestId('purge-confirmed'));
    const log = await screen.findByTestId('purge-log-row');
    expect(within(log).getByText('Kept 90 days by policy')).toBeTruthy();
    expect((await call(engine, 'retention.get', {})).purged.map((p) => p.incidentId)).toEqual([old.id]);
    expect(screen.getByTestId('retention-candidates-empty')).toBeTruthy();
  });
});

describe('Settings › Severity levels', { timeout: 30_000 }, () => {
  it('loads the wording and follows a change made elsewhere, keeping a level typed over here', async () => {
    const user = userEvent.setup({ delay: null });
    const { engine } = engineWithClock();
    render(<SeveritySettings />);
    const sev1 = await screen.findByTestId<HTMLInputElement>('meaning-SEV1');
    const defaults = await call(engine, 'org.severityMeanings', {});
    expect(sev1.value).toBe(defaults.SEV1);
    await user.clear(screen.getByTestId('meaning-SEV2'));
    await user.type(screen.getByTestId('meaning-SEV2'), 'Typed here, not saved');
    await call(engine, 'org.setSeverityMeanings', { meanings: { SEV1: 'Everything is down', SEV2: 'Changed elsewhere' } });
    await waitFor(() => expect(screen.getByTestId<HTMLInputElement>('meaning-SEV1').value).toBe('Everything is down'));
    expect(screen.getByTestId<HTMLInputElement>('meaning-SEV2').value).toBe('Typed here, not saved');
  });

  it('refuses an empty meaning beside its field, and saves a good one', async () => {
    const user = userEvent.setup({ delay: null });
    const { engine } = engineWithClock();
    render(<SeveritySettings />);
    await user.clear(await screen.findByTestId('meaning-SEV3'));
    const before = stateOf(engine);
    await user.click(screen.getByTestId('meanings-save'));
    expect((await screen.findByTestId('meaning-SEV3-problem')).textContent).toBe('must say what the level means');
    expect(screen.getByTestId('meaning-SEV3').getAttribute('aria-invalid')).toBe('true');
    expect(stateOf(engine)).toEqual(before);
    await user.type(screen.getByTestId('meaning-SEV3'), 'One team slowed down');
    await user.click(screen.getByTestId('meanings-save'));
    await screen.findByText('Saved.');
    expect((await call(engine, 'org.severityMeanings', {})).SEV3).toBe('One team slowed down');
    expect(screen.queryByTestId('meaning-SEV3-problem')).toBeNull();
  });
});
