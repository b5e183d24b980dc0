// Signed backups on real files through the real command line: a backup says who made it (user,
// device, time, issuer); rows edited with the manifest made again, a signature file changed or
// removed, a backup signed under another organisation, and a never-connected laptop's backup
// (its device key is not certified) are refused unless --allow-unsigned, which is printed.
import { copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { manifestPathOf, sha256File } from '../../electron/engine/core/backup';
import { checkBackupSignature, signaturePathOf } from '../../electron/engine/core/backup-signature';
import { createProjections } from '../../electron/engine/core/projections';
import { certifyEngine } from '../support/certified-engine';
import { holdfast } from '../support/cli';
import { call, openTestEngine } from '../support/engines';
import { tempDir } from '../support/temp';
import { testOrg, type TestOrg } from '../support/trust';

const since = Date.now() - 60_000;

async function certifiedReplica(org?: TestOrg) {
  const dataDir = tempDir('holdfast-signed-backup-');
  const engine = openTestEngine({ dataDir });
  const certified = certifyEngine(engine, { user: 'ana', role: 'commander', since, ...(org ? { org } : {}) });
  await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV2', summary: '', isTakingCommand: false });
  await engine.close();
  const out = join(tempDir('holdfast-backups-'), 'backup.db');
  const backup = await holdfast('backup', '--data', dataDir, '--out', out);
  expect(backup.code).toBe(0);
  return { dataDir, out, backup, ...certified, deviceId: engine.replica.deviceId };
}

/** A data folder whose replica pinned `org`'s key (verify --data DIR checks against it). */
async function pinnedFolder(org: TestOrg) {
  const dir = tempDir('holdfast-pinned-');
  const engine = openTestEngine({ dataDir: dir });
  engine.replica.trust.pinOrgKey(org.orgKey);
  await engine.close();
  return dir;
}

/** Edits a row of the backup's database and writes its manifest again to match (digest, size, hash), as an attacker would. */
async function editRowsAndManifest(file: string) {
  const db = new Database(file);
  db.prepare("UPDATE incidents SET title = 'Nothing happened'").run();
  const projectionDigest = createProjections(db).digest();
  db.close();
  const manifest = JSON.parse(readFileSync(manifestPathOf(file), 'utf8')) as object;
  const again = { ...manifest, projectionDigest, sha256: await sha256File(file), bytes: statSync(file).size };
  writeFileSync(manifestPathOf(file), `${JSON.stringify(again, null, 2)}\n`);
  // What the signature check alone says of it (the replica checks may refuse it first).
  const check = await checkBackupSignature(file, manifestPathOf(file), { pinnedOrgKeys: [] }, sha256File);
  expect(check).toMatchObject({ status: 'forged', problem: expect.stringMatching(/was changed after the files were signed/) });
}

describe('signed backups', () => {
  it('says who made a backup: user, role, device, certificate, time and issuer', async () => {
    const { out, backup, org, certificate, deviceId } = await certifiedReplica();
    expect(backup.out).toContain(`signature: ${signaturePathOf(out)} (device ${deviceId}, certificate ${certificate.certId} of ana)`);

    const alone = await holdfast('verify', out);
    expect(alone.err).toBe('');
    expect(alone.code).toBe(0);
    expect(alone.out).toMatch(
      new RegExp(
        `signed by ana \\(commander\\) on device ${deviceId}, certificate ${certificate.certId}, at \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z; issuer: organisation key [0-9a-f ]+, checked against the key the file carries`,
      ),
    );

    const pinned = await holdfast('verify', out, '--data', await pinnedFolder(org));
    expect(pinned.code).toBe(0);
    expect(pinned.out).toContain('checked against the organisation key this replica pinned');
  });

  it('refuses a backup whose rows were edited and manifest made again, in verify and restore, even with --allow-unsigned', async () => {
    const { out } = await certifiedReplica();
    await editRowsAndManifest(out);
    for (const flags of [[], ['--allow-unsigned']]) {
      const verify = await holdfast('verify', out, ...flags);
      expect(verify.code).toBe(1);
      expect(verify.out).toBe('');
    }
    const target = tempDir('holdfast-restore-');
    const restore = await holdfast('restore', out, '--data', target, '--allow-unsigned');
    expect(restore.code).toBe(1);
    expect(restore.err).toContain('Refusing to restore');
    expect(existsSync(join(target, 'holdfast.db'))).toBe(false);
  });

  it('refuses a changed signature file, and a removed one unless --allow-unsigned, which it prints', async () => {
    const { out } = await certifiedReplica();
    const signature = readFileSync(signaturePathOf(out), 'utf8');
    writeFileSync(signaturePathOf(out), signature.replace(/"signedAt": \d+/, '"signedAt": 1'));
    expect((await holdfast('verify', out)).err).toContain("its signature does not verify with the signing device's key");

    rmSync(signaturePathOf(out));
    const unsigned = await holdfast('verify', out);
    expect(unsigned.code).toBe(1);
    expect(unsigned.err).toContain('it has no backup.db.signature.json beside it, so nothing shows who made it');
    expect(unsigned.err).toContain('pass --allow-unsigned to accept it as is');
    const allowed = await holdfast('verify', out, '--allow-unsigned');
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain('ACCEPTED UNSIGNED (--allow-unsigned)');
  });

  it("refuses a backup signed under another organisation's certificate when checked against the pinned key", async () => {
    const mine = testOrg();
    const { out, org } = await certifiedReplica(testOrg());
    const verify = await holdfast('verify', out, '--data', await pinnedFolder(mine));
    expect(verify.code).toBe(1);
    expect(verify.err).toMatch(
      /its certificate [0-9a-f]{32} \(ana\) is of organisation [0-9a-f]{32}, not of the organisation this replica pinned .*: it was signed elsewhere/,
    );
    // Restore checks against the key the replica being replaced pinned.
    const restore = await holdfast('restore', out, '--data', await pinnedFolder(mine));
    expect(restore.code).toBe(1);
    expect(restore.err).toContain('it was signed elsewhere');
    expect((await holdfast('restore', out, '--data', await pinnedFolder(org))).code).toBe(0);
  });

  it("signs a never-connected laptop's backup with its device key alone: refused as not certified, accepted with --allow-unsigned", async () => {
    const dataDir = tempDir('holdfast-standalone-');
    const engine = openTestEngine({ dataDir });
    await call(engine, 'incidents.create', { title: 'Checkout down', severity: 'SEV2', summary: '', isTakingCommand: false });
    const { deviceId } = engine.replica;
    const out = join(tempDir('holdfast-backups-'), 'laptop.db');
    const backup = await holdfast('backup', '--data', dataDir, '--out', out);
    expect(backup.out).toContain(`device ${deviceId}'s key alone: it is not certified`);

    const verify = await holdfast('verify', out);
    expect(verify.code).toBe(1);
    expect(verify.err).toContain(`signed by device ${deviceId}'s own key, which no organisation certified (device key not certified`);
    expect(verify.err).toContain('Connect that laptop to your organisation');
    expect(verify.err).toContain('or pass --allow-unsigned');
    const allowed = await holdfast('verify', out, '--allow-unsigned');
    expect(allowed.code).toBe(0);
    expect(allowed.out).toContain('ACCEPTED UNSIGNED (--allow-unsigned)');

    // Its rows edited and the manifest made again: the device key's signature still catches it.
    const edited = join(tempDir('holdfast-backups-'), 'laptop.db');
    copyFileSync(out, edited);
    copyFileSync(manifestPathOf(out), manifestPathOf(edited));
    copyFileSync(signaturePathOf(out), signaturePathOf(edited));
    await editRowsAndManifest(edited);
    const caught = await holdfast('verify', edited, '--allow-unsigned');
    expect(caught.code).toBe(1);
    expect(caught.out).toBe('');
  });

  it('signs automatic backups with the engine’s certificate', async () => {
    const dataDir = tempDir('holdfast-auto-');
    const engine = openTestEngine({ dataDir, autoBackup: { intervalMs: 3_600_000, keep: 2 } });
    certifyEngine(engine, { user: 'ana', role: 'commander', since });
    await engine.backupNow(); // the one taken on open, before the certificate
    const manifest = (await engine.backupNow()) as { file: string } | null;
    expect(manifest).not.toBeNull();
    const file = join(dataDir, 'backups', manifest!.file);
    const verify = await holdfast('verify', file);
    expect(verify.code).toBe(0);
    expect(verify.out).toContain(`signed by ana (commander) on device ${engine.replica.deviceId}`);
  });
});
