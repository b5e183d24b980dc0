// Tamper evidence: `holdfast verify-chain` on a real replica file passes while every chain holds,
// and names the first broken record after a row of the file is altered, removed or forged.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { databaseFileName } from '../../electron/engine/core/database';
import { call, openTestEngine } from '../support/engines';
import { holdfast } from '../support/cli';
import { tempDir } from '../support/temp';

async function replicaWithHistory() {
  const dataDir = tempDir();
  const engine = openTestEngine({ dataDir });
  // Each declaration writes two records (the incident and its automatic timeline entry).
  const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV1', summary: '', isTakingCommand: false });
  for (const text of ['Paged payments on-call', 'Rolled back deploy 4512', 'Error rate back to baseline']) {
    await call(engine, 'timeline.add', { incidentId: incident.id, kind: 'action', text });
  }
  const other = await call(engine, 'incidents.create', { title: 'Search slow', severity: 'SEV3', summary: '', isTakingCommand: false });
  await call(engine, 'timeline.add', { incidentId: other.id, kind: 'note', text: 'Index rebuild running' });
  await engine.close();
  const db = new Database(join(dataDir, databaseFileName));
  return { dataDir, db, incident };
}

describe('holdfast verify-chain', () => {
  it('passes an intact replica', async () => {
    const { dataDir, db } = await replicaWithHistory();
    db.close();
    const run = await holdfast('verify-chain', '--data', dataDir);
    expect(run).toMatchObject({
      code: 0,
      out: expect.stringMatching(
        /^ok: 2 chain\(s\), 8 record\(s\) verified; 0 custody event\(s\) verified; \d+ projected row\(s\) match the op log replayed; schema \d+ is exactly what the migrations create$/,
      ),
    });
  });

  it('names the record whose content was altered in the file', async () => {
    const { dataDir, db, incident } = await replicaWithHistory();
    const target = db.prepare("SELECT op_id FROM ops WHERE fields LIKE '%Rolled back%'").pluck().get() as string;
    db.prepare("UPDATE ops SET fields = replace(fields, 'Rolled back', 'Did not roll back') WHERE op_id = ?").run(target);
    db.close();
    const run = await holdfast('verify-chain', '--data', dataDir);
    expect(run.code).toBe(1);
    expect(run.err).toContain(`stream incident:${incident.id} breaks at record 4 (op ${target}`);
    expect(run.err).toContain('altered after it was written');
  });

  it('names the record after one that was deleted from the file', async () => {
    const { dataDir, db } = await replicaWithHistory();
    const removed = db.prepare("SELECT seq FROM ops WHERE fields LIKE '%Paged payments%'").pluck().get() as number;
    db.prepare('DELETE FROM ops WHERE seq = ?').run(removed);
    db.close();
    const run = await holdfast('verify-chain', '--data', dataDir);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/breaks at record 3 .*does not chain to record 2: a record is missing/);
  });

  it('catches a forged record whose hash was recomputed but whose link was not', async () => {
    const { dataDir, db } = await replicaWithHistory();
    const { hashOp } = await import('@shared/ops');
    const { toOp } = await import('../../electron/engine/core/op-log');
    const row = db.prepare("SELECT * FROM ops WHERE fields LIKE '%baseline%'").get() as Parameters<typeof toOp>[0];
    const forged = { ...toOp(row), fields: { ...toOp(row).fields, text: 'Nothing happened' }, prevHash: '1'.repeat(64) };
    // The log stores hashes as their bytes (schema 23).
    db.prepare('UPDATE ops SET fields = ?, prev_hash = ?, hash = ? WHERE seq = ?').run(
      JSON.stringify(forged.fields),
      Buffer.from(forged.prevHash, 'hex'),
      Buffer.from(hashOp(forged), 'hex'),
      row.seq,
    );
    db.close();
    const run = await holdfast('verify-chain', '--data', dataDir);
    expect(run.code).toBe(1);
    expect(run.err).toContain('breaks at record 5');
  });

  it('exits 1 from the real bin with the break on one line', async () => {
    const { dataDir, db } = await replicaWithHistory();
    db.prepare("UPDATE ops SET fields = replace(fields, 'Index rebuild', 'Nothing') WHERE fields LIKE '%Index rebuild%'").run();
    db.close();
    const bin = join(import.meta.dirname, '../../electron/cli/holdfast.mjs');
    const result = spawnSync(process.execPath, [bin, 'verify-chain', '--data', dataDir], { encoding: 'utf8' });
    // Needs the build (npm test builds first); without it the bin says so and this fails.
    expect(result.stderr).toContain('holdfast verify-chain: BROKEN: chain of device');
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('fails clearly on a folder without a replica', async () => {
    const run = await holdfast('verify-chain', '--data', tempDir());
    expect(run.code).toBe(1);
    expect(run.err).toContain('there is no Holdfast database in');
  });
});
