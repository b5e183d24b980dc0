// Scenes the documentation screenshots start from, so every image shows the same incident.
import { expect, type Page } from '@playwright/test';
import type { WarRoomPage } from './war-room-page';

/** A SEV1 outage of the orders database, declared from the keyboard, with ops lead and scribe seated. */
export async function declareOrdersDbOutage(page: Page, room: WarRoomPage): Promise<void> {
  await page.locator('body').press('n');
  await page.keyboard.type('Orders database primary not accepting writes');
  await page.getByTestId('declare-SEV1').check();
  await page.getByTestId('declare-type').selectOption('outage');
  await page.getByTestId('declare-services').fill('orders-db, checkout-api');
  await page.getByTestId('declare-summary').fill('orders-db-1 stopped answering at 09:12 UTC; checkout cannot create orders.');
  await page.keyboard.press('Control+Enter');
  await expect(page.getByTestId('war-title')).toBeVisible();
  for (const [role, person] of [
    ['ops', 'dmitri'],
    ['scribe', 'sam'],
  ] as const) {
    await room.seat(role).getByTestId('seat-assign').click();
    await room.submitDialog({ person });
  }
}
