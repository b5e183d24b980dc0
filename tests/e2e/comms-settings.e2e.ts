// The organisation side of stakeholder updates in Chromium against a real `holdfast web`: the
// cadence table refuses a value with the engine's message and changes nothing, and keeps a good one
// across a reload; a webhook channel with a bad address is refused and nothing saved, then saved
// with a secret header that comes back as •••• and is kept when only the name changes; a built-in
// customer template edited becomes "Customised"; a new executive template is written with
// placeholders inserted from the reference.
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { CommsSettingsPage } from './pages/comms-settings';
import { UpdateTemplatesPage } from './pages/comms-settings-templates';

test('cadence is refused with the engine message, then saved and kept across a reload', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const settings = new CommsSettingsPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await settings.open();

    // The defaults: minutes, or empty for "as needed".
    await expect(settings.cell('SEV1', 'internal')).toHaveValue('15');
    await expect(settings.cell('SEV1', 'customers')).toHaveValue('30');
    await expect(settings.cell('SEV3', 'executives')).toHaveValue('');
    await expect(settings.cell('SEV3', 'executives')).toHaveAttribute('placeholder', 'as needed');

    // Too often: the engine's message, at the cell, and nothing saved.
    await settings.setCadence([
      { severity: 'SEV1', audience: 'internal', minutes: '2' },
      { severity: 'SEV2', audience: 'customers', minutes: '45' },
    ]);
    await expect(settings.cadenceError).toContainText('cadence.SEV1.internal: must be at least 5 minutes');
    await expect(settings.cadenceProblems).toContainText('SEV1 · Internal responders must be at least 5 minutes');
    await expect(settings.cell('SEV1', 'internal')).toHaveAttribute('aria-invalid', 'true');
    await expect(settings.cell('SEV2', 'customers')).not.toHaveAttribute('aria-invalid', 'true');
    await settings.reopen();
    await expect(settings.cell('SEV1', 'internal')).toHaveValue('15');
    await expect(settings.cell('SEV2', 'customers')).toHaveValue('60');

    // Good values: saved, and read back from the engine after a reload.
    await settings.setCadence([
      { severity: 'SEV1', audience: 'internal', minutes: '10' },
      { severity: 'SEV3', audience: 'executives', minutes: '90' },
      { severity: 'SEV1', audience: 'customers', minutes: '' },
    ]);
    await expect(settings.cadence.getByTestId('cadence-saved')).toBeVisible();
    await expect(settings.cadenceError).toHaveCount(0);
    await settings.reopen();
    await expect(settings.cell('SEV1', 'internal')).toHaveValue('10');
    await expect(settings.cell('SEV3', 'executives')).toHaveValue('90');
    await expect(settings.cell('SEV1', 'customers')).toHaveValue('');

    // Reset fills in the defaults; saving keeps them.
    await settings.cadence.getByTestId('cadence-reset').click();
    await expect(settings.cell('SEV1', 'internal')).toHaveValue('15');
    await expect(settings.cadence.getByTestId('cadence-unsaved')).toBeVisible();
    await settings.cadenceSave.click();
    await expect(settings.cadence.getByTestId('cadence-saved')).toBeVisible();
    await expect(settings.cadence.getByTestId('cadence-reset')).toBeDisabled();

    // Approval: a named approver and an internal domain; a bad domain is refused by the engine.
    await settings.approval.getByTestId('approval-executives').check();
    await settings.approval.getByTestId('approvers-input').fill('priya');
    await settings.approval.getByTestId('approvers-input').press('Enter');
    await settings.approval.getByTestId('domains-input').fill('corp.example.net not_a_domain!');
    await settings.approval.getByTestId('domains-add').click();
    await expect(settings.approval.getByTestId('domains-item')).toHaveText(['corp.example.net✕', 'not_a_domain!✕']);
    await settings.approval.getByTestId('approval-save').click();
    await expect(settings.approval.getByTestId('approval-error')).toContainText('internalDomains.1: must be a domain name like corp.example.net');
    await expect(settings.approval.getByTestId('domains-item').nth(1)).toHaveClass(/has-problem/);
    await settings.approval.getByRole('button', { name: 'Remove not_a_domain!' }).click();
    await settings.approval.getByTestId('approval-save').click();
    await expect(settings.approval.getByTestId('approval-saved')).toBeVisible();
    await settings.reopen();
    await expect(settings.approval.getByTestId('approval-executives')).toBeChecked();
    await expect(settings.approval.getByTestId('approval-customers')).toBeChecked();
    await expect(settings.approval.getByTestId('approvers-item')).toHaveText(['priya✕']);
    await expect(settings.approval.getByTestId('domains-item')).toHaveText(['corp.example.net✕']);
  } finally {
    await web.stop();
  }
});

