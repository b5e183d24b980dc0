// A war room found on the network: one laptop hosts a hub, which announces itself over multicast
// DNS; another laptop's join screen lists it under "War rooms near you" with its fingerprint, and
// joins it with the code the host reads out.
import { expect, type Browser, type Page } from '@playwright/test';
import { startHoldfastServer } from '../holdfast-server';
import { startHoldfastWeb, tempDataDir } from '../holdfast-web';
import { IncidentsPage } from './incidents-page';
import { SettingsPage } from './settings-page';

export class NearbyWarRooms {
  constructor(readonly page: Page) {}

  /** The listed room for `title` (other rooms on the network may be listed too). */
  room(title: string) {
    return this.page.getByTestId('nearby-room').filter({ hasText: title });
  }

  async join(title: string, code: string): Promise<void> {
    await this.room(title).getByLabel(`Join code for ${title}`).fill(code);
    await this.room(title).getByTestId('nearby-join').click();
  }
}

/**
 * `title` names the declared incident the hub announces; a test gives a title of its own, since
 * another run's hub on the same network may announce the screenshot's.
 */
export async function warRoomsNearbyScene(browser: Browser, shoot: (page: Page, name: string) => Promise<void>, title = 'Checkout latency in EU'): Promise<void> {
  const server = await startHoldfastServer({ 'dana.ops': 'commander' });
  const hostWeb = await startHoldfastWeb(tempDataDir('holdfast-nearby-'));
  const joinWeb = await startHoldfastWeb(tempDataDir('holdfast-nearby-'));
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [host, joiner] = [await contexts[0].newPage(), await contexts[1].newPage()];
  try {
    await new IncidentsPage(host).open(hostWeb.openUrl);
    await new IncidentsPage(host).declareWithKeyboard(title, 'SEV2', 'p99 checkout latency above 4 s since 09:40 UTC.');
    const hostSettings = new SettingsPage(host);
    await hostSettings.open();
    await hostSettings.connect(server.url, server.tokens['dana.ops']);
    await host.getByLabel('Port').fill('0');
    await host.getByRole('button', { name: 'Host war room' }).click();
    await expect(host.getByTestId('hub-running')).toBeVisible({ timeout: 15_000 });
    const code = (await host.getByTestId('join-code').textContent())!;

    await new IncidentsPage(joiner).open(joinWeb.openUrl);
    await new SettingsPage(joiner).open();
    const nearby = new NearbyWarRooms(joiner);
    await expect(nearby.room(title)).toBeVisible({ timeout: 20_000 });
    await expect(nearby.room(title)).toContainText('hosted by dana.ops');
    await expect(nearby.room(title)).toContainText('Fingerprint');
    await nearby.room(title).getByLabel(`Join code for ${title}`).fill(code);
    await joiner.getByTestId('nearby-war-rooms').scrollIntoViewIfNeeded();
    await shoot(joiner, 'war-rooms-nearby');
    await nearby.join(title, code);
    await expect(joiner.getByTestId('peer-hub').getByTestId('peer-state')).toContainText('connected', { timeout: 20_000 });
    await expect(host.getByTestId('hub-members')).toContainText('guest', { timeout: 10_000 });
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    await Promise.all([hostWeb.stop(), joinWeb.stop(), server.stop()]);
  }
}
