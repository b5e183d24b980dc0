// Preserving evidence in the war room, in Chromium against a real `holdfast web` whose runbook library
// was filled by the real `holdfast runbooks import`, one behaviour a test, each from its own state
// (pages/evidence-seed.ts sets it up through the API): a checklist for the incident's type is
// started; a real file written by the test is hashed by the engine with its progress shown and
// recorded as collected (the SHA-256 shown is the one node:crypto computes; a changed path drops the
// hash of the file hashed before); verified against a copy and handed on in the chain of custody;
// another required item is waived with a reason and an approver; an optional item recorded with a
// declared size its file does not have carries the size-mismatch warning; the failover runbook's
// recovery action lists the evidence still missing and is only done with an override that lands on
// the timeline; the manifest downloads with the artifact and its hash, and all of it is kept.
import { createHash } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { EvidencePage, type Collection } from './pages/evidence';
import { config, coreDump, evidenceFile, incidentTitle, openOutageWarRoom, serverLog, waive } from './pages/evidence-seed';
import { IncidentsPage } from './pages/incidents-page';
import { RunbookRunPage } from './pages/runbook-run';
import { WarRoomPage } from './pages/war-room-page';

const failover = 'Fail over the orders database to a streaming replica';
const waiveReason = 'Log volume on orders-db-1 was lost with the instance; the log store has the same lines';
const overrideReason = 'Checkout down 40 min; IC accepts losing the process state of the primary';
const sha256Of = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
/** The configuration snapshot's collection record, typed in the collector's zone. */
const configCollection: Collection = {
  role: 'Ops lead',
  contact: '+49 30 1234567',
  zone: 'Europe/Berlin',
  hosts: 'orders-db-1, 10.0.4.17',
  start: '2025-03-14T10:20:00',
  end: '2025-03-14T10:24:30',
  tool: 'GNU tar 1.35',
  command: 'tar -cf orders-db-1-config.tar /etc/postgresql /etc/patroni',
  storage: 'Evidence share //forensics/INC-orders/',
};

test.describe.configure({ timeout: 120_000 });

test('a database outage starts the database checklist: its items are the artifacts, most volatile first', async ({ page }) => {
  const { web } = await openOutageWarRoom(page, { checklist: false });
  const room = new WarRoomPage(page);
  const evidence = new EvidencePage(page);
  try {
    const me = await room.me();
    // Nothing to collect yet.
    await expect(evidence.total).toHaveText('0 artifacts');

    // The picker lists the library's checklists, the ones for this incident's type marked.
    await evidence.openChecklistPicker();
    await expect(evidence.pickerOption('database-outage')).toHaveText(/Database outage.*✓ matches type outage/);
    // A database outage gets the database checklist by default, not the first "outage" one by name.
    await expect(evidence.picker).toHaveValue('database-outage');
    await evidence.submitDialog({});

    await expect(evidence.artifacts).toHaveCount(6);
    await expect(evidence.artifactTypes).toHaveText(['process', 'heap-dump', 'config', 'database', 'log', 'log']);
    await expect(evidence.count('planned')).toHaveText('6 planned');
    await expect(evidence.gate).toHaveAttribute('data-missing', '5');
    await expect(evidence.chain).toHaveAttribute('data-intact', 'true');
    await expect(room.row(`${me} started evidence checklist "Database outage: before failover or restart": 6 items, 5 required`)).toBeVisible();
  } finally {
    await web.stop();
  }
});

