// The comms lead's workspace in Chromium against real `holdfast web` processes: update clocks,
// composing from a template with lint findings marked, approval by a second person on another
// laptop through the real central service (rejected with a comment, then approved), publishing
// anyway past a finding, delivery to a real webhook receiver, history, the timeline and copying out.
import { expect, test } from '@playwright/test';
import { defaultCadence } from '@shared/domain/comms';
import { startHoldfastServer } from './holdfast-server';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { CommsRoomPage, callApi, startWebhookReceiver } from './pages/comms-room';
import { IncidentsPage } from './pages/incidents-page';
import { SettingsPage } from './pages/settings-page';
import { WarRoomPage } from './pages/war-room-page';

test('responders get an internal update without approval; the clocks turn amber and red; a refused delivery is retried by hand', async ({ browser }) => {
  const receiver = await startWebhookReceiver([400]);
  const web = await startHoldfastWeb(tempDataDir());
  const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
  const page = await context.newPage();
  try {
    await callApi(web, 'comms.saveChannel', { name: 'Responders hook', audiences: ['internal'], config: { kind: 'webhook', url: receiver.url } });
    // Responders hear every 5 minutes in a SEV2 here: the clock is amber from the start.
    await callApi(web, 'comms.saveSettings', { cadence: { ...defaultCadence, SEV2: { internal: 5, executives: 60, customers: 60 } } });
    const incidents = new IncidentsPage(page);
    const room = new WarRoomPage(page);
    const comms = new CommsRoomPage(page);
    await incidents.open(web.openUrl);
    await incidents.declare({ title: 'Search results empty for all users', severity: 'SEV2', services: 'search-api' });

    await expect(comms.dueBadge).toHaveAttribute('data-level', 'soon');
    await expect(comms.dueBadge).toHaveText(/^Internal responders update due in [45] min$/);
    await comms.dueBadge.click();
    await expect(comms.panel).toBeVisible();
    await expect(comms.cadence('internal')).toHaveAttribute('aria-selected', 'true');
    await expect(comms.cadence('internal')).toHaveAttribute('data-level', 'soon');
    await expect(comms.cadence('internal').getByTestId('cadence-due')).toHaveText(/^Next update due \d\d:\d\d \(in [45] min\)$/);
    await expect(comms.cadence('customers')).toHaveAttribute('data-level', 'ok');
    await expect(comms.cadence('customers').getByTestId('cadence-due')).toHaveText(/^Next update due \d\d:\d\d \(in (59 min|1 h)\)$/);

    await page.getByTestId('comms-new').click();
    await expect(comms.composer).toBeVisible();
    await expect(comms.composer.getByTestId('draft-state')).toHaveText('Draft');
    // The template's placeholders not filled yet are findings, marked in the preview.
    await expect(comms.finding('placeholder', '{{impact}}')).toBeVisible();
    await expect(comms.preview.locator('mark', { hasText: '{{impact}}' })).toBeVisible();
    // Incident facts are filled in already.
    await expect(comms.preview.getByTestId('preview-title')).toHaveText('SEV2 investigating: Search results empty for all users');

    await comms.value('impact').fill('Every search returns no results; browsing by category works.');
    await comms.value('status').fill('The search index was emptied at 10:04 by a failed reindex job.');
    await comms.value('actions').fill('Restoring the index from the 09:00 snapshot.');
    // A promise already broken: the next update was due ten minutes ago.
    const tenMinutesAgo = await page.evaluate(() => {
      const at = new Date(Date.now() - 10 * 60_000);
      const two = (n: number) => String(n).padStart(2, '0');
      return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
    });
    await comms.composer.getByTestId('next-update').fill(tenMinutesAgo);
    await expect(comms.composer.getByTestId('next-update-utc')).toContainText('UTC · in the past');
    await comms.saved();
    await expect(comms.composer.getByTestId('findings')).toHaveAttribute('data-count', '0');
    await expect(comms.composer.getByTestId('approval')).toHaveCount(0);
    await expect(comms.composer.getByTestId('channel-check')).toHaveCount(1);
    await expect(comms.composer.getByTestId('channel-check').locator('input')).toBeChecked();

    await comms.composer.getByTestId('publish').click();
    // Published: the history shows it, and the receiver refused it (HTTP 400 is not retried by itself).
    const update = comms.publishedUpdate('SEV2 investigating: Search results empty for all users');
    await expect(update).toBeVisible();
    await expect(update.getByTestId('published-meta')).toContainText('no approval needed');
    const delivery = update.getByTestId('delivery');
    await expect(delivery).toHaveAttribute('data-state', 'failed', { timeout: 20_000 });
    await expect(delivery.getByTestId('delivery-error')).toContainText('answered HTTP 400');
    await delivery.getByTestId('delivery-retry').click();
    await expect(delivery).toHaveAttribute('data-state', 'delivered', { timeout: 20_000 });
    expect(receiver.requests).toHaveLength(2);
    expect(JSON.parse(receiver.requests[1].body)).toMatchObject({ audience: 'internal', title: 'SEV2 investigating: Search results empty for all users' });

    // The update promised a time already past: that clock is red, here and in the header.
    await expect(comms.cadence('internal')).toHaveAttribute('data-level', 'overdue');
    await expect(comms.cadence('internal').getByTestId('cadence-due')).toHaveText(/^Overdue by 1[0-2] min \(was due \d\d:\d\d\)$/);
    await expect(comms.dueBadge).toHaveAttribute('data-level', 'overdue');
    await expect(comms.dueBadge).toHaveText(/^Internal responders update overdue 1[0-2] min$/);

    // Copied out as Markdown.
    await update.getByTestId('copy-markdown').click();
    await expect(update.getByTestId('copy-markdown')).toHaveText('Copied');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('**SEV2 investigating: Search results empty for all users**');
    expect(copied).toContain('Restoring the index from the 09:00 snapshot.');

    // From the keyboard: an executive update from the palette, a second draft from a template, both discarded.
    await room.runFromPalette('new update for executives');
    await expect(comms.cadence('executives')).toHaveAttribute('aria-selected', 'true');
    await expect(comms.composer).toBeVisible();
    await expect(comms.composer.getByTestId('draft-title')).toHaveValue('{{incident.severity}}: {{incident.title}}');
    await page.getByTestId('template-picker').selectOption('builtin-executives');
    await page.getByTestId('template-start').click();
    await expect(page.getByTestId('draft-picker').locator('option')).toHaveCount(2);
    for (const left of [1, 0]) {
      await comms.composer.getByTestId('discard').click();
      await expect(comms.composer.getByTestId('discard-confirm')).toContainText('Discard this draft?');
      await comms.composer.getByTestId('discard-confirmed').click();
      if (left > 0) await expect(page.getByTestId('draft-picker')).toHaveCount(0);
    }
    await expect(page.getByTestId('draft-empty')).toBeVisible();
    await page.getByTestId('pane-timeline').click();
    await expect(room.row(/published the Internal responders update "SEV2 investigating: Search results empty for all users" via Responders hook/)).toBeVisible();
  } finally {
    await context.close();
    await web.stop();
    await receiver.close();
  }
});

