// Refreshes docs/screenshots/comms-composer.png and comms-history.png (`npm run screenshots`): the
// comms lead's workspace during the orders database outage. The composer holds a customer update
// written in a hurry, its guesses, host names and jargon marked in the preview and listed beside
// it; the history shows what customers were told, approved on the commander's laptop through the
// central service, and the delivery to each channel (delivered, retrying, failed with a Retry).
import { expect, test, type Page } from '@playwright/test';
import { startHoldfastServer } from './holdfast-server';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { CommsRoomPage, callApi, startWebhookReceiver } from './pages/comms-room';
import { IncidentsPage } from './pages/incidents-page';
import { declareOrdersDbOutage } from './pages/scenes';
import { SettingsPage } from './pages/settings-page';
import { WarRoomPage } from './pages/war-room-page';

/** The commander approves the customer update waiting on her laptop. */
async function approve(alice: CommsRoomPage) {
  await alice.showDraft();
  await expect(alice.composer.getByTestId('draft-state')).toHaveText('Awaiting approval', { timeout: 15_000 });
  await alice.composer.getByTestId('approve').click();
  await expect(alice.composer.getByTestId('draft-state')).toHaveText('Approved');
}

async function publishWhenApproved(priya: CommsRoomPage, { hasFindings }: { hasFindings: boolean }) {
  await expect(priya.composer.getByTestId('draft-state')).toHaveText('Approved', { timeout: 15_000 });
  await priya.composer.getByTestId('publish').click();
  if (hasFindings) await priya.composer.getByTestId('publish-anyway').click();
  await expect(priya.page.getByTestId('section-history')).toHaveAttribute('aria-selected', 'true');
}

async function connect(page: Page, url: string, token: string) {
  const settings = new SettingsPage(page);
  await settings.open();
  await settings.connect(url, token);
  await page.getByTestId('nav-incidents').click();
}

test('screenshots of the comms lead composing and of the update history', async ({ browser }) => {
  test.setTimeout(180_000);
  const statusPage = await startWebhookReceiver();
  const partners = await startWebhookReceiver(Array(20).fill(503));
  const supportDesk = await startWebhookReceiver(Array(20).fill(400));
  const server = await startHoldfastServer({ alice: 'commander', priya: 'comms' });
  const [webA, webB] = [await startHoldfastWeb(tempDataDir('holdfast-docs-')), await startHoldfastWeb(tempDataDir('holdfast-docs-'))];
  const options = { timezoneId: 'America/New_York', viewport: { width: 1360, height: 1000 } };
  const contexts = [await browser.newContext(options), await browser.newContext(options)];
  const [pageA, pageB] = [await contexts[0].newPage(), await contexts[1].newPage()];
  try {
    await new IncidentsPage(pageA).open(webA.openUrl);
    await new IncidentsPage(pageB).open(webB.openUrl);
    await connect(pageA, server.url, server.tokens.alice);
    await connect(pageB, server.url, server.tokens.priya);
    await callApi(webB, 'comms.saveChannel', { name: 'Status page', audiences: ['customers'], config: { kind: 'webhook', url: statusPage.url } });
    await declareOrdersDbOutage(pageA, new WarRoomPage(pageA));
    await new IncidentsPage(pageB).row('Orders database primary not accepting writes').click({ timeout: 15_000 });
    const [alice, priya] = [new CommsRoomPage(pageA), new CommsRoomPage(pageB)];
    await alice.open('customers');

    // The first customer update, written in a hurry.
    await priya.open('customers');
    await pageB.getByTestId('comms-new').click();
    await priya.value('headline').fill('Orders cannot be placed right now');
    await priya.value('impact').fill('Checkout fails for every customer when placing an order. Browsing and carts work.');
    await priya.value('status').fill('This is probably a bad deploy by the database team on orders-db-1.');
    await priya.value('actions').fill('Our on-call DBA is failing over to the standby database.');
    await priya.composer.getByTestId('draft-approver').fill('alice');
    await priya.saved();
    await expect(priya.finding('speculation', 'probably')).toBeVisible();
    await expect(priya.finding('internal-host', 'orders-db-1')).toBeVisible();
    await expect(priya.finding('internal-jargon', 'on-call')).toBeVisible();
    await pageB.mouse.move(0, 0);
    await pageB.getByTestId('cadence-strip').evaluate((strip) => strip.scrollIntoView({ block: 'start' }));
    await pageB.screenshot({ path: 'docs/screenshots/comms-composer.png' });
    await priya.composer.getByTestId('publish').evaluate((button) => button.scrollIntoView({ block: 'end' }));
    await pageB.screenshot({ path: '/tmp/comms-composer-bottom.png' });

    // Fixed, approved on the commander's laptop, published past the one finding left.
    await priya.value('status').fill('We have found the cause and are moving orders to the standby database.');
    await priya.saved();
    await priya.composer.getByTestId('request-approval').click();
    await approve(alice);
    await publishWhenApproved(priya, { hasFindings: true });

    // The follow-up goes to every customer channel.
    await callApi(webB, 'comms.saveChannel', { name: 'Partner notifications', audiences: ['customers'], config: { kind: 'webhook', url: partners.url } });
    await callApi(webB, 'comms.saveChannel', { name: 'Support desk relay', audiences: ['customers'], config: { kind: 'webhook', url: supportDesk.url } });
    await priya.showDraft();
    await pageB.getByTestId('comms-new').click();
    await expect(priya.value('impact')).toHaveValue('Checkout fails for every customer when placing an order. Browsing and carts work.');
    await priya.value('headline').fill('Orders are being placed again');
    await priya.value('impact').fill('Orders placed between 09:12 and 09:47 UTC may show as pending.');
    await priya.value('status').fill('Checkout works again. We are checking every order placed during the outage.');
    await priya.value('actions').fill('Confirming pending orders; nobody needs to order again.');
    for (const channel of await priya.composer.getByTestId('channel-check').locator('input').all()) await channel.check();
    await priya.saved();
    await priya.composer.getByTestId('request-approval').click();
    await approve(alice);
    await publishWhenApproved(priya, { hasFindings: false });

    const latest = priya.publishedUpdate('Orders are being placed again');
    await expect(latest.locator('[data-testid="delivery"][data-channel="status-page"]')).toHaveAttribute('data-state', 'delivered', { timeout: 30_000 });
    await expect(latest.locator('[data-testid="delivery"][data-channel="partner-notifications"]')).toHaveAttribute('data-state', 'retrying', { timeout: 30_000 });
    await expect(latest.locator('[data-testid="delivery"][data-channel="support-desk-relay"]')).toHaveAttribute('data-state', 'failed', { timeout: 30_000 });
    await expect(priya.publishedUpdate('Orders cannot be placed right now').getByTestId('delivery')).toHaveAttribute('data-state', 'delivered', { timeout: 30_000 });
    await pageB.mouse.move(0, 0);
    await pageB.screenshot({ path: 'docs/screenshots/comms-history.png' });
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    await Promise.all([webA.stop(), webB.stop(), server.stop()]);
    await Promise.all([statusPage.close(), partners.close(), supportDesk.close()]);
  }
});
