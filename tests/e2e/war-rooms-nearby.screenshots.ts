// Refreshes the war-rooms-nearby screenshot in docs/ (`npm run screenshots`).
import { test } from '@playwright/test';
import { warRoomsNearbyScene } from './pages/war-rooms-nearby';

test('screenshot of war rooms near you', async ({ browser }) => {
  test.setTimeout(120_000);
  await warRoomsNearbyScene(browser, async (page, name) => {
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
  });
});
