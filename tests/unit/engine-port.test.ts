// The engine behind a message port: calls and their answers, errors as {code, message}, events,
// hub hosting, secrets kept by the host, a clean close, and what callers see when the engine dies.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectEngine, type EngineClient, type EngineClientOptions } from '../../electron/engine/hosts/engine-client';
import type { HostedEngineOptions } from '../../electron/engine/hosts/engine-protocol';
import { hubUrls, serveEngine } from '../../electron/engine/hosts/engine-service';
import { startEngineWorker } from '../../electron/engine/hosts/engine-thread';
import { fakeEngine, isStillPending, type FakeEngine } from '../support/served-engine';
import { tempDir } from '../support/temp';

const hosted: HostedEngineOptions = { dataDir: '/data', host: 'web' };
const ports: MessagePort[] = [];
afterEach(() => {
  for (const port of ports.splice(0)) port.close();
});

type MessagePort = InstanceType<typeof MessageChannel>['port1'];

function serve(engine: FakeEngine, options: EngineClientOptions = {}, engineOptions: HostedEngineOptions = hosted): EngineClient {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  serveEngine(port2, engineOptions, {
    open: (opened) => {
      engine.opened.push(opened);
      return engine;
    },
  });
  return connectEngine(port1, options);
}

describe('engine port', () => {
  it('answers a call with its result, parsed by the contract on the engine side', async () => {
    const client = serve(fakeEngine());
    await client.ready();
    expect(await client.dispatch('incidents.list', {})).toEqual({ ok: true, value: [] });
    expect(await client.dispatch('incidents.create', { title: 'x' })).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(await client.dispatch('incidents.drop', {})).toMatchObject({ ok: false, error: { code: 'unknown_call' } });
  });

  it('matches answers to requests by id when they come back out of order', async () => {
    const engine = fakeEngine({ holdList: true });
    const client = serve(engine);
    const slow = client.dispatch('incidents.list', {});
    const fast = await client.dispatch('incidents.get', { id: 'a' });
    expect(fast).toEqual({ ok: false, error: { code: 'not_found', message: 'No incident a on this replica.' } });
    engine.releaseList();
    expect(await slow).toEqual({ ok: true, value: [] });
  });

  it('maps an unexpected failure to internal and reports its stack to the host only', async () => {
    const onInternalError = vi.fn();
    const client = serve(fakeEngine(), { onInternalError });
    const result = await client.dispatch('app.info', {});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: expect.stringContaining('app.info failed inside Holdfast') } });
    expect(JSON.stringify(result)).not.toContain('disk on fire');
    expect(onInternalError).toHaveBeenCalledWith('app.info', expect.stringContaining('Error: disk on fire'));
  });

  it('forwards engine events to every subscriber until it unsubscribes', async () => {
    const engine = fakeEngine();
    const client = serve(engine);
    await client.ready();
    const seen: unknown[] = [];
    const unsubscribe = client.onEvent((event, payload) => seen.push([event, payload]));
    engine.emit('timeline.changed', { incidentId: 'i1' });
    await vi.waitFor(() => expect(seen).toEqual([['timeline.changed', { incidentId: 'i1' }]]));
    unsubscribe();
    engine.emit('incidents.changed', { incidentId: 'i1' });
    await client.dispatch('incidents.list', {}); // the event, if any, has arrived by now
    expect(seen).toHaveLength(1);
  });

  it('rejects an extra with the engine error code', async () => {
    const client = serve(fakeEngine());
    await expect(client.evidenceRecord('i9')).rejects.toMatchObject({ code: 'not_found', message: 'No incident i9 on this replica.' });
    expect(await client.backupNow()).toEqual({ opCount: 4 });
  });

  it('hosts a hub: its backend calls, pokes and URLs go through the port', async () => {
    const engine = fakeEngine();
    const client = serve(engine);
    const hub = await client.hostHub();
    expect(hub.joinCode).toBe('123-456');
    expect(await hub.backend.challenge!()).toEqual({ hubDeviceId: '00000000000000aa', nonce: 'n'.repeat(24) });
    const join = { code: '123-456', nonce: 'n'.repeat(24), proof: 'p'.repeat(86) };
    expect(await hub.backend.join!(join)).toEqual({ token: 'good', name: 'sam', role: 'commander', orgKeys: [] });
    expect(await hub.backend.join!({ ...join, code: '000-000' })).toEqual({ status: 401, message: 'wrong join code' });
    expect(await hub.backend.authenticate('good')).toEqual({ name: 'sam', role: 'commander' });
    const principal = { name: 'sam', role: 'commander' as const };
    expect(await hub.backend.push(principal, [{ opId: 'o1' }])).toEqual([{ opId: 'o1', status: 'accepted' }]);
    expect(engine.backendCalls).toEqual([['push', principal, [{ opId: 'o1' }]]]);
    await expect(hub.backend.pull(principal, 'library', 0, 10)).rejects.toThrow(/pull exploded/);
    // The fake hub has no delivery coordinator, so neither has its remote backend (the routes answer 404).
    expect(hub.backend.claimDelivery).toBeUndefined();
    expect(hub.backend.streamRefusal!(principal, 'comms')).toMatch(/does not share delivery channels/);
    expect(hub.backend.streamRefusal!(principal, 'library')).toBeNull();

    const pokes: unknown[] = [];
    hub.subscribe((poke) => pokes.push(poke));
    engine.pokeHub({ streamId: 'library' });
    await vi.waitFor(() => expect(pokes).toEqual([{ streamId: 'library' }]));

    hub.setPort(7421);
    await client.dispatch('incidents.list', {});
    expect(engine.hubUrls()).toEqual(hubUrls(7421));
    expect(engine.hubUrls()).toContain('https://127.0.0.1:7421');
  });

  it('reads secrets the host decrypted from memory and sends every change back', async () => {
    const engine = fakeEngine();
    const onSecret = vi.fn();
    const client = serve(engine, { onSecret }, { ...hosted, secrets: { protection: 'keychain', values: { 'sync-token:a': 't1' } } });
    await client.ready();
    const store = engine.opened[0].secrets!;
    expect(store.protection).toBe('keychain');
    expect(store.get('sync-token:a')).toBe('t1');
    store.set('sync-token:b', 't2');
    store.set('sync-token:a', null);
    expect(store.get('sync-token:a')).toBeNull();
    await vi.waitFor(() =>
      expect(onSecret.mock.calls).toEqual([
        ['sync-token:b', 't2'],
        ['sync-token:a', null],
      ]),
    );
  });

  it('rejects ready with the reason the engine could not open', async () => {
    const { port1, port2 } = new MessageChannel();
    ports.push(port1, port2);
    serveEngine(port2, hosted, {
      open: () => {
        throw new Error('Holdfast is already running with the data folder /data (process 7)');
      },
    });
    const client = connectEngine(port1);
    await expect(client.ready()).rejects.toThrow('already running with the data folder /data');
    expect(await client.dispatch('incidents.list', {})).toMatchObject({ ok: false, error: { code: 'unavailable' } });
  });

  it('close waits for the engine to close, and calls after it are refused', async () => {
    const engine = fakeEngine({ holdClose: true });
    const client = serve(engine);
    await client.ready();
    const closing = client.close();
    expect(await isStillPending(closing)).toBe(true);
    engine.finishClose();
    await closing;
    expect(engine.isClosed).toBe(true);
    expect(await client.dispatch('incidents.list', {})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('it was closed') },
    });
  });

  it('answers every waiting call clearly when the engine dies, and every later one', async () => {
    const engine = fakeEngine({ holdList: true });
    const client = serve(engine);
    await client.ready();
    const waiting = client.dispatch('incidents.list', {});
    const extra = client.backupNow();
    client.lost('its thread exited with code 1');
    const gone = { ok: false, error: { code: 'unavailable', message: expect.stringContaining('its thread exited with code 1') } };
    expect(await waiting).toEqual(gone);
    await expect(extra).rejects.toMatchObject({ code: 'unavailable' });
    expect(await client.dispatch('incidents.list', {})).toEqual(gone);
    await client.close(); // nothing left to wait for
  });
});

describe('engine worker thread', () => {
  it('fails the calls in flight when the thread dies, and names the exit', async () => {
    // A worker that opens "an engine", then dies on its first call (a crash in native code, say).
    const entry = join(tempDir(), 'dying-worker.mjs');
    writeFileSync(
      entry,
      `import { parentPort } from 'node:worker_threads';
       parentPort.postMessage({ kind: 'ready' });
       parentPort.on('message', () => process.exit(3));`,
    );
    const client = await startEngineWorker(entry, hosted);
    expect(await client.dispatch('incidents.list', {})).toEqual({
      ok: false,
      error: { code: 'unavailable', message: expect.stringContaining('its thread exited with code 3') },
    });
    await client.close();
  });

  it('says the engine is not built when its entry is missing', async () => {
    await expect(startEngineWorker('/nowhere/engine-worker.js', hosted)).rejects.toThrow(/not built .*npm run build/);
  });
});
