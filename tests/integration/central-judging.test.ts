// The central service judges every pushed op as every replica does (judgeOp against its own trust
// stream), over real HTTP on both drivers: refused ops are stored and pulled but count for nothing,
// forgeries are rejected and leave no trace, relaying vouches for nothing, unsigned ops must be
// sealed, revocations refuse what was stored, and the service signs what it writes itself.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { incidentRowId } from '@shared/entities/streams';
import { uuidv7 } from '@shared/ids';
import { hashOp, type Op, type OpDraft } from '@shared/ops';
import { generateKeyPair, signText } from '@shared/node/ed25519';
import { judgeOp } from '@shared/trust/judge';
import type { TrustRootResponse } from '@shared/trust/protocol';
import { opSigningString } from '@shared/trust/signing';
import { openDatabase } from '../../electron/engine/core/database';
import { loadOrCreateDeviceKey } from '../../electron/engine/core/device-key';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import { openReplica, type Replica } from '../../electron/engine/core/replica';
import { migrate } from '../../electron/engine/core/schema';
import { fileSecretStore } from '../../electron/engine/core/secrets';
import { createCentralBackend, hashToken } from '../../server/central-backend';
import { startService } from '../../server/service';
import type { SyncStore } from '../../server/storage/sync-store';
import { createTrustIssuer } from '../../server/trust/issue';
import { openServiceKeys } from '../../server/trust/org-key';
import { trustViewOf } from '../../server/trust/stored-trust';
import { certifyAt, purgeOp, timelineOps } from '../support/ops';
import { openStore, startCentral, type Central, type Driver } from '../support/sync';
import { tempDir } from '../support/temp';
import { chainWriter, forgeOp, type TestDevice } from '../support/trust';
import { join } from 'node:path';

const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function central(driver: Driver): Promise<Central> {
  const c = await startCentral(driver);
  closers.push(() => c.close());
  return c;
}

type Result = { opId: string | null; status: string; reason?: string };

