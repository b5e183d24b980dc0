// The query layer against a real engine: a view on screen reads again when the engine says what it
// shows changed (renderer/src/data/invalidation.ts), an answer read before a change never replaces
// one read after it, and a burst of incident changes is read once.
import { act, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CallName, Request, Response } from '@shared/contract';
import type { Client } from '../../renderer/src/api/client';
import { gatherMs } from '../../renderer/src/data/invalidation';
import { useEngineQuery } from '../../renderer/src/data/use-engine-query';
import { setClient } from '../../renderer/src/store/client-ref';
import { clientOfEngine } from '../support/engine-client';
import { call, openTestEngine } from '../support/engines';

function People() {
  const directory = useEngineQuery('directory.list', {});
  if (directory.error) return <p role="alert">{directory.error}</p>;
  if (!directory.value) return <p>Loading…</p>;
  return <p data-testid="people">{directory.value.people.map((p) => p.name).join(', ') || 'nobody'}</p>;
}

function OpenActions() {
  const actions = useEngineQuery('actions.list', { status: 'open' });
  return <p data-testid="actions">{actions.value ? actions.value.map((a) => a.title).join(', ') || 'none' : 'Loading…'}</p>;
}

/** A client whose reads of `name` wait until the test releases them, one by one, in any order. */
function holdingClient(inner: Client, name: CallName) {
  const held: { release: () => void }[] = [];
  const counts = new Map<string, number>();
  const client: Client = {
    on: (event, listener) => inner.on(event, listener),
    call<K extends CallName>(called: K, request: Request<K>): Promise<Response<K>> {
      counts.set(called, (counts.get(called) ?? 0) + 1);
      if (called !== name) return inner.call(called, request);
      // The engine answers now (what it holds at this moment); the answer arrives when released.
      const answer = inner.call(called, request);
      return new Promise((resolve, reject) => held.push({ release: () => void answer.then(resolve, reject) }));
    },
  };
  return { client, held, countOf: (called: CallName) => counts.get(called) ?? 0 };
}

const person = (name: string) => ({ name, phones: [{ label: 'mobile', number: '+44 20 7946 0000' }] });

afterEach(() => {
  vi.useRealTimers();
});

describe('engine data: the invalidation table', () => {
  it('reads a shown view again when a save through the engine changes its stream', async () => {
    const engine = openTestEngine();
    setClient(clientOfEngine(engine));
    render(<People />);
    expect((await screen.findByTestId('people')).textContent).toBe('nobody');
    await call(engine, 'directory.savePerson', person('Priya Shah'));
    await waitFor(() => expect(screen.getByTestId('people').textContent).toBe('Priya Shah'));
  });

  it('never lets the first answer, read before a change, replace the answer read after it', async () => {
    const engine = openTestEngine();
    const { client, held } = holdingClient(clientOfEngine(engine), 'directory.list');
    setClient(client);
    render(<People />);
    await waitFor(() => expect(held).toHaveLength(1)); // read before the save: nobody
    await call(engine, 'directory.savePerson', person('Priya Shah'));
    await waitFor(() => expect(held).toHaveLength(2)); // read again by the event: Priya
    await act(async () => held[1].release());
    expect((await screen.findByTestId('people')).textContent).toBe('Priya Shah');
    await act(async () => held[0].release());
    expect(screen.getByTestId('people').textContent).toBe('Priya Shah');
  });

  it('keeps the newer answer when a read again crosses an older one on its way', async () => {
    const engine = openTestEngine();
    const { client, held } = holdingClient(clientOfEngine(engine), 'directory.list');
    setClient(client);
    render(<People />);
    await waitFor(() => expect(held).toHaveLength(1));
    await act(async () => held[0].release());
    expect((await screen.findByTestId('people')).textContent).toBe('nobody');
    await call(engine, 'directory.savePerson', person('Priya Shah'));
    await waitFor(() => expect(held).toHaveLength(2)); // Priya
    await call(engine, 'directory.savePerson', person('Sam Lee'));
    await waitFor(() => expect(held).toHaveLength(3)); // Priya and Sam
    await act(async () => held[2].release());
    await waitFor(() => expect(screen.getByTestId('people').textContent).toBe('Priya Shah, Sam Lee'));
    await act(async () => held[1].release());
    expect(screen.getByTestId('people').textContent).toBe('Priya Shah, Sam Lee');
  });

  it('reads a view across incidents once after a burst of incident changes', async () => {
    const engine = openTestEngine();
    const { client, countOf } = holdingClient(clientOfEngine(engine), 'app.info');
    setClient(client);
    render(<OpenActions />);
    await waitFor(() => expect(screen.getByTestId('actions').textContent).toBe('none'));
    expect(countOf('actions.list')).toBe(1);
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '' });
    await call(engine, 'actions.add', { incidentId: incident.id, title: 'Alert on replication lag', type: 'detect' });
    await call(engine, 'actions.add', { incidentId: incident.id, title: 'Canary payments deploys', type: 'prevent' });
    await act(async () => vi.advanceTimersByTime(gatherMs - 1));
    expect(countOf('actions.list')).toBe(1);
    // vi.waitFor moves the fake clock on between checks (the cache hands answers over on a timer too).
    await act(() => vi.waitFor(() => expect(screen.getByTestId('actions').textContent).toBe('Alert on replication lag, Canary payments deploys')));
    expect(countOf('actions.list')).toBe(2);
  });
});
