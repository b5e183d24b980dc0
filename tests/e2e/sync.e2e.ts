// Two people, two `holdfast web` replicas, one central service: an incident declared in one
// browser appears in the other without a reload.
import { expect, test } from '@playwright/test';
import { startHoldfastServer } from './holdfast-server';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { SettingsPage } from './pages/settings-page';

test('an incident declared in one browser appears in another replica through the service', async ({ browser }) => {
  test.setTimeout(120_000); // three processes and two browsers
  const server = await startHoldfastServer({ alice: 'commander', bob: 'responder' });
  const webA = await startHoldfastWeb(tempDataDir());
  const webB = await startHoldfastWeb(tempDataDir());
  const contexts = [await browser.newContext(), await browser.newContext()];
  const [pageA, pageB] = [await contexts[0].newPage(), await contexts[1].newPage()];
  try {
    const alice = new IncidentsPage(pageA);
    const bob = new IncidentsPage(pageB);
    await alice.open(webA.openUrl);
    await bob.open(webB.openUrl);
    const settingsA = new SettingsPage(pageA);
    await settingsA.open();
    await pageA.getByTestId('server-url').fill(server.url);
    await pageA.getByTestId('server-token').fill('hf_wrong-token-123');
    await pageA.getByTestId('server-connect').click();
    await expect(pageA.getByRole('alert')).toContainText('the server refused the credentials');
    await expect(alice.connection).not.toContainText('Access token rejected');
    await settingsA.connect(server.url, server.tokens.alice);
    await expect(pageA.getByTestId('app-info')).toContainText('alice');
    await pageA.screenshot({ path: test.info().outputPath('settings-sync.png') });
    const settingsB = new SettingsPage(pageB);
    await settingsB.open();
    await settingsB.connect(server.url, server.tokens.bob);

    await pageA.getByTestId('nav-incidents').click();
    await pageB.getByTestId('nav-incidents').click();
    await alice.declareWithKeyboard('Payments API returns 500', 'SEV1', 'Card payments failing since 10:05 UTC');
    await expect(bob.row('Payments API returns 500')).toContainText('SEV1', { timeout: 15_000 });
    await expect(bob.row('Payments API returns 500')).toContainText('Card payments failing');
    await expect(bob.connection).toContainText('Synced with central');
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    await Promise.all([webA.stop(), webB.stop(), server.stop()]);
  }
});
