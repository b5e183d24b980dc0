// Signed ops on a replica with real SQLite files: a replica that pinned its organisation's key
// judges every op (its own before writing, others' on arrival), keeps refused ops in its log
// without projecting them, holds what it cannot judge yet, and verify-chain names refusals. A
// replica that pinned nothing (standalone) signs its ops and otherwise behaves as before.
import { rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { entitySpecs } from '@shared/entities';
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { checkOp, genesisHash, hashOp, type Op, type OpDraft } from '@shared/ops';
import { legacySealDrafts } from '@shared/trust/legacy';
import { opSigningString } from '@shared/trust/signing';
import { ed25519 } from '@shared/node/ed25519';
import { backupDatabase, restoreBackup } from '../../electron/engine/core/backup';
import { openDatabase } from '../../electron/engine/core/database';
import { loadOrCreateDeviceKey } from '../../electron/engine/core/device-key';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import { openReplica, type Replica } from '../../electron/engine/core/replica';
import { migrate } from '../../electron/engine/core/schema';
import { fileSecretStore } from '../../electron/engine/core/secrets';
import { openEngine } from '../../electron/engine/engine';
import { createDispatch } from '@shared/rpc';
import { holdfast } from '../support/cli';
import { tempDir } from '../support/temp';
import { certifiedCrew, day, epoch, forgeOp, testOrg, type TestDevice, type TestOrg } from '../support/trust';

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
  const { org, service, commander, responder, certOp, trustOps } = certifiedCrew();
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
    await restoreBackup(join(backupDir, 'backup.db'), target, Date.now, { allowUnsigned: true });
    const restored = openAt(target).replica;
    expect(restored.deviceId).not.toBe(deviceId);
    expect(restored.publicKey).not.toBe(publicKey);
    expect(restored.trust.certificate()).toBeNull();
  });
});

/** An op as replicas wrote them before signing existed: no certificate, no signature. */
function unsignedOp(deviceId: string, draft: OpDraft, ms: number): Op {
  const spec = entitySpecs[draft.entity];
  const opId = uuidv7(ms);
  const rowId = spec.kind === 'append' ? opId : draft.rowId;
  const body = {
    opId,
    hlc: encodeHlc({ ms, counter: 0, deviceId }),
    streamId: spec.streamOf(rowId, draft.fields),
    actorId: 'old-timer',
    deviceId,
    entity: draft.entity,
    rowId,
    kind: spec.kind,
    fields: draft.fields,
    prevHash: genesisHash,
  };
  return { ...body, hash: hashOp(body, nativeSha256Hex) };
}

/** What a replica's verdicts and projections are, for comparing two replicas. */
const outcomeOf = (replica: Replica) => ({
  digest: replica.digest(),
  verdicts: replica.verdictDigest(),
  refused: replica.opLog.refused().map((r) => [r.opId, r.reason]),
});

