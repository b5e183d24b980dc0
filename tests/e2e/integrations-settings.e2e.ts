// Settings › Integrations in Chromium against a real `holdfast web`: a target with a missing and a
// bad field is refused with what to fix and nothing saved; a good one is saved with its secret held
// on this laptop (never shown again), edited with the secret typed again, given to a directory team
// as its paging target, and removed.
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { DirectoryPage } from './pages/directory-page';
import { IncidentsPage } from './pages/incidents-page';
import { IntegrationSettingsPage } from './pages/integration-settings';

test('integration targets: refused with what to fix, saved with the secret held here, given to a team, removed', async ({ page }) => {
  test.setTimeout(90_000);
  const web = await startHoldfastWeb(tempDataDir());
  const settings = new IntegrationSettingsPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await callApi(web, 'directory.saveTeam', { name: 'Payments', description: 'Card payments', escalationPhone: '+1 555 0100', pager: '' });
    await settings.open();
    await expect(settings.section.getByTestId('targets-empty')).toBeVisible();

    // Missing the key and a bad address: both named, nothing saved.
    await settings.fillNew('pagerduty', 'Payments PagerDuty', { url: 'not-an-address' });
    await settings.save();
    await expect(settings.problems).toContainText('Routing key (Events API v2 integration key): fill it in');
    await settings.fill({ routingKey: 'e93facc04764012d7bfb002500d5d1a6' });
    await settings.save();
    await expect(settings.problems).toContainText('Events API address: must be an http(s) address');
    await expect(settings.rows).toHaveCount(0);
    expect(await callApi(web, 'integrations.targets', {})).toEqual([]);

    await settings.fill({ url: 'https://events.pagerduty.com/v2/enqueue' });
    await settings.save();
    await expect(settings.form).toHaveCount(0);
    await expect(settings.row('Payments PagerDuty').getByTestId('target-secret')).toHaveText('Secret held on this laptop');
    const [saved] = await callApi(web, 'integrations.targets', {});
    expect(saved.config).toEqual({ kind: 'pagerduty', routingKey: '••••', url: 'https://events.pagerduty.com/v2/enqueue' });

    // Editing: the secret is not shown; saving without it says to type it again.
    await settings.edit('Payments PagerDuty');
    await expect(settings.form.getByTestId('target-field-routingKey')).toHaveValue('');
    await settings.form.getByTestId('target-name').fill('Payments on-call');
    await settings.save();
    await expect(settings.problems).toContainText('fill it in');
    await settings.fill({ routingKey: 'f00facc04764012d7bfb002500d5d1a6' });
    await settings.save();
    await expect(settings.row('Payments on-call')).toBeVisible();

    // A chat target is not offered as a paging target.
    await settings.fillNew('slack', '#inc-war-room', { url: 'https://hooks.slack.com/services/T0/B0/x' });
    await settings.save();
    await expect(settings.rows).toHaveCount(2);

    const directory = new DirectoryPage(page);
    await directory.open();
    const card = page.getByTestId('team-card').filter({ hasText: 'Payments' });
    await card.getByTestId('team-paging-edit').click();
    await expect(card.getByTestId('team-paging-form').getByRole('checkbox')).toHaveCount(1);
    await settings.setTeamPaging('Payments', ['Payments on-call']);
    const team = (await callApi(web, 'directory.list', {})).teams.find((t: { name: string }) => t.name === 'Payments');
    expect(await callApi(web, 'integrations.teamTargets', { teamId: team!.id })).toEqual([saved.id]);

    await settings.open();
    await settings.remove('#inc-war-room');
    await expect(settings.rows).toHaveCount(1);
  } finally {
    await web.stop();
  }
});
