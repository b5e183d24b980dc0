// State in a database or backup that no signed op proves is not trusted, on real SQLite files
// through the real `holdfast` binary: an edited ops.refusal column (a refused op made valid, or a
// valid one refused) is named by verify-chain and rebuild --check and put back by rebuild; a
// restore keeps the restoring replica's pinned org keys (refusing a backup pinning others, naming
// both fingerprints) and its sync peers, never the backup's.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/ids';
import type { Op } from '@shared/ops';
import { groupedFingerprint } from '@shared/trust/api';
import { backupDatabase } from '../../electron/engine/core/backup';
import { openDatabase } from '../../electron/engine/core/database';
import { loadOrCreateDeviceKey } from '../../electron/engine/core/device-key';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import { openReplica } from '../../electron/engine/core/replica';
import { migrate } from '../../electron/engine/core/schema';
import { fileSecretStore } from '../../electron/engine/core/secrets';
import { runHoldfast } from '../support/processes';
import { tempDir } from '../support/temp';
import { certifiedCrew, day, epoch, forgeOp, testOrg, type TestOrg } from '../support/trust';

const now = () => epoch + day;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The organisation, a commander's incident and a responder's severity change (refused) followed by its note (valid). */
function world() {
  const { org, commander, responder, trustOps } = certifiedCrew();
  const incidentId = uuidv7(epoch + 10);
  const declared = commander.write(
    { entity: 'incident', rowId: incidentId, fields: { title: 'Checkout down', severity: 'SEV2', status: 'investigating', summary: '', declaredAt: epoch + 10 } },
    epoch + 10,
  );
  const refused = forgeOp(responder, { entity: 'incident', rowId: incidentId, fields: { severity: 'SEV1' } }, epoch + 20);
  const note = forgeOp(
    responder,
    { entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text: 'Looking at the pool', eventAt: epoch + 21 } },
    epoch + 21,
    { prevHash: refused.hash },
  );
  const ops: Op[] = [...trustOps, declared, refused, note];
  return { org, incidentId, refused, note, ops };
}

/** A data folder whose replica pinned `org` (when given) and applied `ops`, closed. */
function folder(org: TestOrg | null, ops: Op[] = []): string {
  const dir = tempDir('holdfast-restore-trust-');
  dirs.push(dir);
  const db = openDatabase(dir);
  migrate(db);
  const replica = openReplica(db, { now, deviceKey: (id) => loadOrCreateDeviceKey(fileSecretStore(dir), id) });
  if (org) replica.trust.pinOrgKey(org.orgKey);
  if (ops.length > 0) replica.applyRemote(ops, 'central-1');
  db.close();
  return dir;
}

/** Runs `sql` on the folder's database file, then rebuilds its projections as a replica that trusts the refusal column would. */
function editAndReproject(dir: string, sql: string, ...params: unknown[]): void {
  const db = openDatabase(dir);
  expect(db.prepare(sql).run(...params).changes).toBe(1);
  openReplica(db, { now }).rebuild();
  db.close();
}

function read<T>(dir: string, sql: string, ...params: unknown[]): T {
  const db = new Database(join(dir, 'holdfast.db'), { readonly: true });
  try {
    return db.prepare(sql).all(...params) as T;
  } finally {
    db.close();
  }
}

const fingerprint = (org: TestOrg) => groupedFingerprint(nativeSha256Hex(org.orgKey.publicKey));

/** An unsigned backup of the folder's replica (written with its manifest), at `out`. */
async function backupOf(dir: string): Promise<string> {
  const out = join(tempDir('holdfast-restore-trust-backup-'), 'backup.db');
  dirs.push(join(out, '..'));
  const db = openDatabase(dir);
  try {
    await backupDatabase(db, out, now);
  } finally {
    db.close();
  }
  return out;
}

