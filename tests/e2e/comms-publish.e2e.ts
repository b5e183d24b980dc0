// Publishing right after typing, in Chromium against a real `holdfast web`: the click saves what
// was typed first and always leads somewhere. With a finding left, the question opens and stays open
// when the save lands; with everything filled in, the first click publishes.
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { CommsRoomPage } from './pages/comms-room';
import { IncidentsPage } from './pages/incidents-page';

test('the first Publish click right after typing is never lost', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const incidents = new IncidentsPage(page);
  const comms = new CommsRoomPage(page);
  try {
    await incidents.open(web.openUrl);
    await incidents.declare({ title: 'Search results empty for all users', severity: 'SEV2', services: 'search-api' });
    await comms.open('internal');
    await page.getByTestId('comms-new').click();
    await expect(comms.composer).toBeVisible();
    await expect(comms.finding('placeholder', '{{impact}}')).toBeVisible();
    const inTwentyMinutes = await page.evaluate(() => {
      const at = new Date(Date.now() + 20 * 60_000);
      const two = (n: number) => String(n).padStart(2, '0');
      return `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}T${two(at.getHours())}:${two(at.getMinutes())}`;
    });
    await comms.composer.getByTestId('next-update').fill(inTwentyMinutes);
    await comms.saved();

    // One placeholder left: the click, made before the autosave, asks about the findings of the
    // text as saved, and the question stays open after the save has landed.
    await comms.value('impact').fill('Every search returns no results; browsing by category works.');
    await comms.value('status').fill('The search index is being restored.');
    await comms.composer.getByTestId('publish').click();
    await expect(comms.composer.getByTestId('publish-confirm')).toBeVisible();
    await expect(comms.composer.getByTestId('publish-confirm')).toContainText('1 finding');
    await comms.saved();
    await page.waitForTimeout(1500);
    await expect(comms.composer.getByTestId('publish-confirm')).toBeVisible();
    await comms.composer.getByTestId('publish-keep-editing').click();

    // Everything filled in: typed and clicked at once, and the first click publishes.
    await comms.value('actions').fill('Restoring the index from the 09:00 snapshot.');
    await expect(comms.composer.getByTestId('save-status')).toHaveText('Unsaved changes');
    await comms.composer.getByTestId('publish').click();
    const update = comms.publishedUpdate('SEV2 investigating: Search results empty for all users');
    await expect(update).toBeVisible();
    await expect(update).toContainText('Restoring the index from the 09:00 snapshot.');
    await expect(page.getByTestId('comms-error')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('published-first-click.png') });
  } finally {
    await web.stop();
  }
});
