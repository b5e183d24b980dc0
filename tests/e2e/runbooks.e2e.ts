// The runbook library in Chromium against `holdfast web`, seeded the way a team does it: the real
// CLI imports docs/runbooks before the app starts. Reading and searching the samples; editing one
// into a second version and reading the first again; two versions edited from the same one shown
// side by side and merged; a new runbook checked line by line while it is typed, then archived.
import { expect, test, type Locator } from '@playwright/test';
import { importRunbooks, startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { RunbooksPage } from './pages/runbooks-page';

const failover = 'Fail over the orders database to a streaming replica';
const rollback = 'Roll back a bad release of checkout-api on Kubernetes';
const certificate = 'TLS certificate expired or about to expire';

test.use({ timezoneId: 'UTC' });

test('the imported samples are listed, found by search and read step by step', async ({ page, context }) => {
  const dataDir = tempDataDir();
  expect(importRunbooks(dataDir)).toContain('3 created, 0 updated, 0 unchanged, 0 rejected');
  const web = await startHoldfastWeb(dataDir);
  const runbooks = new RunbooksPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await runbooks.open();
    await expect(runbooks.items.getByTestId('runbook-item-title')).toHaveText([failover, rollback, certificate]);
    await expect(runbooks.item(failover)).toContainText('orders-db');
    await expect(runbooks.item(failover)).toContainText('9 steps · 1 version');
    await expect(runbooks.item(failover)).toContainText('Data platform on-call');

    // Search marks the matched words; choosing a hit opens its runbook.
    await page.keyboard.press('/');
    await expect(runbooks.search).toBeFocused();
    await page.keyboard.type('promote');
    await expect(runbooks.searchResults).toHaveCount(1);
    await expect(runbooks.searchResults.first()).toContainText(failover);
    await expect(runbooks.searchResults.first().getByTestId('search-snippet').locator('mark').first()).toContainText(/promot/i);
    await page.getByTestId('runbook-search').fill('zzznothing');
    await expect(page.getByTestId('search-no-match')).toBeVisible();
    await runbooks.search.fill('promote');
    await runbooks.searchResults.first().click();
    await expect(runbooks.title).toHaveText(failover);
    await runbooks.search.press('Escape');
    await expect(runbooks.items).toHaveCount(3);

    // Steps as numbered cards with their type; a recovery action is marked as changing production.
    await expect(runbooks.version).toContainText('v1 of 1');
    await expect(page.getByTestId('runbook-intro')).toContainText('Golden rule');
    await expect(runbooks.steps).toHaveCount(9);
    await expect(runbooks.steps.getByTestId('step-type')).toHaveText([
      'Check',
      'Check',
      'Command',
      'Decision',
      'Recovery action',
      'Recovery action',
      'Recovery action',
      'Check',
      'Command',
    ]);
    await expect(runbooks.step(1).getByTestId('step-title')).toHaveText('Confirm the primary is really down');
    await expect(runbooks.step(5).getByTestId('step-recovery-warning')).toContainText('Changes production');
    await expect(runbooks.step(1).getByTestId('step-recovery-warning')).toHaveCount(0);

    // A decision lists its branches with where each leads.
    const branches = runbooks.step(4).getByTestId('step-branch');
    await expect(branches).toHaveCount(3);
    await expect(branches.locator('.branch-name')).toHaveText(['patroni', 'manual', 'wait']);
    await expect(branches.getByTestId('branch-goto')).toHaveText(['→ step 5', '→ step 6', '→ step 1']);
    await branches.getByTestId('branch-goto').first().click();
    await expect(runbooks.step(5)).toBeFocused();

    // A command is copied, never run.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const capture = runbooks.step(3);
    await expect(capture.getByTestId('md-code')).toHaveCount(1);
    await capture.getByTestId('copy-button').click();
    await expect(capture.getByTestId('copy-button')).toHaveText('Copied');
    expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('patronictl -c /etc/patroni/patroni.yml list orders > patroni-list.txt');

    // The arrow keys move through the list.
    await runbooks.item(failover).focus();
    await page.keyboard.press('ArrowDown');
    await expect(runbooks.title).toHaveText(rollback);
    await expect(runbooks.item(rollback)).toBeFocused();
  } finally {
    await web.stop();
  }
});

