// The war room beside a video call: at 1024×700 the header stays compact and the timeline shows at
// least 8 rows; at 1920×1080 at least 18. The sidebar collapses, and stays collapsed after a reload.
import { expect, test, type Page } from '@playwright/test';
import { startHoldfastWeb, tempDataDir, type RunningWeb } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { IncidentsPage } from './pages/incidents-page';

const entries = [
  '/o Error rate on checkout-api at 38% in eu-west-1; US unaffected',
  'Paged payments on-call (Priya) and database on-call (Dmitri)',
  'Roll back release 2026.11.23-2 instead of hotfixing',
  'Rollback started on the eu-west-1 canary',
  'Status page: investigating elevated checkout errors in Europe',
  'Canary error rate back to 0.4% after the rollback',
];

/** An incident with 30 one-line timeline entries, through the real API. */
async function seedRoom(web: RunningWeb): Promise<void> {
  const incident = await callApi(web, 'incidents.create', {
    title: 'Checkout API returns 502 for EU customers',
    severity: 'SEV1',
    summary: 'Error rate 40% in eu-west-1 since the 14:02 UTC deploy.',
    services: ['checkout-api', 'payments-gateway'],
    isDrill: false,
  });
  for (let i = 0; i < 30; i += 1) {
    await callApi(web, 'timeline.add', {
      incidentId: incident.id,
      kind: (['note', 'observation', 'decision', 'action'] as const)[i % 4],
      text: `${entries[i % entries.length].replace(/^\/o /, '')} (${i + 1})`,
    });
  }
}

/** Timeline rows whose whole box is inside the scroller's visible box. */
async function rowsInView(page: Page): Promise<number> {
  return page.getByTestId('timeline-scroller').evaluate((scroller) => {
    const box = scroller.getBoundingClientRect();
    return Array.from(scroller.querySelectorAll('[data-testid="timeline-row"]')).filter((row) => {
      const r = row.getBoundingClientRect();
      return r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.bottom <= window.innerHeight + 1;
    }).length;
  });
}

let web: RunningWeb;
test.beforeAll(async () => {
  web = await startHoldfastWeb(tempDataDir('holdfast-layout-'));
  await seedRoom(web);
});
test.afterAll(async () => {
  await web?.stop();
});

for (const [width, height, minimum] of [
  [1024, 700, 8],
  [1366, 768, 10],
  [1920, 1080, 18],
] as const) {
  test(`at ${width}×${height} the timeline shows at least ${minimum} rows`, async ({ page }) => {
    await page.setViewportSize({ width, height });
    const incidents = new IncidentsPage(page);
    await incidents.open(web.openUrl);
    await incidents.rows.first().click();
    await expect(page.getByTestId('timeline-row').first()).toBeVisible();
    await page.waitForTimeout(500);
    await page.screenshot({ path: `test-results/layout-${width}x${height}.png` });
    expect(await rowsInView(page)).toBeGreaterThanOrEqual(minimum);
    // Nothing spills sideways: the page itself never scrolls horizontally.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  });
}

test('the sidebar collapses to a rail and stays collapsed after a reload', async ({ page }) => {
  await page.setViewportSize({ width: 1366, height: 768 });
  const incidents = new IncidentsPage(page);
  await incidents.open(web.openUrl);
  const sidebar = page.getByTestId('sidebar');
  const toggle = page.getByTestId('sidebar-toggle');
  // Wide enough: open by default.
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  const wide = (await sidebar.boundingBox())?.width ?? 0;
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await expect(toggle).toHaveAccessibleName('Expand the sidebar');
  expect((await sidebar.boundingBox())?.width ?? 0).toBeLessThan(wide / 2);
  // Every page keeps its name for screen readers and its place for the keyboard.
  await expect(page.getByRole('button', { name: 'Directory' })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('sidebar-toggle')).toHaveAttribute('aria-expanded', 'false');
  await page.getByTestId('sidebar-toggle').click();
  await page.reload();
  await expect(page.getByTestId('sidebar-toggle')).toHaveAttribute('aria-expanded', 'true');
});
