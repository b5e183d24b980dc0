// Refreshes the sync outage screenshots in docs/ (`npm run screenshots`).
import { test } from '@playwright/test';
import { syncOutageScene } from './pages/sync-outage';

test('screenshots of the sync indicator during an outage of the service', async ({ browser }) => {
  test.setTimeout(150_000);
  await syncOutageScene(browser, async (page, name) => {
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
  });
});
