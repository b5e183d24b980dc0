// The central service's trust: its org key file, certificates issued over POST /v1/certs and
// carried in the `trust` stream, revocations from the CLI, and forged trust records refused.
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkOp, type Op } from '@shared/ops';
import type { Role } from '@shared/roles';
import { generateKeyPair, ed25519, signText, type Ed25519KeyPair } from '@shared/node/ed25519';
import { checkCertificate, checkRevocation } from '@shared/trust/certificate';
import { judgeOp } from '@shared/trust/judge';
import type { CertResponse, TrustRootResponse } from '@shared/trust/protocol';
import { certRequestSigningString } from '@shared/trust/signing';
import { handleSync, type SyncBackend } from '@shared/sync-handler';
import type { RevocationBody, SignedCertificate } from '@shared/trust/types';
import { hashToken } from '../../server/central-backend';
import { startService, type RunningService } from '../../server/service';
import { openSqliteSyncStore } from '../../server/storage/sqlite-store';
import { sha256Hex, type SyncStore } from '../../server/storage/sync-store';
import { createTrustIssuer } from '../../server/trust/issue';
import { openServiceKeys } from '../../server/trust/org-key';
import { trustViewOf } from '../../server/trust/stored-trust';
import { createHub, startHubServer } from '../../electron/engine/sync/hub';
import { holdfast } from '../support/cli';
import { openTestEngine } from '../support/engines';
import { hubFetch, openStore, type Driver } from '../support/sync';
import { tempDir } from '../support/temp';
import { certifyAt } from '../support/ops';
import { chainWriter, day, forgeOp, testOrg } from '../support/trust';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface TrustedCentral {
  url: string;
  store: SyncStore;
  keyFile: string;
  token(name: string, role: Role): Promise<string>;
}

async function serve(store: SyncStore, keyFile: string): Promise<RunningService> {
  const service = await startService({ store, port: 0, trust: createTrustIssuer(store, await openServiceKeys(store, keyFile)) });
  closers.push(() => service.close());
  return service;
}

async function startTrusted(driver: Driver): Promise<TrustedCentral> {
  const { store, dataDir } = await openStore(driver);
  closers.push(() => store.close());
  const keyFile = join(dataDir, 'keys', 'org-key.pem');
  const service = await serve(store, keyFile);
  return {
    url: service.url,
    store,
    keyFile,
    async token(name, role) {
      const token = `hf_${randomBytes(16).toString('hex')}`;
      await store.addUser({ name, role, tokenHash: hashToken(token), createdAt: Date.now() });
      return token;
    },
  };
}

