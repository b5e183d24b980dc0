// Integrity of a replica's file beyond its hash chains, on real SQLite files and the real command
// line: verify-chain and the audit report replay the op log and compare every projected row, and
// verify-chain, verify and restore refuse a schema the migrations did not make (an added trigger,
// view, table or index), even when the backup's manifest was recomputed to match.
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupDataDir, manifestPathOf, restoreBackup, sha256File, verifyBackup } from '../../electron/engine/core/backup';
import { databaseFileName } from '../../electron/engine/core/database';
import { createProjections } from '../../electron/engine/core/projections';
import { auditSchema } from '../../electron/engine/core/schema-audit';
import { call, openTestEngine } from '../support/engines';
import { holdfast } from '../support/cli';
import { runHoldfast } from '../support/processes';
import { tempDir } from '../support/temp';

const entryText = 'Rolled back the payment service';
const rewriteTrigger = `CREATE TRIGGER timeline_rewrite AFTER INSERT ON timeline_entries BEGIN
  UPDATE timeline_entries SET text = 'All clear, nothing to see' WHERE id = new.id;
END`;

async function replicaWithEntry() {
  const dataDir = tempDir();
  const engine = openTestEngine({ dataDir });
  const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV2', summary: '', isTakingCommand: false });
  await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'note', text: entryText, eventAt: Date.now() });
  return { dataDir, engine, incidentId: incident.id };
}

/** Runs SQL on a closed replica's or backup's file, as someone with write access to it would. */
function tamper(file: string, sql: string): void {
  const db = new Database(file);
  try {
    db.exec(sql);
  } finally {
    db.close();
  }
}

const editTimeline = `UPDATE timeline_entries SET text = 'Nothing happened' WHERE text = '${entryText}'`;

/** Recomputes everything in a backup's manifest after tampering, and drops any signature beside it. */
async function recomputeManifest(file: string): Promise<void> {
  const manifest = JSON.parse(readFileSync(manifestPathOf(file), 'utf8')) as Record<string, unknown>;
  const db = new Database(file, { readonly: true });
  const projectionDigest = createProjections(db).digest();
  db.close();
  writeFileSync(manifestPathOf(file), JSON.stringify({ ...manifest, bytes: statSync(file).size, sha256: await sha256File(file), projectionDigest }));
  for (const name of readdirSync(dirname(file))) {
    if (name.startsWith(basename(file)) && name !== basename(file) && name !== basename(manifestPathOf(file))) rmSync(join(dirname(file), name));
  }
}

async function tamperedBackup(sql: string) {
  const { dataDir, engine } = await replicaWithEntry();
  const out = join(tempDir(), 'backup.db');
  await backupDataDir(dataDir, out);
  await engine.close();
  // Unsigned is allowed here: the schema and projection checks must refuse on their own.
  expect(await verifyBackup(out, { allowUnsigned: true })).toMatchObject({ ok: true });
  tamper(out, sql);
  await recomputeManifest(out);
  return { dataDir, out };
}

// Each spawn of the bin takes a few seconds, more while other suites run beside it.
describe('verify-chain proves the projections', { timeout: 120_000 }, () => {
  it('says BROKEN, naming the row, when only timeline_entries was edited (in process and as the built bin)', async () => {
    const { dataDir, engine } = await replicaWithEntry();
    await engine.close();
    const clean = runHoldfast(['verify-chain', '--data', dataDir]);
    expect(clean).toMatchObject({ code: 0, err: '' });

    tamper(join(dataDir, databaseFileName), editTimeline);
    for (const run of [await holdfast('verify-chain', '--data', dataDir), runHoldfast(['verify-chain', '--data', dataDir])]) {
      expect(run.code).toBe(1);
      expect(run.err).toMatch(/BROKEN: projections differ from the op log: timeline_entries row \S+ differs from what its ops give \(text\)/);
      expect(run.err).toContain(`text is "Nothing happened" in the table but "${entryText}" in the op log`);
    }
    expect(clean.out).toMatch(/; \d+ projected row\(s\) match the op log replayed; schema \d+ is exactly what the migrations create/);
  });

  it('says BROKEN for a projected row added or deleted outside Holdfast', async () => {
    const { dataDir, engine, incidentId } = await replicaWithEntry();
    await engine.close();
    const file = join(dataDir, databaseFileName);
    tamper(file, `DELETE FROM timeline_entries WHERE text = '${entryText}'`);
    expect((await holdfast('verify-chain', '--data', dataDir)).err).toMatch(/timeline_entries row \S+ is written by the op log but missing from the table/);
    tamper(
      file,
      `INSERT INTO timeline_entries (id, incident_id, kind, text, event_at, recorded_at, author_id, hlc)
      SELECT 'forged', '${incidentId}', 'note', 'forged', 1, 1, 'mallory', hlc FROM timeline_entries LIMIT 1`,
    );
    expect((await holdfast('verify-chain', '--data', dataDir)).err).toMatch(/timeline_entries row forged has no op that wrote it/);
  });

  it('says BROKEN for a trigger added to the replica, before and after it rewrote an entry', async () => {
    const { dataDir, engine, incidentId } = await replicaWithEntry();
    await engine.close();
    tamper(join(dataDir, databaseFileName), rewriteTrigger);
    const run = await holdfast('verify-chain', '--data', dataDir);
    expect(run.code).toBe(1);
    expect(run.err).toContain("BROKEN: its schema is not the one Holdfast's migrations create: trigger timeline_rewrite (on timeline_entries) was not created");

    // The trigger does what it was added for: the projected text is not what was written.
    const reopened = openTestEngine({ dataDir });
    await call(reopened, 'timeline.add', { incidentId, kind: 'note', text: 'Paged the database team', eventAt: Date.now() });
    expect(reopened.db.prepare("SELECT count(*) FROM timeline_entries WHERE text = 'All clear, nothing to see'").pluck().get()).toBe(1);
    await reopened.close();
    expect(runHoldfast(['verify-chain', '--data', dataDir]).err).toContain('trigger timeline_rewrite (on timeline_entries) was not created');
  });
});