test('Holdfast hashes the collected file with its progress, a changed path drops the earlier hash, and the record, custody and timeline say what was collected', async ({
  page,
}) => {
  const { web } = await openOutageWarRoom(page);
  const room = new WarRoomPage(page);
  const evidence = new EvidencePage(page);
  // The evidence: 3 MiB of noise; and a file hashed by mistake first, whose hash and name must not end up in the record.
  const file = evidenceFile('orders-db-1-config.tar', 3 * 1024 * 1024);
  const wrong = evidenceFile('wrong-host-config.tar', 64 * 1024);
  const sha256 = sha256Of(file.bytes);
  try {
    const me = await room.me();
    await evidence.open(config);
    await expect(evidence.state()).toHaveText('planned');
    await evidence.startCollecting();
    await expect(evidence.artifact(config)).toHaveAttribute('data-state', 'collecting');

    await evidence.openCollectForm();
    await expect(evidence.collect('name')).toHaveValue(me);
    // The checklist's instruction is a hint, never the command as run unless typed.
    await expect(evidence.collect('command')).toHaveValue('');
    await expect(evidence.collect('command')).toHaveAttribute('placeholder', /checklist says: `postgresql\.conf`/);
    await evidence.fillCollection({ ...configCollection, tool: '' });
    // Typed in the collector's zone, shown in UTC beside.
    await expect(evidence.collect('start-utc')).toHaveText('= 2025-03-14 09:20:00 UTC');
    await expect(evidence.collect('end-utc')).toHaveText('= 2025-03-14 09:24:30 UTC');

    // The wrong file first: its hashes show as soon as the job is done, before anything is recorded.
    await evidence.hashWithHoldfast(wrong.path, { withLegacy: true });
    await expect(evidence.collect('sha256')).toHaveText(sha256Of(wrong.bytes));
    await expect(evidence.collect('md5')).toHaveText(createHash('md5').update(wrong.bytes).digest('hex'));
    await expect(evidence.collect('sha1')).toHaveText(createHash('sha1').update(wrong.bytes).digest('hex'));
    await expect(evidence.collect('file-name')).toHaveValue('wrong-host-config.tar');
    // Another path is another file: the finished job and the name taken from its path go.
    await evidence.collect('path').fill(file.path);
    await expect(evidence.hashProgress('progress')).toHaveCount(0);
    await expect(evidence.collect('result')).toHaveCount(0);
    await expect(evidence.collect('file-name')).toHaveValue('');

    // Holdfast hashes the file in the engine, with its progress.
    await evidence.hashWithHoldfast(file.path);
    await expect(evidence.collect('sha256')).toHaveText(sha256);
    await expect(evidence.collect('md5')).toHaveCount(0);
    await expect(evidence.hashProgress('percent')).toHaveText('100%');
    await expect(evidence.hashProgress('bytes')).toHaveText('3.0 MiB of 3.0 MiB');
    await expect(evidence.collect('size')).toHaveText('3,145,728 bytes');
    await expect(evidence.collect('file-name')).toHaveValue('orders-db-1-config.tar');

    // The engine refuses a record without the tool, and says what is missing.
    await evidence.submitCollection('name the tool used');
    await evidence.collect('tool').fill('GNU tar 1.35');
    await evidence.submitCollection();

    await expect(evidence.drawer).toHaveAttribute('data-state', 'collected');
    await expect(evidence.sha256).toHaveText(sha256);
    await expect(evidence.record('hash-source')).toHaveText('Holdfast, from the file');
    await expect(evidence.record('size')).toContainText('3,145,728 bytes');
    await expect(evidence.record('collector')).toContainText(`${me} (Ops lead)`);
    await expect(evidence.record('hosts')).toHaveText('orders-db-1, 10.0.4.17');
    await expect(evidence.record('acquired')).toContainText('2025-03-14 09:20:00 UTC → 09:24:30 UTC');
    await expect(evidence.record('acquired')).toContainText('2025-03-14 10:20:00 Europe/Berlin');
    await expect(evidence.warning).toHaveCount(0);
    await expect(evidence.custodyActions).toHaveText(['collected', 'hashed']);
    await expect(evidence.custodyPart('hashed', 'hash')).toHaveText(sha256.slice(0, 12));
    await expect(evidence.custodyPart('collected', 'by')).toHaveText(me);
    await expect(evidence.artifactPart(config, 'hash')).toHaveText(`sha256 ${sha256.slice(0, 12)}…`);
    await expect(
      room.row(new RegExp(`^${me} collected "${config}" \\(database primary\\): 3145728 bytes, SHA-256 ${sha256.slice(0, 12)}… \\(computed by Holdfast\\)`)),
    ).toBeVisible();
  } finally {
    await web.stop();
  }
});