describe('a revocation judges again what was stored before it', () => {
  /** The responder's notes before and after the revocation's effective time, and the revocation as the service writes it. */
  function revocationWorld() {
    const w = world();
    const note = (text: string, ms: number) =>
      w.responder.write({ entity: 'timeline_entry', rowId: '', fields: { incidentId: w.incidentId, kind: 'note', text, eventAt: ms } }, ms);
    const before = note('Before the laptop was lost', epoch + 20);
    const after = note('Written by whoever has the laptop', epoch + 40);
    const revocation = w.org.revoke(w.responder.certificate, epoch + 30);
    const revocationOp = w.service.write({ entity: 'cert_revocation', rowId: '', fields: { body: { ...revocation.body }, sig: revocation.sig } }, epoch + 50);
    return { ...w, before, after, revocationOp };
  }

  it('refuses the ops of a revoked certificate from its effective time, whichever arrived first, and both replicas agree', async () => {
    const w = revocationWorld();
    const early = openNew(w.org);
    expect(early.replica.applyRemote([...w.trustOps, w.declared, w.before, w.after]).every((r) => r.status === 'accepted')).toBe(true);
    const db = openDatabase(early.dir);
    open.push(db);
    const notes = () => db.prepare('SELECT id FROM timeline_entries ORDER BY id').pluck().all();
    expect(notes()).toEqual([w.before.rowId, w.after.rowId]);
    expect(early.replica.applyRemote([w.revocationOp])).toEqual([{ opId: w.revocationOp.opId, status: 'accepted' }]);

    const late = openNew(w.org);
    late.replica.applyRemote([...w.trustOps, w.revocationOp]);
    const results = late.replica.applyRemote([w.declared, w.before, w.after]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'refused']);

    // The same refusal, word for word, on both: stored in the op log, the note gone from the timeline.
    const [refused] = early.replica.opLog.refused();
    expect(refused).toMatchObject({ opId: w.after.opId, reason: expect.stringContaining(`certificate ${w.responder.certificate.certId} was revoked from`) });
    expect(results[2]).toMatchObject({ reason: refused.reason });
    expect(notes()).toEqual([w.before.rowId]);
    expect(outcomeOf(early.replica)).toEqual(outcomeOf(late.replica));
    expect(early.replica.rebuild({ dryRun: true }).isIdentical).toBe(true);

    // verify-chain names it refused; nothing is missing from the responder's chain.
    early.close();
    db.close();
    const run = await holdfast('verify-chain', '--data', early.dir);
    expect(run.code).toBe(0);
    expect(run.out).toContain('1 refused record(s) kept in their chains');
    expect(run.out).toContain(w.after.opId);
    expect(run.out).not.toMatch(/missing|BROKEN/);
  });

  it("gives an op refused for its role the revocation's reason once the revocation covers it, as a replica that heard of it first does", () => {
    const w = revocationWorld();
    // The responder changes severity after the effective time (refused for the role anyway), and
    // the op reaches the two replicas with its fields in different orders.
    const severity = w.responder.write({ entity: 'incident', rowId: w.incidentId, fields: { status: 'mitigated', severity: 'SEV1' } }, epoch + 45);
    const reordered = { ...severity, fields: { severity: 'SEV1', status: 'mitigated' } };
    const early = openNew(w.org);
    early.replica.applyRemote([...w.trustOps, w.declared]);
    const [roleRefusal] = early.replica.applyRemote([severity]);
    expect(roleRefusal).toMatchObject({ status: 'refused', reason: expect.stringContaining('responder') });
    early.replica.applyRemote([w.revocationOp]);

    const late = openNew(w.org);
    late.replica.applyRemote([...w.trustOps, w.revocationOp, w.declared]);
    const [lateResult] = late.replica.applyRemote([reordered]);
    expect(lateResult).toMatchObject({ status: 'refused', reason: expect.stringContaining('was revoked from') });
    expect(early.replica.opLog.refused().find((r) => r.opId === severity.opId)?.reason).toBe((lateResult as { reason: string }).reason);
    expect(early.replica.verdictDigest()).toBe(late.replica.verdictDigest());
  });

  it('stores the same refusal text whatever order the fields of a refused op arrive in', () => {
    const w = world();
    const severity = w.responder.write({ entity: 'incident', rowId: w.incidentId, fields: { status: 'mitigated', severity: 'SEV1' } }, epoch + 45);
    const reordered = { ...severity, fields: { severity: 'SEV1', status: 'mitigated' } };
    const [a, b] = [openNew(w.org), openNew(w.org)];
    a.replica.applyRemote([...w.trustOps, w.declared, severity]);
    b.replica.applyRemote([...w.trustOps, w.declared, reordered]);
    expect(a.replica.opLog.refused()).toHaveLength(1);
    expect(a.replica.verdictDigest()).toBe(b.replica.verdictDigest());
  });

  it('refuses the notes of guests a revoked hub certificate admitted, in either order', () => {
    const w = world();
    const guest = w.org.certify({ role: 'guest', hub: w.commander });
    const guestCertOp = w.commander.write(
      { entity: 'device_cert', rowId: '', fields: { body: guest.certificate.body, sig: guest.certificate.sig } as never },
      epoch + 11,
    );
    const guestNote = guest.write(
      { entity: 'timeline_entry', rowId: '', fields: { incidentId: w.incidentId, kind: 'note', text: 'From the war room', eventAt: epoch + 40 } },
      epoch + 40,
    );
    const revocation = w.org.revoke(w.commander.certificate, epoch + 30);
    const revocationOp = w.service.write({ entity: 'cert_revocation', rowId: '', fields: { body: { ...revocation.body }, sig: revocation.sig } }, epoch + 50);
    const content = [...w.trustOps, w.declared, guestCertOp, guestNote];

    const early = openNew(w.org).replica;
    expect(early.applyRemote(content).map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted', 'accepted', 'accepted']);
    early.applyRemote([revocationOp]);
    const late = openNew(w.org).replica;
    late.applyRemote([...w.trustOps, revocationOp]);
    late.applyRemote(content);

    expect(early.opLog.refused().map((r) => r.opId)).toEqual([guestNote.opId]);
    expect(early.opLog.refused()[0].reason).toContain(`the hub certificate ${w.commander.certificate.certId} that admitted this guest was revoked`);
    expect(outcomeOf(early)).toEqual(outcomeOf(late));
  });

  it('refuses, never holds, the notes of a guest a hub admitted after its own revocation, in either order', () => {
    const w = world();
    // The host's laptop was revoked from epoch+30 (stolen, say) and went on admitting a guest at epoch+35.
    const guest = w.org.certify({ role: 'guest', hub: w.commander, notBefore: epoch + 35 });
    const guestCertOp = w.commander.write(
      { entity: 'device_cert', rowId: '', fields: { body: guest.certificate.body, sig: guest.certificate.sig } as never },
      epoch + 35,
    );
    const guestNote = guest.write(
      { entity: 'timeline_entry', rowId: '', fields: { incidentId: w.incidentId, kind: 'note', text: 'Looks fine to me', eventAt: epoch + 40 } },
      epoch + 40,
    );
    const revocation = w.org.revoke(w.commander.certificate, epoch + 30);
    const revocationOp = w.service.write({ entity: 'cert_revocation', rowId: '', fields: { body: { ...revocation.body }, sig: revocation.sig } }, epoch + 50);
    const content = [...w.trustOps, w.declared, guestCertOp, guestNote];

    const early = openNew(w.org).replica;
    early.applyRemote(content);
    early.applyRemote([revocationOp]);
    const late = openNew(w.org).replica;
    late.applyRemote([...w.trustOps, revocationOp]);
    expect(
      late
        .applyRemote(content)
        .slice(-2)
        .map((r) => r.status),
    ).toEqual(['refused', 'refused']);

    for (const replica of [early, late]) {
      expect(replica.trust.heldCount()).toBe(0);
      expect(replica.opLog.refused().map((r) => r.opId)).toEqual([guestCertOp.opId, guestNote.opId]);
    }
    expect(late.opLog.refused()[1].reason).toContain(`was revoked when it admitted this guest`);
    expect(outcomeOf(early)).toEqual(outcomeOf(late));
    expect(early.rebuild({ dryRun: true }).isIdentical).toBe(true);
  });

  it('reports ops of a batch that its own revocation made invalid as refused', () => {
    const w = revocationWorld();
    const { replica } = openNew(w.org);
    replica.applyRemote(w.trustOps);
    // Judged in turn (their certificates are known): the note is stored valid, then the revocation comes.
    const results = replica.applyRemote([w.declared, w.before, w.after, w.revocationOp]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'refused', 'accepted']);
    expect(results[2]).toMatchObject({ reason: expect.stringContaining('was revoked from') });
    expect(replica.opLog.refused().map((r) => r.opId)).toEqual([w.after.opId]);
  });

  it('does not undo a purge carried out before the revocation', () => {
    const w = world();
    const purge = w.commander.write(
      {
        entity: 'purge_record',
        rowId: '',
        fields: { incidentId: w.incidentId, title: 'Checkout down', severity: 'SEV2', closedAt: epoch + 35, reason: 'Retention', purgedAt: epoch + 40 },
      },
      epoch + 40,
    );
    const revocation = w.org.revoke(w.commander.certificate, epoch + 30);
    const revocationOp = w.service.write({ entity: 'cert_revocation', rowId: '', fields: { body: { ...revocation.body }, sig: revocation.sig } }, epoch + 50);
    const local = openNew(w.org);
    expect(local.replica.applyRemote([...w.trustOps, w.declared, purge]).every((r) => r.status === 'accepted')).toBe(true);
    local.replica.applyRemote([revocationOp]);

    const db = openDatabase(local.dir);
    open.push(db);
    expect(db.prepare('SELECT count(*) FROM incidents').pluck().get()).toBe(0);
    expect(db.prepare('SELECT incident_id FROM purge_records').pluck().all()).toEqual([w.incidentId]);
    expect(local.replica.opLog.refused()).toEqual([]);
    // Ops of the purged incident still arrive refused-as-gone, not stored.
    expect(local.replica.applyRemote([w.declared])[0].status).toBe('rejected');
  });
});