test('a customer update is linted, rejected and approved on another laptop, published anyway and delivered once', async ({ browser }) => {
  test.setTimeout(150_000); // three processes and two browsers
  const receiver = await startWebhookReceiver();
  const server = await startHoldfastServer({ alice: 'commander', priya: 'comms' });
  const [webA, webB] = [await startHoldfastWeb(tempDataDir()), await startHoldfastWeb(tempDataDir())];
  const contexts = [await browser.newContext(), await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] })];
  const [pageA, pageB] = [await contexts[0].newPage(), await contexts[1].newPage()];
  try {
    // Alice commands the incident on her laptop; Priya leads comms on hers. Both sync through the service.
    for (const [page, web, name] of [
      [pageA, webA, 'alice'],
      [pageB, webB, 'priya'],
    ] as const) {
      await new IncidentsPage(page).open(web.openUrl);
      const settings = new SettingsPage(page);
      await settings.open();
      await settings.connect(server.url, server.tokens[name]);
      await page.getByTestId('nav-incidents').click();
    }
    await callApi(webB, 'comms.saveChannel', { name: 'Status page webhook', audiences: ['customers'], config: { kind: 'webhook', url: receiver.url } });
    await new IncidentsPage(pageA).declare({ title: 'Card payments failing in EU', severity: 'SEV1', services: 'payments-api' });
    await new IncidentsPage(pageB).row('Card payments failing in EU').click({ timeout: 15_000 });
    const [alice, priya] = [new CommsRoomPage(pageA), new CommsRoomPage(pageB)];

    // Priya starts the customer update from the template and writes it in a hurry.
    await priya.open('customers');
    await expect(priya.cadence('customers').getByTestId('cadence-due')).toHaveText(/Next update due \d\d:\d\d \(in (29|30) min\)/);
    await pageB.getByTestId('comms-new').click();
    await expect(priya.composer).toBeVisible();
    await expect(priya.composer.getByTestId('channel-check').locator('input')).toBeChecked({ timeout: 15_000 });
    await priya.value('headline').fill('Some card payments are failing');
    await priya.value('impact').fill('About a third of card payments in Europe fail at checkout.');
    await priya.value('status').fill('This is probably a bad deploy by pay-gw-3.');
    await priya.value('actions').fill('Our on-call engineers are rolling the change back.');
    await priya.saved();

    // The lint says what customers should not read, marked in the preview where it stands.
    await expect(priya.finding('speculation', 'probably')).toBeVisible();
    await expect(priya.finding('internal-host', 'pay-gw-3')).toBeVisible();
    await expect(priya.finding('internal-jargon', 'on-call')).toBeVisible();
    await expect(priya.preview.locator('mark', { hasText: 'probably' })).toBeVisible();
    await expect(priya.preview.locator('mark', { hasText: 'pay-gw-3' })).toBeVisible();
    // "Fix" takes her to the words, selected.
    await priya.finding('internal-host', 'pay-gw-3').getByTestId('finding-fix').click();
    await expect(priya.value('status')).toBeFocused();
    expect(await priya.value('status').evaluate((el: HTMLTextAreaElement) => el.value.slice(el.selectionStart, el.selectionEnd))).toBe('pay-gw-3');

    // Customer updates need a second person: publishing is refused until then.
    await expect(priya.composer.getByTestId('publish')).toBeDisabled();
    await expect(priya.composer.getByTestId('publish-refusal')).toContainText("Customers updates need a second person's approval");
    await priya.composer.getByTestId('draft-approver').fill('alice');
    await priya.saved();
    await priya.composer.getByTestId('request-approval').click();
    await expect(priya.composer.getByTestId('draft-state')).toHaveText('Awaiting approval');

    // Alice sees it waiting on her laptop, and rejects it with a reason (a reason is required).
    await alice.open('customers');
    await expect(alice.composer.getByTestId('draft-state')).toHaveText('Awaiting approval', { timeout: 15_000 });
    await expect(alice.cadence('customers').getByTestId('cadence-draft')).toHaveText('awaiting approval');
    await expect(alice.composer.getByTestId('reject')).toBeDisabled();
    await alice.composer.getByTestId('decision-input').fill('No guesses about the cause, and no host names.');
    await alice.composer.getByTestId('reject').click();
    await expect(alice.composer.getByTestId('draft-state')).toHaveText('Rejected');

    // Priya reads why, fixes the status, and asks again.
    await expect(priya.composer.getByTestId('draft-state')).toHaveText('Rejected', { timeout: 15_000 });
    await expect(priya.composer.getByTestId('decision-comment')).toHaveText('No guesses about the cause, and no host names.');
    await expect(priya.composer.getByTestId('approval-status')).toContainText('Rejected by alice');
    await priya.value('status').fill('We have found the change that causes the failures.');
    await priya.saved();
    await expect(priya.findings).toHaveCount(1);
    await priya.composer.getByTestId('request-approval').click();
    await expect(priya.composer.getByTestId('draft-state')).toHaveText('Awaiting approval');

    await expect(alice.composer.getByTestId('draft-state')).toHaveText('Awaiting approval', { timeout: 15_000 });
    await expect(alice.preview).toContainText('We have found the change that causes the failures.');
    await alice.composer.getByTestId('approve').click();
    await expect(alice.composer.getByTestId('draft-state')).toHaveText('Approved');

    // Approved: one finding is left ("on-call"), so publishing asks once more.
    await expect(priya.composer.getByTestId('draft-state')).toHaveText('Approved', { timeout: 15_000 });
    await expect(priya.composer.getByTestId('approval-status')).toContainText('Approved by alice');
    await expect(priya.composer.getByTestId('publish')).toBeEnabled();
    await priya.composer.getByTestId('publish').click();
    await expect(priya.composer.getByTestId('publish-confirm')).toContainText('1 finding');
    await priya.composer.getByTestId('publish-anyway').click();

    // In the history: who published, who approved, what was acknowledged, and the delivery.
    const update = priya.publishedUpdate('Some card payments are failing');
    await expect(update).toBeVisible();
    await expect(update.getByTestId('published-meta')).toContainText('published by priya');
    await expect(update.getByTestId('published-approver')).toHaveText('alice');
    await expect(update.getByTestId('published-lint')).toContainText('Internal jargon');
    await expect(update.getByTestId('published-when')).toContainText('UTC');
    await expect(update.getByTestId('delivery')).toHaveAttribute('data-state', 'delivered', { timeout: 30_000 });
    expect(receiver.requests).toHaveLength(1);
    expect(JSON.parse(receiver.requests[0].body)).toMatchObject({ audience: 'customers', title: 'Some card payments are failing' });
    await expect(update.getByTestId('copy-markdown')).toBeVisible();
    await expect(update.getByTestId('copy-plain')).toBeVisible();
    await update.getByTestId('copy-plain').click();
    await expect(update.getByTestId('copy-plain')).toHaveText('Copied');
    const copied = await pageB.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain('Some card payments are failing\n\nWhat is affected: About a third of card payments in Europe fail at checkout.');

    // Alice's laptop shows it published and delivered too, and both timelines have it.
    await alice.showHistory();
    await expect(alice.publishedUpdate('Some card payments are failing').getByTestId('delivery')).toHaveAttribute('data-state', 'delivered', { timeout: 15_000 });
    for (const page of [pageA, pageB]) {
      await page.getByTestId('pane-timeline').click();
      await expect(new WarRoomPage(page).row(/published the Customers update "Some card payments are failing" via Status page webhook, approved by alice/)).toBeVisible({
        timeout: 15_000,
      });
    }
    await expect(new WarRoomPage(pageB).row(/alice rejected the Customers update "Some card payments are failing": No guesses about the cause/)).toBeVisible();
    // Delivered once, whichever laptop sent it.
    expect(receiver.requests).toHaveLength(1);
  } finally {
    await Promise.all(contexts.map((context) => context.close()));
    await Promise.all([webA.stop(), webB.stop(), server.stop()]);
    await receiver.close();
  }
});
