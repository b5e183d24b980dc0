// Integrations against real processes: a `holdfast server` with inbound webhooks on, and two
// `holdfast web` laptops (a commander and a comms lead) that both hold the PagerDuty target's secret.
// With both online each page goes out exactly once; with the service down, pages wait in the outbox
// and go once it is back; PagerDuty's signed acknowledgement lands on the incident's timeline once,
// and a webhook with a wrong signature changes nothing.
import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SendView } from '@shared/domain/integrations';
import { connectedLaptop, startServerProcess, stoppedAfterAll, syncWithService, webCall, type ServerProcess, type WebProcess } from '../support/processes';
import { eventually } from '../support/eventually';
import { tempDir } from '../support/temp';

const secret = 'inbound-secret-for-tests';
process.env.HOLDFAST_INBOUND_WEBHOOK_SECRET = secret;

const running = stoppedAfterAll();

describe('paging with two laptops online, the service down and back, and acknowledgements coming in', () => {
  let service: ServerProcess;
  let cora: WebProcess;
  let casey: WebProcess;
  let pagerduty: Server;
  let pdUrl = '';
  const pages: { dedup_key: string; summary: string }[] = [];
  let incidentId = '';
  let teamId = '';

  const sends = (web: WebProcess) => webCall<SendView[]>(web, 'integrations.sends', { incidentId });
  const systemTexts = async (web: WebProcess) =>
    (await webCall<{ entries: { text: string }[] }>(web, 'timeline.window', { incidentId, offset: 0, limit: 500, filter: { kinds: ['system'] } })).entries.map(
      (e) => e.text,
    );

  beforeAll(async () => {
    // PagerDuty's Events API, slow enough that two laptops trying at once would both be in flight.
    pagerduty = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const event = JSON.parse(body) as { dedup_key: string; payload: { summary: string } };
        pages.push({ dedup_key: event.dedup_key, summary: event.payload.summary });
        setTimeout(() => res.writeHead(202, { 'content-type': 'application/json' }).end('{"status":"success","message":"Event processed"}'), 200);
      });
    });
    await new Promise<void>((resolve) => pagerduty.listen(0, '127.0.0.1', resolve));
    running.push({ stop: () => new Promise<void>((resolve) => pagerduty.close(() => resolve())) });
    pdUrl = `http://127.0.0.1:${(pagerduty.address() as AddressInfo).port}/v2/enqueue`;

    service = await startServerProcess(tempDir('holdfast-int-service-'));
    running.push(service);
    cora = (await connectedLaptop(service, 'cora', service.addUser('cora', 'commander'), running)).web;
    casey = (await connectedLaptop(service, 'casey', service.addUser('casey', 'comms'), running)).web;

    const team = await webCall<{ id: string }>(cora, 'directory.saveTeam', { name: 'Payments', description: '', escalationPhone: '', pager: '' });
    teamId = team.id;
    const config = { kind: 'pagerduty', routingKey: 'R0UT1NG', url: pdUrl };
    const target = await webCall<{ id: string }>(cora, 'integrations.saveTarget', { name: 'Payments PagerDuty', config });
    await webCall(cora, 'integrations.setTeamTargets', { teamId, targetIds: [target.id] });
    const incident = await webCall<{ id: string }>(cora, 'incidents.create', { title: 'Checkout errors', severity: 'SEV1', summary: '' });
    incidentId = incident.id;
    await syncWithService(cora);
    await syncWithService(casey);
    // The comms lead's laptop keeps the same secret: both can send.
    const held = await webCall<{ isHeldHere: boolean }>(casey, 'integrations.setTargetSecret', { id: target.id, config });
    expect(held.isHeldHere).toBe(true);
    await syncWithService(casey);
    await syncWithService(cora);
  }, 120_000);

  it('sends each page exactly once with both laptops online', async () => {
    for (let i = 0; i < 4; i += 1) await webCall(cora, 'integrations.page', { incidentId, teamId, note: `page ${i}` });
    await syncWithService(cora);
    await syncWithService(casey);
    await eventually(async () => {
      await webCall(cora, 'sync.now');
      await webCall(casey, 'sync.now');
      const [a, b] = [await sends(cora), await sends(casey)];
      expect(a.filter((s) => s.state === 'delivered')).toHaveLength(4);
      expect(b.filter((s) => s.state === 'delivered')).toHaveLength(4);
    }, 60_000);
    expect(pages).toHaveLength(4);
    expect(new Set(pages.map((p) => p.dedup_key))).toEqual(new Set([`holdfast:${incidentId}:${teamId}`]));
  }, 90_000);

  it('waits while the service cannot be reached to coordinate, then sends once it is back', async () => {
    const before = pages.length;
    await service.stop();
    await webCall(cora, 'integrations.page', { incidentId, teamId, note: 'while offline' });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(pages.length).toBe(before);
    const waiting = (await sends(cora)).filter((s) => s.state !== 'delivered');
    expect(waiting).toHaveLength(1);
    expect(waiting[0].state).toBe('queued');
    const restarted = await startServerProcess(service.dataDir, service.port);
    running.push(restarted);
    service = restarted;
    await eventually(async () => {
      await webCall(cora, 'sync.now');
      expect((await sends(cora)).every((s) => s.state === 'delivered')).toBe(true);
    }, 60_000);
    expect(pages.length).toBe(before + 1);
  }, 90_000);

  it('puts a signed PagerDuty acknowledgement on the timeline once, and refuses a wrong signature', async () => {
    const event = JSON.stringify({
      event: {
        id: '01HACK',
        event_type: 'incident.acknowledged',
        agent: { summary: 'Alice Oncall' },
        data: { id: 'Q1', type: 'incident', incident_key: `holdfast:${incidentId}:${teamId}`, title: 'SEV1 Checkout errors' },
      },
    });
    const post = (body: string, signature: string) =>
      fetch(`${service.url}/v1/inbound/pagerduty`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-pagerduty-signature': signature }, body });
    const signed = `v1=${createHmac('sha256', secret).update(event).digest('hex')}`;

    const forged = await post(event, `v1=${createHmac('sha256', 'wrong').update(event).digest('hex')}`);
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { message: string } }).error.message).toContain('does not match');

    const first = await post(event, signed);
    expect(first.status).toBe(200);
    const again = await post(event, signed);
    expect(again.status).toBe(200);
    await eventually(async () => {
      await syncWithService(cora);
      const texts = (await systemTexts(cora)).filter((t) => t.startsWith('PagerDuty:'));
      expect(texts).toEqual(['PagerDuty: the page of Payments was acknowledged by Alice Oncall.']);
    }, 30_000);
  }, 60_000);
});