describe('the refusal column is derived from the signed ops, not trusted', () => {
  it('names a refused op made valid in the file (verify-chain, rebuild --check) and rebuild puts its refusal back', () => {
    const w = world();
    const dir = folder(w.org, w.ops);
    expect(runHoldfast(['verify-chain', '--data', dir]).code).toBe(0);

    editAndReproject(dir, 'UPDATE ops SET refusal = NULL WHERE op_id = ?', w.refused.opId);
    // The edit took: the responder's severity change is projected now.
    expect(read<{ severity: string }[]>(dir, 'SELECT severity FROM incidents')).toEqual([{ severity: 'SEV1' }]);

    const verify = runHoldfast(['verify-chain', '--data', dir]);
    expect(verify.code).toBe(1);
    expect(verify.err).toContain('BROKEN');
    expect(verify.err).toContain(`op ${w.refused.opId} (incident) is stored valid but judging it again gives refused (`);
    expect(verify.err).toContain('responders may not change severity');

    const check = runHoldfast(['rebuild', '--check', '--data', dir]);
    expect(check.code).toBe(1);
    expect(check.err).toContain(`op ${w.refused.opId} (incident) is stored valid but judging it again gives refused`);
    // --check changes nothing.
    expect(read<{ refusal: string | null }[]>(dir, 'SELECT refusal FROM ops WHERE op_id = ?', w.refused.opId)).toEqual([{ refusal: null }]);

    const rebuild = runHoldfast(['rebuild', '--data', dir]);
    expect(rebuild.code).toBe(1);
    expect(rebuild.err).toContain('1 op verdict(s) restored');
    expect(read<{ severity: string }[]>(dir, 'SELECT severity FROM incidents')).toEqual([{ severity: 'SEV2' }]);
    const after = runHoldfast(['verify-chain', '--data', dir]);
    expect(after.err).toBe('');
    expect(after.code).toBe(0);
    expect(after.out).toContain(w.refused.opId);
  });

  it('names a valid op marked refused in the file', () => {
    const w = world();
    const dir = folder(w.org, w.ops);
    editAndReproject(dir, "UPDATE ops SET refusal = 'not allowed' WHERE op_id = ?", w.note.opId);
    expect(read<unknown[]>(dir, 'SELECT id FROM timeline_entries WHERE kind = ?', 'note')).toEqual([]);

    const verify = runHoldfast(['verify-chain', '--data', dir]);
    expect(verify.code).toBe(1);
    expect(verify.err).toContain(`op ${w.note.opId} (timeline_entry) is stored refused (not allowed) but judging it again gives valid`);
    expect(runHoldfast(['rebuild', '--check', '--data', dir]).code).toBe(1);
  });

  it('on a replica that pinned no key, names any refusal set in the file', () => {
    const w = world();
    const dir = folder(null, w.ops);
    expect(runHoldfast(['verify-chain', '--data', dir]).code).toBe(0);
    editAndReproject(dir, "UPDATE ops SET refusal = 'hidden' WHERE op_id = ?", w.note.opId);
    const verify = runHoldfast(['verify-chain', '--data', dir]);
    expect(verify.code).toBe(1);
    expect(verify.err).toContain(`op ${w.note.opId} (timeline_entry) is stored refused (hidden) but judging it again gives valid`);
  });
});

