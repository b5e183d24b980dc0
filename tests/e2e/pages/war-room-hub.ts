// A war room hosted from one browser and joined from another: the host starts the hub in Settings
// and sees its link, QR code and code; a laptop handed a link with the wrong certificate fingerprint
// is refused, with both fingerprints named; with the right link it joins, and the host sees it.
import { expect, type Browser, type Page } from '@playwright/test';
import { startHoldfastServer } from '../holdfast-server';
import { startHoldfastWeb, tempDataDir } from '../holdfast-web';
import { IncidentsPage } from './incidents-page';
import { SettingsPage } from './settings-page';

export async function warRoomHubScene(browser: Browser, shoot: (page: Page, name: string) => Promise<void>): Promise<void> {
  const server = await startHoldfastServer({ 'dana.ops': 'commander' });
  const hostWeb = await startHoldfastWeb(tempDataDir('holdfast-hub-'));
  const joinWeb = await startHoldfastWeb(tempDataDir('holdfast-hub-'));
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [host, joiner] = [await contexts[0].newPage(), await contexts[1].newPage()];
  try {
    await new IncidentsPage(host).open(hostWeb.openUrl);
    await new IncidentsPage(host).declareWithKeyboard('Core switch down in DC2', 'SEV1', 'Both uplinks of the DC2 core switch lost at 03:10 UTC.');
    const hostSettings = new SettingsPage(host);
    await hostSettings.open();
    await hostSettings.connect(server.url, server.tokens['dana.ops']);
    await host.getByLabel('Port').fill('0');
    await host.getByRole('button', { name: 'Host war room' }).click();
    const running = host.getByTestId('hub-running');
    await expect(running).toBeVisible({ timeout: 15_000 });
    await expect(running.getByRole('img', { name: 'Join link as a QR code' })).toBeVisible();
    await expect(host.getByTestId('join-code')).toHaveText(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);
    await expect(host.getByTestId('hub-members')).toHaveText('Nobody has joined yet.');
    await host
      .getByLabel('Address')
      .selectOption({ label: (await host.getByLabel('Address').locator('option').allTextContents()).find((t) => t.startsWith('127.0.0.1'))! });
    const link = (await host.getByTestId('hub-link').textContent())!;
    expect(link).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/join#code=[0-9A-Z-]+&sha256=[0-9a-f]{64}$/);
    const fingerprint = /sha256=([0-9a-f]{64})/.exec(link)![1];

    await new IncidentsPage(joiner).open(joinWeb.openUrl);
    const joinSettings = new SettingsPage(joiner);
    await joinSettings.open();
    const forged = fingerprint.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    await joiner.getByLabel('Join link').fill(link.replace(fingerprint, forged));
    await joiner.getByTestId('war-room-join').getByRole('button', { name: 'Join' }).click();
    const refusal = joiner.getByTestId('war-room-join').getByRole('alert');
    await expect(refusal).toContainText('refusing to connect', { timeout: 15_000 });
    await expect(refusal).toContainText(fingerprint);
    await expect(refusal).toContainText(forged);
    await refusal.scrollIntoViewIfNeeded();
    await shoot(joiner, 'war-room-join-refused');

    await joiner.getByLabel('Join link').fill(link);
    await joiner.getByTestId('war-room-join').getByRole('button', { name: 'Join' }).click();
    await expect(joiner.getByTestId('peer-hub').getByTestId('peer-state')).toContainText('connected', { timeout: 20_000 });
    await expect(host.getByTestId('hub-members')).toContainText('guest:', { timeout: 10_000 });
    await expect(host.getByTestId('hub-members')).toContainText('guest');
    await host.getByTestId('hub-running').scrollIntoViewIfNeeded();
    await shoot(host, 'war-room-host');

    // A new code on demand: the code shown changes, and the panel says why.
    const before = await host.getByTestId('join-code').textContent();
    await host.getByRole('button', { name: 'New code' }).click();
    await expect(host.getByTestId('join-code')).not.toHaveText(before!);
    await expect(host.getByTestId('code-state')).toContainText('the host asked for a new code');
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    await Promise.all([hostWeb.stop(), joinWeb.stop(), server.stop()]);
  }
}
