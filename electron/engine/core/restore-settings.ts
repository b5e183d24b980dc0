// What a restore takes from the backup and what from the replica it replaces. A backup is made and
// signed by any certified device of the organisation (a viewer's too) and its file can be edited
// before it is restored, so only what signed ops prove comes from it: the op log (whose verdicts
// and projections the restore's verification derived again). Settings that say whom this laptop
// trusts and where it sends its credentials stay the restoring replica's:
//
// replica_meta, key by key:
//   device_id    new (backup.ts): the restored replica never writes into chains it shared before.
//   device_cert  dropped: it names the old device's key; the new device id gets a new key and certificate.
//   org_keys     the target's when it pinned any (a backup pinning other keys is refused, naming
//                both fingerprints); a target that pinned none (new, or standalone) takes the
//                backup's pin, and restore prints its fingerprint for the user to compare.
//   trust_mode   goes with org_keys (the target's when it pinned keys, else the backup's).
//   actor_id     the target's when it had one (the person restoring), else the backup's.
//   any other    the target's; keys only the backup holds are dropped.
// sync_peers     the target's, never the backup's: a peer URL edited in a backup would otherwise
//                receive this laptop's service token (secrets.json, by peer id) on the next start.
// sync_cursors, sync_pushed, sync_rejections
//                emptied: the restored op log is not the one they described; the next sync pulls
//                again from the start and pushes what the peer lacks.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { groupedFingerprint } from '@shared/trust/api';
import type { OrgKey } from '@shared/trust/types';
import { nativeSha256Hex } from './native-hash';
import { databaseFileName } from './database';

/** What the replica being replaced holds that a restore keeps. */
export interface TargetSettings {
  meta: Map<string, string>;
  peers: Record<string, unknown>[];
}

const hasTable = (db: Database.Database, name: string) => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

export const pinnedOf = (text: string | undefined): OrgKey[] => (text === undefined ? [] : (JSON.parse(text) as OrgKey[]));

/** The fingerprints of pinned keys, as people compare them (`none` when nothing is pinned). */
export function describePins(keys: readonly OrgKey[]): string {
  return keys.length === 0 ? 'none' : keys.map((key) => groupedFingerprint(nativeSha256Hex(key.publicKey))).join(', ');
}

/** Reads the replica in `dataDir` before it is replaced (null when there is none); read-only, leaves no -wal/-shm behind. */
export function readTargetSettings(dataDir: string): TargetSettings | null {
  const file = join(dataDir, databaseFileName);
  if (!existsSync(file)) return null;
  const made = [`${file}-wal`, `${file}-shm`].filter((path) => !existsSync(path));
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const meta = new Map<string, string>();
    if (hasTable(db, 'replica_meta'))
      for (const row of db.prepare('SELECT key, value FROM replica_meta').all() as { key: string; value: string }[]) meta.set(row.key, row.value);
    const peers = hasTable(db, 'sync_peers') ? (db.prepare('SELECT * FROM sync_peers').all() as Record<string, unknown>[]) : [];
    return { meta, peers };
  } finally {
    db.close();
    for (const path of made) rmSync(path, { force: true });
  }
}

/** Why a backup may not replace the target's trust, or null. A target that pinned keys accepts only a backup pinning the same ones. */
export function pinRefusal(target: TargetSettings | null, backup: Database.Database): string | null {
  const ours = pinnedOf(target?.meta.get('org_keys'));
  if (ours.length === 0) return null;
  const theirs = pinnedOf(backup.prepare("SELECT value FROM replica_meta WHERE key = 'org_keys'").pluck().get() as string | undefined);
  const set = (keys: readonly OrgKey[]) => [...new Set(keys.map((k) => k.publicKey))].sort().join('\n');
  if (set(ours) === set(theirs)) return null;
  return (
    `the backup pins organisation key(s) ${describePins(theirs)} but this replica pins ${describePins(ours)}; ` +
    'a restore keeps the pin of the replica it replaces, so restore a backup of your own organisation, or restore into an empty data folder and compare its fingerprint with your organisation’s'
  );
}

/**
 * Applies the rule above to `db` (the backup's copy being restored, before its new device id is
 * written). Returns the pinned org keys the restored replica keeps.
 */
export function applyRestoreSettings(db: Database.Database, target: TargetSettings | null): OrgKey[] {
  db.transaction(() => {
    const backupMeta = new Map((db.prepare('SELECT key, value FROM replica_meta').all() as { key: string; value: string }[]).map((r) => [r.key, r.value]));
    const kept = new Map<string, string>();
    const targetPinned = pinnedOf(target?.meta.get('org_keys')).length > 0;
    for (const key of ['org_keys', 'trust_mode']) {
      const value = targetPinned ? target!.meta.get(key) : backupMeta.get(key);
      if (value !== undefined) kept.set(key, value);
    }
    const actor = target?.meta.get('actor_id') ?? backupMeta.get('actor_id');
    if (actor !== undefined) kept.set('actor_id', actor);
    for (const [key, value] of target?.meta ?? []) if (!kept.has(key) && key !== 'device_id' && key !== 'device_cert') kept.set(key, value);
    db.prepare('DELETE FROM replica_meta').run();
    const insert = db.prepare('INSERT INTO replica_meta (key, value) VALUES (?, ?)');
    for (const [key, value] of kept) insert.run(key, value);

    for (const table of ['sync_peers', 'sync_cursors', 'sync_pushed', 'sync_rejections']) if (hasTable(db, table)) db.prepare(`DELETE FROM ${table}`).run();
    if (hasTable(db, 'sync_peers')) {
      const columns = new Set(db.prepare("SELECT name FROM pragma_table_info('sync_peers')").pluck().all() as string[]);
      for (const peer of target?.peers ?? []) {
        const names = Object.keys(peer).filter((name) => columns.has(name));
        db.prepare(`INSERT INTO sync_peers (${names.map((n) => `"${n}"`).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`).run(...names.map((n) => peer[n]));
      }
    }
  })();
  return pinnedOf(db.prepare("SELECT value FROM replica_meta WHERE key = 'org_keys'").pluck().get() as string | undefined);
}
