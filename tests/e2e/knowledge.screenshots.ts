// Refreshes the screenshot of the review's "what each responder could know" panel in docs/ (`npm run screenshots`).
import { test } from '@playwright/test';
import { openSplitWarRoom } from './pages/knowledge';

test('screenshot of what each responder could know', async ({ page }) => {
  test.setTimeout(120_000);
  const { web, panel } = await openSplitWarRoom(page);
  try {
    await panel.moments.filter({ hasText: 'Fail over' }).click();
    await panel.entry('db-2 replica lag').waitFor();
    await panel.panel.scrollIntoViewIfNeeded();
    await panel.panel.screenshot({ path: 'docs/screenshots/review-knowledge.png' });
  } finally {
    await web.stop();
  }
});
