// Notifications that come from another person, across two laptops: alice (a commander) on laptop A
// and bob on laptop B, each a real `holdfast web` with its own data folder, synced through a real
// `holdfast server`. Both browsers have the permission granted and their Notification wrapped
// (pages/notifications), so the test sees every notification each page shows. With alice writing
// from her laptop:
// - her role offer reaches bob on the incident list (no war room open) as "Incident commander
//   offered to you", once; clicking it brings his window to the front and opens that incident's war
//   room, where he can accept or decline; offered again after he declines, it is news again;
// - her request for his approval of a customer update shows "Approval requested", once;
// - with bob's notifications turned off, a new offer and a new request reach his war room and show
//   nothing; turned on again, they are shown;
// - alice's own offers and requests never notify alice.
// Every "nothing shown" is checked after something that came later has arrived on that laptop.
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import type { Audience } from '@shared/domain/comms';
import { startHoldfastServer, type RunningServer } from './holdfast-server';
import { startHoldfastWeb, tempDataDir, type RunningWeb } from './holdfast-web';
import { callApi, CommsRoomPage } from './pages/comms-room';
import { IncidentsPage } from './pages/incidents-page';
import { clickNotification, recordedIn, recordNotifications, shownIn } from './pages/notifications';
import { SettingsPage } from './pages/settings-page';
import { WarRoomPage } from './pages/war-room-page';

const title = 'Orders database refuses connections in eu-west';
/** How long a change may take from one laptop through the service to the other, on a busy machine. */
const synced = { timeout: 30_000 };

/** A browser for `name` on their laptop, notifications allowed and recorded, synced through the service. */
async function openLaptop(context: BrowserContext, web: RunningWeb, server: RunningServer, name: string): Promise<Page> {
  await context.grantPermissions(['notifications'], { origin: new URL(web.url).origin });
  const page = await context.newPage();
  await page.addInitScript(recordNotifications);
  await new IncidentsPage(page).open(web.openUrl);
  expect(await page.evaluate(() => Notification.permission)).toBe('granted');
  const settings = new SettingsPage(page);
  await settings.open();
  await settings.connect(server.url, server.tokens[name]);
  await expect(page.getByTestId('app-info')).toContainText(name);
  await page.getByTestId('nav-incidents').click();
  return page;
}

/** From anywhere in the app to the war room of the incident. */
async function openWarRoom(page: Page): Promise<WarRoomPage> {
  await page.getByTestId('nav-incidents').click();
  await new IncidentsPage(page).row(title).click(synced);
  await expect(page.getByTestId('war-title')).toHaveText(title);
  return new WarRoomPage(page);
}

/** Writes an update on that laptop (as its comms writer would) and asks bob to approve it. */
async function askApproval(web: RunningWeb, incidentId: string, audience: Audience, headline: string): Promise<void> {
  const update = await callApi(web, 'comms.start', { incidentId, audience });
  await callApi(web, 'comms.save', { incidentId, updateId: update.id, values: { headline } });
  expect((await callApi(web, 'comms.requestApproval', { incidentId, updateId: update.id, approver: 'bob' })).state).toBe('awaiting-approval');
}

/** Turns this browser's notifications on or off in Settings. */
async function setNotifications(page: Page, isOn: boolean): Promise<void> {
  await page.getByTestId('nav-settings').click();
  await page.getByTestId('notifications-on').setChecked(isOn);
  await expect(page.getByTestId('notifications-permission')).toHaveText(isOn ? 'The browser shows them.' : 'Off on this browser.');
}