describe('legacy seals', () => {
  it('validates an unsigned op once the service seals its hash, and counts it unsigned in verify-chain', async () => {
    const w = world();
    const legacy = unsignedOp('00000000000000c3', { entity: 'org_setting', rowId: 'severity-meanings', fields: { value: 'Everything is down' } }, epoch - 10 * day);
    const local = openNew(w.org);
    const { replica } = local;
    replica.applyRemote(w.trustOps);
    expect(replica.applyRemote([legacy], 'central-1')[0]).toMatchObject({ status: 'held', reason: expect.stringContaining('unsigned') });

    // Only the service may seal: a commander's seal is refused and decides nothing.
    const [forgedSeal] = legacySealDrafts('org', [legacy.hash]).map((draft) => w.commander.write(draft, epoch + 60));
    expect(replica.applyRemote([forgedSeal])[0]).toMatchObject({ status: 'refused', reason: 'only the service writes legacy seals' });
    expect(replica.trust.heldCount()).toBe(1);
    const waiting = await holdfast('verify-chain', '--data', local.dir);
    expect(waiting.out).toContain('1 record(s) received but held until trust records decide them');
    expect(waiting.out).not.toContain('unsigned');

    const seals = legacySealDrafts('org', [legacy.hash]).map((draft) => w.service.write(draft, epoch + 61));
    expect(replica.applyRemote(seals).map((r) => r.status)).toEqual(['accepted']);
    expect(replica.trust.heldCount()).toBe(0);
    expect(replica.opLog.storedHash(legacy.opId)).toBe(legacy.hash);
    expect(replica.trust.view().isLegacySealed(legacy)).toBe(true);
    // The same hash with a signature is no legacy op.
    expect(replica.trust.view().isLegacySealed({ ...legacy, sig: forgedSeal.sig } as Op)).toBe(false);
    const db = openDatabase(local.dir);
    open.push(db);
    expect(db.prepare('SELECT stream_id FROM trust_legacy WHERE hash = ?').pluck().get(legacy.hash)).toBe('org');

    local.close();
    db.close();
    const run = await holdfast('verify-chain', '--data', local.dir);
    expect(run.code).toBe(0);
    expect(run.out).toContain('1 unsigned (legacy) record(s)');
    expect(run.out).not.toContain('held');
    expect(run.out).toContain('1 refused record(s)');
    expect(run.out).toContain(forgedSeal.opId);
  });

  it('cuts a stream into seals of at most 2000 hashes, and the schema refuses more or malformed ones', () => {
    const hashes = Array.from({ length: 4500 }, (_, i) => nativeSha256Hex(String(i)));
    const drafts = legacySealDrafts('directory', hashes);
    expect(drafts.map((d) => (d.fields.hashes as string[]).length)).toEqual([2000, 2000, 500]);
    expect(drafts.flatMap((d) => d.fields.hashes as string[])).toEqual(hashes);
    expect(drafts.every((d) => d.entity === 'legacy_seal' && d.fields.streamId === 'directory')).toBe(true);
    expect(legacySealDrafts('org', [])).toEqual([]);
    const fields = entitySpecs.legacy_seal.fields;
    expect(fields.safeParse(drafts[0].fields).success).toBe(true);
    expect(fields.safeParse({ streamId: 'org', hashes: hashes.slice(0, 2001) }).error?.issues[0].message).toContain('at most 2000');
    expect(fields.safeParse({ streamId: 'org', hashes: ['abc'] }).error?.issues[0].message).toContain('64 hex digits');
    expect(fields.safeParse({ streamId: 'trust', hashes: [hashes[0]] }).success).toBe(false);
  });
});

