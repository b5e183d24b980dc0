// Preserving evidence in the war room, in Chromium against a real `holdfast web` whose runbook library
// was filled by the real `holdfast runbooks import`: a checklist for the incident's type is started,
// a real file written by the test is hashed by the engine with its progress shown and recorded as
// collected (the SHA-256 shown is the one node:crypto computes; a changed path drops the hash of the
// file hashed before), verified against a copy, handed on in the chain of custody, an optional item
// is recorded with a declared size its file does not have and carries the size-mismatch warning,
// another required item is waived with a reason and an approver, the
// failover runbook's recovery action lists the evidence still missing and is only done with an
// override that lands on the timeline, and the manifest downloads with the artifact and its hash.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { tempDir } from '../support/temp';
import { importRunbooks, startHoldfastWeb, tempDataDir } from './holdfast-web';
import { EvidencePage } from './pages/evidence';
import { IncidentsPage } from './pages/incidents-page';
import { RunbookRunPage } from './pages/runbook-run';
import { WarRoomPage } from './pages/war-room-page';

const incidentTitle = 'Orders database primary not accepting writes';
const failover = 'Fail over the orders database to a streaming replica';
const config = 'Configuration snapshot';
const serverLog = 'Server log since the incident began';
const coreDump = 'Core dump of the hung or crashing server process';
const waiveReason = 'Log volume on orders-db-1 was lost with the instance; the log store has the same lines';
const overrideReason = 'Checkout down 40 min; IC accepts losing the process state of the primary';