test('a collected artifact is verified against its stored copy, handed on with from, to and purpose, and its custody form downloads', async ({ page }) => {
  const { web } = await openOutageWarRoom(page);
  const room = new WarRoomPage(page);
  const evidence = new EvidencePage(page);
  const file = evidenceFile('orders-db-1-config.tar', 256 * 1024);
  const sha256 = sha256Of(file.bytes);
  try {
    const me = await room.me();
    await evidence.open(config);
    await evidence.collectWithHoldfast(file.path, configCollection);

    // Verifying the stored copy: the engine re-hashes it and records the result.
    await evidence.verifyAgainst(file.path);
    await expect(evidence.verifyResult).toHaveAttribute('data-result', 'match');
    await expect(evidence.drawer).toHaveAttribute('data-state', 'verified');
    await expect(evidence.custodyPart('verified', 'result')).toHaveText('match');
    await expect(room.row(`${me} verified "${config}" (database primary): SHA-256 matches (${sha256.slice(0, 12)}…)`)).toBeVisible();
    await evidence.closeVerifyForm();

    // Handing it on: a transfer needs from, to and purpose.
    await evidence.openDrawerDialog('custody-add');
    await expect(evidence.dialogField('action')).toHaveValue('transferred');
    await evidence.dialogField('from').fill(me);
    await evidence.submitDialogRefused('a transfer needs from, to and purpose');
    await evidence.submitDialog({ to: 'Forensics locker EV-2291', purpose: 'Analysis by the forensics team' });
    await expect(evidence.custodyPart('transferred', 'from-to')).toHaveText(`${me} → Forensics locker EV-2291`);
    await expect(evidence.custodyPart('transferred', 'purpose')).toHaveText('Analysis by the forensics team');
    await expect(evidence.custodyRows).toHaveCount(4);
    await expect(evidence.chain).toHaveAttribute('data-intact', 'true');

    // The custody form of one artifact downloads as HTML.
    const form = await evidence.downloadCustodyForm();
    expect(form.name).toMatch(/\.html$/);
    expect(form.text).toContain(sha256);
  } finally {
    await web.stop();
  }
});

test('waiving a required item needs a reason and who approved it, and the gate counts it; the palette opens artifacts', async ({ page }) => {
  const { web } = await openOutageWarRoom(page);
  const room = new WarRoomPage(page);
  const evidence = new EvidencePage(page);
  try {
    await expect(evidence.gate).toHaveAttribute('data-missing', '5');
    await evidence.open(serverLog);
    await evidence.openDrawerDialog('artifact-waive');
    await evidence.dialogField('reason').fill(waiveReason);
    await evidence.submitDialogRefused('name who approved the waiver');
    await evidence.submitDialog({ approvedBy: 'dmitri' });
    await expect(evidence.drawer).toHaveAttribute('data-state', 'waived');
    await expect(evidence.waived).toHaveText(`Waived, approved by dmitri: ${waiveReason}`);
    await evidence.close();
    await expect(evidence.gate).toHaveAttribute('data-missing', '4');
    await expect(evidence.count('waived')).toHaveText('1 waived');
    await expect(evidence.count('planned')).toHaveText('5 planned');

    // The palette reaches artifacts too.
    await room.runFromPalette('open artifact replication state');
    await expect(evidence.title).toHaveText('Replication state of every replica');
  } finally {
    await web.stop();
  }
});

test('an optional item recorded with a declared size its file does not have carries the size-mismatch warning', async ({ page }) => {
  const { web } = await openOutageWarRoom(page);
  const evidence = new EvidencePage(page);
  // The core dump, 1 MiB, whose acquisition tool is said to have reported 4 MiB.
  const core = evidenceFile('orders-db-1.core', 1024 * 1024);
  try {
    await evidence.open(coreDump);
    await evidence.openCollectForm();
    await evidence.fillCollection({
      hosts: 'orders-db-1',
      timesIn: 'utc',
      start: '2025-03-14T09:25:00',
      end: '2025-03-14T09:26:10',
      tool: 'gcore (GDB 15.1)',
      storage: 'Evidence share //forensics/INC-orders/',
    });
    await evidence.hashWithHoldfast(core.path);
    await expect(evidence.collect('size')).toHaveText('1,048,576 bytes');
    await evidence.collect('declared-size').fill('4,194,304');
    await expect(evidence.collect('size-differs')).toContainText('1,048,576 bytes');
    await evidence.submitCollection();
    await expect(evidence.drawer).toHaveAttribute('data-state', 'collected');
    await expect(evidence.modeNotice).toHaveCount(0);
    await expect(evidence.warning).toContainText('size mismatch: declared 4194304 bytes, the file has 1048576');
    await expect(evidence.record('size')).toContainText('1,048,576 bytes');
    await expect(evidence.artifactPart(coreDump, 'warning')).toContainText('size mismatch');
  } finally {
    await web.stop();
  }
});

