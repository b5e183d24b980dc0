// Backups on real files: online backup with a manifest, verification that catches damage and
// mismatch, restore that verifies first and keeps the previous database, and automatic backups.
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { manifestPathOf } from '../../electron/engine/core/backup';
import { databaseFileName } from '../../electron/engine/core/database';
import { call, openTestEngine } from '../support/engines';
import { holdfast } from '../support/cli';
import { tempDir } from '../support/temp';

async function replicaWithIncidents(titles: string[]) {
  const dataDir = tempDir();
  const engine = openTestEngine({ dataDir });
  // Each declaration is two ops: the incident and its automatic timeline entry.
  for (const title of titles) await call(engine, 'incidents.create', { title, severity: 'SEV2', summary: '', isTakingCommand: false });
  return { dataDir, engine };
}

describe('backup, verify, restore', () => {
  it('backs up a running replica and verifies the backup', async () => {
    const { dataDir, engine } = await replicaWithIncidents(['Checkout down', 'Search slow']);
    const out = join(tempDir(), 'before-failover.db');
    const backup = await holdfast('backup', '--data', dataDir, '--out', out);
    expect(backup.code).toBe(0);
    expect(backup.out).toMatch(/backup written: .*before-failover\.db \(\d+ bytes, 4 ops, sha256 [0-9a-f]{64}\)/);
    const manifest = JSON.parse(readFileSync(manifestPathOf(out), 'utf8'));
    expect(manifest).toMatchObject({ format: 'holdfast-backup', opCount: 4, deviceId: engine.replica.deviceId, projectionDigest: engine.replica.digest() });
    expect(existsSync(`${out}-wal`)).toBe(false);

    // A laptop that never connected signs with its device key alone: accepted only when told so.
    const verify = await holdfast('verify', out, '--allow-unsigned');
    expect(verify.code).toBe(0);
    expect(verify.out).toContain('matches its manifest');
  });

  it("refuses a damaged backup, a backup with another backup's manifest, and one without a manifest", async () => {
    const { dataDir, engine } = await replicaWithIncidents(['Checkout down']);
    const dir = tempDir();
    const first = join(dir, 'first.db');
    await holdfast('backup', '--data', dataDir, '--out', first);
    await call(engine, 'incidents.create', { title: 'DNS failing', severity: 'SEV1', summary: '' });
    const second = join(dir, 'second.db');
    await holdfast('backup', '--data', dataDir, '--out', second);

    const damaged = join(dir, 'damaged.db');
    copyFileSync(first, damaged);
    copyFileSync(manifestPathOf(first), manifestPathOf(damaged));
    const bytes = readFileSync(damaged);
    bytes[bytes.length - 100] ^= 0xff;
    writeFileSync(damaged, bytes);
    expect(await holdfast('verify', damaged)).toMatchObject({ code: 1, err: expect.stringContaining('does not match the SHA-256 in its manifest') });

    const mismatched = join(dir, 'mismatched.db');
    copyFileSync(first, mismatched);
    copyFileSync(manifestPathOf(second), manifestPathOf(mismatched));
    expect((await holdfast('verify', mismatched)).err).toMatch(/bytes but its manifest says|does not match the SHA-256/);

    const bare = join(dir, 'bare.db');
    copyFileSync(first, bare);
    expect((await holdfast('verify', bare)).err).toContain('manifest.json is missing');
  });

  it('refuses a backup whose database was tampered with and re-hashed', async () => {
    const { dataDir } = await replicaWithIncidents(['Checkout down']);
    const out = join(tempDir(), 'b.db');
    await holdfast('backup', '--data', dataDir, '--out', out);
    const db = new Database(out);
    db.prepare("UPDATE ops SET fields = replace(fields, 'Checkout', 'Nothing')").run();
    db.close();
    const { sha256File } = await import('../../electron/engine/core/backup');
    const manifest = JSON.parse(readFileSync(manifestPathOf(out), 'utf8'));
    writeFileSync(manifestPathOf(out), JSON.stringify({ ...manifest, sha256: await sha256File(out) }));
    const verify = await holdfast('verify', out);
    expect(verify.code).toBe(1);
    expect(verify.err).toContain('altered after it was written');
  });

  it('restores a verified backup and keeps the previous database', async () => {
    const { dataDir, engine } = await replicaWithIncidents(['Checkout down']);
    const out = join(tempDir(), 'b.db');
    await holdfast('backup', '--data', dataDir, '--out', out);
    await call(engine, 'incidents.create', { title: 'Declared after the backup', severity: 'SEV4', summary: '' });
    const oldDevice = engine.replica.deviceId;
    await engine.close();

    const restore = await holdfast('restore', out, '--data', dataDir, '--allow-unsigned');
    expect(restore.code).toBe(0);
    const previousDir = /kept in (\S+)/.exec(restore.out)?.[1];
    expect(previousDir).toBeDefined();
    const previous = new Database(join(previousDir!, databaseFileName), { readonly: true });
    expect(previous.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(2);
    previous.close();

    const reopened = openTestEngine({ dataDir });
    expect((await call(reopened, 'incidents.list', { limit: 10 })).map((i) => i.title)).toEqual(['Checkout down']);
    expect(reopened.replica.deviceId).not.toBe(oldDevice);
    expect(restore.out).toContain(`writes as device ${reopened.replica.deviceId}`);
  });

  it('refuses to restore a damaged backup and changes nothing', async () => {
    const { dataDir, engine } = await replicaWithIncidents(['Checkout down']);
    const out = join(tempDir(), 'b.db');
    await holdfast('backup', '--data', dataDir, '--out', out);
    await engine.close();
    const bytes = readFileSync(out);
    bytes[200] ^= 0xff;
    writeFileSync(out, bytes);
    const before = readdirSync(dataDir).sort();
    const restore = await holdfast('restore', out, '--data', dataDir);
    expect(restore.code).toBe(1);
    expect(restore.err).toContain('Refusing to restore');
    expect(restore.err).toContain('Nothing was changed');
    expect(readdirSync(dataDir).sort()).toEqual(before);
  });

  it('refuses to restore under a running replica', async () => {
    const { dataDir } = await replicaWithIncidents(['Checkout down']);
    const out = join(tempDir(), 'b.db');
    await holdfast('backup', '--data', dataDir, '--out', out);
    const restore = await holdfast('restore', out, '--data', dataDir, '--allow-unsigned');
    expect(restore.code).toBe(1);
    expect(restore.err).toContain('already running with the data folder');
  });

  it('backs up automatically on open and on schedule, keeping the newest', async () => {
    let now = Date.UTC(2026, 10, 23, 9, 0, 0);
    const dataDir = tempDir();
    const engine = openTestEngine({ dataDir, autoBackup: { intervalMs: 3_600_000, keep: 2 }, now: () => now });
    await engine.backupNow(); // the backup taken on open
    for (let i = 0; i < 3; i += 1) {
      now += 1000;
      await call(engine, 'incidents.create', { title: `Incident number ${i}`, severity: 'SEV3', summary: '', isTakingCommand: false });
      await engine.backupNow();
    }
    const files = readdirSync(join(dataDir, 'backups')).filter((f) => f.endsWith('.db'));
    expect(files).toEqual(['holdfast-20261123-090002-000.db', 'holdfast-20261123-090003-000.db']);
    for (const file of files) expect((await holdfast('verify', join(dataDir, 'backups', file), '--allow-unsigned')).code).toBe(0);
    expect(JSON.parse(readFileSync(manifestPathOf(join(dataDir, 'backups', files[1])), 'utf8')).opCount).toBe(6);
  });
});