test('a webhook channel is refused with a bad address, saved with a secret header, and keeps its secret when renamed', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const settings = new CommsSettingsPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await settings.open();
    await expect(settings.channels.getByTestId('channels-empty')).toBeVisible();
    await expect(settings.channels.getByTestId('channels-secret-note')).toContainText('never sync');

    // A bad address: the engine names the field, the dialog stays open, nothing is saved.
    await settings.addChannel('webhook');
    await settings.fillWebhook({ name: 'Status relay', audiences: ['customers'], url: 'hooks.example.com/holdfast' });
    await settings.dialog.getByTestId('channel-save').click();
    await expect(settings.dialogError).toContainText('url is not a web address');
    await expect(settings.dialog.getByTestId('channel-url-problem')).toContainText('is not a web address: give one like https://');
    await expect(settings.dialog.getByTestId('channel-url')).toHaveAttribute('aria-invalid', 'true');
    await expect(settings.dialog).toBeVisible();
    await expect(settings.channelRows).toHaveCount(0);
    await settings.discardChannel();
    await expect(settings.channels.getByTestId('channels-empty')).toBeVisible();
    await settings.reopen();
    await expect(settings.channels.getByTestId('channels-empty')).toBeVisible();

    // A good one, with a secret header: listed with the secret and the address's token as ••••.
    await settings.addChannel('webhook');
    await settings.fillWebhook({
      name: 'Status relay',
      audiences: ['executives', 'customers'],
      url: 'https://hooks.example.com/holdfast/T0K3N',
      secretHeader: { name: 'X-Holdfast-Secret', value: 'correct-horse-battery' },
    });
    await settings.saveChannel();
    const relay = settings.channel('Status relay');
    await expect(relay).toHaveCount(1);
    await expect(relay.getByTestId('channel-kind')).toHaveText('Webhook');
    await expect(relay.getByTestId('channel-audiences')).toHaveText('ExecutivesCustomers');
    await expect(relay.getByTestId('channel-config')).toContainText('https://hooks.example.com/••••');
    await expect(relay.getByTestId('channel-config')).toContainText('X-Holdfast-Secret: ••••');
    await expect(relay.getByTestId('channel-config')).not.toContainText('correct-horse-battery');
    await expect(relay.getByTestId('channel-config')).not.toContainText('T0K3N');
    // The secret stays on this laptop, which the row says.
    await expect(relay.getByTestId('channel-holder-list')).toHaveText('this laptop');
    await expect(relay.getByTestId('channel-holders')).toHaveAttribute('data-held-here', 'yes');

    // Reopened: the secrets as ••••; only the name changed, so both are kept.
    await settings.editChannel('Status relay');
    await expect(settings.dialog.getByTestId('channel-secretValue')).toHaveValue('••••');
    await expect(settings.dialog.getByTestId('channel-secretName')).toHaveValue('X-Holdfast-Secret');
    await expect(settings.dialog.getByTestId('channel-url')).toHaveValue('https://hooks.example.com/••••');
    await expect(settings.dialog.getByTestId('channel-kind-email')).toBeDisabled();
    // A renamed header with its secret left as •••• would not keep the secret: asked for again.
    await settings.dialog.getByTestId('channel-secretName').fill('X-Relay-Secret');
    await settings.dialog.getByTestId('channel-save').click();
    await expect(settings.dialog.getByTestId('channel-secretValue-problem')).toContainText('type the secret again');
    await settings.dialog.getByTestId('channel-secretName').fill('X-Holdfast-Secret');
    await settings.dialog.getByTestId('channel-name').fill('Customer status relay');
    await settings.saveChannel();
    const renamed = settings.channel('Customer status relay');
    await expect(renamed).toHaveCount(1);
    await expect(settings.channel('Status relay')).toHaveCount(0);
    await expect(renamed.getByTestId('channel-config')).toContainText('https://hooks.example.com/••••');
    await expect(renamed.getByTestId('channel-config')).toContainText('X-Holdfast-Secret: ••••');

    // Turned off in place; after a reload it is still off, still named and still holds its secret.
    await renamed.getByTestId('channel-enabled').uncheck();
    await expect(renamed.getByTestId('channel-off')).toBeVisible();
    await settings.reopen();
    await expect(settings.channelRows).toHaveCount(1);
    await expect(renamed.getByTestId('channel-enabled')).not.toBeChecked();
    await expect(renamed.getByTestId('channel-config')).toContainText('X-Holdfast-Secret: ••••');

    // Forgotten on this laptop: the row says where to set it to deliver from here, and the secret
    // typed again (the whole address, since its path hid the token) makes this laptop hold it.
    await renamed.getByTestId('forget-channel-secret').click();
    await expect(renamed.getByTestId('channel-not-held')).toContainText('set the secret on this laptop to deliver from here');
    await expect(renamed.getByTestId('channel-holder-list')).toHaveText('no laptop');
    await renamed.getByTestId('set-channel-secret').click();
    await expect(settings.dialog.getByRole('heading')).toHaveText('Set the secret of “Customer status relay” on this laptop');
    await settings.dialog.getByTestId('channel-secretValue').fill('correct-horse-battery');
    await settings.dialog.getByTestId('channel-save').click();
    await expect(settings.dialogError).toContainText('url still holds "••••"');
    await settings.dialog.getByTestId('channel-url').fill('https://hooks.example.com/holdfast/T0K3N');
    await settings.saveChannel();
    await expect(renamed.getByTestId('channel-holder-list')).toHaveText('this laptop');
    await expect(renamed.getByTestId('channel-not-held')).toHaveCount(0);

    // Removed after a confirmation.
    await renamed.getByTestId('remove-channel').click();
    await renamed.getByTestId('remove-channel-confirm').click();
    await expect(settings.channels.getByTestId('channels-empty')).toBeVisible();
  } finally {
    await web.stop();
  }
});