describe('a replica that pinned its organisation key but has no certificate', () => {
  it('refuses to write, telling its user to connect to the service', () => {
    const w = world();
    const { replica } = openNew(w.org);
    replica.applyRemote([...w.trustOps, w.declared]);
    const before = replica.opLog.count();
    expect(() =>
      replica.commitLocal([{ entity: 'timeline_entry', rowId: '', fields: { incidentId: w.incidentId, kind: 'note', text: 'Hello', eventAt: now() } }]),
    ).toThrow(expect.objectContaining({ code: 'forbidden', message: expect.stringContaining('connect to the Holdfast service') }) as Error);
    expect(replica.opLog.count()).toBe(before);
  });
});

describe('pinning and adopting a certificate together', () => {
  it('pins nothing when the certificate does not check, so a failed join leaves the laptop writing on its own', () => {
    const w = world();
    const { replica } = openNew();
    // A certificate of another device (say, one a hostile hub handed over): refused, and no pin stays behind.
    expect(() => replica.trust.pinAndAdopt(w.org.orgKey, { body: w.responder.certificate.body, sig: w.responder.certificate.sig })).toThrow(/not this one/);
    expect(replica.trust.mode()).toBe('standalone');
    expect(replica.trust.pinnedOrgKeys()).toEqual([]);
    expect(
      replica.commitLocal([{ entity: 'timeline_entry', rowId: '', fields: { incidentId: w.incidentId, kind: 'note', text: 'Still mine', eventAt: now() } }]),
    ).toHaveLength(1);

    const own = w.org.issue({
      user: 'sam',
      role: 'commander',
      deviceId: replica.deviceId,
      publicKey: replica.publicKey!,
      notBefore: epoch,
      notAfter: epoch + 30 * day,
      adopts: true,
      aliases: [],
    });
    expect(replica.trust.pinAndAdopt(w.org.orgKey, own).certId).toBe(own.certId);
    expect(replica.trust.mode()).toBe('certified');
    expect(replica.trust.pinnedOrgKeys().map((k) => k.keyId)).toEqual([w.org.keyId]);
  });
});