async function push(url: string, token: string, ops: unknown[]): Promise<{ status: number; results: Result[] }> {
  const response = await fetch(`${url}/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ops }),
  });
  const body = (await response.json()) as { results: Result[] };
  return { status: response.status, results: body.results };
}

async function get<T>(url: string, token?: string): Promise<T> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  expect(response.status).toBe(200);
  return (await response.json()) as T;
}

const pull = async (c: Central, token: string, stream: string) => (await get<{ ops: Op[] }>(`${c.url}/v1/sync/pull?stream=${stream}&limit=5000`, token)).ops;

/** A replica that pinned the service's org key, as a connected laptop has. */
async function pinnedReplica(c: Central): Promise<{ replica: Replica; dir: string }> {
  const dir = tempDir('holdfast-judged-');
  const db = openDatabase(dir);
  migrate(db);
  const replica = openReplica(db, { deviceKey: (id) => loadOrCreateDeviceKey(fileSecretStore(dir), id) });
  closers.push(() => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const root = await get<TrustRootResponse>(`${c.url}/v1/trust/root`);
  replica.trust.pinOrgKey(root.keys[0]);
  return { replica, dir };
}

/** The people of an incident: a commander, a responder and a viewer, each with a certified device. */
async function room(c: Central) {
  const tokens = { cora: await c.token('cora', 'commander'), rui: await c.token('rui', 'responder'), vic: await c.token('vic', 'viewer') };
  const cora = await certifyAt(c.url, tokens.cora, 'cora');
  const rui = await certifyAt(c.url, tokens.rui, 'rui');
  const incidentId = uuidv7();
  const declared = cora.write(
    {
      entity: 'incident',
      rowId: incidentId,
      fields: { title: 'Checkout down', severity: 'SEV2', status: 'investigating', summary: '', services: ['checkout'], declaredAt: Date.now() },
    },
    Date.now(),
  );
  expect((await push(c.url, tokens.cora, [declared])).results).toEqual([{ opId: declared.opId, status: 'accepted' }]);
  return { tokens, cora, rui, incidentId, streamId: `incident:${incidentId}` };
}

const note = (incidentId: string, text: string): OpDraft => ({ entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text, eventAt: Date.now() } });
const freeze = (incidentId: string, key: string, by: string): OpDraft => ({
  entity: 'freeze',
  rowId: incidentRowId(incidentId, key),
  fields: { incidentId, scope: 'checkout', reason: 'Payments failing', since: Date.now(), until: null, declaredBy: by },
});

/** `op` without its signature and certificate: what a client from before signing sends. */
function unsigned(op: Op): Op {
  const { sig: _sig, certId: _certId, hash: _hash, ...rest } = op;
  return { ...rest, hash: hashOp(rest, nativeSha256Hex) };
}

describe.each<Driver>(['sqlite', 'postgres'])('the central service judges every op (%s)', (driver) => {
  it("stores a responder's severity change and freeze refused: pulled, but not in /v1/freeze nor in a pinned replica's projections", async () => {
    const c = await central(driver);
    const { tokens, cora, rui, incidentId, streamId } = await room(c);
    // Fields out of canonical order: the refusal names them as every node will, in canonical order.
    const severity = rui.write({ entity: 'incident', rowId: incidentId, fields: { title: 'Checkout is fine', severity: 'SEV4' } }, Date.now());
    const ruiFreeze = rui.write(freeze(incidentId, 'f-rui', 'rui'), Date.now());
    const ruiNote = rui.write(note(incidentId, 'Pool exhausted'), Date.now());
    const coraFreeze = cora.write(freeze(incidentId, 'f-cora', 'cora'), Date.now());
    const pushed = await push(c.url, tokens.rui, [severity, ruiFreeze, ruiNote, coraFreeze]);
    expect(pushed.status).toBe(200);
    expect(pushed.results).toEqual([
      { opId: severity.opId, status: 'refused', reason: expect.stringContaining('responders may not change severity, title') },
      { opId: ruiFreeze.opId, status: 'refused', reason: expect.stringContaining('freeze') },
      { opId: ruiNote.opId, status: 'accepted' },
      { opId: coraFreeze.opId, status: 'accepted' },
    ]);
    // Stored with the reason, in the responder's chain, and a copy is a duplicate.
    const stored = await c.store.readOps(streamId, 0, 100);
    expect(stored.map((op) => [op.opId, op.refusal ?? null])).toEqual([
      [expect.any(String), null],
      [severity.opId, expect.stringContaining('responders may not change severity')],
      [ruiFreeze.opId, expect.any(String)],
      [ruiNote.opId, null],
      [coraFreeze.opId, null],
    ]);
    expect((await push(c.url, tokens.rui, [severity])).results[0].status).toBe('duplicate');

    // A pipeline sees cora's freeze only.
    const pipeline = await c.token('deploy-bot', 'pipeline');
    const frozen = await get<{ active: boolean; freezes: { declaredBy: string }[] }>(`${c.url}/v1/freeze`, pipeline);
    expect(frozen.active).toBe(true);
    expect(frozen.freezes.map((f) => f.declaredBy)).toEqual(['cora']);

    // Pulled like any op, without the service's verdict: a pinned replica judges it the same.
    const pulled = await pull(c, tokens.cora, streamId);
    expect(pulled.map((op) => op.opId)).toContain(severity.opId);
    for (const op of pulled) expect(op).not.toHaveProperty('refusal');
    const { replica, dir } = await pinnedReplica(c);
    replica.applyRemote(await pull(c, tokens.cora, 'trust'));
    const applied = replica.applyRemote(pulled);
    expect(applied.map((r) => r.status)).toEqual(['accepted', 'refused', 'refused', 'accepted', 'accepted']);
    expect(applied[1]).toMatchObject({ reason: stored[1].refusal });
    const db = openDatabase(dir);
    closers.push(() => void db.close());
    expect(db.prepare('SELECT severity FROM incidents WHERE id = ?').pluck().get(incidentId)).toBe('SEV2');
    expect(db.prepare('SELECT declared_by FROM freezes ORDER BY declared_by').pluck().all()).toEqual(['cora']);
  });

  it("rejects forgeries (another device's id, a made-up prevHash, a wrong signature, another actor) and stores none of them", async () => {
    const c = await central(driver);
    const { tokens, cora, rui, incidentId } = await room(c);
    const before = await c.store.streamHeads();
    const genuine = rui.write(note(incidentId, 'genuine'), Date.now());
    const forgeries: [string, Op, string, string][] = [
      ['another device id', forgeOp(rui, note(incidentId, 'as cora'), Date.now(), { deviceId: cora.deviceId }), tokens.rui, `belongs to device ${rui.deviceId}`],
      [
        "a made-up prevHash on cora's chain",
        forgeOp(rui, note(incidentId, 'cora said'), Date.now(), { deviceId: cora.deviceId, certId: cora.certificate.certId, actorId: 'cora', prevHash: 'ab'.repeat(32) }),
        tokens.rui,
        'signature: does not verify',
      ],
      ['a wrong signature', { ...genuine, sig: signText(rui.keys.privateKey, opSigningString('cd'.repeat(32))) }, tokens.rui, 'signature: does not verify'],
      [
        'a commander pushing as another user',
        forgeOp(cora, note(incidentId, 'approve failover now'), Date.now(), { actorId: 'rui' }),
        tokens.cora,
        `is cora's, not rui's`,
      ],
    ];
    for (const [what, op, token, reason] of forgeries) {
      const { results } = await push(c.url, token, [op]);
      expect(results, what).toEqual([{ opId: op.opId, status: 'rejected', reason: expect.stringContaining(reason) }]);
    }
    expect(await c.store.streamHeads()).toEqual(before);
    // The genuine op still goes through afterwards.
    expect((await push(c.url, tokens.rui, [genuine])).results[0].status).toBe('accepted');
  });

  it("takes another user's signed ops from a viewer or a commander on their own signatures, refusals included", async () => {
    const c = await central(driver);
    const { tokens, rui, incidentId, streamId } = await room(c);
    const first = rui.write(note(incidentId, 'relayed by a viewer'), Date.now());
    const second = rui.write(note(incidentId, 'relayed by a commander'), Date.now());
    const severity = rui.write({ entity: 'incident', rowId: incidentId, fields: { severity: 'SEV1' } }, Date.now());
    expect((await push(c.url, tokens.vic, [first])).results).toEqual([{ opId: first.opId, status: 'accepted' }]);
    expect((await push(c.url, tokens.cora, [second, severity])).results).toEqual([
      { opId: second.opId, status: 'accepted' },
      { opId: severity.opId, status: 'refused', reason: expect.stringContaining('responders may not change severity') },
    ]);
    const stored = await c.store.readOps(streamId, 0, 100);
    expect(stored.filter((op) => op.actorId === 'rui').map((op) => op.opId)).toEqual([first.opId, second.opId, severity.opId]);
    // A viewer's own writes are refused by its role, not by the token.
    const vicDevice = await certifyAt(c.url, tokens.vic, 'vic');
    const own = vicDevice.write(note(incidentId, 'a viewer writes'), Date.now());
    expect((await push(c.url, tokens.vic, [own])).results[0]).toMatchObject({ status: 'refused' });
  });

  it('rejects unsigned ops written after the org key with "update Holdfast", and holds unsealed older ones', async () => {
    const c = await central(driver);
    const { tokens, rui, incidentId } = await room(c);
    const before = await c.store.streamHeads();
    const fresh = unsigned(rui.write(note(incidentId, 'from an old client'), Date.now()));
    const old = timelineOps(1, { actorId: 'rui', deviceId: rui.deviceId })[0];
    const { results } = await push(c.url, tokens.rui, [fresh, old]);
    expect(results).toEqual([
      { opId: fresh.opId, status: 'rejected', reason: 'sig: this service requires signed ops: update Holdfast' },
      { opId: old.opId, status: 'held', reason: expect.any(String) },
    ]);
    expect(await c.store.streamHeads()).toEqual(before);
  });

  it('revoking a certificate refuses the ops stored under it from the effective time on', async () => {
    const c = await central(driver);
    const { tokens, cora, rui, incidentId, streamId } = await room(c);
    const since = Date.now();
    const later = cora.write(note(incidentId, 'after the laptop was lost'), since + 5);
    expect((await push(c.url, tokens.cora, [later])).results[0].status).toBe('accepted');
    // rui's severity change, refused by role, is refused for the revocation once rui is revoked too, as judgeOp says on every node.
    const severity = rui.write({ entity: 'incident', rowId: incidentId, fields: { severity: 'SEV1' } }, since + 6);
    expect((await push(c.url, tokens.rui, [severity])).results[0]).toMatchObject({ status: 'refused', reason: expect.stringContaining('responders may not') });
    await c.trust.revoke([cora.certificate, rui.certificate], since, 'laptop lost');
    const stored = await c.store.readOps(streamId, 0, 100);
    expect(stored.map((op) => op.refusal ?? null)).toEqual([
      null,
      expect.stringContaining(`certificate ${cora.certificate.certId} was revoked`),
      expect.stringContaining(`certificate ${rui.certificate.certId} was revoked`),
    ]);
    // And what it pushes from now on is refused too.
    const next = cora.write(note(incidentId, 'still writing'), Date.now() + 10);
    expect((await push(c.url, tokens.cora, [next])).results[0]).toMatchObject({ status: 'refused', reason: expect.stringContaining('revoked') });
  });

  it("judges a device's certless work from before it connected under its adopting certificate, with the names it used", async () => {
    const c = await central(driver);
    const { tokens, incidentId } = await room(c);
    const keys = generateKeyPair();
    const deviceId = randomBytes(8).toString('hex');
    const solo = chainWriter(deviceId, 'rita-laptop', { certId: null, sign: (m) => signText(keys.privateKey, m) });
    const before = solo(note(incidentId, 'written before connecting'), Date.now() - 60_000);
    const token = await c.token('rita', 'responder');
    // Another user's name cannot be claimed; the names this device used become the certificate's aliases.
    await expect(certifyAt(c.url, token, 'rita', { deviceId, keys, aliases: ['cora'] })).rejects.toThrow(/409.*cora.* is the name of another user/);
    const rita = await certifyAt(c.url, token, 'rita', { deviceId, keys, aliases: ['rita-laptop'] });
    expect(rita.certificate.body).toMatchObject({ adopts: true, aliases: ['rita-laptop'] });
    const severity = solo({ entity: 'incident', rowId: incidentId, fields: { severity: 'SEV1' } }, Date.now() - 50_000);
    expect((await push(c.url, tokens.vic, [before, severity])).results).toEqual([
      { opId: before.opId, status: 'accepted' },
      { opId: severity.opId, status: 'refused', reason: expect.stringContaining('responders may not change severity') },
    ]);
    // A second certificate of the device adopts nothing and carries no aliases.
    const again = await certifyAt(c.url, token, 'rita', { deviceId, keys, aliases: ['someone'] });
    expect(again.certificate.body).toMatchObject({ adopts: false, aliases: [] });
  });

  it("stops a purge at a commander's legal hold, not at a responder's refused one", async () => {
    const c = await central(driver);
    const { tokens, cora, rui, incidentId, streamId } = await room(c);
    const hold = (by: TestDevice) =>
      by.write({ entity: 'incident', rowId: incidentId, fields: { isLegalHold: true, legalHoldReason: `${by.user} says keep it` } }, Date.now());
    // A commander's hold stops a purge; lifted, a responder's hold after it is refused and stops nothing.
    const purge = purgeOp(incidentId, { device: cora });
    expect((await push(c.url, tokens.cora, [hold(cora)])).results[0].status).toBe('accepted');
    expect((await push(c.url, tokens.cora, [purge])).results[0]).toMatchObject({ status: 'rejected', reason: expect.stringContaining('cora says keep it') });
    const lift = cora.write({ entity: 'incident', rowId: incidentId, fields: { isLegalHold: false } }, Date.now());
    expect((await push(c.url, tokens.cora, [lift])).results[0].status).toBe('accepted');
    expect((await push(c.url, tokens.rui, [hold(rui)])).results[0]).toMatchObject({ status: 'refused' });
    const again = purgeOp(incidentId, { device: cora, prevHash: purge.prevHash });
    expect((await push(c.url, tokens.cora, [again])).results[0].status).toBe('accepted');
    expect(await c.store.purgedStream(streamId)).toMatchObject({ purgeOpId: again.opId });
    // Whatever comes for the purged incident afterwards is gone, signed or not, judged or not.
    const late = [rui.write(note(incidentId, 'late'), Date.now()), ...timelineOps(1, { incidentId, actorId: 'rui' })];
    expect((await push(c.url, tokens.rui, late)).results).toEqual(late.map((op) => ({ opId: op.opId, status: 'rejected', reason: expect.stringMatching(/^gone: /) })));
  });

  it('takes an unsigned op written before signing once its signed successor is stored, even from a later push', async () => {
    const c = await central(driver);
    const { tokens, incidentId, streamId } = await room(c);
    const rita = await certifyAt(c.url, await c.token('rita', 'responder'), 'rita');
    // Written before the service had an org key (and never pushed), then a signed op on top of it.
    const [legacy] = timelineOps(1, { incidentId, deviceId: rita.deviceId, actorId: 'rita' });
    const successor = forgeOp(rita, note(incidentId, 'after the upgrade'), Date.now(), { prevHash: legacy.hash });
    expect((await push(c.url, tokens.rui, [successor])).results[0].status).toBe('accepted');
    expect((await push(c.url, tokens.rui, [legacy])).results).toEqual([{ opId: legacy.opId, status: 'accepted' }]);
    // One that no signed op follows stays held.
    const [orphan] = timelineOps(1, { incidentId, deviceId: rita.deviceId, actorId: 'rita' });
    expect((await push(c.url, tokens.rui, [orphan])).results[0]).toMatchObject({ status: 'held' });
    expect((await c.store.readOps(streamId, 0, 100)).map((op) => op.opId)).not.toContain(orphan.opId);
  });

  it('refuses an op whose certificate another node revoked between judging it and storing it', async () => {
    const c = await central(driver);
    const { cora, incidentId, streamId } = await room(c);
    const since = Date.now();
    const op = cora.write(note(incidentId, 'written as the laptop went missing'), since + 5);
    // Another service node stores the revocation (and runs its own pass) just before this push's insert.
    let isArmed = true;
    const store: SyncStore = {
      ...c.store,
      async insertOps(ops, receivedAt) {
        if (isArmed) {
          isArmed = false;
          await c.trust.revoke([cora.certificate], since, 'laptop lost');
        }
        return c.store.insertOps(ops, receivedAt);
      },
    };
    const backend = createCentralBackend({ store, trust: c.trust });
    expect(await backend.push({ name: 'cora', role: 'commander' }, [op])).toEqual([
      { opId: op.opId, status: 'refused', reason: expect.stringContaining(`certificate ${cora.certificate.certId} was revoked`) },
    ]);
    expect((await c.store.readOps(streamId, 0, 100)).find((stored) => stored.opId === op.opId)?.refusal).toContain('was revoked');
  });

  it('signs pipeline events with its service certificate', async () => {
    const c = await central(driver);
    const { tokens, incidentId, streamId } = await room(c);
    const pipeline = await c.token('deploy-bot', 'pipeline');
    const response = await fetch(`${c.url}/v1/incidents/${incidentId}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${pipeline}`, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'deployment', summary: 'Deployed checkout 1.2.3', source: 'github-actions', service: 'checkout' }),
    });
    expect(response.status).toBe(200);
    const trustOps = await pull(c, tokens.cora, 'trust');
    const root = await get<TrustRootResponse>(`${c.url}/v1/trust/root`);
    const view = trustViewOf(root.keys, trustOps);
    const event = (await pull(c, tokens.cora, streamId)).find((op) => op.actorId === 'deploy-bot');
    expect(event?.sig).toBeDefined();
    expect(view.certificate(event!.certId!)?.body.role).toBe('service');
    expect(judgeOp(event!, view)).toMatchObject({ is: 'valid', signer: { role: 'service', user: 'deploy-bot' } });
  });
});

describe.each<Driver>(['sqlite', 'postgres'])('several service nodes on one database (%s)', (driver) => {
  it("judges by what any node wrote to the trust stream: another node's certificate and revocation count at once", async () => {
    const { store, reopen, dataDir } = await openStore(driver);
    const other = await reopen();
    closers.push(
      () => store.close(),
      () => other.close(),
    );
    const keyFile = join(dataDir, 'keys', 'org-key.pem');
    const node = async (s: SyncStore) => {
      const trust = createTrustIssuer(s, await openServiceKeys(s, keyFile));
      const service = await startService({ store: s, port: 0, trust });
      closers.push(() => service.close());
      return { url: service.url, trust };
    };
    const [a, b] = [await node(store), await node(other)];
    const token = `hf_${randomBytes(16).toString('hex')}`;
    await store.addUser({ name: 'cora', role: 'commander', tokenHash: hashToken(token), createdAt: Date.now() });
    // Certified on node A; node B judges cora's ops under that certificate.
    const cora = await certifyAt(a.url, token, 'cora');
    const incidentId = uuidv7();
    const first = cora.write(note(incidentId, 'first'), Date.now());
    expect((await push(b.url, token, [first])).results).toEqual([{ opId: first.opId, status: 'accepted' }]);
    // Revoked on node A; node B refuses what follows.
    await a.trust.revoke([cora.certificate], Date.now(), 'laptop lost');
    const second = cora.write(note(incidentId, 'second'), Date.now() + 5);
    expect((await push(b.url, token, [second])).results[0]).toMatchObject({ status: 'refused', reason: expect.stringContaining('was revoked') });
  });
});

describe.each<Driver>(['sqlite', 'postgres'])('legacy seals (%s)', (driver) => {
  it('seals the unsigned ops stored before signing once, so every node accepts them as legacy', async () => {
    const { store, dataDir } = await openStore(driver);
    closers.push(() => store.close());
    const incidentId = uuidv7();
    const legacy = timelineOps(3, { incidentId, actorId: 'alice' });
    expect(await store.insertOps(legacy, 1)).toEqual(['accepted', 'accepted', 'accepted']);
    const trust = createTrustIssuer(store, await openServiceKeys(store, join(dataDir, 'keys', 'org-key.pem')));
    const service = await startService({ store, port: 0, trust });
    closers.push(() => service.close());

    const token = `hf_${randomBytes(16).toString('hex')}`;
    await store.addUser({ name: 'alice', role: 'commander', tokenHash: hashToken(token), createdAt: Date.now() });
    const c = { url: service.url } as Central;
    const trustOps = await pull(c, token, 'trust');
    const seals = trustOps.filter((op) => op.entity === 'legacy_seal');
    expect(seals.map((op) => op.fields)).toEqual([{ streamId: `incident:${incidentId}`, hashes: legacy.map((op) => op.hash) }]);
    const root = await get<TrustRootResponse>(`${service.url}/v1/trust/root`);
    const view = trustViewOf(root.keys, trustOps);
    for (const op of trustOps) expect(judgeOp(op, view)).toMatchObject({ is: 'valid' });
    for (const op of legacy) expect(judgeOp(op, view)).toMatchObject({ is: 'valid', trust: 'legacy' });

    // A restart seals nothing twice; relayed copies are duplicates; a pinned replica takes them as valid.
    await trust.sealLegacy();
    expect((await pull(c, token, 'trust')).filter((op) => op.entity === 'legacy_seal')).toHaveLength(1);
    expect((await push(service.url, token, legacy)).results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'duplicate']);
    const { replica } = await pinnedReplica(c);
    replica.applyRemote(trustOps);
    expect(replica.applyRemote(legacy).map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
  });
});