test('role offers and approval requests from another laptop notify the person asked, once, and never the one asking; the setting turns them off', async ({ browser }) => {
  test.setTimeout(420_000); // three processes and two browsers: 2.4 to 3.7 min on a busy 2-core machine
  const [serverStart, webAStart, webBStart] = await Promise.allSettled([
    startHoldfastServer({ alice: 'commander', bob: 'responder' }),
    startHoldfastWeb(tempDataDir()),
    startHoldfastWeb(tempDataDir()),
  ]);
  if (serverStart.status === 'rejected' || webAStart.status === 'rejected' || webBStart.status === 'rejected') {
    // One did not start: the others are stopped, so no process outlives the test.
    const all = [serverStart, webAStart, webBStart];
    await Promise.all(all.flatMap((start) => (start.status === 'fulfilled' ? [start.value.stop()] : [])));
    throw all.find((start): start is PromiseRejectedResult => start.status === 'rejected')?.reason;
  }
  const [server, webA, webB] = [serverStart.value, webAStart.value, webBStart.value];
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    const pageA = await openLaptop(contexts[0], webA, server, 'alice');
    const pageB = await openLaptop(contexts[1], webB, server, 'bob');
    const incident = await callApi(webA, 'incidents.create', { title, severity: 'SEV2', services: ['orders-db'] });
    const roomA = await openWarRoom(pageA);
    // Bob is made deputy (not offered: nothing to accept), so he is someone who can approve updates.
    // He stays on the incident list: no war room is open on his laptop.
    await callApi(webA, 'roles.assign', { incidentId: incident.id, role: 'deputy', personId: 'bob' });
    await expect(new IncidentsPage(pageB).row(title)).toBeVisible(synced);
    expect(await shownIn(pageB)).toEqual([]);

    // Alice offers command to bob from her laptop: his browser says so, once, on the incident list.
    await roomA.seat('commander').getByTestId('seat-offer-button').click();
    await roomA.submitDialog({ to: 'bob' });
    await expect(roomA.seat('commander').getByTestId('seat-offer')).toContainText('Offered to bob by alice');
    await expect.poll(() => shownIn(pageB), synced).toHaveLength(1);
    const [offer] = await shownIn(pageB);
    expect(offer).toEqual({
      title: 'Incident commander offered to you',
      body: `alice offers you Incident commander on "${title}". Accept or decline in the war room.`,
      tag: expect.stringMatching(`^offer:${incident.id}/commander:`),
    });
    await expect.poll(async () => (await recordedIn(pageB)).displayed).toEqual([offer.tag]);

    await expect(pageB.getByTestId('war-room')).toHaveCount(0);

    // Clicking it brings bob's window to the front, takes the notification away and opens that
    // incident's war room, which shows the offer with its answers.
    await clickNotification(pageB, offer.tag);
    await expect.poll(async () => (await recordedIn(pageB)).closed).toEqual([offer.tag]);
    expect((await recordedIn(pageB)).focusCalls).toBe(1);
    await expect(pageB.getByTestId('war-title')).toHaveText(title);
    const roomB = new WarRoomPage(pageB);
    await expect(roomB.seat('deputy').getByTestId('seat-holder')).toHaveText('bob', synced);
    await expect(roomB.seat('commander').getByTestId('seat-offer')).toContainText('Offered to bob by alice');
    await expect(roomB.seat('commander').getByTestId('seat-accept')).toBeVisible();

    // Alice asks bob to approve her customer update.
    await askApproval(webA, incident.id, 'customers', 'Some orders cannot be placed');
    await expect.poll(() => shownIn(pageB), synced).toHaveLength(2);
    const approval = (await shownIn(pageB))[1];
    expect(approval).toEqual({
      title: 'Approval requested',
      body: `alice asks you to approve the customers update on "${title}".`,
      tag: expect.stringMatching(/^approval:/),
    });

    // Bob declines command; alice offers it again later: a new offer is news again.
    await roomB.seat('commander').getByTestId('seat-decline').click();
    await expect(roomB.seat('commander').getByTestId('seat-offer')).toHaveCount(0);
    await expect(roomA.seat('commander').getByTestId('seat-offer')).toHaveCount(0, synced);
    await roomA.seat('commander').getByTestId('seat-offer-button').click();
    await roomA.submitDialog({ to: 'bob' });
    await expect(roomB.seat('commander').getByTestId('seat-offer')).toContainText('Offered to bob by alice', synced);
    await expect.poll(() => shownIn(pageB), synced).toHaveLength(3);
    const again = (await shownIn(pageB))[2];
    expect(again.title).toBe('Incident commander offered to you');
    expect(again.tag).not.toBe(offer.tag);

    // Once each: after an entry alice writes later has reached bob, still nothing more.
    await roomA.typeEntries('Standby promoted, replication lag 0 s');
    await expect(roomB.row('Standby promoted, replication lag 0 s')).toBeVisible(synced);
    const withSetting = await shownIn(pageB);
    expect(withSetting).toEqual([offer, approval, again]);
    await expect.poll(async () => (await recordedIn(pageB)).displayed).toEqual(withSetting.map((n) => n.tag));

    // Bob turns notifications off. Alice offers him operations and asks him to approve an
    // executive update: both reach his war room, and nothing is shown.
    await setNotifications(pageB, false);
    await openWarRoom(pageB);
    await callApi(webA, 'roles.assign', { incidentId: incident.id, role: 'ops', personId: 'alice' });
    await callApi(webA, 'roles.offer', { seatId: `${incident.id}/ops`, to: 'bob' });
    await askApproval(webA, incident.id, 'executives', 'Orders in Europe down since 09:40 UTC');
    await expect(roomB.seat('ops').getByTestId('seat-offer')).toContainText('Offered to bob by alice', synced);
    const commsB = new CommsRoomPage(pageB);
    await commsB.open('executives');
    await expect(commsB.cadence('executives').getByTestId('cadence-draft')).toHaveText('awaiting approval', synced);
    expect(await shownIn(pageB)).toEqual(withSetting);

    // On again: the same war room shows them, once each (only the setting held them back).
    await setNotifications(pageB, true);
    await openWarRoom(pageB);
    await expect.poll(() => shownIn(pageB), synced).toHaveLength(withSetting.length + 2);
    const added = (await shownIn(pageB)).slice(withSetting.length);
    expect(added.map(({ title: t, body }) => ({ title: t, body }))).toEqual(
      expect.arrayContaining([
        { title: 'Operations lead offered to you', body: `alice offers you Operations lead on "${title}". Accept or decline in the war room.` },
        { title: 'Approval requested', body: `alice asks you to approve the executives update on "${title}".` },
      ]),
    );

    // Alice was never notified of her own offers and requests: checked once bob's answer to her
    // last offer has reached her laptop.
    await pageB.getByTestId('pane-timeline').click();
    await roomB.seat('ops').getByTestId('seat-accept').click();
    await expect(roomB.seat('ops').getByTestId('seat-holder')).toHaveText('bob');
    await expect(roomA.seat('ops').getByTestId('seat-holder')).toHaveText('bob', synced);
    expect(await shownIn(pageA)).toEqual([]);
    expect((await recordedIn(pageB)).shown).toHaveLength(withSetting.length + 2);
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    await Promise.all([webA.stop(), webB.stop(), server.stop()]);
  }
});
