// The evidence collection form against a real engine: the fields are read into the engine's request
// and checked by its schema before anything is sent, so a missing tool or a time zone that is not
// one is named in words that say what to fix and nothing is written; a good record is written by
// the engine and collects the artifact.
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { CollectForm } from '../../renderer/src/features/war-room/evidence/collect-form';
import { setClient } from '../../renderer/src/store/client-ref';
import { clientOfEngine } from '../support/engine-client';
import { call, openTestEngine, stateOf } from '../support/engines';

const sha256 = 'ab'.repeat(32);

async function openForm() {
  const engine = openTestEngine();
  const incident = await call(engine, 'incidents.create', { title: 'Orders database down', severity: 'SEV1', summary: '' });
  const artifact = await call(engine, 'evidence.add', { incidentId: incident.id, artifactType: 'config', asset: 'orders-db-1', what: 'Postgres configuration' });
  setClient(clientOfEngine(engine));
  const onDone = vi.fn();
  render(<CollectForm artifact={artifact} me="alice" onDone={onDone} />);
  const user = userEvent.setup({ delay: null });
  return { engine, incident, artifact, onDone, user };
}

/** A record with the hash a tool declared; `tool` may be left empty. */
async function fillToolRecord(user: ReturnType<typeof userEvent.setup>, fields: { tool: string; zone?: string; timesInZone?: boolean }) {
  if (fields.zone !== undefined) {
    await user.clear(screen.getByTestId('collect-zone'));
    await user.type(screen.getByTestId('collect-zone'), fields.zone);
  }
  if (!fields.timesInZone) await user.click(screen.getByTestId('collect-times-utc'));
  await user.click(screen.getByTestId('collect-start-now'));
  await user.click(screen.getByTestId('collect-end-now'));
  if (fields.tool) await user.type(screen.getByTestId('collect-tool'), fields.tool);
  await user.type(screen.getByTestId('collect-storage'), 'Evidence locker EV-2291');
  await user.click(screen.getByTestId('collect-mode-tool'));
  await user.type(screen.getByTestId('collect-tool-sha256'), sha256.toUpperCase());
  await user.type(screen.getByTestId('collect-tool-size'), '3145728');
}

// Typing through user-event is slow on a loaded machine: the time limit is generous, nothing waits on it.
describe('CollectForm', { timeout: 30_000 }, () => {
  it('says the tool is missing and sends nothing', async () => {
    const { engine, onDone, user } = await openForm();
    const before = stateOf(engine);
    await fillToolRecord(user, { tool: '' });
    await user.click(screen.getByTestId('collect-submit'));
    expect((await screen.findByTestId('collect-error')).textContent).toBe('Tool: name the tool used');
    expect(onDone).not.toHaveBeenCalled();
    expect(stateOf(engine)).toEqual(before);
  });

  it('says a time zone that is not one is not, in the words of the engine schema, and sends nothing', async () => {
    const { engine, onDone, user } = await openForm();
    const before = stateOf(engine);
    await fillToolRecord(user, { tool: 'GNU tar 1.35', zone: 'Mars/Olympus_Mons' });
    await user.click(screen.getByTestId('collect-submit'));
    expect((await screen.findByTestId('collect-error')).textContent).toBe(
      'Time zone: "Mars/Olympus_Mons" is not an IANA time zone (e.g. Europe/Berlin, America/New_York, UTC)',
    );
    expect(onDone).not.toHaveBeenCalled();
    expect(stateOf(engine)).toEqual(before);
  });

  it('records a collection with the hash a tool declared through the engine', async () => {
    const { engine, incident, artifact, onDone, user } = await openForm();
    // The zone as pasted, with spaces around it, and the times typed in it: read as the zone it names.
    await fillToolRecord(user, { tool: 'GNU tar 1.35', zone: ' Europe/Berlin ', timesInZone: true });
    await user.click(screen.getByTestId('collect-submit'));
    await waitFor(() => expect(onDone).toHaveBeenCalledTimes(1));
    const { artifacts } = await call(engine, 'evidence.list', { incidentId: incident.id });
    expect(artifacts.find((x) => x.id === artifact.id)).toMatchObject({
      state: 'collected',
      tool: 'GNU tar 1.35',
      hostIds: ['orders-db-1'],
      collectorTimeZone: 'Europe/Berlin',
      storageLocation: 'Evidence locker EV-2291',
      size: 3145728,
      sha256,
      hashSource: 'tool',
      collector: { name: 'alice', role: '', contact: '' },
    });
    expect(screen.queryByTestId('collect-error')).toBeNull();
  });
});
