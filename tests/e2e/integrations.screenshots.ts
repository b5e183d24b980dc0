// Refreshes docs/screenshots/integrations-paging.png (`npm run screenshots`): paging a team from the
// war room. The Payments team carries two paging targets: PagerDuty (here a local receiver that
// answers as the Events API does) takes the page, Opsgenie is in maintenance (503) and waits to be
// retried with its error shown; the incident is mirrored to the war-room Slack channel.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { IncidentsPage } from './pages/incidents-page';

/** A local receiver answering every POST with `status` and `body`. */
async function receiver(status: number, body: string): Promise<{ url: string; server: Server }> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.writeHead(status, { 'content-type': 'application/json' }).end(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

test('screenshot of paging a team from the war room', async ({ page }) => {
  test.setTimeout(120_000);
  const pagerduty = await receiver(202, '{"status":"success","message":"Event processed","dedup_key":"x"}');
  const opsgenie = await receiver(503, '{"message":"Service is under maintenance"}');
  const slack = await receiver(200, 'ok');
  const web = await startHoldfastWeb(tempDataDir('holdfast-docs-'));
  try {
    await page.setViewportSize({ width: 1360, height: 1000 });
    await new IncidentsPage(page).open(web.openUrl);
    const team = await callApi(web, 'directory.saveTeam', { name: 'Payments', description: 'Card and wallet payments', escalationPhone: '+1 555 0100', pager: '' });
    const pd = await callApi(web, 'integrations.saveTarget', {
      name: 'Payments PagerDuty',
      config: { kind: 'pagerduty', routingKey: 'e93facc04764012d7bfb002500d5d1a6', url: `${pagerduty.url}/v2/enqueue` },
    });
    const og = await callApi(web, 'integrations.saveTarget', {
      name: 'Payments Opsgenie',
      config: { kind: 'opsgenie', apiKey: 'eb243592-faa2-4ba2-a551q-1afdf565c889', baseUrl: opsgenie.url, team: 'Payments' },
    });
    await callApi(web, 'integrations.saveTarget', { name: '#inc-war-room (Slack)', config: { kind: 'slack', url: `${slack.url}/services/T0/B0/x` } });
    await callApi(web, 'integrations.setTeamTargets', { teamId: team.id, targetIds: [pd.id, og.id] });
    const incident = await callApi(web, 'incidents.create', {
      title: 'Card payments failing at checkout',
      severity: 'SEV1',
      summary: 'Card authorisations time out since 14:02 UTC.',
    });
    await page.reload();
    await new IncidentsPage(page).row(incident.title).click();
    const panel = page.getByTestId('integrations-panel');
    await expect(panel).toBeVisible();

    await panel.getByTestId('page-team').click();
    const dialog = page.getByTestId('action-dialog');
    await dialog.getByTestId('field-team').selectOption(team.id);
    await dialog.getByTestId('field-note').fill('Card authorisations time out since 14:02 UTC; the rollback did not help.');
    await dialog.getByTestId('action-submit').click();
    await expect(panel.getByTestId('integration-send').filter({ hasText: 'Payments PagerDuty' })).toContainText('delivered', { timeout: 20_000 });
    await expect(panel.getByTestId('integration-send').filter({ hasText: 'Payments Opsgenie' })).toContainText('will retry', { timeout: 20_000 });
    // The box shows what the engine recorded, so it turns on once the opt-in is written.
    await panel.getByRole('checkbox').first().click();
    await expect(panel.getByRole('checkbox').first()).toBeChecked({ timeout: 10_000 });

    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/integrations-paging.png' });
  } finally {
    await web.stop();
    for (const r of [pagerduty, opsgenie, slack]) r.server.close();
  }
});
