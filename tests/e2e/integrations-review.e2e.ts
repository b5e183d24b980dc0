// Filing an action item in a tracker from the review, in Chromium against a real `holdfast web`
// and a local receiver that answers as GitHub's issues API does: "File in <tracker>" per action
// item, the request GitHub documents, and the stored link shown in place of the button once filed
// (also after a reload).
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { FileInTrackerPage } from './pages/file-in-tracker';
import { IncidentsPage } from './pages/incidents-page';
import { ReviewPane } from './pages/review';

test('an action item is filed in GitHub Issues from the review and shows the stored link', async ({ page }) => {
  test.setTimeout(90_000);
  const received: { method: string; url: string; auth: string; body: Record<string, unknown> }[] = [];
  const github = createServer((request: IncomingMessage, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push({ method: request.method ?? '', url: request.url ?? '', auth: request.headers.authorization ?? '', body: JSON.parse(body || '{}') });
      response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ number: 42, html_url: 'https://github.com/acme/payments/issues/42' }));
    });
  });
  await new Promise<void>((resolve) => github.listen(0, '127.0.0.1', resolve));
  const web = await startHoldfastWeb(tempDataDir());
  try {
    await callApi(web, 'integrations.saveTarget', {
      name: 'acme/payments',
      config: { kind: 'github', owner: 'acme', repo: 'payments', token: 'ghp_T0KEN', apiUrl: `http://127.0.0.1:${(github.address() as AddressInfo).port}` },
    });
    const incident = await callApi(web, 'incidents.create', { title: 'Card payments failing', severity: 'SEV2', summary: '' });
    await callApi(web, 'actions.add', {
      incidentId: incident.id,
      title: 'Alert on authorisation timeouts',
      ownerId: 'priya',
      dueAt: null,
      priority: 'P2',
      type: 'detect',
    });
    await callApi(web, 'incidents.setStatus', { id: incident.id, status: 'resolved' });

    const incidents = new IncidentsPage(page);
    await incidents.open(web.openUrl);
    await incidents.row(incident.title).click();
    await new ReviewPane(page).open();
    const filing = new FileInTrackerPage(page);
    await filing.file('Alert on authorisation timeouts', 'acme/payments');
    await expect(filing.link('Alert on authorisation timeouts', 'acme/payments')).toHaveText('https://github.com/acme/payments/issues/42', { timeout: 20_000 });
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ method: 'POST', url: '/repos/acme/payments/issues', auth: 'Bearer ghp_T0KEN' });
    expect(received[0].body.title).toBe('Alert on authorisation timeouts');

    await page.reload();
    await incidents.row(incident.title).click();
    await new ReviewPane(page).open();
    await expect(filing.link('Alert on authorisation timeouts', 'acme/payments')).toBeVisible();
    await expect(filing.filing('Alert on authorisation timeouts', 'acme/payments').getByTestId('file-in-tracker-button')).toHaveCount(0);
  } finally {
    await web.stop();
    github.close();
  }
});
