// Refreshes the break-glass kit and outage-mode screenshots in docs/ (`npm run screenshots`).
import { test } from '@playwright/test';
import { breakGlassScene } from './pages/break-glass';

test('screenshots of the break-glass kit and outage mode', async ({ browser }) => {
  test.setTimeout(120_000);
  await breakGlassScene(browser, async (page, name) => {
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
  });
});
