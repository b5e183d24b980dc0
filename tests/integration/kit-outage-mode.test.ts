// Outage mode with a real `holdfast server` process and a real HTTP health check: a laptop connected
// to the service enters outage mode only when the service AND every health check the organisation
// configured fail, records on each open incident's timeline when it began and when it ended, and
// tells its UI (outage.changed).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutageStatus } from '@shared/domain/outage-api';
import { openEngine, type Engine } from '../../electron/engine/engine';
import { call } from '../support/engines';
import { startServerProcess, type ServerProcess } from '../support/processes';
import { tempDir } from '../support/temp';

/** A health endpoint that answers 200, or is closed (refused connections). */
async function healthEndpoint(port = 0): Promise<{ url: string; port: number; server: Server; close(): Promise<void> }> {
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/health`,
    port: actual,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('outage mode', () => {
  let service: ServerProcess;
  let engine: Engine;

  beforeAll(async () => {
    service = await startServerProcess(tempDir());
  }, 60_000);
  afterAll(async () => {
    await engine?.close();
    await service?.stop();
  });

  it('begins when the service and every health check fail, ends when one answers, on the timeline of open incidents', async () => {
    process.env.HOLDFAST_OUTAGE_CHECK_MS = '0';
    engine = openEngine({ dataDir: tempDir(), host: 'web', log: () => undefined });
    delete process.env.HOLDFAST_OUTAGE_CHECK_MS;
    const events: OutageStatus[] = [];
    engine.onEvent((event, payload) => {
      if (event === 'outage.changed') events.push(payload as OutageStatus);
    });
    const key = service.orgKey();
    await call(engine, 'trust.pin', { publicKey: key.publicKey, fingerprint: key.fingerprint });
    await call(engine, 'sync.connect', { url: service.url, token: service.addUser('ivy', 'commander') });
    const sso = await healthEndpoint();
    const chat = await healthEndpoint();

    // Bad input says what to fix and changes nothing.
    await expect(async () => call(engine, 'outage.setHealthChecks', { checks: [{ name: 'SSO', url: 'sso.example.com' }] })).rejects.toThrow(/must be a URL/);
    await expect(async () =>
      call(engine, 'outage.setHealthChecks', {
        checks: [
          { name: 'SSO', url: sso.url },
          { name: 'SSO again', url: sso.url },
        ],
      }),
    ).rejects.toThrow(/listed twice/);
    expect(await call(engine, 'outage.healthChecks', {})).toEqual([]);

    await call(engine, 'outage.setHealthChecks', {
      checks: [
        { name: 'SSO', url: sso.url },
        { name: 'Chat', url: chat.url },
      ],
    });
    const incident = await call(engine, 'incidents.create', { title: 'Payments failing', severity: 'SEV1' });
    const other = await call(engine, 'incidents.create', { title: 'Search slow', severity: 'SEV3' });

    const allUp = await call(engine, 'outage.check', {});
    expect(allUp.isOutage).toBe(false);
    expect(allUp.service).toMatchObject({ url: service.url, isUp: true });

    // The service is down but SSO still answers: not an outage of everything.
    await service.stop();
    await sso.close();
    const partly = await call(engine, 'outage.check', {});
    expect(partly.service?.isUp).toBe(false);
    expect(partly.checks.map((c) => [c.name, c.isUp])).toEqual([
      ['SSO', false],
      ['Chat', true],
    ]);
    expect(partly.isOutage).toBe(false);

    await chat.close();
    const down = await call(engine, 'outage.check', {});
    expect(down.isOutage).toBe(true);
    expect(down.since).toBe(down.checkedAt);
    expect(down.checks.every((c) => !c.isUp && /unreachable/.test(c.detail))).toBe(true);
    expect(events.at(-1)?.isOutage).toBe(true);
    const systemTexts = async (incidentId: string) => (await call(engine, 'timeline.list', { incidentId })).entries.filter((e) => e.kind === 'system').map((e) => e.text);
    const began = (await systemTexts(incident.id)).filter((t) => t.startsWith('Outage mode began'));
    expect(began).toHaveLength(1);
    expect(began[0]).toContain(`the Holdfast service ${service.url}`);
    expect(began[0]).toMatch(/every health check \(SSO \(unreachable.*\), Chat \(unreachable.*\)\)/);
    // Every open incident's timeline says so.
    expect((await systemTexts(other.id)).filter((t) => t.startsWith('Outage mode began'))).toHaveLength(1);

    // Still down: no second entry.
    expect((await call(engine, 'outage.check', {})).since).toBe(down.since);
    expect((await systemTexts(incident.id)).filter((t) => t.startsWith('Outage mode began'))).toHaveLength(1);

    // Chat answers again: outage mode ends, and the timeline says what came back.
    const chatBack = await healthEndpoint(chat.port);
    const back = await call(engine, 'outage.check', {});
    expect(back.isOutage).toBe(false);
    expect(events.at(-1)?.isOutage).toBe(false);
    const ended = (await systemTexts(incident.id)).filter((t) => t.startsWith('Outage mode ended'));
    expect(ended).toEqual([expect.stringMatching(/^Outage mode ended after .*: Chat answered again\.$/)]);
    await chatBack.close();
  }, 90_000);
});
