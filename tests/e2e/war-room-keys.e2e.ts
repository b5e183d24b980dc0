// The war room by keyboard and its close, in Chromium against a real `holdfast web`: palette
// actions leave the cursor where the person types next, E reaches the entry box from anywhere, the
// entry kind goes back to note unless kept, a correction changes a kind; closing lists what is
// still open and asks once, and a closed incident offers only what it allows.
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { callApi } from './pages/comms-room';
import { IncidentsPage } from './pages/incidents-page';
import { WarRoomPage } from './pages/war-room-page';

// Two long walks through the war room each: room for a loaded machine.
test.describe.configure({ timeout: 120_000 });

test('a scribe works the war room from the keyboard', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  try {
    await incidents.open(web.openUrl);
    await incidents.declare({ title: 'Orders database primary not accepting writes', severity: 'SEV1', type: 'outage', services: 'orders-db' });

    // Ctrl+K → "Write a decision": the cursor is in the entry box, so typing writes there (an "n"
    // on the page would open Declare and leave the war room).
    await room.leaveFields();
    await room.runFromPalette('write a decision');
    await expect(room.entryBox).toBeFocused();
    await expect(room.kindPicker).toHaveValue('decision');
    await page.keyboard.type('need to fail over');
    await page.keyboard.press('Enter');
    await expect(room.row('need to fail over')).toHaveAttribute('data-kind', 'decision');
    await expect(incidents.dialog).toBeHidden();
    await expect(page.getByTestId('war-title')).toBeVisible();
    // The kind was for that entry: the next one is a note again.
    await expect(room.kindPicker).toHaveValue('note');
    await expect(room.entryBox).toBeFocused();
    await page.keyboard.type('Replica lag 4 s');
    await page.keyboard.press('Enter');
    await expect(room.row('Replica lag 4 s')).toHaveAttribute('data-kind', 'note');

    // The palette's article is right.
    await page.keyboard.press('Control+k');
    await expect(page.getByTestId('palette-keys')).toContainText('E entry box');
    await page.getByTestId('palette-input').fill('write an');
    await expect(page.getByTestId('palette-item')).toHaveText([/Write an action/, /Write an observation/]);
    await page.keyboard.press('Escape');

    // E from anywhere in the war room (here: after a click on the side panel) goes to the box.
    await page.getByTestId('roles-panel').click({ position: { x: 5, y: 5 } });
    await room.leaveFields();
    await page.keyboard.press('e');
    await expect(room.entryBox).toBeFocused();
    await expect(room.entryBox).toHaveValue('');
    // / goes to the timeline search.
    await room.leaveFields();
    await page.keyboard.press('/');
    await expect(page.getByTestId('timeline-search')).toBeFocused();
    await expect(page.getByTestId('timeline-search')).toHaveValue('');

    // "Search this timeline" from the palette leaves the cursor in the search.
    await room.leaveFields();
    await room.runFromPalette('search this timeline');
    await expect(page.getByTestId('timeline-search')).toBeFocused();

    // A kept kind stays for every entry until released.
    await room.kindPicker.selectOption('action');
    await room.kindPin.click();
    await expect(room.kindPin).toHaveAttribute('aria-pressed', 'true');
    await room.typeEntries('Promoted orders-db-2', 'Repointed pgbouncer');
    await expect(room.row('Promoted orders-db-2')).toHaveAttribute('data-kind', 'action');
    await expect(room.row('Repointed pgbouncer')).toHaveAttribute('data-kind', 'action');
    await expect(room.kindPicker).toHaveValue('action');
    await room.kindPin.click();
    await expect(room.kindPin).toHaveAttribute('aria-pressed', 'false');
    await room.typeEntries('Writes succeed again');
    await expect(room.row('Writes succeed again')).toHaveAttribute('data-kind', 'action');
    await expect(room.kindPicker).toHaveValue('note');

    // A correction can change the kind: the observation filed as a note becomes one.
    await room.row('Replica lag 4 s').hover();
    await room.row('Replica lag 4 s').getByTestId('entry-correct').click();
    await expect(room.dialog.getByTestId('field-kind')).toHaveValue('note');
    await room.dialog.getByTestId('field-kind').selectOption('observation');
    await room.dialog.getByTestId('action-submit').click();
    await expect(room.dialog).toBeHidden();
    await expect(room.row('Replica lag 4 s').and(page.locator('[data-kind="observation"]'))).toBeVisible();
    await expect(room.row('Replica lag 4 s').and(page.locator('[data-kind="note"]'))).toHaveClass(/is-corrected/);
    await page.screenshot({ path: test.info().outputPath('war-room-keys.png') });
  } finally {
    await web.stop();
  }
});

