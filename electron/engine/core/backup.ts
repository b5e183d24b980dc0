// Backups of a replica: SQLite's online backup into one self-contained file, plus a manifest with
// its SHA-256 and what it holds. Verification re-hashes the file and checks the database inside;
// restore verifies first, keeps the previous database, and gives the restored replica a new
// device id so its hash chains cannot fork from ones it already shared (and so a new device key,
// without the old device's certificate). Trust pins and sync peers are never taken from a backup
// (./restore-settings).
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { format } from 'date-fns';
import { z } from 'zod';
import { describeBreak, verifyChains } from './chain';
import { databaseFileName } from './database';
import { lockDataDir } from './data-lock';
import { bundledMigrations } from './schema';
import { createPrivateFile, ensureDirFor, ensurePrivateDir, keepPrivate, writePrivateFile } from '@shared/node/private-files';
import { proveDatabase } from './projection-proof';
import { createProjections } from './projections';
import { newDeviceId, writeMeta } from './replica';
import { checkBackupSignature, signaturePathOf, signBackup } from './backup-signature';
import { judgeSignature, type FileSignerDeps, type FileTrust } from './file-signature';
import { fileSignerOfDatabase, fileTrustOfDataDir } from './signed-files';
import { applyRestoreSettings, describePins, pinnedOf, pinRefusal, readTargetSettings } from './restore-settings';
import type { OrgKey } from '@shared/trust/types';