async function call<T = Record<string, unknown>>(url: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: T }> {
  const response = await hubFetch(url + path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { ...(token && { authorization: `Bearer ${token}` }), ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

const newDeviceId = () => randomBytes(8).toString('hex');

/** A certificate request as a device makes it: its key's proof over org, user, device and minute. */
function certRequest(orgKeyId: string, user: string, deviceId: string, keys: Ed25519KeyPair, minute = Math.floor(Date.now() / 60_000)) {
  return { deviceId, publicKey: keys.publicKey, proof: signText(keys.privateKey, certRequestSigningString(orgKeyId, user, deviceId, minute)) };
}

async function pullTrust(url: string, token: string): Promise<Op[]> {
  const pulled = await call<{ ops: Op[] }>(url, '/v1/sync/pull?stream=trust&after=0&limit=1000', token);
  expect(pulled.status).toBe(200);
  return pulled.body.ops;
}

describe.each<Driver>(['sqlite', 'postgres'])('certificates from the central service (%s)', (driver) => {
  it('certifies a device key for the token user, as a trust op any replica pulls and can check', async () => {
    const central = await startTrusted(driver);
    const [alice, bob] = [await central.token('alice', 'commander'), await central.token('bob', 'viewer')];
    const root = await call<TrustRootResponse>(central.url, '/v1/trust/root');
    expect(root.status).toBe(200);
    expect(root.body.keys).toHaveLength(1);
    const [orgKey] = root.body.keys;
    expect(orgKey).toMatchObject({ keyId: root.body.orgKeyId, fingerprint: sha256Hex(orgKey.publicKey) });
    expect((await call(central.url, '/v1/me', alice)).body).toEqual({ name: 'alice', role: 'commander', node: 'central', orgKeyId: orgKey.keyId });

    const keys = generateKeyPair();
    const deviceId = newDeviceId();
    const issued = await call<CertResponse>(central.url, '/v1/certs', alice, certRequest(orgKey.keyId, 'alice', deviceId, keys));
    expect(issued.status).toBe(200);
    const { certificate } = issued.body;
    expect(checkCertificate(certificate, orgKey.publicKey, ed25519.verify, sha256Hex)).toEqual({ ok: true, certificate });
    expect(certificate.body).toMatchObject({
      user: 'alice',
      role: 'commander',
      deviceId,
      publicKey: keys.publicKey,
      adopts: true,
      issuer: { kind: 'org', keyId: orgKey.keyId },
    });
    expect(certificate.body.notAfter - certificate.body.issuedAt).toBe(30 * day);
    expect(issued.body.orgKeys).toEqual(root.body.keys);

    // Bob (another user, a viewer) pulls it; every trust op is signed and valid under the pinned key.
    const ops = await pullTrust(central.url, bob);
    const carried = ops.find((op) => op.entity === 'device_cert' && (op.fields as unknown as SignedCertificate).body.deviceId === deviceId);
    expect(carried?.fields).toEqual({ body: certificate.body, sig: certificate.sig });
    const view = trustViewOf(root.body.keys, ops);
    for (const op of ops) {
      expect(checkOp(op, sha256Hex).ok).toBe(true);
      expect(op.sig).toBeDefined();
      expect(judgeOp(op, view)).toMatchObject({ is: 'valid' });
    }
    // A second certificate for the same device adopts nothing; another user cannot take the device.
    const renewed = await call<CertResponse>(central.url, '/v1/certs', alice, certRequest(orgKey.keyId, 'alice', deviceId, keys));
    expect(renewed.body.certificate.body.adopts).toBe(false);
    const taken = await call(central.url, '/v1/certs', bob, certRequest(orgKey.keyId, 'bob', deviceId, keys));
    expect(taken).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining('is certified for alice') } } });
  });

  it('refuses wrong proofs, bad bodies and pipeline tokens, storing nothing', async () => {
    const central = await startTrusted(driver);
    const alice = await central.token('alice', 'responder');
    const ci = await central.token('ci', 'pipeline');
    const { orgKeyId } = (await call<TrustRootResponse>(central.url, '/v1/trust/root')).body;
    const keys = generateKeyPair();
    const deviceId = newDeviceId();
    const refusals: [unknown, number, string][] = [
      [certRequest(orgKeyId, 'mallory', deviceId, keys), 400, 'proof: does not verify'],
      [{ ...certRequest(orgKeyId, 'alice', deviceId, keys), publicKey: generateKeyPair().publicKey }, 400, 'proof: does not verify'],
      [certRequest(orgKeyId, 'alice', deviceId, keys, Math.floor(Date.now() / 60_000) - 60), 400, 'proof: does not verify'],
      [certRequest('0'.repeat(32), 'alice', deviceId, keys), 400, 'proof: does not verify'],
      [{ ...certRequest(orgKeyId, 'alice', deviceId, keys), deviceId: 'laptop' }, 400, 'deviceId: must be the device id'],
      [{ deviceId, publicKey: keys.publicKey }, 400, 'proof:'],
    ];
    for (const [body, status, message] of refusals) {
      const refused = await call(central.url, '/v1/certs', alice, body);
      expect(refused).toMatchObject({ status, body: { error: { message: expect.stringContaining(message) } } });
    }
    expect(await call(central.url, '/v1/certs', ci, certRequest(orgKeyId, 'ci', deviceId, keys))).toMatchObject({
      status: 403,
      body: { error: { message: expect.stringContaining('pipeline') } },
    });
    expect((await call(central.url, '/v1/certs', undefined, certRequest(orgKeyId, 'alice', deviceId, keys))).status).toBe(401);
    expect(await central.store.readOps('trust', 0, 10)).toEqual([]);
  });

  it('refuses trust records pushed by clients unless this org signed them, even from an admin', async () => {
    const central = await startTrusted(driver);
    const admin = await central.token('root', 'admin');
    const root = (await call<TrustRootResponse>(central.url, '/v1/trust/root')).body;
    await call(central.url, '/v1/certs', admin, certRequest(root.orgKeyId, 'root', newDeviceId(), generateKeyPair()));
    const before = await central.store.readOps('trust', 0, 100);

    // Another organisation's key, and that org's "service", certifying a device as admin.
    const other = testOrg();
    const fakeService = other.certify({ role: 'service', notBefore: Date.now() - day });
    const stranger = other.certify({ role: 'admin', user: 'root', notBefore: Date.now() - day });
    const now = Date.now();
    const forged = [
      forgeOp(fakeService, { entity: 'device_cert', rowId: '', fields: { body: { ...stranger.certificate.body }, sig: stranger.certificate.sig } }, now),
      forgeOp(fakeService, { entity: 'cert_revocation', rowId: '', fields: { ...other.revoke(stranger.certificate, now) } as never }, now + 1),
      forgeOp(fakeService, { entity: 'org_key', rowId: '', fields: { ...other.orgKey } }, now + 2),
      // Unsigned, written as the admin's own op.
      (({ sig: _sig, certId: _certId, ...rest }) => ({ ...rest }))(
        forgeOp(stranger, { entity: 'org_key', rowId: '', fields: { ...other.orgKey } }, now + 3, { certId: null }),
      ),
    ];
    const pushed = await call<{ results: { status: string; reason?: string }[] }>(central.url, '/v1/sync/push', admin, { ops: forged });
    expect(pushed.status).toBe(200);
    // Under a certificate this service never accepted: held (not stored; the sender may retry), never taken.
    expect(pushed.body.results.map((r) => r.status)).toEqual(['held', 'held', 'held', 'rejected']);
    expect(pushed.body.results[0].reason).toContain(`unknown certificate ${fakeService.certificate.certId}`);
    expect(pushed.body.results[3].reason).toBe('sig: this service requires signed ops: update Holdfast');
    expect(await central.store.readOps('trust', 0, 100)).toEqual(before);

    // The admin's own certified device cannot write org records either: stored refused, counting for nothing.
    const adminDevice = await certifyAt(central.url, admin, 'root');
    const own = adminDevice.write({ entity: 'device_cert', rowId: '', fields: { body: { ...stranger.certificate.body }, sig: stranger.certificate.sig } }, Date.now());
    const refused = await call<{ results: { status: string; reason?: string }[] }>(central.url, '/v1/sync/push', admin, { ops: [own] });
    expect(refused.body.results).toEqual([{ opId: own.opId, status: 'refused', reason: 'only the service writes certificates issued by the organisation' }]);
    const root2 = (await call<TrustRootResponse>(central.url, '/v1/trust/root')).body;
    const stored = await central.store.readOps('trust', 0, 100);
    expect(stored.at(-1)).toMatchObject({ opId: own.opId, refusal: 'only the service writes certificates issued by the organisation' });
    expect(trustViewOf(root2.keys, stored).certificate(stranger.certificate.certId)).toBeUndefined();
    const beforeRelay = stored.filter((op) => op.opId !== own.opId);

    // The service's own records relayed back are duplicates, not refusals.
    const relayed = await call<{ results: { status: string }[] }>(central.url, '/v1/sync/push', admin, { ops: beforeRelay.map(({ seq: _seq, ...op }) => op) });
    expect(relayed.body.results.every((r) => r.status === 'duplicate')).toBe(true);
  });

  it('keeps its org key in a 0600 file, the same across restarts, and refuses a different one', async () => {
    const { store, reopen, dataDir } = await openStore(driver);
    closers.push(() => store.close());
    const keyFile = join(dataDir, 'keys', 'org-key.pem');
    const first = await openServiceKeys(store, keyFile);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(statSync(join(dataDir, 'keys')).mode & 0o777).toBe(0o700);
    expect(statSync(join(dataDir, 'keys', 'service-device-key.pem')).mode & 0o777).toBe(0o600);
    const again = await reopen();
    closers.push(() => again.close());
    const second = await openServiceKeys(again, keyFile);
    expect(second.org.keyId).toBe(first.org.keyId);
    expect(second.device.publicKey).toBe(first.device.publicKey);
    expect(await again.orgKeys()).toEqual([{ keyId: first.org.keyId, publicKey: first.org.publicKey, createdAt: first.org.createdAt }]);
    // A node given another key file (or none) is refused, naming the file.
    const otherFile = join(tempDir(), 'org-key.pem');
    await expect(openServiceKeys(again, otherFile)).rejects.toThrow(`no org key file at ${otherFile}`);
    await openServiceKeys(openSqliteSyncStore(tempDir()), otherFile);
    await expect(openServiceKeys(again, otherFile)).rejects.toThrow(`the org key in ${otherFile}`);
  });
});

