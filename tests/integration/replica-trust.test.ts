// Signed ops on a replica with real SQLite files: a replica that pinned its organisation's key
// judges every op (its own before writing, others' on arrival), keeps refused ops in its log
// without projecting them, holds what it cannot judge yet, and verify-chain names refusals. A
// replica that pinned nothing (standalone) signs its ops and otherwise behaves as before.
import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/ids';
import { checkOp, type Op } from '@shared/ops';
import { opSigningString } from '@shared/trust/signing';
import { ed25519 } from '@shared/node/ed25519';
import { backupDatabase, restoreBackup } from '../../electron/engine/core/backup';
import { openDatabase } from '../../electron/engine/core/database';
import { loadOrCreateDeviceKey } from '../../electron/engine/core/device-key';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import { openReplica, type Replica } from '../../electron/engine/core/replica';
import { migrate } from '../../electron/engine/core/schema';
import { fileSecretStore } from '../../electron/engine/core/secrets';
import { holdfast } from '../support/cli';
import { tempDir } from '../support/temp';
import { day, epoch, forgeOp, testOrg, type TestDevice, type TestOrg } from '../support/trust';

const now = () => epoch + day;
const dirs: string[] = [];
const open: { close(): void }[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A replica on its own data folder, its device key in that folder's secrets file; pinned to `org` when given. */
function openAt(dir: string, org?: TestOrg): { dir: string; replica: Replica; close(): void } {
  const db = openDatabase(dir);
  migrate(db);
  const secrets = fileSecretStore(dir);
  const replica = openReplica(db, { now, deviceKey: (id) => loadOrCreateDeviceKey(secrets, id) });
  if (org) replica.trust.pinOrgKey(org.orgKey);
  const handle = { dir, replica, close: () => db.open && db.close() };
  open.push(handle);
  return handle;
}
function openNew(org?: TestOrg) {
  const dir = tempDir('holdfast-trust-');
  dirs.push(dir);
  return openAt(dir, org);
}

/** The organisation, its service device, a commander and a responder, and the trust records introducing them. */
function world() {
  const org = testOrg();
  const service = org.certify({ role: 'service', user: 'holdfast-service' });
  const commander = org.certify({ role: 'commander', user: 'cora' });
  const responder = org.certify({ role: 'responder', user: 'rui' });
  const certOp = (device: TestDevice, ms: number) =>
    service.write({ entity: 'device_cert', rowId: '', fields: { body: device.certificate.body, sig: device.certificate.sig } as never }, ms);
  const trustOps = [certOp(service, epoch + 1), certOp(commander, epoch + 2), certOp(responder, epoch + 3)];
  const incidentId = uuidv7(epoch + 10);
  const declared = commander.write(
    { entity: 'incident', rowId: incidentId, fields: { title: 'Checkout down', severity: 'SEV2', status: 'investigating', summary: '', declaredAt: epoch + 10 } },
    epoch + 10,
  );
  return { org, service, commander, responder, certOp, trustOps, incidentId, declared };
}

describe('a replica that pinned its organisation key', () => {
  it('does not trust certificates it projected while standalone until they check against the pinned key', () => {
    const w = world();
    // Another organisation's service and a "commander" it made up, relayed while this replica pinned nothing.
    const forger = testOrg();
    const forgerService = forger.certify({ role: 'service', user: 'holdfast-service' });
    const impostor = forger.certify({ role: 'commander', user: 'cora' });
    const forgedCert = (device: TestDevice, ms: number) =>
      forgerService.write({ entity: 'device_cert', rowId: '', fields: { body: device.certificate.body, sig: device.certificate.sig } as never }, ms);
    const local = openNew();
    const { replica } = local;
    expect(replica.applyRemote([forgedCert(forgerService, epoch + 1), forgedCert(impostor, epoch + 2)]).map((r) => r.status)).toEqual(['accepted', 'accepted']);

    replica.trust.pinOrgKey(w.org.orgKey);
    expect(replica.trust.view().certificate(impostor.certificate.certId)).toBeUndefined();
    const severity = impostor.write({ entity: 'incident', rowId: w.incidentId, fields: { severity: 'SEV4' } }, epoch + 20);
    expect(replica.applyRemote([severity])[0].status).not.toBe('accepted');
    // The organisation's own certificates still count once their records arrive.
    replica.applyRemote(w.trustOps);
    expect(replica.trust.view().certificate(w.commander.certificate.certId)?.body.user).toBe('cora');
  });

  it("refuses a responder's severity change before writing it, and signs what the responder may write", () => {
    const w = world();
    const local = openNew(w.org);
    const { replica } = local;
    const certificate = w.org.issue({
      user: 'rita',
      role: 'responder',
      deviceId: replica.deviceId,
      publicKey: replica.publicKey!,
      notBefore: epoch,
      notAfter: epoch + 30 * day,
      adopts: true,
      aliases: [],
    });
    replica.trust.adoptCertificate(certificate);
    replica.setActor('rita');
    expect(replica.trust.mode()).toBe('certified');
    expect(replica.applyRemote([...w.trustOps, w.declared]).map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);

    const before = replica.opLog.count();
    expect(() => replica.commitLocal([{ entity: 'incident', rowId: w.incidentId, fields: { severity: 'SEV1' } }])).toThrow(
      expect.objectContaining({ code: 'forbidden', message: expect.stringContaining('responders may not change severity') }) as Error,
    );
    expect(replica.opLog.count()).toBe(before);

    const [note] = replica.commitLocal([
      { entity: 'timeline_entry', rowId: '', fields: { incidentId: w.incidentId, kind: 'note', text: 'Looking at the pool', eventAt: epoch + day } },
    ]);
    expect(note.certId).toBe(certificate.certId);
    expect(ed25519.verify(replica.publicKey!, opSigningString(note.hash), note.sig!)).toBe(true);
    expect(checkOp(JSON.parse(JSON.stringify(note)), nativeSha256Hex).ok).toBe(true);
  });

  it('keeps a forged op refused and unprojected, and two replicas agree whatever order the ops arrive in', async () => {
    const w = world();
    const forged = forgeOp(w.responder, { entity: 'incident', rowId: w.incidentId, fields: { severity: 'SEV1' } }, epoch + 20);
    // The responder goes on writing after the refused op: its chain runs through it.
    const after = forgeOp(
      w.responder,
      { entity: 'timeline_entry', rowId: '', fields: { incidentId: w.incidentId, kind: 'note', text: 'SEV1?', eventAt: epoch + 21 } },
      epoch + 21,
      {
        prevHash: forged.hash,
      },
    );
    const ops: Op[] = [...w.trustOps, w.declared, forged, after];
    const a = openNew(w.org);
    const b = openNew(w.org);
    const resultsA = a.replica.applyRemote(ops, 'central-1');
    expect(resultsA.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'refused', 'accepted']);
    expect(resultsA[4]).toMatchObject({ status: 'refused', reason: expect.stringContaining('responders may not change severity') });
    // Reversed, one at a time: everything but the trust records is held first, then decided.
    for (const op of [...ops].reverse()) b.replica.applyRemote([op], 'hub-1');

    for (const { replica } of [a, b]) {
      expect(replica.opLog.storedHash(forged.opId)).toBe(forged.hash);
      expect(replica.opLog.refused().map((r) => r.opId)).toEqual([forged.opId]);
      expect(replica.trust.heldCount()).toBe(0);
      expect(replica.rebuild({ dryRun: true }).isIdentical).toBe(true);
    }
    expect(a.replica.digest()).toBe(b.replica.digest());
    const dbA = openDatabase(a.dir);
    open.push(dbA);
    expect(dbA.prepare('SELECT severity FROM incidents WHERE id = ?').pluck().get(w.incidentId)).toBe('SEV2');
    expect(dbA.prepare('SELECT user_name FROM trust_certs ORDER BY user_name').pluck().all()).toEqual(['cora', 'holdfast-service', 'rui']);

    // verify-chain: the refused op holds its place, so nothing is "missing".
    a.close();
    const run = await holdfast('verify-chain', '--data', a.dir);
    expect(run.code).toBe(0);
    expect(run.out).toContain('1 refused record(s) kept in their chains');
    expect(run.out).toContain(`refused: `);
    expect(run.out).toContain(forged.opId);
    expect(run.out).not.toMatch(/missing/);
  });

  it('holds an op whose certificate it does not know, and applies it when the certificate arrives', () => {
    const w = world();
    const { replica } = openNew(w.org);
    const [serviceCert, commanderCert] = w.trustOps;
    expect(replica.applyRemote([serviceCert])[0].status).toBe('accepted');
    const [held] = replica.applyRemote([w.declared], 'central-1');
    expect(held).toMatchObject({ status: 'held', reason: expect.stringContaining('unknown certificate') });
    expect(replica.opLog.storedHash(w.declared.opId)).toBeUndefined();
    expect(replica.trust.heldCount()).toBe(1);

    expect(replica.applyRemote([commanderCert], 'central-1')[0].status).toBe('accepted');
    expect(replica.opLog.storedHash(w.declared.opId)).toBe(w.declared.hash);
    expect(replica.trust.heldCount()).toBe(0);
    expect(replica.opLog.refused()).toEqual([]);
    // Rejected: an op claiming another's device id is not authentic, and is not stored anywhere.
    const lying = forgeOp(
      w.responder,
      { entity: 'timeline_entry', rowId: '', fields: { incidentId: w.incidentId, kind: 'note', text: 'x', eventAt: epoch + 30 } },
      epoch + 30,
      {
        deviceId: w.commander.deviceId,
      },
    );
    expect(replica.applyRemote([lying])[0].status).not.toBe('accepted');
    expect(replica.opLog.storedHash(lying.opId)).toBeUndefined();
  });
});