test('an edit becomes version 2, version 1 reads read-only, and versions edited side by side are merged', async ({ page }) => {
  const dataDir = tempDataDir();
  importRunbooks(dataDir);
  const web = await startHoldfastWeb(dataDir);
  const runbooks = new RunbooksPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await runbooks.open();
    await runbooks.select(rollback);
    await expect(runbooks.step(2).getByTestId('step-title')).toHaveText('Freeze deploys');

    // Cancel asks nothing while nothing changed, and asks before throwing an edit away.
    await runbooks.edit();
    await page.getByTestId('editor-cancel').click();
    await expect(runbooks.editor).toBeHidden();
    await runbooks.edit();
    await runbooks.replaceInSource('2. [command] Freeze deploys', '2. [command] Freeze deploys and pause Argo CD');
    await page.getByTestId('editor-cancel').click();
    await expect(page.getByTestId('editor-discard')).toBeVisible();
    await page.getByTestId('editor-keep').click();
    await expect(runbooks.preview.getByTestId('runbook-step').nth(1)).toContainText('Freeze deploys and pause Argo CD');
    await runbooks.saveEdit('Step 2 says what to pause');

    await expect(runbooks.version).toContainText('v2 of 2');
    await expect(runbooks.version).toContainText('Step 2 says what to pause');
    await expect(runbooks.step(2).getByTestId('step-title')).toHaveText('Freeze deploys and pause Argo CD');
    await expect(runbooks.item(rollback)).toContainText('2 versions');

    await runbooks.showHistory();
    await expect(runbooks.history).toHaveCount(2);
    await expect(runbooks.historyRow(2)).toContainText('Step 2 says what to pause');
    await expect(runbooks.historyRow(2)).toContainText('current');
    await expect(runbooks.historyRow(2).getByTestId('version-parents')).toHaveText('from v1');
    await expect(runbooks.historyRow(1)).toContainText('imported from release-rollback.md');
    await expect(runbooks.historyRow(1).getByTestId('version-parents')).toHaveText('first version');

    // An older version opens to read, clearly marked, with a way back.
    await runbooks.historyRow(1).click();
    await expect(page.getByTestId('old-version-banner')).toContainText('You are reading version 1 (not current)');
    await expect(runbooks.version).toContainText('v1 of 2');
    await expect(runbooks.step(2).getByTestId('step-title')).toHaveText('Freeze deploys');
    await page.getByTestId('back-to-current').click();
    await expect(page.getByTestId('old-version-banner')).toBeHidden();
    await expect(runbooks.version).toContainText('v2 of 2');

    // Editing version 1 again makes a second head: the same situation as two people editing offline.
    await runbooks.showHistory();
    await runbooks.historyRow(1).click();
    await runbooks.edit();
    await expect(page.getByTestId('editor-notice')).toContainText('You are editing version 1, not the current version 2');
    await runbooks.replaceInSource('6. [check] Verify error rates and latency', '6. [check] Verify error rates, latency and saturation');
    await runbooks.saveEdit('Step 6 watches saturation too');
    await expect(page.getByTestId('siblings-banner')).toContainText('2 versions were saved at the same time offline');
    await expect(runbooks.item(rollback).getByTestId('flag-siblings')).toHaveText('2 unmerged versions');

    await page.getByTestId('compare-siblings').click();
    const columns = page.getByTestId('sibling-column');
    await expect(columns).toHaveCount(2);
    await expect(columns.first()).toContainText('v3');
    const changed = (scope: Locator) => scope.locator('[data-changed] .source-line-text');
    await expect(changed(columns.first())).toHaveText(['2. [command] Freeze deploys', '6. [check] Verify error rates, latency and saturation']);
    await expect(changed(columns.nth(1))).toHaveText(['2. [command] Freeze deploys and pause Argo CD', '6. [check] Verify error rates and latency']);

    // The merge starts from the newest version and builds on both.
    await page.getByTestId('merge-siblings').click();
    await expect(runbooks.editor).toBeVisible();
    await expect(runbooks.source).toHaveValue(/Verify error rates, latency and saturation/);
    await page.getByTestId('pane-sibling').nth(1).click();
    // The other version's lines the merge does not have yet.
    await expect(changed(page.getByTestId('editor-sibling-source'))).toHaveText([
      '2. [command] Freeze deploys and pause Argo CD',
      '6. [check] Verify error rates and latency',
    ]);
    await runbooks.replaceInSource('2. [command] Freeze deploys', '2. [command] Freeze deploys and pause Argo CD');
    await runbooks.saveEdit();

    await expect(runbooks.version).toContainText('v4 of 4');
    await expect(page.getByTestId('siblings-banner')).toBeHidden();
    await expect(runbooks.item(rollback).getByTestId('flag-siblings')).toHaveCount(0);
    await expect(runbooks.step(2).getByTestId('step-title')).toHaveText('Freeze deploys and pause Argo CD');
    await expect(runbooks.step(6).getByTestId('step-title')).toHaveText('Verify error rates, latency and saturation');
    await runbooks.showHistory();
    await expect(runbooks.historyRow(4).getByTestId('version-merge')).toBeVisible();
    await expect(runbooks.historyRow(4).getByTestId('version-parents')).toHaveText('of v3 + v2');
    await expect(runbooks.historyRow(4)).toContainText('Merged v2 into v3');
  } finally {
    await web.stop();
  }
});

