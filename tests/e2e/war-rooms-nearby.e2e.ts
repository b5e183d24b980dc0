// A war room announced on the network is listed and joined in one click (scene: pages/war-rooms-nearby.ts).
import { test } from '@playwright/test';
import { warRoomsNearbyScene } from './pages/war-rooms-nearby';

test('a hub announced on the network is listed with its fingerprint and joined with its code', async ({ browser }) => {
  test.setTimeout(120_000);
  await warRoomsNearbyScene(browser, async () => undefined, `Checkout latency ${Date.now().toString(36)}`);
});
