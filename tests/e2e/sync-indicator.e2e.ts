// The sync indicator tells the truth with the central service down and a war room hub up: real
// processes (a service, two `holdfast web` replicas, one of them hosting the hub).
import { test } from '@playwright/test';
import { syncOutageScene } from './pages/sync-outage';

test('with the service down and a hub up, each laptop says what is unreachable, who hosts the room and what waits', async ({ browser }) => {
  test.setTimeout(150_000); // three processes and two browsers
  await syncOutageScene(browser, async (page, name) => {
    await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
  });
});