test('a new runbook is checked as it is typed, saved, flagged for review, archived and restored', async ({ page }) => {
  const web = await startHoldfastWeb(tempDataDir());
  const runbooks = new RunbooksPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await runbooks.open();
    await expect(page.getByText('No runbooks in the library yet')).toBeVisible();
    await expect(page.getByTestId('view-runbooks')).toContainText('holdfast runbooks import DIR');

    // The template is a valid runbook with one step of each type.
    await runbooks.newRunbook();
    await expect(page.getByTestId('editor-valid')).toHaveText('No problems · 4 steps');
    await expect(runbooks.preview.getByTestId('step-type')).toHaveText(['Check', 'Command', 'Decision', 'Recovery action']);

    await runbooks.source.fill(
      [
        '---',
        'title: Drain a Kafka broker',
        'services: [kafka',
        'owner: Streaming team',
        'review_by: 2024-01-31',
        '---',
        '',
        'Before restarting a broker.',
        '',
        '1. [check] Check the under-replicated partitions',
        '2. [command] Move the leaders away',
        '3. [command] Stop the broker',
        '   ```sh',
        '   systemctl stop kafka',
        '   ```',
        '',
      ].join('\n'),
    );
    // A YAML mistake is said in words at its own line (3, not 4 where the parser noticed it).
    await expect(runbooks.editorErrors).toHaveText([
      'line 3front matter: a list opened with [ is not closed: end it with ] on the same line, as in services: [orders-db, checkout-api]',
      'line 11command step 2 "Move the leaders away" has no command: put it in a fenced code block, or in `inline code`',
    ]);
    await expect(runbooks.save).toBeDisabled();
    // The preview says what to fix: never the template the pasted text replaced.
    await expect(page.getByTestId('preview-problems')).toContainText('line 3: front matter: a list opened with [ is not closed');
    await expect(runbooks.preview.getByTestId('preview-title')).toHaveCount(0);
    await expect(runbooks.preview).not.toContainText('Restart the checkout API');
    await runbooks.replaceInSource('services: [kafka', 'services: [kafka]');

    // Looking something up in another view keeps the unsaved text.
    await page.keyboard.press('Alt+2');
    await expect(page.getByTestId('view-directory')).toBeVisible();
    await page.keyboard.press('Alt+3');
    await expect(runbooks.source).toHaveValue(/2\. \[command\] Move the leaders away/);
    await expect(runbooks.editorErrors).toHaveCount(1);

    // The line of a problem is a click away.
    await runbooks.editorErrors.getByTestId('editor-error-line').click();
    await expect(runbooks.source).toBeFocused();
    expect(await runbooks.source.evaluate((box: HTMLTextAreaElement) => box.value.slice(box.selectionStart, box.selectionEnd))).toBe(
      '2. [command] Move the leaders away',
    );
    await runbooks.replaceInSource('[command] Move', '[check] Move');
    await expect(runbooks.editorErrors).toHaveCount(0);
    await expect(page.getByTestId('editor-valid')).toHaveText('No problems · 3 steps');
    await expect(runbooks.preview.getByTestId('step-title')).toHaveText(['Check the under-replicated partitions', 'Move the leaders away', 'Stop the broker']);
    await runbooks.saveEdit('First version');

    await expect(runbooks.title).toHaveText('Drain a Kafka broker');
    await expect(runbooks.version).toContainText('v1 of 1');
    await expect(runbooks.steps).toHaveCount(3);
    await expect(runbooks.item('Drain a Kafka broker').getByTestId('flag-review')).toHaveText('Review overdue · due 2024-01-31');
    await expect(runbooks.detail.getByTestId('flag-review')).toBeVisible();

    // A second runbook with the same id is refused by the engine, with its reason.
    await runbooks.newRunbook();
    await runbooks.replaceInSource('title: Restart the checkout API', 'title: Drain a Kafka broker');
    await runbooks.save.click();
    await expect(page.getByTestId('editor-save-error')).toContainText('A runbook with id "drain-a-kafka-broker" exists already');
    await page.getByTestId('editor-cancel').click();
    await page.getByTestId('editor-discard').click();
    await expect(runbooks.editor).toBeHidden();

    // Archived runbooks leave the list until asked for; the one open stays open to be restored.
    await runbooks.detail.getByTestId('archive-runbook').click();
    await expect(runbooks.detail.getByTestId('flag-archived')).toHaveText('Archived');
    await expect(runbooks.items).toHaveCount(0);
    await expect(page.getByTestId('all-archived')).toBeVisible();
    await page.getByTestId('show-archived').check();
    await expect(runbooks.item('Drain a Kafka broker').getByTestId('flag-archived')).toBeVisible();
    await expect(runbooks.detail.getByTestId('archive-runbook')).toHaveText('Restore');
    await runbooks.detail.getByTestId('archive-runbook').click();
    await expect(runbooks.detail.getByTestId('flag-archived')).toHaveCount(0);
    await page.getByTestId('show-archived').uncheck();
    await expect(runbooks.items).toHaveCount(1);
  } finally {
    await web.stop();
  }
});
