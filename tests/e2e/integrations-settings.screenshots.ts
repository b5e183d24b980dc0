// Refreshes docs/screenshots/integrations-settings.png (`npm run screenshots`): Settings ›
// Integrations with a paging, a chat and a tracker target, and the form adding an Opsgenie target
// with a bad address, showing what to fix.
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { IncidentsPage } from './pages/incidents-page';
import { IntegrationSettingsPage } from './pages/integration-settings';

test('screenshot of the integration settings', async ({ page }) => {
  test.setTimeout(90_000);
  const web = await startHoldfastWeb(tempDataDir('holdfast-docs-'));
  try {
    await page.setViewportSize({ width: 1360, height: 1000 });
    await new IncidentsPage(page).open(web.openUrl);
    await callApi(web, 'integrations.saveTarget', { name: 'Payments PagerDuty', config: { kind: 'pagerduty', routingKey: 'e93facc04764012d7bfb002500d5d1a6' } });
    await callApi(web, 'integrations.saveTarget', { name: '#inc-war-room (Slack)', config: { kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/x' } });
    await callApi(web, 'integrations.saveTarget', {
      name: 'PAY (Jira)',
      config: { kind: 'jira', baseUrl: 'https://acme.atlassian.net', email: 'sre@acme.example', apiToken: 'ATATT3x', projectKey: 'PAY' },
    });
    const settings = new IntegrationSettingsPage(page);
    await settings.open();
    await expect(settings.rows).toHaveCount(3);
    await settings.fillNew('opsgenie', 'Payments Opsgenie', { apiKey: 'eb243592-faa2-4ba2', team: 'Payments', baseUrl: 'api.eu.opsgenie.com' });
    await settings.save();
    await expect(settings.problems).toBeVisible();
    await settings.section.scrollIntoViewIfNeeded();
    await page.mouse.move(0, 0);
    await settings.section.screenshot({ path: 'docs/screenshots/integrations-settings.png' });
  } finally {
    await web.stop();
  }
});
