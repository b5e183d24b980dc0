// Hosting and joining a war room from two browsers: the link pins the hub's certificate, and the
// host sees who joined.
import { test } from '@playwright/test';
import { warRoomHubScene } from './pages/war-room-hub';

test('a war room is joined with its link; a wrong fingerprint is refused; the host sees who joined', async ({ browser }) => {
  test.setTimeout(120_000); // three processes and two browsers
  await warRoomHubScene(browser, async (page, name) => {
    await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
  });
});
