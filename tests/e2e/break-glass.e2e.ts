// The break-glass kit and outage mode in the browser (scene: pages/break-glass.ts).
import { test } from '@playwright/test';
import { breakGlassScene } from './pages/break-glass';

test('the break-glass kit is saved as one file, and outage mode shows in the war-room header', async ({ browser }) => {
  test.setTimeout(120_000);
  await breakGlassScene(browser, async () => undefined);
});