describe('a standalone replica (no pinned org key)', () => {
  it('signs its ops without a certificate and judges nothing, as before', () => {
    const w = world();
    const { replica } = openNew();
    expect(replica.trust.mode()).toBe('standalone');
    const [op] = replica.commitLocal([
      { entity: 'incident', rowId: uuidv7(now()), fields: { title: 'Solo', severity: 'SEV1', status: 'investigating', summary: '', declaredAt: now() } },
    ]);
    expect(op.certId).toBeUndefined();
    expect(ed25519.verify(replica.publicKey!, opSigningString(op.hash), op.sig!)).toBe(true);
    expect(checkOp(JSON.parse(JSON.stringify(op)), nativeSha256Hex).ok).toBe(true);
    // A responder's severity change from elsewhere is applied, as it is today without trust.
    const forged = forgeOp(w.responder, { entity: 'incident', rowId: op.rowId, fields: { severity: 'SEV4' } }, epoch + 20);
    expect(replica.applyRemote([forged])[0].status).toBe('accepted');
    expect(replica.opLog.refused()).toEqual([]);
  });

  it('keeps one device key per device id in a file only its user may read; a restored backup gets a new one', async () => {
    const first = openNew();
    const { deviceId, publicKey } = first.replica;
    first.close();
    expect(statSync(join(first.dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(openAt(first.dir).replica.publicKey).toBe(publicKey);

    const backupDir = tempDir('holdfast-trust-backup-');
    dirs.push(backupDir);
    const source = openDatabase(first.dir);
    open.push(source);
    await backupDatabase(source, join(backupDir, 'backup.db'));
    const target = tempDir('holdfast-trust-restored-');
    dirs.push(target);
    await restoreBackup(join(backupDir, 'backup.db'), target);
    const restored = openAt(target).replica;
    expect(restored.deviceId).not.toBe(deviceId);
    expect(restored.publicKey).not.toBe(publicKey);
    expect(restored.trust.certificate()).toBeNull();
  });
});