test('a responder preserves evidence before the failover and the gate holds the recovery action', async ({ page }) => {
  test.setTimeout(120_000);
  const dataDir = tempDataDir();
  importRunbooks(dataDir);
  const web = await startHoldfastWeb(dataDir);
  const incidents = new IncidentsPage(page);
  const room = new WarRoomPage(page);
  const evidence = new EvidencePage(page);
  const runbooks = new RunbookRunPage(page);

  // The evidence: a real file on the machine the engine runs on (this one), 3 MiB of noise.
  const folder = tempDir('holdfast-evidence-');
  const file = join(folder, 'orders-db-1-config.tar');
  const bytes = randomBytes(3 * 1024 * 1024);
  writeFileSync(file, bytes);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  // A file hashed by mistake first, whose hash and name must not end up in the record.
  const wrongFile = join(folder, 'wrong-host-config.tar');
  const wrongBytes = randomBytes(64 * 1024);
  writeFileSync(wrongFile, wrongBytes);
  // The core dump, 1 MiB, whose acquisition tool is said to have reported 4 MiB.
  const coreFile = join(folder, 'orders-db-1.core');
  writeFileSync(coreFile, randomBytes(1024 * 1024));

  try {
    await incidents.open(web.openUrl);
    await incidents.declare({ title: incidentTitle, severity: 'SEV1', type: 'outage', services: 'orders-db' });
    const me = await actor(page);

    // Nothing to collect yet.
    await expect(evidence.panel.getByTestId('evidence-total')).toHaveText('0 artifacts');

    // The picker lists the library's checklists, the ones for this incident's type marked.
    await evidence.panel.getByTestId('evidence-start-checklist').click();
    await expect(evidence.panel.getByTestId('evidence-action-error'), 'the evidence checklist library is empty').toHaveCount(0);
    const picker = evidence.dialog.getByTestId('field-template');
    await expect(picker.locator('option').first(), 'no evidence checklist in the library').toBeAttached();
    await expect(picker.locator('option[value="database-outage"]')).toHaveText(/Database outage.*✓ matches type outage/);
    // A database outage gets the database checklist by default, not the first "outage" one by name.
    await expect(picker).toHaveValue('database-outage');
    await evidence.dialog.getByTestId('action-submit').click();
    await expect(evidence.dialog).toBeHidden();

    // Its items are the incident's artifacts, most volatile first.
    await expect(evidence.artifacts).toHaveCount(6);
    await expect(evidence.artifacts.getByTestId('artifact-type')).toHaveText(['process', 'heap-dump', 'config', 'database', 'log', 'log']);
    await expect(evidence.panel.locator('[data-testid="evidence-count"][data-state="planned"]')).toHaveText('6 planned');
    await expect(evidence.panel.getByTestId('evidence-gate')).toHaveAttribute('data-missing', '5');
    await expect(evidence.panel.getByTestId('evidence-chain')).toHaveAttribute('data-intact', 'true');
    await expect(room.row(`${me} started evidence checklist "Database outage: before failover or restart": 6 items, 5 required`)).toBeVisible();

    // Collecting the configuration snapshot.
    await evidence.open(config);
    await expect(evidence.state()).toHaveText('planned');
    await evidence.drawer.getByTestId('artifact-start-collecting').click();
    await expect(evidence.drawer).toHaveAttribute('data-state', 'collecting');
    await expect(evidence.artifact(config)).toHaveAttribute('data-state', 'collecting');

    await evidence.drawer.getByTestId('artifact-collect').click();
    await expect(evidence.collectForm.getByTestId('collect-name')).toHaveValue(me);
    // The checklist's instruction is a hint, never the command as run unless typed.
    await expect(evidence.collectForm.getByTestId('collect-command')).toHaveValue('');
    await expect(evidence.collectForm.getByTestId('collect-command')).toHaveAttribute('placeholder', /checklist says: `postgresql\.conf`/);
    await evidence.fillCollection({
      role: 'Ops lead',
      contact: '+49 30 1234567',
      zone: 'Europe/Berlin',
      hosts: 'orders-db-1, 10.0.4.17',
      start: '2025-03-14T10:20:00',
      end: '2025-03-14T10:24:30',
      tool: '',
      command: 'tar -cf orders-db-1-config.tar /etc/postgresql /etc/patroni',
      storage: 'Evidence share //forensics/INC-orders/',
    });
    // Typed in the collector's zone, shown in UTC beside.
    await expect(evidence.collectForm.getByTestId('collect-start-utc')).toHaveText('= 2025-03-14 09:20:00 UTC');
    await expect(evidence.collectForm.getByTestId('collect-end-utc')).toHaveText('= 2025-03-14 09:24:30 UTC');

    // The wrong file first: its hashes show as soon as the job is done, before anything is recorded.
    await evidence.hashWithHoldfast(wrongFile, { withLegacy: true });
    await expect(evidence.collectForm.getByTestId('collect-sha256')).toHaveText(createHash('sha256').update(wrongBytes).digest('hex'));
    await expect(evidence.collectForm.getByTestId('collect-md5')).toHaveText(createHash('md5').update(wrongBytes).digest('hex'));
    await expect(evidence.collectForm.getByTestId('collect-sha1')).toHaveText(createHash('sha1').update(wrongBytes).digest('hex'));
    await expect(evidence.collectForm.getByTestId('collect-file-name')).toHaveValue('wrong-host-config.tar');
    // Another path is another file: the finished job and the name taken from its path go.
    await evidence.collectForm.getByTestId('collect-path').fill(file);
    await expect(evidence.collectForm.getByTestId('hash-progress')).toHaveCount(0);
    await expect(evidence.collectForm.getByTestId('collect-result')).toHaveCount(0);
    await expect(evidence.collectForm.getByTestId('collect-file-name')).toHaveValue('');

    // Holdfast hashes the file in the engine, with its progress.
    await evidence.hashWithHoldfast(file);
    await expect(evidence.collectForm.getByTestId('collect-sha256')).toHaveText(sha256);
    await expect(evidence.collectForm.getByTestId('collect-md5')).toHaveCount(0);
    await expect(evidence.collectForm.getByTestId('hash-percent')).toHaveText('100%');
    await expect(evidence.collectForm.getByTestId('hash-bytes')).toHaveText('3.0 MiB of 3.0 MiB');
    await expect(evidence.collectForm.getByTestId('collect-size')).toHaveText('3,145,728 bytes');
    await expect(evidence.collectForm.getByTestId('collect-file-name')).toHaveValue('orders-db-1-config.tar');

    // The engine refuses a record without the tool, and says what is missing.
    await evidence.collectForm.getByTestId('collect-submit').click();
    await expect(evidence.collectForm.getByTestId('collect-error')).toContainText('name the tool used');
    await evidence.collectForm.getByTestId('collect-tool').fill('GNU tar 1.35');
    await evidence.collectForm.getByTestId('collect-submit').click();
    await expect(evidence.collectForm).toBeHidden();

    await expect(evidence.drawer).toHaveAttribute('data-state', 'collected');
    await expect(evidence.drawer.getByTestId('artifact-sha256')).toHaveText(sha256);
    await expect(evidence.drawer.getByTestId('record-hash-source')).toHaveText('Holdfast, from the file');
    await expect(evidence.drawer.getByTestId('record-size')).toContainText('3,145,728 bytes');
    await expect(evidence.drawer.getByTestId('record-collector')).toContainText(`${me} (Ops lead)`);
    await expect(evidence.drawer.getByTestId('record-hosts')).toHaveText('orders-db-1, 10.0.4.17');
    await expect(evidence.drawer.getByTestId('record-acquired')).toContainText('2025-03-14 09:20:00 UTC → 09:24:30 UTC');
    await expect(evidence.drawer.getByTestId('record-acquired')).toContainText('2025-03-14 10:20:00 Europe/Berlin');
    await expect(evidence.drawer.getByTestId('artifact-drawer-warning')).toHaveCount(0);
    await expect(evidence.custodyRows.locator('[data-testid="custody-action"] .custody-action')).toHaveText(['collected', 'hashed']);
    await expect(evidence.custodyRow('hashed').getByTestId('custody-hash')).toHaveText(sha256.slice(0, 12));
    await expect(evidence.custodyRow('collected').getByTestId('custody-by')).toHaveText(me);
    await expect(evidence.artifact(config).getByTestId('artifact-hash')).toHaveText(`sha256 ${sha256.slice(0, 12)}…`);
    await expect(
      room.row(new RegExp(`^${me} collected "${config}" \\(database primary\\): 3145728 bytes, SHA-256 ${sha256.slice(0, 12)}… \\(computed by Holdfast\\)`)),
    ).toBeVisible();

    // Verifying the stored copy: the engine re-hashes it and records the result.
    await evidence.drawer.getByTestId('artifact-verify').click();
    await evidence.verifyForm.getByTestId('verify-path').fill(file);
    await evidence.verifyForm.getByTestId('verify-start').click();
    await expect(evidence.verifyForm.getByTestId('hash-percent')).toHaveText('100%');
    await expect(evidence.verifyForm.getByTestId('verify-result')).toHaveAttribute('data-result', 'match');
    await expect(evidence.drawer).toHaveAttribute('data-state', 'verified');
    await expect(evidence.custodyRow('verified').getByTestId('custody-result')).toHaveText('match');
    await expect(room.row(`${me} verified "${config}" (database primary): SHA-256 matches (${sha256.slice(0, 12)}…)`)).toBeVisible();
    await evidence.verifyForm.getByTestId('verify-close').click();

    // Handing it on: a transfer needs from, to and purpose.
    await evidence.drawer.getByTestId('custody-add').click();
    await expect(evidence.dialog.getByTestId('field-action')).toHaveValue('transferred');
    await evidence.dialog.getByTestId('field-from').fill(me);
    await evidence.dialog.getByTestId('action-submit').click();
    await expect(evidence.dialog.getByTestId('action-error')).toContainText('a transfer needs from, to and purpose');
    await evidence.submitDialog({ to: 'Forensics locker EV-2291', purpose: 'Analysis by the forensics team' });
    await expect(evidence.custodyRow('transferred').getByTestId('custody-from-to')).toHaveText(`${me} → Forensics locker EV-2291`);
    await expect(evidence.custodyRow('transferred').getByTestId('custody-purpose')).toHaveText('Analysis by the forensics team');
    await expect(evidence.custodyRows).toHaveCount(4);
    await expect(evidence.panel.getByTestId('evidence-chain')).toHaveAttribute('data-intact', 'true');

    // The custody form of one artifact downloads as HTML.
    const [form] = await Promise.all([page.waitForEvent('download'), evidence.drawer.getByTestId('custody-export').click()]);
    expect(form.suggestedFilename()).toMatch(/\.html$/);
    expect(readFileSync(await form.path(), 'utf8')).toContain(sha256);

    // Waiving another required item needs a reason and who approved it.
    await evidence.close();
    await evidence.open(serverLog);
    await evidence.drawer.getByTestId('artifact-waive').click();
    await evidence.dialog.getByTestId('field-reason').fill(waiveReason);
    await evidence.dialog.getByTestId('action-submit').click();
    await expect(evidence.dialog.getByTestId('action-error')).toContainText('name who approved the waiver');
    await evidence.submitDialog({ approvedBy: 'dmitri' });
    await expect(evidence.drawer).toHaveAttribute('data-state', 'waived');
    await expect(evidence.drawer.getByTestId('artifact-waived')).toHaveText(`Waived, approved by dmitri: ${waiveReason}`);
    await evidence.close();
    await expect(evidence.panel.getByTestId('evidence-gate')).toHaveAttribute('data-missing', '3');
    await expect(evidence.panel.locator('[data-testid="evidence-count"][data-state="verified"]')).toHaveText('1 verified');
    await expect(evidence.panel.locator('[data-testid="evidence-count"][data-state="waived"]')).toHaveText('1 waived');
    // The palette reaches artifacts too.
    await room.runFromPalette('open artifact replication state');
    await expect(evidence.drawer.getByTestId('artifact-title')).toHaveText('Replication state of every replica');
    await evidence.close();

    // The optional core dump, recorded with the size its tool declared: the file Holdfast hashed
    // has another, and the artifact says so.
    await evidence.open(coreDump);
    await evidence.drawer.getByTestId('artifact-collect').click();
    await evidence.fillCollection({
      hosts: 'orders-db-1',
      timesIn: 'utc',
      start: '2025-03-14T09:25:00',
      end: '2025-03-14T09:26:10',
      tool: 'gcore (GDB 15.1)',
      storage: 'Evidence share //forensics/INC-orders/',
    });
    await evidence.hashWithHoldfast(coreFile);
    await expect(evidence.collectForm.getByTestId('collect-size')).toHaveText('1,048,576 bytes');
    await evidence.collectForm.getByTestId('collect-declared-size').fill('4,194,304');
    await expect(evidence.collectForm.getByTestId('collect-size-differs')).toContainText('1,048,576 bytes');
    await evidence.collectForm.getByTestId('collect-submit').click();
    await expect(evidence.collectForm).toBeHidden();
    await expect(evidence.drawer).toHaveAttribute('data-state', 'collected');
    await expect(evidence.drawer.getByTestId('artifact-mode-notice')).toHaveCount(0);
    await expect(evidence.drawer.getByTestId('artifact-drawer-warning')).toContainText('size mismatch: declared 4194304 bytes, the file has 1048576');
    await expect(evidence.drawer.getByTestId('record-size')).toContainText('1,048,576 bytes');
    await expect(evidence.artifact(coreDump).getByTestId('artifact-warning')).toContainText('size mismatch');
    await evidence.close();

    // The failover runbook: its recovery action lists the evidence still missing.
    await runbooks.start('database-failover');
    await runbooks.markDone(1);
    await runbooks.markDone(2);
    await runbooks.markDone(3);
    await runbooks.decide(4, 'patroni');
    await expect(runbooks.step(5)).toHaveClass(/is-next/);
    const gate = runbooks.step(5).getByTestId('step-evidence-gate');
    await expect(gate).toContainText('Evidence first: 3 required artifacts not collected or waived');
    await expect(gate.getByTestId('step-missing-artifact')).toHaveText([
      'process · database primary: Process list, open connections and locks (planned)',
      'database · replicas: Replication state of every replica (planned)',
      'log · application tier: Application error logs around the first failures (planned)',
    ]);
    await expect(runbooks.step(5).getByTestId('step-done')).toHaveCount(0);
    // Checks and commands are not held up.
    await expect(runbooks.step(8).getByTestId('step-evidence-gate')).toHaveCount(0);

    // One drawer at a time: a missing artifact opens in place of the run.
    await gate.getByRole('button', { name: /Replication state of every replica/ }).click();
    await expect(evidence.drawer.getByTestId('artifact-title')).toHaveText('Replication state of every replica');
    await expect(runbooks.drawer).toBeHidden();
    await evidence.close();
    await runbooks.open(failover);

    // Done anyway: only with the reason, which goes on the timeline.
    await runbooks.step(5).getByTestId('step-done-anyway').click();
    await expect(runbooks.dialog).toContainText('3 required artifacts are neither collected nor waived');
    await runbooks.dialog.getByTestId('action-submit').click();
    await expect(runbooks.dialog.getByTestId('action-error')).toContainText('say why the recovery action cannot wait for the evidence');
    await runbooks.submitDialog({ override: overrideReason });
    await expect(runbooks.step(5)).toHaveAttribute('data-state', 'done');
    await expect(
      room.row(
        new RegExp(
          `^${me} did step 5 "Fail over with Patroni" \\(recovery action\\) of "${failover}" — evidence gate overridden \\(3 required artifacts not collected: .*\\): ${overrideReason}$`,
        ),
      ),
    ).toBeVisible();
    // Later recovery steps still wait for the same evidence.
    await expect(runbooks.step(7).getByTestId('step-done-anyway')).toBeVisible();
    await runbooks.close();

    // The manifest lists the artifact with its hash.
    const [manifest] = await Promise.all([page.waitForEvent('download'), evidence.panel.getByTestId('evidence-export-manifest-json').click()]);
    expect(manifest.suggestedFilename()).toMatch(/manifest\.json$/);
    const parsed = JSON.parse(readFileSync(await manifest.path(), 'utf8')) as {
      format: string;
      incident: { title: string };
      artifacts: { what: string; state: string; hashes: { sha256: string | null; source: string | null }; file: { name: string; size: number } }[];
      custodyChain: { isIntact: boolean };
    };
    expect(parsed.format).toBe('holdfast-evidence-manifest');
    expect(parsed.incident.title).toBe(incidentTitle);
    expect(parsed.artifacts).toHaveLength(6);
    const collected = parsed.artifacts.find((a) => a.what === config);
    expect(collected).toMatchObject({ state: 'verified', hashes: { sha256, source: 'holdfast' }, file: { name: 'orders-db-1-config.tar', size: bytes.length } });
    expect(parsed.artifacts.find((a) => a.what === serverLog)?.state).toBe('waived');
    expect(parsed.custodyChain.isIntact).toBe(true);

    // All of it is kept on the replica.
    await page.reload();
    await expect(incidents.connection).not.toContainText(/Connecting|Not connected|unreachable/);
    await incidents.row(incidentTitle).click();
    await expect(evidence.artifact(config)).toHaveAttribute('data-state', 'verified');
    await evidence.open(config);
    await expect(evidence.drawer.getByTestId('artifact-sha256')).toHaveText(sha256);
    await expect(evidence.custodyRows).toHaveCount(4);
  } finally {
    await web.stop();
  }
});

/** This replica's user name, as the engine writes it on the timeline. */
async function actor(page: Page): Promise<string> {
  const holder = page.getByTestId('seat-commander').getByTestId('seat-holder');
  await expect(holder).not.toHaveText('vacant');
  return (await holder.textContent()) ?? '';
}