test('closing lists what is still open and asks once; a closed incident offers only what it allows', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  try {
    await incidents.open(web.openUrl);
    await callApi(web, 'directory.savePerson', {
      name: 'Ben Tran',
      handle: 'ben.tran',
      email: 'ben.tran@example.com',
      phones: [{ label: 'mobile', number: '+1 555 0142' }],
      teamId: null,
      timeZone: '',
      title: '',
      notes: '',
    });
    await incidents.declare({ title: 'Checkout latency above 2 s', severity: 'SEV2', type: 'degradation', services: 'checkout-api' });

    // Assigning a role checks the directory: "ben" suggests ben.tran, who then shows with a phone.
    await room.seat('scribe').getByTestId('seat-assign').click();
    await room.dialog.getByTestId('field-person').fill('ben');
    await expect(room.dialog.getByTestId('person-suggest')).toContainText('is not a user name in the directory');
    await room.dialog.getByTestId('person-suggestion').filter({ hasText: 'ben.tran' }).click();
    await expect(room.dialog.getByTestId('field-person')).toHaveValue('ben.tran');
    await expect(room.dialog.getByTestId('person-match').getByTestId('phone-link')).toHaveAttribute('href', /^tel:\+15550142$/);
    await room.dialog.getByTestId('field-person').fill('zoe');
    await expect(room.dialog.getByTestId('person-none')).toContainText('Nobody called “zoe” is in the directory');
    await room.dialog.getByTestId('field-person').fill('ben.tran');
    await room.dialog.getByTestId('action-submit').click();
    await expect(room.seat('scribe').getByTestId('seat-holder')).toHaveText('ben.tran');

    await room.typeEntries('p99 at 2.4 s');
    await page.getByTestId('add-task').click();
    await room.submitDialog({ title: 'Capture a heap dump of checkout-api pod 7', owner: 'omar' });
    await page.getByTestId('status-to-resolved').click();
    await expect(page.getByTestId('war-status')).toContainText('Resolved');

    // One click does not close: the dialog says what is still open.
    await page.getByTestId('status-to-closed').click();
    await expect(room.dialog).toBeVisible();
    await expect(room.dialog).toContainText('Still open: 1 open task');
    await expect(room.dialog.getByTestId('dialog-items')).toContainText('Open task: Capture a heap dump of checkout-api pod 7 (omar)');
    await page.screenshot({ path: test.info().outputPath('close-incident-dialog.png') });
    // Cancelling leaves it resolved.
    await page.keyboard.press('Escape');
    await expect(room.dialog).toBeHidden();
    await expect(page.getByTestId('war-status')).toContainText('Resolved');

    await page.getByTestId('status-to-closed').click();
    await room.dialog.getByTestId('action-submit').click();
    await expect(room.dialog).toBeHidden();
    await expect(page.getByTestId('war-status')).toContainText('Closed');

    // Closed: no entry box, no task, role, freeze or severity actions; how long it was open stays put.
    await expect(page.getByTestId('quick-entry')).toHaveCount(0);
    await expect(page.getByTestId('closed-note')).toContainText('closed and its record is final');
    await expect(page.getByTestId('add-task')).toHaveCount(0);
    await expect(page.getByTestId('task-edit')).toHaveCount(0);
    await expect(page.getByTestId('seat-assign')).toHaveCount(0);
    await expect(page.getByTestId('add-expert')).toHaveCount(0);
    await expect(page.getByTestId('evidence-start-checklist')).toHaveCount(0);
    await expect(page.getByTestId('entry-correct')).toHaveCount(0);
    await expect(page.getByTestId('war-elapsed')).toHaveText(/^Was open for /);
    const openFor = await page.getByTestId('war-elapsed').textContent();
    await page.waitForTimeout(1500);
    await expect(page.getByTestId('war-elapsed')).toHaveText(openFor ?? '');

    await page.keyboard.press('Control+k');
    await page.getByTestId('palette-input').fill('freeze');
    await expect(page.getByTestId('palette-item')).toHaveCount(0);
    await page.getByTestId('palette-input').fill('severity');
    await expect(page.getByTestId('palette-item')).toHaveCount(0);
    await page.getByTestId('palette-input').fill('write');
    await expect(page.getByTestId('palette-item')).toHaveCount(0);
    // What stays: the review, reports, pins and milestone corrections.
    await page.getByTestId('palette-input').fill('');
    await expect(page.getByTestId('palette-item').filter({ hasText: 'Correct a milestone time' })).toHaveCount(1);
    await expect(page.getByTestId('palette-item').filter({ hasText: 'Open the post-incident review' })).toHaveCount(1);
    await expect(page.getByTestId('palette-item').filter({ hasText: 'Pin or unpin my last entry' })).toHaveCount(1);
    await page.keyboard.press('Escape');
    await page.screenshot({ path: test.info().outputPath('closed-incident.png') });

    // Pins still work on the final record; nothing is refused with a banner.
    await room.row('p99 at 2.4 s').getByTestId('entry-pin').click();
    await expect(room.row('p99 at 2.4 s')).toHaveClass(/is-pinned/);
    await expect(page.getByTestId('war-error')).toHaveCount(0);

    // The list says how long it was open, not how long since.
    await incidents.backToList();
    await expect(incidents.row('Checkout latency above 2 s').getByTestId('incident-open-for')).toContainText('was open for');
  } finally {
    await web.stop();
  }
});