const manifestSchema = z.object({
  format: z.literal('holdfast-backup'),
  version: z.literal(1),
  createdAt: z.number().int(),
  file: z.string(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  schemaVersion: z.number().int().positive(),
  deviceId: z.string().nullable(),
  opCount: z.number().int().nonnegative(),
  projectionDigest: z.string(),
});
export type BackupManifest = z.infer<typeof manifestSchema>;

export const manifestPathOf = (file: string) => `${file}.manifest.json`;

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

interface Contents {
  schemaVersion: number;
  deviceId: string | null;
  opCount: number;
  projectionDigest: string;
}

function readContents(db: Database.Database): Contents {
  const schemaVersion = db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number;
  const hasOps = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'ops'").get() !== undefined;
  return {
    schemaVersion,
    deviceId: hasOps ? ((db.prepare("SELECT value FROM replica_meta WHERE key = 'device_id'").pluck().get() as string | undefined) ?? null) : null,
    opCount: hasOps ? (db.prepare('SELECT count(*) FROM ops').pluck().get() as number) : 0,
    projectionDigest: hasOps ? createProjections(db).digest() : '',
  };
}

/**
 * Writes `outFile` (a self-contained SQLite file), `outFile.manifest.json` and, given a signer,
 * `outFile.signature.json` (./backup-signature): without one the backup is unsigned.
 */
export async function backupDatabase(
  source: Database.Database,
  outFile: string,
  now: () => number = Date.now,
  signer: FileSignerDeps | null = null,
): Promise<BackupManifest> {
  ensureDirFor(outFile);
  const partial = `${outFile}.partial`;
  rmSync(partial, { force: true });
  try {
    // 0600 from the start, whatever the umask: SQLite writes the copy into this empty file.
    createPrivateFile(partial);
    await source.backup(partial);
    const copy = new Database(partial);
    let contents: Contents;
    try {
      // One file, no -wal beside it: a backup must travel alone.
      copy.pragma('journal_mode = DELETE');
      contents = readContents(copy);
    } finally {
      copy.close();
    }
    renameSync(partial, outFile);
    const manifest: BackupManifest = {
      format: 'holdfast-backup',
      version: 1,
      createdAt: now(),
      file: basename(outFile),
      bytes: statSync(outFile).size,
      sha256: await sha256File(outFile),
      ...contents,
    };
    writePrivateFile(manifestPathOf(outFile), `${JSON.stringify(manifest, null, 2)}\n`);
    await signBackup(outFile, manifestPathOf(outFile), signer && { ...signer, now }, sha256File);
    return manifest;
  } finally {
    rmSync(partial, { force: true });
  }
}

/** Backs up the replica in `dataDir` without opening it for writing (safe while the app runs). */
export async function backupDataDir(dataDir: string, outFile: string): Promise<BackupManifest> {
  const file = join(dataDir, databaseFileName);
  if (!existsSync(file)) throw new Error(`There is no Holdfast database in ${dataDir}.`);
  const db = new Database(file, { fileMustExist: true });
  try {
    return await backupDatabase(db, outFile, Date.now, fileSignerOfDatabase(db, dataDir));
  } finally {
    db.close();
  }
}

/** `signature`: who made the backup, or what --allow-unsigned accepted. */
export type VerifyResult = { ok: true; manifest: BackupManifest; signature: string } | { ok: false; problem: string };

/** How to check a backup's signature: against what the reader trusts; unsigned ones only when allowed. */
export interface SignatureOptions {
  trust?: FileTrust;
  allowUnsigned?: boolean;
}

export async function verifyBackup(file: string, options: SignatureOptions = {}): Promise<VerifyResult> {
  if (!existsSync(file)) return { ok: false, problem: `${file} does not exist.` };
  const manifestPath = manifestPathOf(file);
  if (!existsSync(manifestPath)) return { ok: false, problem: `${manifestPath} is missing: without its manifest a backup cannot be trusted.` };
  let manifest: BackupManifest;
  try {
    manifest = manifestSchema.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  } catch {
    return { ok: false, problem: `${manifestPath} is not a Holdfast backup manifest.` };
  }
  const bytes = statSync(file).size;
  if (bytes !== manifest.bytes) {
    return { ok: false, problem: `${file} is ${bytes} bytes but its manifest says ${manifest.bytes}: the file is damaged or belongs to another manifest.` };
  }
  const sha256 = await sha256File(file);
  if (sha256 !== manifest.sha256) {
    return { ok: false, problem: `${file} does not match the SHA-256 in its manifest: the file is damaged or belongs to another manifest.` };
  }
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { ok: false, problem: `${file} cannot be opened as a database: ${(error as Error).message}` };
  }
  try {
    const integrity = db.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') return { ok: false, problem: `${file} fails SQLite's integrity check: ${String(integrity)}` };
    const contents = readContents(db);
    const newest = bundledMigrations.at(-1)?.version ?? 0;
    if (contents.schemaVersion > newest) {
      return { ok: false, problem: `${file} was made by a newer Holdfast (schema ${contents.schemaVersion}, this build knows ${newest}).` };
    }
    for (const key of ['schemaVersion', 'deviceId', 'opCount', 'projectionDigest'] as const) {
      if (contents[key] !== manifest[key]) {
        return { ok: false, problem: `${file} holds ${key} ${String(contents[key])} but its manifest says ${String(manifest[key])}.` };
      }
    }
    const chains = verifyChains(db);
    if (chains.firstBreak) return { ok: false, problem: `${file}: ${describeBreak(chains.firstBreak)}` };
    // Its schema exactly the migrations' (no added trigger or view) and every projected row what its op log gives.
    const proof = proveDatabase(db);
    if (proof.problem) return { ok: false, problem: `${file}: ${proof.problem}.` };
    const signature = judgeSignature(await checkBackupSignature(file, manifestPath, options.trust ?? { pinnedOrgKeys: [] }, sha256File), options.allowUnsigned === true);
    if (!signature.ok) return { ok: false, problem: `${file}: ${signature.line}.` };
    return { ok: true, manifest, signature: signature.line };
  } catch (error) {
    return { ok: false, problem: `${file} is not a Holdfast replica: ${(error as Error).message}` };
  } finally {
    db.close();
  }
}

export interface RestoreReport {
  manifest: BackupManifest;
  /** Where the database that was replaced now lives, if there was one. */
  previous: string | null;
  deviceId: string;
  /** The fingerprints of the org keys the restored replica pins (`none`), and whether they are the replaced replica's own. */
  pins: string;
  isPinKept: boolean;
}

/** `signature`: who made the restored backup (see VerifyResult). */
export async function restoreBackup(
  file: string,
  dataDir: string,
  now: () => number = Date.now,
  options: Pick<SignatureOptions, 'allowUnsigned'> = {},
): Promise<RestoreReport & { signature: string }> {
  // Checked against the organisation key the replica being replaced pinned, if it pinned one.
  const verified = await verifyBackup(file, { trust: fileTrustOfDataDir(dataDir), allowUnsigned: options.allowUnsigned });
  if (!verified.ok) throw new Error(`Refusing to restore: ${verified.problem} Nothing was changed.`);
  ensurePrivateDir(dataDir);
  const unlock = lockDataDir(dataDir);
  try {
    // Trust pins and sync peers stay the target's (./restore-settings says which settings come from where).
    const settings = readTargetSettings(dataDir);
    const backupDb = new Database(file, { readonly: true, fileMustExist: true });
    let refusal: string | null;
    try {
      refusal = pinRefusal(settings, backupDb);
    } finally {
      backupDb.close();
    }
    if (refusal) throw new Error(`Refusing to restore: ${refusal}. Nothing was changed.`);
    const target = join(dataDir, databaseFileName);
    let previous: string | null = null;
    const present = [target, `${target}-wal`, `${target}-shm`].filter((path) => existsSync(path));
    if (present.length > 0) {
      previous = join(dataDir, `pre-restore-${format(now(), 'yyyyMMdd-HHmmss')}`);
      ensurePrivateDir(previous);
      for (const path of present) renameSync(path, join(previous, basename(path)));
    }
    const partial = `${target}.restoring`;
    copyFileSync(file, partial);
    keepPrivate(partial);
    // What is restored is what was verified: the copy, not the file a moment earlier.
    if ((await sha256File(partial)) !== verified.manifest.sha256) {
      rmSync(partial, { force: true });
      throw new Error(`Refusing to restore: ${file} changed while it was being restored. Nothing was changed.`);
    }
    const db = new Database(partial);
    const deviceId = newDeviceId();
    let pinned: OrgKey[];
    try {
      pinned = applyRestoreSettings(db, settings);
      writeMeta(db, 'device_id', deviceId);
      // The new device id gets a new key on first open (device-key.ts); the old certificate names the old key.
      db.prepare("DELETE FROM replica_meta WHERE key = 'device_cert'").run();
    } finally {
      db.close();
    }
    renameSync(partial, target);
    return {
      manifest: verified.manifest,
      previous,
      deviceId,
      signature: verified.signature,
      pins: describePins(pinned),
      isPinKept: pinnedOf(settings?.meta.get('org_keys')).length > 0,
    };
  } finally {
    unlock();
  }
}

export interface AutoBackupOptions {
  intervalMs: number;
  keep: number;
}

/** Backs up on start and then every `intervalMs` into dataDir/backups, keeping the newest `keep`. */
export function startAutoBackup(
  db: Database.Database,
  dataDir: string,
  options: AutoBackupOptions,
  report: (error: unknown) => void,
  now: () => number = Date.now,
  /** Who signs each backup (the engine's device key and certificate); none: unsigned. */
  signer?: () => FileSignerDeps | null,
): { stop: () => Promise<void>; runNow: () => Promise<BackupManifest | null> } {
  const dir = join(dataDir, 'backups');
  ensurePrivateDir(dir);
  let running: Promise<BackupManifest | null> | null = null;
  let isStopped = false;

  const runNow = () => {
    if (running) return running;
    const file = join(dir, `holdfast-${format(now(), 'yyyyMMdd-HHmmss-SSS')}.db`);
    running = backupDatabase(db, file, now, signer?.() ?? null)
      .then((manifest) => {
        pruneBackups(dir, options.keep);
        return manifest;
      })
      .catch((error: unknown) => {
        if (!isStopped) report(error);
        return null;
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  void runNow();
  const timer = setInterval(() => void runNow(), options.intervalMs);
  timer.unref();
  return {
    runNow,
    stop: async () => {
      isStopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

function pruneBackups(dir: string, keep: number): void {
  const files = readdirSync(dir)
    .filter((name) => /^holdfast-\d{8}-\d{6}-\d{3}\.db$/.test(name))
    .sort();
  for (const name of files.slice(0, Math.max(0, files.length - keep))) {
    rmSync(join(dir, name), { force: true });
    rmSync(manifestPathOf(join(dir, name)), { force: true });
    rmSync(signaturePathOf(join(dir, name)), { force: true });
  }
}
