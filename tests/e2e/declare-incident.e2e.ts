// The walking skeleton end to end: declare an incident in Chromium against `holdfast web`,
// restart the process, and find the incident again.
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';

test('an incident declared in the browser survives a restart of holdfast web', async ({ page }) => {
  const dataDir = tempDataDir();
  const first = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  try {
    await incidents.open(first.openUrl);
    await expect(page.getByTestId('incidents-empty')).toBeVisible();
    await incidents.declareWithKeyboard('Checkout API returns 502 for EU customers', 'SEV1', 'Error rate 40% since 14:02 UTC');
    await incidents.backToList();
    await expect(incidents.row('Checkout API returns 502')).toContainText('SEV1');
    await expect(incidents.row('Checkout API returns 502')).toContainText('Investigating');
  } finally {
    expect(await first.stop()).toBe(0);
  }

  // The old tab's token died with the process; the page says so instead of failing silently.
  await expect(incidents.connection).toContainText(/Engine unreachable|Access token rejected/);

  const second = await startHoldfastWeb(dataDir);
  try {
    await incidents.open(second.openUrl);
    await expect(incidents.rows).toHaveCount(1);
    await expect(incidents.row('Checkout API returns 502')).toContainText('Error rate 40% since 14:02 UTC');
  } finally {
    await second.stop();
  }
});

test('the declare dialog shows what to fix and declares nothing when the title is too short', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const incidents = new IncidentsPage(page);
  try {
    await incidents.open(web.openUrl);
    await page.getByTestId('declare-button').click();
    await incidents.dialog.getByTestId('declare-title').fill('db');
    await incidents.dialog.getByTestId('declare-submit').click();
    await expect(incidents.dialog.getByTestId('declare-error')).toContainText('title: must have at least 3 characters');
    await page.keyboard.press('Escape');
    await expect(incidents.dialog).toBeHidden();
    await expect(page.getByTestId('incidents-empty')).toBeVisible();
    await page.reload();
    await expect(page.getByTestId('incidents-empty')).toBeVisible();
  } finally {
    await web.stop();
  }
});

test('a browser without the access token cannot use the engine', async ({ page, request }) => {
  const web = await startHoldfastWeb(tempDataDir());
  try {
    await page.goto(web.url);
    await expect(page.getByTestId('no-token')).toContainText('access link');
    const response = await request.post(`${web.url}api/call/incidents.list`, { data: {} });
    expect(response.status()).toBe(401);
    expect((await response.json()).error.code).toBe('unauthorized');
  } finally {
    await web.stop();
  }
});