describe('trust.status and trust.pin', () => {
  const fingerprint = (org: TestOrg) => nativeSha256Hex(org.orgKey.publicKey);

  it('pins the org key through the engine call, checking the fingerprint, and reports the status', async () => {
    const org = testOrg();
    const dir = tempDir('holdfast-trust-engine-');
    dirs.push(dir);
    const engine = openEngine({ dataDir: dir, host: 'web', log: () => undefined });
    try {
      const dispatch = createDispatch(engine.handlers, { onInternalError: () => undefined });
      const status = await dispatch('trust.status', {});
      expect(status).toEqual({
        ok: true,
        value: { mode: 'standalone', user: engine.replica.actorId, role: null, certId: null, certExpiresAt: null, orgKeyId: null, orgFingerprint: null, heldCount: 0 },
      });

      const noKey = await dispatch('trust.pin', { fingerprint: fingerprint(org) });
      expect(noKey).toMatchObject({ ok: false, error: { message: expect.stringContaining('a fingerprint alone cannot pin a key') } });
      const badKey = await dispatch('trust.pin', { publicKey: 'not-a-key' });
      expect(badKey).toMatchObject({ ok: false, error: { message: expect.stringContaining('base64url Ed25519 org public key') } });
      const wrong = await dispatch('trust.pin', { publicKey: org.orgKey.publicKey, fingerprint: fingerprint(testOrg()) });
      expect(wrong).toMatchObject({ ok: false, error: { code: 'bad_request', message: expect.stringContaining('nothing was pinned') } });
      expect(engine.replica.trust.pinnedOrgKeys()).toEqual([]);

      // Spaces and capitals in a fingerprint read aloud are fine.
      const spoken = fingerprint(org)
        .toUpperCase()
        .replace(/(.{4})/g, '$1 ');
      const pinned = await dispatch('trust.pin', { publicKey: org.orgKey.publicKey, fingerprint: spoken });
      expect(pinned).toMatchObject({ ok: true, value: { mode: 'certified', orgKeyId: org.keyId, certId: null } });
      const grouped = (pinned as { value: { orgFingerprint: string } }).value.orgFingerprint;
      expect(grouped.replace(/ /g, '')).toBe(fingerprint(org));
      expect(grouped.split(' ').every((group) => group.length === 4)).toBe(true);
      // Another organisation's key cannot replace the pin.
      expect(await dispatch('trust.pin', { publicKey: testOrg().orgKey.publicKey })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    } finally {
      await engine.close();
    }
  });

  it('holdfast trust pin and status work on a data folder', async () => {
    const org = testOrg();
    const dir = tempDir('holdfast-trust-cli-');
    dirs.push(dir);
    const keyFile = join(dir, 'org-key.json');
    writeFileSync(keyFile, JSON.stringify({ keyId: org.keyId, fingerprint: fingerprint(org), publicKey: org.orgKey.publicKey }));
    const textFile = join(dir, 'org-key.txt');
    writeFileSync(textFile, `keyId\t${org.keyId}\nfingerprint\t${fingerprint(testOrg())}\npublicKey\t${org.orgKey.publicKey}\n`);

    const standalone = await holdfast('trust', 'status', '--data', dir);
    expect(standalone.code).toBe(0);
    expect(standalone.out).toContain('mode\tstandalone');
    expect(standalone.out).toContain('org key\tnone pinned');

    const onlyFingerprint = await holdfast('trust', 'pin', fingerprint(org), '--data', dir);
    expect(onlyFingerprint.code).toBe(2);
    expect(onlyFingerprint.err).toContain('is a fingerprint, which cannot pin a key by itself');
    // A file whose fingerprint does not match its key pins nothing.
    const mismatch = await holdfast('trust', 'pin', textFile, '--data', dir);
    expect(mismatch.code).toBe(1);
    expect(mismatch.err).toContain('nothing was pinned');

    const pin = await holdfast('trust', 'pin', keyFile, '--data', dir);
    expect(pin.code).toBe(0);
    expect(pin.out).toContain(`pinned org key ${org.keyId}`);
    expect(pin.out).toContain('connect to the Holdfast service once before writing');

    const status = await holdfast('trust', 'status', '--json', '--data', dir);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.out)).toMatchObject({ mode: 'certified', orgKeyId: org.keyId, certId: null, heldCount: 0 });
    // The public key itself, given again, is the same pin.
    expect((await holdfast('trust', 'pin', '--fingerprint', fingerprint(org), '--data', dir, '--', org.orgKey.publicKey)).code).toBe(0);
    const other = await holdfast('trust', 'pin', '--data', dir, '--', testOrg().orgKey.publicKey);
    expect(other.code).toBe(1);
    expect(other.err).toContain(`already pinned org key ${org.keyId}`);
  });
});
