// Refreshes the runbook screenshots in docs/ (`npm run screenshots`): the samples imported by the
// CLI, one of them edited twice from the same version (siblings to merge), and a runbook whose
// review date has passed, then the editor checking a runbook while it is written.
import { expect, test } from '@playwright/test';
import { importRunbooks, startHoldfastWeb, tempDataDir } from './holdfast-web';
import { IncidentsPage } from './pages/incidents-page';
import { RunbooksPage } from './pages/runbooks-page';

const rollback = 'Roll back a bad release of checkout-api on Kubernetes';
const failover = 'Fail over the orders database to a streaming replica';

const kafka = `---
title: Drain a Kafka broker before maintenance
services: [kafka, order-events]
incident-types: [maintenance]
tags: [kafka]
owner: Streaming team (#streaming)
review-by: 2025-06-30
---

Move partition leadership off a broker before patching or restarting it, so that checkout
keeps publishing order events while the broker is down.

1. [check] No partition is under-replicated

   \`\`\`sh
   kafka-topics.sh --bootstrap-server kafka-1:9092 --describe --under-replicated-partitions
   \`\`\`

2. [recovery] Move the leaders away and stop the broker

   \`\`\`sh
   kafka-leader-election.sh --bootstrap-server kafka-1:9092 --election-type preferred --all-topic-partitions
   sudo systemctl stop kafka
   \`\`\`
`;

test('screenshots of the runbook library and editor', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir('holdfast-docs-');
  importRunbooks(dataDir);
  const web = await startHoldfastWeb(dataDir);
  const runbooks = new RunbooksPage(page);
  try {
    await new IncidentsPage(page).open(web.openUrl);
    await runbooks.open();
    await expect(runbooks.items).toHaveCount(3);

    // A runbook past its review date.
    await runbooks.newRunbook();
    await runbooks.source.fill(kafka);
    await runbooks.saveEdit('First version');

    // The rollback edited twice from version 1, as two people offline would.
    await runbooks.select(rollback);
    await runbooks.edit();
    await runbooks.replaceInSource('2. [command] Freeze deploys', '2. [command] Freeze deploys and pause Argo CD');
    await runbooks.saveEdit('Step 2 says what to pause');
    await runbooks.showHistory();
    await runbooks.historyRow(1).click();
    await runbooks.edit();
    await runbooks.replaceInSource('6. [check] Verify error rates and latency', '6. [check] Verify error rates, latency and saturation');
    await runbooks.saveEdit('Step 6 watches saturation too');
    await expect(page.getByTestId('siblings-banner')).toBeVisible();

    // The library searched: matched words marked, and the flags asking for a review or a merge.
    await runbooks.select(failover);
    await runbooks.search.fill('checkout');
    await expect(runbooks.searchResults).toHaveCount(4);
    await expect(runbooks.searchResults.getByTestId('flag-review')).toHaveCount(1);
    await expect(runbooks.searchResults.getByTestId('flag-siblings')).toHaveCount(1);
    await runbooks.search.blur();
    await page.mouse.move(0, 0);
    await page.screenshot({ path: 'docs/screenshots/runbooks.png' });

    // The editor: a new runbook from the template, a branch pointing at a step that does not exist.
    await runbooks.newRunbook();
    await runbooks.replaceInSource('go to step 4', 'go to step 7');
    await expect(runbooks.editorErrors).toHaveCount(1);
    await runbooks.editorErrors.getByTestId('editor-error-line').click();
    await page.screenshot({ path: 'docs/screenshots/runbook-editor.png' });
  } finally {
    await web.stop();
  }
});
