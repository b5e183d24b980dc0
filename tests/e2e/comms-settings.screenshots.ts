// Refreshes docs/screenshots/comms-settings.png and docs/screenshots/update-templates.png
// (`npm run screenshots`): Settings → Stakeholder updates with a cadence, approvers and four
// delivery channels (secrets as ••••), and the Library's update templates with a customised
// built-in customer template beside its preview.
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { CommsSettingsPage } from './pages/comms-settings';
import { UpdateTemplatesPage } from './pages/comms-settings-templates';
import { IncidentsPage } from './pages/incidents-page';

test('screenshot of the stakeholder update settings', async ({ page }) => {
  test.setTimeout(120_000);
  const web = await startHoldfastWeb(tempDataDir('holdfast-docs-'));
  const settings = new CommsSettingsPage(page);
  try {
    await page.setViewportSize({ width: 1360, height: 1100 });
    await new IncidentsPage(page).open(web.openUrl);
    await settings.open();

    await settings.setCadence([
      { severity: 'SEV1', audience: 'internal', minutes: '10' },
      { severity: 'SEV2', audience: 'executives', minutes: '45' },
    ]);
    await expect(settings.cadence.getByTestId('cadence-saved')).toBeVisible();

    await settings.approval.getByTestId('approval-executives').check();
    await settings.approval.getByTestId('approvers-input').fill('priya, marcus');
    await settings.approval.getByTestId('approvers-add').click();
    await settings.approval.getByTestId('domains-input').fill('corp.example.net');
    await settings.approval.getByTestId('domains-add').click();
    await settings.approval.getByTestId('approval-save').click();
    await expect(settings.approval.getByTestId('approval-saved')).toBeVisible();

    await settings.addChannel('webhook');
    await settings.fillWebhook({
      name: 'Customer status relay',
      audiences: ['customers'],
      url: 'https://status-relay.example.com/hooks/holdfast/7f3a9c',
      secretHeader: { name: 'X-Holdfast-Secret', value: 'correct-horse-battery' },
    });
    await settings.saveChannel();

    await settings.addChannel('slack');
    const dialog = settings.dialog;
    await dialog.getByTestId('channel-name').fill('#incidents (Slack)');
    await dialog.getByTestId('channel-audience-internal').check();
    await dialog.getByTestId('channel-url').fill('https://hooks.slack.com/services/T024BE7LD/B08KX2R4J/kY3mQ8vN2pL5rT9w');
    await settings.saveChannel();

    await settings.addChannel('email');
    await dialog.getByTestId('channel-name').fill('Executive briefing list');
    await dialog.getByTestId('channel-audience-executives').check();
    await dialog.getByTestId('channel-host').fill('smtp.example.com');
    await dialog.getByTestId('channel-port').fill('587');
    await dialog.getByTestId('channel-user').fill('holdfast');
    await dialog.getByTestId('channel-password').fill('app-password-123');
    await dialog.getByTestId('channel-from').fill('status@example.com');
    await dialog.getByTestId('channel-to').fill('execs@example.com, cto@example.com');
    await settings.saveChannel();

    await settings.addChannel('statuspage');
    await dialog.getByTestId('channel-name').fill('Public status page');
    await dialog.getByTestId('channel-audience-customers').check();
    await dialog.getByTestId('channel-pageId').fill('kctbh9vrtdwd');
    await dialog.getByTestId('channel-apiKey').fill('sp_live_4c1f0e');
    await dialog.getByTestId('channel-componentIds').fill('checkout, payments-api');
    await settings.saveChannel();
    await settings.channel('Public status page').getByTestId('channel-enabled').uncheck();
    await expect(settings.channel('Public status page').getByTestId('channel-off')).toBeVisible();
    await expect(settings.channelRows).toHaveCount(4);

    // The stakeholder settings at the top of the window, a little space above their heading.
    await settings.section.evaluate((element) => {
      element.scrollIntoView({ block: 'start' });
      element.closest('.main')?.scrollBy(0, -16);
    });
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/comms-settings.png' });
  } finally {
    await web.stop();
  }
});

test('screenshot of the update templates', async ({ page }) => {
  test.setTimeout(120_000);
  const web = await startHoldfastWeb(tempDataDir('holdfast-docs-'));
  const templates = new UpdateTemplatesPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await templates.open();

    await templates.newTemplate('executives');
    await templates.nameInput.fill('Board briefing: payments');
    await templates.titleInput.fill('{{incident.severity}} payments incident: {{headline}}');
    await templates.bodyInput.fill(
      [
        '**Business impact:** {{impact}}',
        '',
        '**Expected recovery:** {{eta}}',
        '',
        '**What we are doing:** {{actions}}',
        '',
        '- Card volume affected: see the payments dashboard',
        '- Next update: {{nextUpdate}}',
        '',
        '_Incident commander: {{incident.commander}}._',
      ].join('\n'),
    );
    await templates.saveTemplate('Board briefing: payments');

    await templates.select('Customer status update');
    await templates.edit();
    await templates.bodyInput.fill(
      [
        '**What is affected:** {{impact}}',
        '',
        '**Current status:** {{status}}',
        '',
        '**What we are doing:** {{actions}}',
        '',
        'We are sorry for the disruption. Our next update will follow by {{nextUpdate}}, or sooner if anything changes. Follow [our status page](https://status.example.com) for the latest.',
      ].join('\n'),
    );
    await templates.saveTemplate('Customer status update');
    await expect(templates.detail.getByTestId('template-badge')).toHaveText('Customised');

    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/update-templates.png' });
  } finally {
    await web.stop();
  }
});
