// Refreshes the war-room hub screenshots in docs/ (`npm run screenshots`).
import { test } from '@playwright/test';
import { warRoomHubScene } from './pages/war-room-hub';

test('screenshots of hosting and joining a war room', async ({ browser }) => {
  test.setTimeout(120_000);
  await warRoomHubScene(browser, async (page, name) => {
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
  });
});
