// File modes on real files, whatever the umask: the data folder 0700; the database, its WAL and
// shared memory, its lock, backups (with manifest and signature), restored databases, exports and
// exported runbooks 0600 (in 0700 folders when the command makes them);
// folders and files an earlier build left readable by others tightened when the replica opens.
// The built bin runs under `umask 000` and `umask 022`, as a user's shell might have it.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockFileName } from '../../electron/engine/core/data-lock';
import { databaseFileName } from '../../electron/engine/core/database';
import { openSqliteSyncStore } from '../../server/storage/sqlite-store';
import { call, openTestEngine } from '../support/engines';
import { holdfastBin } from '../support/processes';
import { rollbackRunbook } from '../support/runbooks';
import { tempDir } from '../support/temp';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const octal = (mode: number) => mode.toString(8).padStart(3, '0');

/** Runs the built `holdfast` under a umask, as a shell would. */
function holdfastUnder(umask: string, args: string[]) {
  const quoted = [process.execPath, holdfastBin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
  const run = spawnSync('/bin/sh', ['-c', `umask ${umask} && exec ${quoted}`], { encoding: 'utf8', timeout: 60_000 });
  return { code: run.status ?? -1, out: run.stdout, err: run.stderr };
}

let savedUmask = 0;
beforeEach(() => {
  savedUmask = process.umask(0o022);
});
afterEach(() => {
  process.umask(savedUmask);
});

async function replicaWithIncident(dataDir = join(tempDir(), 'holdfast-data')) {
  const engine = openTestEngine({ dataDir });
  const incident = await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV2', summary: '', isTakingCommand: false });
  return { dataDir, engine, incidentId: incident.id };
}

// Each spawn of the bin takes a few seconds, more while other suites run beside it.
describe.skipIf(process.platform === 'win32')('file modes', { timeout: 120_000 }, () => {
  it.each(['000', '022'])('creates the data folder 0700 and the database, WAL and shared memory 0600 under umask %s', async (umask) => {
    process.umask(Number.parseInt(umask, 8));
    const { dataDir, engine } = await replicaWithIncident();
    const file = join(dataDir, databaseFileName);
    expect(existsSync(`${file}-wal`) && existsSync(`${file}-shm`)).toBe(true);
    expect(octal(modeOf(dataDir))).toBe('700');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect([path, octal(modeOf(path))]).toEqual([path, '600']);
    await engine.close();
  });

  it('tightens a data folder and database files an earlier build left readable by others, when the replica opens', async () => {
    const { dataDir, engine } = await replicaWithIncident();
    await engine.close();
    const file = join(dataDir, databaseFileName);
    // As an earlier build left them: a folder and a database anyone on the machine can read, and a WAL beside it.
    writeFileSync(`${file}-wal`, '');
    chmodSync(dataDir, 0o755);
    for (const path of [file, `${file}-wal`]) chmodSync(path, 0o644);
    const reopened = openTestEngine({ dataDir });
    expect(octal(modeOf(dataDir))).toBe('700');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) expect([path, octal(modeOf(path))]).toEqual([path, '600']);
    await reopened.close();
  });

  it('the built bin makes the folder 0700 and the database 0600 under umask 000 and 022', () => {
    for (const umask of ['000', '022']) {
      const dataDir = join(tempDir(), 'nested', 'data');
      const run = holdfastUnder(umask, ['trust', 'status', '--data', dataDir]);
      expect(run.code, run.err).toBe(0);
      expect(octal(modeOf(dataDir))).toBe('700');
      expect(octal(modeOf(join(dataDir, databaseFileName)))).toBe('600');
    }
  });

  it('writes backups, their manifests and signatures 0600 under umask 000, and restores 0600 into a 0700 folder', async () => {
    const { dataDir, engine } = await replicaWithIncident();
    await engine.close();
    const out = join(tempDir(), 'new-folder', 'backup.db');
    const backup = holdfastUnder('000', ['backup', '--data', dataDir, '--out', out]);
    expect(backup.code, backup.err).toBe(0);
    const written = readdirSync(join(out, '..')).map((name) => join(out, '..', name));
    expect(written.map((path) => path.slice(out.length))).toEqual(expect.arrayContaining(['', '.manifest.json']));
    for (const path of written) expect([path, octal(modeOf(path))]).toEqual([path, '600']);
    expect(octal(modeOf(join(out, '..')))).toBe('700');

    const target = join(tempDir(), 'restored');
    mkdirSync(target, { mode: 0o777 });
    chmodSync(target, 0o777);
    const restore = holdfastUnder('000', ['restore', out, '--data', target, '--allow-unsigned']);
    expect(restore.code, restore.err).toBe(0);
    expect(octal(modeOf(target))).toBe('700');
    expect(octal(modeOf(join(target, databaseFileName)))).toBe('600');
  });

  it('keeps the previous database in a 0700 folder on restore', async () => {
    const { dataDir, engine } = await replicaWithIncident();
    await engine.close();
    const out = join(tempDir(), 'backup.db');
    expect(holdfastUnder('000', ['backup', '--data', dataDir, '--out', out]).code).toBe(0);
    const restore = holdfastUnder('000', ['restore', out, '--data', dataDir, '--allow-unsigned']);
    expect(restore.code, restore.err).toBe(0);
    const previous = readdirSync(dataDir).find((name) => name.startsWith('pre-restore-'));
    expect(previous).toBeDefined();
    expect(octal(modeOf(join(dataDir, previous!)))).toBe('700');
    expect(octal(modeOf(join(dataDir, previous!, databaseFileName)))).toBe('600');
  });

  it('writes automatic backups 0600 in a 0700 folder', async () => {
    process.umask(0);
    const dataDir = join(tempDir(), 'auto');
    const engine = openTestEngine({ dataDir, autoBackup: { intervalMs: 60_000, keep: 3 } });
    await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV2', summary: '', isTakingCommand: false });
    await engine.close();
    const dir = join(dataDir, 'backups');
    expect(octal(modeOf(dir))).toBe('700');
    const files = readdirSync(dir);
    expect(files.some((name) => name.endsWith('.db'))).toBe(true);
    for (const name of files) expect([name, octal(modeOf(join(dir, name)))]).toEqual([name, '600']);
  });

  it("makes the service's SQLite folder 0700 and its database 0600 under umask 000", async () => {
    process.umask(0);
    const dataDir = join(tempDir(), 'service');
    const store = openSqliteSyncStore(dataDir);
    expect(octal(modeOf(dataDir))).toBe('700');
    for (const name of ['holdfast-server.db', 'holdfast-server.db-wal', 'holdfast-server.db-shm'])
      expect([name, octal(modeOf(join(dataDir, name)))]).toEqual([name, '600']);
    await store.close();
  });

  it('writes exports 0600 under umask 000, replacing a file that was readable by others', async () => {
    const { dataDir, engine, incidentId } = await replicaWithIncident();
    await engine.close();
    const dir = tempDir();
    const existing = join(dir, 'audit.md');
    writeFileSync(existing, 'old');
    chmodSync(existing, 0o644);
    const outputs = [
      [existing, ['export', incidentId, '--format', 'md', '--kind', 'audit', '--out', existing, '--data', dataDir]],
      [join(dir, 'timeline.csv'), ['export', incidentId, '--format', 'csv', '--out', join(dir, 'timeline.csv'), '--data', dataDir]],
      [join(dir, 'bundle.zip'), ['evidence', 'bundle', incidentId, '--out', join(dir, 'bundle.zip'), '--data', dataDir]],
      [join(dir, 'catalog.yaml'), ['catalog', 'export', '--out', join(dir, 'catalog.yaml'), '--data', dataDir]],
    ] as const;
    for (const [path, args] of outputs) {
      const run = holdfastUnder('000', [...args]);
      expect(run.code, `${args.join(' ')}: ${run.err}`).toBe(0);
      expect([path, octal(modeOf(path))]).toEqual([path, '600']);
    }
  });
  it("keeps the data folder's lock file 0600 under umask 000, and a stale one it takes over", async () => {
    process.umask(0);
    const { dataDir, engine } = await replicaWithIncident();
    const lock = join(dataDir, lockFileName);
    expect(octal(modeOf(lock))).toBe('600');
    await engine.close();
    // A lock left readable by others by a process that is gone is replaced, 0600.
    writeFileSync(lock, JSON.stringify({ pid: 2 ** 22 + 17, host: hostname() }));
    chmodSync(lock, 0o666);
    const reopened = openTestEngine({ dataDir });
    expect(octal(modeOf(lock))).toBe('600');
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toMatchObject({ pid: process.pid });
    await reopened.close();
  });

  it('exports runbooks under umask 000 into a new 0700 folder as 0600 files, and tightens a file it replaces', () => {
    const source = join(tempDir(), 'runbooks-in');
    mkdirSync(source);
    writeFileSync(join(source, 'rollback.md'), rollbackRunbook);
    const dataDir = join(tempDir(), 'data');
    const imported = holdfastUnder('000', ['runbooks', 'import', source, '--data', dataDir]);
    expect(imported.code, imported.err).toBe(0);

    const out = join(tempDir(), 'missing', 'runbooks-out');
    const exported = holdfastUnder('000', ['runbooks', 'export', out, '--data', dataDir]);
    expect(exported.code, exported.err).toBe(0);
    expect(octal(modeOf(out))).toBe('700');
    expect(octal(modeOf(join(out, '..')))).toBe('700');
    const files = readdirSync(out);
    expect(files).toHaveLength(1);
    for (const name of files) expect([name, octal(modeOf(join(out, name)))]).toEqual([name, '600']);

    // Exported again over a file an earlier build left readable by others: replaced 0600.
    chmodSync(join(out, files[0]), 0o666);
    const again = holdfastUnder('000', ['runbooks', 'export', out, '--data', dataDir]);
    expect(again.code, again.err).toBe(0);
    expect(octal(modeOf(join(out, files[0])))).toBe('600');
  });

  it('writes evidence bundles, exports and the catalog into folders they make (0700) under umask 000, as backup does', async () => {
    const { dataDir, engine, incidentId } = await replicaWithIncident();
    await engine.close();
    const root = tempDir();
    const outputs = [
      ['some', 'e.zip', ['evidence', 'bundle', incidentId, '--data', dataDir, '--out']],
      ['other', 'e.zip', ['export', incidentId, '--format', 'bundle', '--data', dataDir, '--out']],
      ['catalog', 'catalog.yaml', ['catalog', 'export', '--data', dataDir, '--out']],
    ] as const;
    for (const [top, name, args] of outputs) {
      const out = join(root, top, 'missing', 'dir', name);
      const run = holdfastUnder('000', [...args, out]);
      expect(run.code, `${args.join(' ')}: ${run.err}`).toBe(0);
      expect([out, octal(modeOf(out))]).toEqual([out, '600']);
      for (const dir of [join(out, '..'), join(out, '..', '..'), join(root, top)]) expect([dir, octal(modeOf(dir))]).toEqual([dir, '700']);
    }
  });
});