describe('the audit report says INTACT only after the full check', { timeout: 120_000 }, () => {
  it('prints BROKEN, not INTACT, when only timeline_entries was edited', async () => {
    const { dataDir, engine, incidentId } = await replicaWithEntry();
    await engine.close();
    const before = runHoldfast(['export', incidentId, '--format', 'md', '--kind', 'audit', '--data', dataDir]);
    expect(before.code).toBe(0);
    expect(before.out).toMatch(/\*\*INTACT: all \d+ record\(s\) /);

    tamper(join(dataDir, databaseFileName), editTimeline);
    const after = runHoldfast(['export', incidentId, '--format', 'md', '--kind', 'audit', '--data', dataDir]);
    expect(after.code).toBe(0);
    expect(after.out).not.toContain('INTACT');
    expect(after.out).toMatch(/\*\*BROKEN: 1 problem\(s\) found/);
    // Markdown escapes the underscore.
    expect(after.out).toMatch(/Replica against its op log: BROKEN: projections differ from the op log: timeline\\_entries row \S+ differs/);

    const json = JSON.parse(runHoldfast(['export', incidentId, '--format', 'json', '--kind', 'audit', '--data', dataDir]).out) as {
      verification: { isIntact: boolean; replica: { problem: string | null } };
    };
    expect(json.verification.isIntact).toBe(false);
    expect(json.verification.replica.problem).toContain('timeline_entries row');
    expect(before.out).toMatch(/\*\*INTACT: all \d+ record\(s\) .* and all \d+ projected row\(s\) of the replica are what its op log gives/);
  });
});

describe('verify and restore refuse a schema the migrations did not make', { timeout: 120_000 }, () => {
  it('finds nothing to object to in a replica the engine made', async () => {
    const { engine } = await replicaWithEntry();
    expect(auditSchema(engine.db)).toMatchObject({ problems: [] });
  });

  it.each([
    ['trigger timeline_rewrite (on timeline_entries)', rewriteTrigger],
    ['view everything (on everything)', 'CREATE VIEW everything AS SELECT * FROM timeline_entries'],
    ['table exfil (on exfil)', 'CREATE TABLE exfil (x TEXT)'],
    ['index timeline_by_text (on timeline_entries)', 'CREATE INDEX timeline_by_text ON timeline_entries (text)'],
  ])('refuses a backup with an added %s, manifest recomputed', async (named, sql) => {
    const { dataDir, out } = await tamperedBackup(sql);
    const verified = await verifyBackup(out, { allowUnsigned: true });
    expect(verified.ok).toBe(false);
    expect(verified.ok ? '' : verified.problem).toContain(`${named} was not created by Holdfast's migrations`);

    const target = join(dataDir, databaseFileName);
    const bytesBefore = readFileSync(target);
    await expect(restoreBackup(out, dataDir, Date.now, { allowUnsigned: true })).rejects.toThrow(
      new RegExp(`Refusing to restore: .*${named.replace(/[()]/g, '\\$&')} was not created.*Nothing was changed`),
    );
    expect(readFileSync(target).equals(bytesBefore)).toBe(true);
    expect(readdirSync(dataDir).some((name) => name.startsWith('pre-restore-'))).toBe(false);
  });

  it('refuses a backup whose timeline rows were edited and whose manifest was recomputed', async () => {
    const { dataDir, out } = await tamperedBackup(editTimeline);
    const verified = await verifyBackup(out, { allowUnsigned: true });
    expect(verified.ok).toBe(false);
    expect(verified.ok ? '' : verified.problem).toMatch(/projections differ from the op log: timeline_entries row \S+ differs from what its ops give \(text\)/);
    await expect(restoreBackup(out, dataDir, Date.now, { allowUnsigned: true })).rejects.toThrow(/Refusing to restore: .*projections differ from the op log/);
    expect(existsSync(join(dataDir, `${databaseFileName}.restoring`))).toBe(false);
  });

  it('refuses them through the built bin too', async () => {
    const { out } = await tamperedBackup(rewriteTrigger);
    const verify = runHoldfast(['verify', out]);
    expect(verify.code).toBe(1);
    expect(verify.err).toContain("trigger timeline_rewrite (on timeline_entries) was not created by Holdfast's migrations");
    const restore = runHoldfast(['restore', out, '--data', tempDir()]);
    expect(restore.code).toBe(1);
    expect(restore.err).toMatch(/Refusing to restore: .*trigger timeline_rewrite .*Nothing was changed/);
  });
});
