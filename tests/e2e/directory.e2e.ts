// The people directory in Chromium against `holdfast web`: import a CSV of people, find someone
// with their click-to-call number and local time, add the incident bridge, and see a bad file
// refused row by row with nothing imported.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { startHoldfastWeb, tempDataDir } from './holdfast-web';
import { DirectoryPage } from './pages/directory-page';
import { IncidentsPage } from './pages/incidents-page';

const sampleCsv = readFileSync(join(import.meta.dirname, '../../docs/samples/directory.csv'), 'utf8');

test.use({ timezoneId: 'UTC' });

test('a CSV imported in the browser gives call links and local times, and bridges can be added', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const directory = new DirectoryPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await directory.open();
    await expect(page.getByText('No one in the directory yet')).toBeVisible();

    await directory.importCsv('people.csv', sampleCsv);
    await expect(directory.importReport).toContainText('people.csv: 11 added, 0 updated, 0 unchanged; 3 new teams');
    await expect(directory.people).toHaveCount(11);

    const elena = directory.person('Elena García');
    await expect(directory.group('Payments')).toContainText('Elena García');
    await expect(elena).toContainText('Payments engineering manager');
    await expect(elena.getByTestId('phone-link').first()).toHaveAttribute('href', 'tel:+12125550147');
    await expect(elena.getByTestId('phone-link').nth(1)).toHaveAttribute('href', 'tel:+12125550198;ext=214');
    await expect(elena.getByRole('link', { name: 'elena.garcia@example.com' })).toHaveAttribute('href', 'mailto:elena.garcia@example.com');
    // Her local time, worked out for New York whatever zone this browser is in.
    const newYork = new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const localTime = elena.getByTestId('person-local-time');
    await expect(localTime).toContainText(/UTC−[45]/);
    await expect(localTime).toContainText('America/New_York');
    await expect(localTime).toContainText(newYork.format(Date.now()));

    await directory.search.fill('payments');
    await expect(directory.people).toHaveCount(4);
    await directory.search.fill('chloe');
    await expect(directory.people).toHaveCount(1);
    await directory.search.fill('');

    await directory.addBridge({
      name: 'Major incident bridge',
      dialIn: { label: 'US', number: '+1 646 555 0100' },
      pin: '482 913#',
      meetingUrl: 'https://meet.example.com/major-incident',
    });
    const bridge = directory.bridge('Major incident bridge');
    await expect(bridge.getByTestId('phone-link')).toHaveAttribute('href', 'tel:+16465550100');
    await expect(bridge.getByTestId('bridge-pin')).toHaveText('482 913#');
    await expect(bridge.getByTestId('bridge-link')).toHaveAttribute('href', 'https://meet.example.com/major-incident');
    await expect(bridge.getByTestId('copy-button')).toHaveCount(3);

    // Kept on the replica: there after a reload.
    await page.reload();
    await directory.open();
    await expect(directory.people).toHaveCount(11);
    await expect(directory.bridges).toHaveCount(1);
  } finally {
    await web.stop();
  }
});

test('a bad CSV is refused with every bad row, and a person is edited and removed', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const directory = new DirectoryPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await directory.open();
    await directory.importCsv('bad.csv', 'name,phone,time_zone\nGood Person,+1 415 555 0100,UTC\n,+1 415 555 0101,\nTz Person,,Mars/Base\n');
    await expect(directory.importError).toContainText('Nothing was imported');
    await expect(directory.importError.getByTestId('import-problems').locator('li')).toHaveText([
      'line 3: name: give the person a name',
      'line 4: time_zone: "Mars/Base" is not a known IANA time zone; use a name like Europe/Berlin or America/New_York',
    ]);
    await expect(directory.people).toHaveCount(0);

    await page.getByTestId('add-person').click();
    const dialog = page.getByTestId('person-dialog');
    await dialog.getByTestId('person-name').fill('Rosa Diaz');
    await dialog.getByTestId('person-phones-number').first().fill('+1 415 555 0120');
    await dialog.getByTestId('person-time-zone').fill('Mars/Base');
    await dialog.getByTestId('editor-save').click();
    await expect(dialog.getByTestId('editor-error')).toContainText('timeZone: "Mars/Base" is not a known IANA time zone');
    await dialog.getByTestId('person-time-zone').fill('America/Chicago');
    await dialog.getByTestId('editor-save').click();
    await expect(dialog).toBeHidden();
    await expect(directory.person('Rosa Diaz').getByTestId('phone-link')).toHaveAttribute('href', 'tel:+14155550120');

    await directory.person('Rosa Diaz').getByTestId('person-edit').click();
    await dialog.getByTestId('editor-remove').click();
    await dialog.getByTestId('editor-confirm-remove').click();
    await expect(dialog).toBeHidden();
    await expect(directory.people).toHaveCount(0);
  } finally {
    await web.stop();
  }
});
