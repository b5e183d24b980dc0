// The central service dies during an incident while a war room hub keeps the room together: two
// real `holdfast web` replicas, both connected to a real `holdfast server`; one hosts the war room
// and the other joins it. With the service stopped, the joiner's indicator says the service is
// unreachable since when, that the hub serves the room, and how much waits for the service; the
// error reads in words (the raw one in the tooltip); the host says it hosts the war room instead
// of "offline". Nothing is green until every peer has everything.
import { expect, type Browser, type Page } from '@playwright/test';
import { startHoldfastServer } from '../holdfast-server';
import { startHoldfastWeb, tempDataDir } from '../holdfast-web';
import { IncidentsPage } from './incidents-page';
import { SettingsPage } from './settings-page';
import { SyncIndicator } from './sync-indicator';
import { WarRoomPage } from './war-room-page';

const title = 'Core switch down in DC2';

export async function syncOutageScene(browser: Browser, shoot: (page: Page, name: string) => Promise<void>): Promise<void> {
  const server = await startHoldfastServer({ 'dana.ops': 'commander', 'lee.sre': 'responder' });
  const hostWeb = await startHoldfastWeb(tempDataDir('holdfast-outage-'));
  const joinWeb = await startHoldfastWeb(tempDataDir('holdfast-outage-'));
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [host, joiner] = [await contexts[0].newPage(), await contexts[1].newPage()];
  let isServerUp = true;
  try {
    // Both laptops on the service; one hosts the war room, the other joins it.
    await new IncidentsPage(host).open(hostWeb.openUrl);
    await new SettingsPage(host).open();
    await new SettingsPage(host).connect(server.url, server.tokens['dana.ops']);
    await host.getByLabel('Port').fill('0');
    await host.getByRole('button', { name: 'Host war room' }).click();
    await expect(host.getByTestId('hub-running')).toBeVisible({ timeout: 15_000 });
    await host
      .getByLabel('Address')
      .selectOption({ label: (await host.getByLabel('Address').locator('option').allTextContents()).find((t) => t.startsWith('127.0.0.1'))! });
    const link = (await host.getByTestId('hub-link').textContent())!;

    await new IncidentsPage(joiner).open(joinWeb.openUrl);
    const joinSettings = new SettingsPage(joiner);
    await joinSettings.open();
    await joinSettings.connect(server.url, server.tokens['lee.sre']);
    await joiner.getByLabel('Join link').fill(link);
    await joiner.getByTestId('war-room-join').getByRole('button', { name: 'Join' }).click();
    await expect(joiner.getByTestId('peer-hub').getByTestId('peer-state')).toContainText('connected', { timeout: 20_000 });
    await expect(host.getByTestId('hub-members')).toContainText('lee.sre', { timeout: 10_000 });

    const hostSync = new SyncIndicator(host);
    const joinSync = new SyncIndicator(joiner);
    // Everyone has everything: green, and it says with whom.
    await joinSync.expectSynced();
    await expect(joinSync.label).toHaveText('Synced with central + the war room hub');
    await expect(hostSync.box).toContainText('Hosting the war room for 1 laptop', { timeout: 10_000 });

    // The commander declares; the responder opens the room (through the service or the hub).
    await host.getByTestId('nav-incidents').click();
    await new IncidentsPage(host).declareWithKeyboard(title, 'SEV1', 'Both uplinks of the DC2 core switch lost at 03:10 UTC.');
    await joiner.getByTestId('nav-incidents').click();
    await new IncidentsPage(joiner).row(title).click({ timeout: 20_000 });
    await expect(joiner.getByTestId('war-title')).toHaveText(title);
    await joinSync.expectSynced();

    // The service dies (killed: no goodbye to its live sockets).
    const exited = new Promise((resolve) => server.process.once('exit', resolve));
    server.process.kill('SIGKILL');
    await exited;
    isServerUp = false;
    const room = new WarRoomPage(joiner);
    await room.typeEntries('Uplink 1 optics replaced, no light', 'Vendor ticket opened: case 4471', 'Traffic failed over to DC1');

    // The responder's laptop: per peer, with what waits for whom, and never green.
    await expect(joinSync.label).toHaveText(/^Central unreachable since \d\d:\d\d$/, { timeout: 20_000 });
    await expect(joinSync.detail).toContainText('War room hub');
    await expect(joinSync.detail).toContainText(/\d+ waiting for central/);
    expect(await joinSync.tone()).not.toBe('ok');
    await expect(joinSync.problem).toHaveText('Central is not running or is restarting.');
    expect(await joinSync.tooltip()).toContain('ECONNREFUSED');
    await expect(joinSync.problem).not.toContainText('ECONNREFUSED');
    // The same truth in the war room header, with "Sync now" there too.
    await expect(joinSync.headerLine).toContainText(/Central unreachable since \d\d:\d\d · War room hub/);
    await expect(joinSync.headerLine).toContainText('waiting for central');
    await expect(joinSync.headerBar.getByTestId('war-sync-now')).toBeVisible();

    // "Sync now" tries at once; the service is still down, and the indicator still says so.
    await joinSync.clickSyncNow();
    await expect(joinSync.label).toHaveText(/^Central unreachable since/);

    // The host serves the room: it says so, not "Offline: saved locally".
    await expect(hostSync.label).toHaveText(/^Central unreachable since \d\d:\d\d$/, { timeout: 20_000 });
    await expect(hostSync.detail).toContainText('Hosting the war room for 1 laptop');
    await expect(hostSync.box).not.toContainText('Offline');

    // The entries typed during the outage reached the host through the hub.
    await host.getByTestId('nav-incidents').click();
    await new IncidentsPage(host).row(title).click();
    await expect(new WarRoomPage(host).row('Traffic failed over to DC1')).toBeVisible({ timeout: 15_000 });
    await expect(hostSync.headerLine).toContainText('Hosting the war room for 1 laptop');

    await shoot(joiner, 'sync-outage-joiner');
    await shoot(host, 'sync-outage-host');
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    await Promise.all([hostWeb.stop(), joinWeb.stop(), isServerUp ? server.stop() : Promise.resolve()]);
  }
}
