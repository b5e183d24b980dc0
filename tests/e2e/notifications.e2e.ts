// Browser notifications in real Chromium with the permission granted: the page's Notification is
// wrapped (pages/notifications: the real one still called, whose 'show' event says Chromium
// displayed it) so the test sees each one the app shows. Two incidents declared an hour ago (the
// engine's clock set back), so their internal updates are overdue:
// - while the comms lead is someone else, the commander gets nothing; the moment the comms lead
//   role passes to them in the open war room, "Stakeholder update overdue" is shown, once;
// - with notifications turned off in Settings nothing is shown for a second overdue incident
//   declared then, not even in its war room; turned on again, it is shown at once, on the
//   Settings page (no war room open).
import { expect, test, type Page } from '@playwright/test';
import { tempDataDir, type RunningWeb } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { IncidentsPage } from './pages/incidents-page';
import { recordNotifications, recordedIn, shownIn } from './pages/notifications';
import { WarRoomPage } from './pages/war-room-page';
import { startShiftedWeb } from './shifted-clock';

const displayedIn = async (page: Page) => (await recordedIn(page)).displayed;

/**
 * A note written now and seen in the open war room's timeline: the page has rendered something
 * newer than what it just checked, so a notification it was going to show is shown by then.
 */
async function laterNoteSeen(page: Page, web: RunningWeb, incidentId: string, text: string): Promise<void> {
  await callApi(web, 'timeline.add', { incidentId, kind: 'note', text });
  await expect(new WarRoomPage(page).row(text)).toBeVisible();
}

test('an overdue update notifies the person responsible for it, once, and nobody else; the setting turns it off', async ({ page, context }) => {
  test.setTimeout(120_000);
  const web = await startShiftedWeb(tempDataDir('holdfast-notify-'));
  const incidents = new IncidentsPage(page);
  try {
    const me = (await callApi(web, 'app.info', {})).actorId;
    // Declared an hour ago: every update clock of theirs is long past due.
    await web.setClock(Date.now() - 60 * 60_000);
    const withComms = await callApi(web, 'incidents.create', { title: 'Checkout API returns 502 for EU customers', severity: 'SEV1', services: ['checkout-api'] });
    await callApi(web, 'roles.assign', { incidentId: withComms.id, role: 'comms', personId: 'priya' });
    await web.realClock();

    await context.grantPermissions(['notifications'], { origin: new URL(web.url).origin });
    await page.addInitScript(recordNotifications);
    await incidents.open(web.openUrl);
    expect(await page.evaluate(() => Notification.permission)).toBe('granted');

    // Priya holds comms: her update is overdue, but it is not this commander's to write.
    await incidents.row(withComms.title).click();
    await expect(page.getByTestId('war-title')).toHaveText(withComms.title);
    await expect(page.getByTestId('due-badge')).toHaveAttribute('data-level', 'overdue');
    await laterNoteSeen(page, web, withComms.id, 'Provider confirms a faulty load balancer');
    expect(await shownIn(page)).toEqual([]);

    // The comms lead role comes to me while the room is open: the overdue update is mine now.
    await callApi(web, 'roles.assign', { incidentId: withComms.id, role: 'comms', personId: me, reason: 'Priya is on the bridge with the provider' });
    await expect.poll(() => shownIn(page)).not.toEqual([]);
    const shown = await shownIn(page);
    // Chromium put each on screen (its 'show' event), not only constructed it.
    await expect.poll(() => displayedIn(page)).toEqual(shown.map((n) => n.tag));
    expect(shown.every((n) => n.title === 'Stakeholder update overdue')).toBe(true);
    expect(shown.map((n) => n.body)).toContainEqual(
      expect.stringMatching(/^The internal responders update on "Checkout API returns 502 for EU customers" was due \d+ min ago\.$/),
    );
    // Once per deadline: coming back to the room shows nothing again.
    await incidents.backToList();
    await incidents.row(withComms.title).click();
    await expect(page.getByTestId('due-badge')).toHaveAttribute('data-level', 'overdue');
    await laterNoteSeen(page, web, withComms.id, 'Load balancer replaced, error rate falling');
    expect(await shownIn(page)).toEqual(shown);

    // Turned off on this browser: another overdue incident, whose commander I am with nobody in
    // comms, shows nothing, even in its war room.
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('notifications-on').uncheck();
    await expect(page.getByTestId('notifications-permission')).toHaveText('Off on this browser.');
    await web.setClock(Date.now() - 60 * 60_000);
    const quiet = await callApi(web, 'incidents.create', { title: 'Search latency p99 above 4 s', severity: 'SEV2', services: ['search'] });
    await web.realClock();
    await page.getByTestId('nav-incidents').click();
    await incidents.row(quiet.title).click();
    await expect(page.getByTestId('war-title')).toHaveText(quiet.title);
    await expect(page.getByTestId('due-badge')).toHaveAttribute('data-level', 'overdue');
    await laterNoteSeen(page, web, quiet.id, 'Search index rebuild started');
    expect(await shownIn(page)).toEqual(shown);

    // On again: it is shown at once, on the Settings page, with no war room open (it was only the
    // setting that held it back).
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('notifications-on').check();
    await expect(page.getByTestId('notifications-permission')).toHaveText('The browser shows them.');
    await expect.poll(async () => (await shownIn(page)).length).toBeGreaterThan(shown.length);
    const added = (await shownIn(page)).slice(shown.length);
    expect(added.map((n) => n.body)).toContainEqual(expect.stringContaining('on "Search latency p99 above 4 s" was due'));
  } finally {
    await web.stop();
  }
});