test('the failover runbook’s recovery action lists the evidence still missing and is done only with an override on the timeline', async ({ page }) => {
  const seeded = await openOutageWarRoom(page);
  const room = new WarRoomPage(page);
  const evidence = new EvidencePage(page);
  const runbooks = new RunbookRunPage(page);
  try {
    // Two of the five required items are settled (waived by another responder): three are missing.
    await waive(seeded, config, 'Config is in the repository at the deployed commit', 'dmitri');
    await waive(seeded, serverLog, waiveReason, 'dmitri');
    await expect(evidence.gate).toHaveAttribute('data-missing', '3');
    const me = await room.me();

    await runbooks.start('database-failover');
    await runbooks.markDone(1);
    await runbooks.markDone(2);
    await runbooks.markDone(3);
    await runbooks.decide(4, 'patroni');
    await expect(runbooks.step(5)).toHaveClass(/is-next/);
    await expect(runbooks.gate(5)).toContainText('Evidence first: 3 required artifacts not collected or waived');
    await expect(runbooks.missingArtifacts(5)).toHaveText([
      'process · database primary: Process list, open connections and locks (planned)',
      'database · replicas: Replication state of every replica (planned)',
      'log · application tier: Application error logs around the first failures (planned)',
    ]);
    await expect(runbooks.doneButton(5)).toHaveCount(0);
    // Checks and commands are not held up.
    await expect(runbooks.gate(8)).toHaveCount(0);

    // One drawer at a time: a missing artifact opens in place of the run.
    await runbooks
      .gate(5)
      .getByRole('button', { name: /Replication state of every replica/ })
      .click();
    await expect(evidence.title).toHaveText('Replication state of every replica');
    await expect(runbooks.drawer).toBeHidden();
    await evidence.close();
    await runbooks.open(failover);

    // Done anyway: only with the reason, which goes on the timeline.
    await runbooks.doneAnywayButton(5).click();
    await expect(runbooks.dialog).toContainText('3 required artifacts are neither collected nor waived');
    await runbooks.submitDialogRefused('say why the recovery action cannot wait for the evidence');
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
    await expect(runbooks.doneAnywayButton(7)).toBeVisible();
  } finally {
    await seeded.web.stop();
  }
});

test('the manifest lists every artifact with its state and hash, and the record is kept on the replica after a reload', async ({ page }) => {
  const seeded = await openOutageWarRoom(page);
  const incidents = new IncidentsPage(page);
  const evidence = new EvidencePage(page);
  const file = evidenceFile('orders-db-1-config.tar', 256 * 1024);
  const sha256 = sha256Of(file.bytes);
  try {
    await waive(seeded, serverLog, waiveReason, 'dmitri');
    await evidence.open(config);
    await evidence.collectWithHoldfast(file.path, configCollection);
    await evidence.verifyAgainst(file.path);
    await expect(evidence.drawer).toHaveAttribute('data-state', 'verified');
    await evidence.closeVerifyForm();
    await evidence.close();
    await expect(evidence.count('verified')).toHaveText('1 verified');
    await expect(evidence.count('waived')).toHaveText('1 waived');

    // The manifest lists the artifact with its hash.
    const manifest = await evidence.downloadManifest();
    expect(manifest.name).toMatch(/manifest\.json$/);
    const parsed = JSON.parse(manifest.text) as {
      format: string;
      incident: { title: string };
      artifacts: { what: string; state: string; hashes: { sha256: string | null; source: string | null }; file: { name: string; size: number } }[];
      custodyChain: { isIntact: boolean };
    };
    expect(parsed.format).toBe('holdfast-evidence-manifest');
    expect(parsed.incident.title).toBe(incidentTitle);
    expect(parsed.artifacts).toHaveLength(6);
    expect(parsed.artifacts.find((a) => a.what === config)).toMatchObject({
      state: 'verified',
      hashes: { sha256, source: 'holdfast' },
      file: { name: 'orders-db-1-config.tar', size: file.bytes.length },
    });
    expect(parsed.artifacts.find((a) => a.what === serverLog)?.state).toBe('waived');
    expect(parsed.custodyChain.isIntact).toBe(true);

    // All of it is kept on the replica.
    await page.reload();
    await expect(incidents.connection).not.toContainText(/Connecting|Not connected|unreachable/);
    await incidents.row(incidentTitle).click();
    await expect(evidence.artifact(config)).toHaveAttribute('data-state', 'verified');
    await evidence.open(config);
    await expect(evidence.sha256).toHaveText(sha256);
    await expect(evidence.custodyActions).toHaveText(['collected', 'hashed', 'verified']);
  } finally {
    await seeded.web.stop();
  }
});