describe('a restore takes the op log from a backup, never its trust pins or sync peers', () => {
  it('refuses a backup pinning another organisation key, naming both fingerprints, and changes nothing', async () => {
    const w = world();
    const target = folder(w.org, w.ops);
    const attacker = testOrg();
    // A device of the organisation made a backup of a replica whose pin it edited.
    const source = folder(w.org, w.ops);
    const db = openDatabase(source);
    db.prepare("UPDATE replica_meta SET value = ? WHERE key = 'org_keys'").run(JSON.stringify([attacker.orgKey]));
    db.close();
    const backup = await backupOf(source);
    expect(runHoldfast(['verify', backup, '--allow-unsigned']).code).toBe(0);

    const before = read<{ value: string }[]>(target, "SELECT value FROM replica_meta WHERE key = 'org_keys'");
    const restore = runHoldfast(['restore', backup, '--data', target, '--allow-unsigned']);
    expect(restore.code).toBe(1);
    expect(restore.err).toContain(fingerprint(attacker));
    expect(restore.err).toContain(fingerprint(w.org));
    expect(restore.err).toContain('Nothing was changed');
    expect(read<{ value: string }[]>(target, "SELECT value FROM replica_meta WHERE key = 'org_keys'")).toEqual(before);
  });

  it("keeps the target's sync peers and drops the backup's peers, cursors and pushed marks", async () => {
    const w = world();
    const target = folder(w.org, w.ops.slice(0, 4));
    const source = folder(w.org, w.ops);
    const peer = 'INSERT INTO sync_peers (id, kind, url, user_name, added_at) VALUES (?, ?, ?, ?, ?)';
    for (const [dir, url] of [
      [target, 'https://holdfast.example.org'],
      [source, 'https://attacker.example.net'],
    ]) {
      const db = openDatabase(dir);
      db.prepare(peer).run('central-1', 'central', url, 'cora', epoch);
      db.prepare('INSERT INTO sync_cursors (peer_id, stream_id, cursor) VALUES (?, ?, ?)').run('central-1', 'trust', 99);
      db.prepare('INSERT INTO sync_pushed (peer_id, seq) VALUES (?, ?)').run('central-1', 99);
      db.close();
    }
    const actor = read<{ value: string }[]>(target, "SELECT value FROM replica_meta WHERE key = 'actor_id'");
    const backup = await backupOf(source);

    const verify = runHoldfast(['verify', backup, '--allow-unsigned']);
    expect(verify.code).toBe(0);
    expect(verify.out).toContain('never its sync peers or trust pins');

    const restore = runHoldfast(['restore', backup, '--data', target, '--allow-unsigned']);
    expect(restore.err).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.out).toContain(`it keeps its own pinned organisation key(s): ${fingerprint(w.org)}`);
    expect(read<{ url: string }[]>(target, 'SELECT url FROM sync_peers')).toEqual([{ url: 'https://holdfast.example.org' }]);
    expect(read<unknown[]>(target, 'SELECT * FROM sync_cursors')).toEqual([]);
    expect(read<unknown[]>(target, 'SELECT * FROM sync_pushed')).toEqual([]);
    expect(read<{ value: string }[]>(target, "SELECT value FROM replica_meta WHERE key = 'actor_id'")).toEqual(actor);
    // The op log is the backup's.
    expect(read<{ n: number }[]>(target, 'SELECT count(*) AS n FROM ops')).toEqual([{ n: w.ops.length }]);
    expect(runHoldfast(['verify-chain', '--data', target]).code).toBe(0);
  });

  it("a new data folder takes the backup's pin, printed with its fingerprint, and no sync peer", async () => {
    const w = world();
    const source = folder(w.org, w.ops);
    const db = openDatabase(source);
    db.prepare('INSERT INTO sync_peers (id, kind, url, user_name, added_at) VALUES (?, ?, ?, ?, ?)').run(
      'central-1',
      'central',
      'https://attacker.example.net',
      'cora',
      epoch,
    );
    db.close();
    const backup = await backupOf(source);
    const target = tempDir('holdfast-restore-trust-new-');
    dirs.push(target);

    const restore = runHoldfast(['restore', backup, '--data', target, '--allow-unsigned']);
    expect(restore.err).toBe('');
    expect(restore.code).toBe(0);
    expect(restore.out).toContain(`it now pins the backup's organisation key(s): ${fingerprint(w.org)}`);
    expect(read<unknown[]>(target, 'SELECT * FROM sync_peers')).toEqual([]);
    const pinned = read<{ value: string }[]>(target, "SELECT value FROM replica_meta WHERE key = 'org_keys'");
    expect((JSON.parse(pinned[0].value) as { publicKey: string }[]).map((k) => k.publicKey)).toEqual([w.org.orgKey.publicKey]);
  });
});
