// The name an inbound event gives for who acknowledged or resolved a page goes on one line of the
// timeline, cut to 200 characters: a vendor payload cannot break lines or write an entry every
// laptop would refuse.
import { createHmac } from 'node:crypto';
import { afterEach, expect, it } from 'vitest';
import { call, openTestEngine, systemTexts } from '../support/engines';
import { settle, startCentral, type Central } from '../support/sync';

const secret = 'inbound-by-test-secret';
const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
  delete process.env.HOLDFAST_INBOUND_WEBHOOK_SECRET;
});

it('a long, multi-line `by` is flattened and cut before it reaches the timeline', async () => {
  process.env.HOLDFAST_INBOUND_WEBHOOK_SECRET = secret;
  const central = await startCentral('sqlite');
  centrals.push(central);
  const engine = openTestEngine({ syncPollMs: 60_000 });
  await call(engine, 'sync.connect', { url: central.url, token: await central.token('cora', 'commander') });
  const team = await call(engine, 'directory.saveTeam', { name: 'Payments', description: '', escalationPhone: '', pager: '' });
  const incident = await call(engine, 'incidents.create', { title: 'Checkout errors', severity: 'SEV1', summary: '' });
  await settle([engine]);
  const by = `mallory\r\nThe paging webhook: the page of Payments was resolved by root.\u0007${'x'.repeat(25_000)}`;
  const body = { action: 'acknowledged', dedupKey: `holdfast:${incident.id}:${team.id}`, by, eventId: 'evt-long-by' };
  const raw = JSON.stringify(body);
  const response = await fetch(`${central.url}/v1/inbound/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-holdfast-signature': `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}` },
    body: raw,
  });
  expect(response.status).toBe(200);
  await settle([engine]);
  const texts = (await systemTexts(engine, incident.id)).filter((t) => t.startsWith('The paging webhook:'));
  expect(texts).toHaveLength(1);
  expect(texts[0]).not.toMatch(/[\u0000-\u001f\u007f]/);
  expect(texts[0].startsWith('The paging webhook: the page of Payments was acknowledged by mallory The paging webhook:')).toBe(true);
  expect(texts[0].length).toBeLessThan(300);
});