test('a built-in customer template is customised, and an executive template is written with placeholders', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const templates = new UpdateTemplatesPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await templates.open();

    // The built-ins, one per audience.
    await expect(templates.group('internal').getByTestId('template-item-name')).toHaveText(['Responder update']);
    await expect(templates.group('executives').getByTestId('template-item-name')).toHaveText(['Executive briefing']);
    await expect(templates.group('customers').getByTestId('template-item-name')).toHaveText(['Customer status update']);
    await expect(templates.items.getByTestId('template-badge')).toHaveText(['Built-in', 'Built-in', 'Built-in']);

    // A built-in customer template edited: saved in its place, marked customised.
    await templates.select('Customer status update');
    await expect(templates.detail.getByTestId('template-preview')).toContainText('Some card payments are failing');
    await templates.edit();
    await expect(templates.editor.getByTestId('template-editor-notice')).toContainText('built in');
    await expect(templates.editor.getByTestId('template-audience-input')).toBeDisabled();
    await templates.bodyInput.fill('**What is affected:** {{impact}}\n\n**What we are doing:** {{actions}}\n\nNext update by {{nextUpdate}}.');
    await templates.saveTemplate('Customer status update');
    await expect(templates.detail.getByTestId('template-badge')).toHaveText('Customised');
    await expect(templates.item('Customer status update').getByTestId('template-badge')).toHaveText('Customised');
    await expect(templates.detail.getByTestId('template-body')).toContainText('Next update by {{nextUpdate}}.');
    await expect(templates.section.getByTestId('templates-summary')).toContainText('3 templates, 2 built in, 1 customised');

    // A new template for executives: the engine's message beside an empty body, then placeholders
    // inserted at the cursor from the reference.
    await templates.newTemplate('executives');
    await templates.nameInput.fill('Board briefing');
    await templates.titleInput.fill('Board: ');
    await templates.insertPlaceholder('incident.severity');
    await expect(templates.titleInput).toHaveValue('Board: {{incident.severity}}');
    await templates.save.click();
    await expect(templates.saveError).toContainText('body: write the template body');
    await expect(templates.editor.getByTestId('template-body-problem')).toHaveText('write the template body');
    await expect(templates.bodyInput).toHaveAttribute('aria-invalid', 'true');
    await templates.bodyInput.fill('**Business impact:** \n\n**Expected recovery:** {{eta}}');
    // The cursor after "impact:** ": the placeholder goes there, not at the end.
    await templates.bodyInput.evaluate((element: HTMLTextAreaElement) => element.setSelectionRange(21, 21));
    await templates.insertPlaceholder('impact');
    await expect(templates.bodyInput).toHaveValue('**Business impact:** {{impact}}\n\n**Expected recovery:** {{eta}}');
    await templates.saveTemplate('Board briefing');
    await expect(templates.group('executives').getByTestId('template-item-name')).toHaveText(['Board briefing', 'Executive briefing']);
    await expect(templates.item('Board briefing').getByTestId('template-badge')).toHaveCount(0);
    await expect(templates.detail.getByTestId('template-audience')).toHaveText('For executives');
    await expect(templates.detail.getByTestId('template-title')).toHaveText('Board: {{incident.severity}}');

    // Read again from the engine after a reload.
    await page.reload();
    await expect(page.getByTestId('view-incidents')).toBeVisible();
    await templates.open();
    await expect(templates.group('executives').getByTestId('template-item-name')).toHaveText(['Board briefing', 'Executive briefing']);
    await expect(templates.item('Customer status update').getByTestId('template-badge')).toHaveText('Customised');

    // A copy removed; a built-in hidden.
    await templates.select('Board briefing');
    await templates.detail.getByTestId('remove-template').click();
    await templates.detail.getByTestId('remove-confirm').click();
    await expect(templates.item('Board briefing')).toHaveCount(0);
    await templates.select('Responder update');
    await expect(templates.detail.getByTestId('remove-template')).toHaveText('Hide…');
    await templates.detail.getByTestId('remove-template').click();
    await templates.detail.getByTestId('remove-confirm').click();
    await expect(templates.group('internal').getByTestId('template-item')).toHaveCount(0);
    await expect(templates.group('internal')).toContainText('No template');
  } finally {
    await web.stop();
  }
});