describe('a war-room hub', () => {
  it('does not issue certificates: the trust routes answer 404 and /v1/me names no org key', async () => {
    const hub = createHub(openTestEngine().replica);
    const running = await startHubServer(hub, 0, '127.0.0.1');
    closers.push(() => running.close());
    const url = running.status().urls[0];
    expect(await call(url, '/v1/trust/root')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    // As a member the hub admitted (joining is hub-join's business, tested with the hub).
    const member: SyncBackend = { ...hub.backend, authenticate: async () => ({ name: 'sam', role: 'responder' }) };
    const asSam = (method: string, path: string, body?: unknown) => handleSync(member, { method, path, query: {}, authorization: 'Bearer t', body });
    expect(await asSam('POST', '/v1/certs', certRequest('0'.repeat(32), 'sam', newDeviceId(), generateKeyPair()))).toMatchObject({
      status: 404,
      body: { error: { message: expect.stringContaining('ask the central service') } },
    });
    expect((await asSam('GET', '/v1/me')).body).not.toHaveProperty('orgKeyId');
  });
});

describe('holdfast server org-key and device revoke', () => {
  it('shows the org key, and revokes a device with a revocation every replica can check', async () => {
    const data = tempDir();
    const shown = await holdfast('server', 'org-key', 'show', '--data', data);
    expect(shown.code).toBe(0);
    const lines = Object.fromEntries(shown.out.split('\n').map((line) => line.split('\t')));
    expect(lines.keyId).toMatch(/^[0-9a-f]{32}$/);
    expect(lines.fingerprint).toBe(sha256Hex(lines.publicKey));
    expect(lines.file).toBe(join(data, 'keys', 'org-key.pem'));
    expect(statSync(lines.file).mode & 0o777).toBe(0o600);

    const store = openSqliteSyncStore(data);
    closers.push(() => store.close());
    const service = await serve(store, lines.file);
    const token = `hf_${randomBytes(16).toString('hex')}`;
    await store.addUser({ name: 'carol', role: 'responder', tokenHash: hashToken(token), createdAt: Date.now() });
    const root = (await call<TrustRootResponse>(service.url, '/v1/trust/root')).body;
    expect(root.orgKeyId).toBe(lines.keyId);
    const [laptop, phone] = [newDeviceId(), newDeviceId()];
    const laptopKeys = generateKeyPair();
    const laptopCert = (await call<CertResponse>(service.url, '/v1/certs', token, certRequest(root.orgKeyId, 'carol', laptop, laptopKeys))).body.certificate;
    const phoneCert = (await call<CertResponse>(service.url, '/v1/certs', token, certRequest(root.orgKeyId, 'carol', phone, generateKeyPair()))).body.certificate;
    // The laptop wrote a note before it was reported missing: stored valid for now.
    const writeAsLaptop = chainWriter(laptop, 'carol', { certId: laptopCert.certId, sign: (m) => signText(laptopKeys.privateKey, m) });
    const incidentId = '01a24d82-c9d5-7c0a-8ebe-e3bbe1fb00b2';
    const laptopNote = writeAsLaptop(
      { entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text: 'rollback now', eventAt: Date.now() } },
      Date.now(),
    );
    expect((await call<{ results: { status: string }[] }>(service.url, '/v1/sync/push', token, { ops: [laptopNote] })).body.results[0].status).toBe('accepted');

    // From an hour ago (the laptop went missing then); the user's later revocation skips it.
    const since = new Date(Date.now() - 3600_000).toISOString();
    const revoked = await holdfast('server', 'device', 'revoke', laptop, '--since', since, '--data', data);
    expect(revoked).toMatchObject({ code: 0, out: `revoked 1 certificate of device ${laptop} from ${since}\n${laptopCert.certId}\tcarol` });
    expect((await holdfast('server', 'user', 'revoke', 'carol', '--data', data)).out).toBe('revoked every token of carol\nrevoked 1 device certificate of carol');
    // The note falls after the revocation's effective time: the service now keeps it refused, in its chain.
    const verified = await holdfast('server', 'verify-chain', '--data', data);
    expect(verified.code).toBe(0);
    expect(verified.out).toContain(`refused: certificate ${laptopCert.certId} was revoked from ${since}: device revoked by an administrator (op ${laptopNote.opId}`);

    const admin = `hf_${randomBytes(16).toString('hex')}`;
    await store.addUser({ name: 'dana', role: 'admin', tokenHash: hashToken(admin), createdAt: Date.now() });
    const ops = await pullTrust(service.url, admin);
    const revocations = ops.filter((op) => op.entity === 'cert_revocation').map((op) => op.fields as unknown as { body: RevocationBody; sig: string });
    expect(revocations.map((r) => [r.body.certId, r.body.effectiveAt])).toEqual([
      [laptopCert.certId, Date.parse(since)],
      [phoneCert.certId, expect.any(Number)],
    ]);
    for (const r of revocations) expect(checkRevocation(r, root.keys[0].publicKey, ed25519.verify)).toBeNull();
    const view = trustViewOf(root.keys, ops);
    for (const op of ops) expect(judgeOp(op, view)).toMatchObject({ is: 'valid' });
  });

  it.each([
    [['server', 'device', 'revoke'], 'name the device'],
    [['server', 'device', 'revoke', 'laptop-1'], 'DEVICE_ID is 16 lowercase hex digits'],
    [['server', 'device', 'revoke', 'aaaaaaaaaaaaaaaa', '--since', 'yesterday'], '--since must be an ISO date'],
    [['server', 'device', 'forget', 'aaaaaaaaaaaaaaaa'], 'usage: holdfast server device revoke'],
    [['server', 'org-key', 'replace'], 'usage: holdfast server org-key show'],
    [['server', '--cert-days', '0'], '--cert-days must be a whole number'],
  ])('exits 2 for %j', async (argv, message) => {
    const run = await holdfast(...argv, '--data', tempDir());
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
  });

  it('fails in one line when the device has no certificate', async () => {
    const run = await holdfast('server', 'device', 'revoke', 'aaaaaaaaaaaaaaaa', '--data', tempDir());
    expect(run).toMatchObject({ code: 1, err: expect.stringContaining('no certificate was issued to device aaaaaaaaaaaaaaaa') });
  });
});
