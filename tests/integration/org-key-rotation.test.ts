// Org key rotation: `holdfast server org-key rotate` makes a new key endorsed by the old one; the
// service restarts on it and publishes both; replicas connected before keep syncing, new devices
// get certificates from the new key that every replica accepts; a badly endorsed key is refused.
import { randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateKeyPair, signText } from '@shared/node/ed25519';
import { keyIdOf } from '@shared/trust/certificate';
import type { TrustRootResponse } from '@shared/trust/protocol';
import { orgKeySigningString } from '@shared/trust/signing';
import type { OrgKey } from '@shared/trust/types';
import { startService, type RunningService } from '../../server/service';
import type { SyncStore } from '../../server/storage/sync-store';
import { createTrustIssuer } from '../../server/trust/issue';
import { openServiceKeys } from '../../server/trust/org-key';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import { holdfast } from '../support/cli';
import { call, certifyEngine, openTestEngine } from '../support/engines';
import { openStore, settle } from '../support/sync';
import { hashToken } from '../../server/central-backend';
import { epoch, testOrg } from '../support/trust';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  skew = 0;
  for (const close of closers.splice(0).reverse()) await close();
});

/** The clock the service and the replicas share (moved forward to make renewals due). */
let skew = 0;
const now = () => Date.now() + skew;
const day = 24 * 3600_000;

async function serve(store: SyncStore, keyFile: string, port = 0): Promise<RunningService> {
  const service = await startService({ store, port, now, trust: createTrustIssuer(store, await openServiceKeys(store, keyFile), { now }) });
  closers.push(() => service.close().catch(() => undefined));
  return service;
}

async function addToken(store: SyncStore, name: string): Promise<string> {
  const token = `hf_${randomBytes(16).toString('hex')}`;
  await store.addUser({ name, role: 'commander', tokenHash: hashToken(token), createdAt: Date.now() });
  return token;
}

const replica = () => openTestEngine({ syncPollMs: 60_000, now });

/** The command line against this driver's store (PostgreSQL through DATABASE_URL, as in production). */
async function cli(env: Record<string, string>, ...argv: string[]) {
  const saved = process.env.DATABASE_URL;
  if (env.DATABASE_URL) process.env.DATABASE_URL = env.DATABASE_URL;
  try {
    return await holdfast(...argv);
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

describe.each(['sqlite', 'postgres'] as const)('org key rotation (%s)', (driver) => {
  it('rotates through the CLI; the service restarts on the new key, replicas before and after it sync and judge each other valid', async () => {
    const { dataDir, reopen, env, store: opened } = await openStore(driver);
    await opened.close();
    let store = await reopen();
    const keyFile = join(dataDir, 'keys', 'org-key.pem');
    let service = await serve(store, keyFile);
    const port = service.port;
    const firstKeyId = (await openServiceKeys(store, keyFile)).org.keyId;

    const alice = replica();
    await call(alice, 'sync.connect', { url: service.url, token: await addToken(store, 'alice') });
    const incident = await call(alice, 'incidents.create', { title: 'Checkout down', severity: 'SEV2', summary: '' });
    await settle([alice]);

    // The service stops; the key rotates through the command line.
    await service.close();
    await store.close();
    const rotated = await cli(env, 'server', 'org-key', 'rotate', '--data', dataDir);
    expect(rotated.err).toBe('');
    expect(rotated.code).toBe(0);
    const oldFile = join(dataDir, 'keys', `org-key.${firstKeyId}.pem`);
    expect(rotated.out).toContain(oldFile);
    expect(statSync(oldFile).mode & 0o777).toBe(0o600);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(existsSync(`${keyFile}.new`)).toBe(false);

    // The org key file now holds the new key; `show` still prints the organisation's first key.
    const shown = await cli(env, 'server', 'org-key', 'show', '--data', dataDir);
    expect(shown.code).toBe(0);
    expect(shown.out).toContain(`keyId\t${firstKeyId}`);

    store = await reopen();
    closers.push(() => store.close());
    service = await serve(store, keyFile, port);
    const root = (await (await fetch(`${service.url}/v1/trust/root`)).json()) as TrustRootResponse;
    expect(root.orgKeyId).toBe(firstKeyId);
    expect(root.keys.map((k) => k.keyId)).toHaveLength(2);
    const newKey = root.keys[1];
    expect(newKey).toMatchObject({ endorsedBy: firstKeyId });
    expect(keyIdOf(newKey.publicKey, nativeSha256Hex)).toBe(newKey.keyId);

    // The old key file no longer starts the service: it names the newer key.
    await expect(openServiceKeys(store, oldFile)).rejects.toThrow(`was replaced by org key ${newKey.keyId}`);

    // A device connecting now is certified by the new key.
    const carol = replica();
    await call(carol, 'sync.connect', { url: service.url, token: await addToken(store, 'carol') });
    const carolCert = carol.replica.trust.certificate()!;
    expect(carolCert.body.issuer).toEqual({ kind: 'org', keyId: newKey.keyId });
    expect(carolCert.body.org).toBe(firstKeyId);

    // Alice (certified by the old key) and Carol (by the new) write; both see each other's work, nothing refused or held.
    await settle([alice, carol]);
    await call(carol, 'timeline.add', { incidentId: incident.id, kind: 'observation', text: 'Error rate 40%' });
    await call(alice, 'timeline.add', { incidentId: incident.id, kind: 'action', text: 'Failing over' });
    await settle([alice, carol]);
    for (const engine of [alice, carol]) {
      const texts = (await call(engine, 'timeline.list', { incidentId: incident.id })).entries.map((e) => e.text);
      expect(texts).toEqual(expect.arrayContaining(['Error rate 40%', 'Failing over']));
      expect((await call(engine, 'sync.status', {})).peers[0]).toMatchObject({ state: 'connected', refused: 0, pending: 0 });
      expect(engine.replica.trust.heldCount()).toBe(0);
      expect(engine.replica.trust.view().orgKey(newKey.keyId)?.publicKey).toBe(newKey.publicKey);
    }
    // Alice trusts the new key from the endorsed org_key op she pulled; pinned is still the first key.
    expect(alice.replica.trust.pinnedOrgKeys()[0].keyId).toBe(firstKeyId);
    expect(alice.replica.trust.certificate()!.body.issuer).toEqual({ kind: 'org', keyId: firstKeyId });

    // Eleven days on, a third of Alice's certificate has gone: she renews, and the new key certifies her.
    skew = 11 * day;
    await call(alice, 'sync.now', {});
    expect(alice.replica.trust.certificate()!.body.issuer).toEqual({ kind: 'org', keyId: newKey.keyId });
    expect((await call(alice, 'sync.status', {})).peers[0]).toMatchObject({ state: 'connected', lastError: null });
  });
});

describe('org key rotation', () => {
  it('refuses an org_key op whose endorsement does not verify, and does not trust its key', async () => {
    const org = testOrg();
    const at = epoch + 3_600_000;
    const laptop = replica();
    certifyEngine(laptop, org, 'olga', 'commander', at);
    const service = org.certify({ role: 'service', user: 'holdfast-service' });
    const introduce = { entity: 'device_cert' as const, rowId: '', fields: { body: { ...service.certificate.body }, sig: service.certificate.sig } };

    const endorse = (key: Omit<OrgKey, 'endorsedBy' | 'endorsement'>, by: { keyId: string; privateKey: KeyObject }): OrgKey => ({
      ...key,
      endorsedBy: by.keyId,
      endorsement: signText(by.privateKey, orgKeySigningString(key)),
    });
    const fresh = () => {
      const keys = generateKeyPair();
      return { keys, key: { keyId: keyIdOf(keys.publicKey, nativeSha256Hex), publicKey: keys.publicKey, createdAt: at } };
    };
    // Endorsed by a key that is not the organisation's: its signature does not verify as the org's.
    const stranger = generateKeyPair();
    const bad = fresh();
    const forged = endorse(bad.key, { keyId: org.keyId, privateKey: stranger.privateKey });
    const good = fresh();
    const endorsed = endorse(good.key, { keyId: org.keyId, privateKey: org.keys.privateKey });

    const results = laptop.replica.applyRemote(
      [
        service.write(introduce, at),
        service.write({ entity: 'org_key', rowId: '', fields: { ...forged } }, at + 1),
        service.write({ entity: 'org_key', rowId: '', fields: { ...endorsed } }, at + 2),
      ],
      'central',
    );
    expect(results.map((r) => r.status)).toEqual(['accepted', 'refused', 'accepted']);
    expect(results[1]).toMatchObject({ reason: expect.stringContaining('endorsement does not verify') });
    const view = laptop.replica.trust.view();
    expect(view.orgKey(bad.key.keyId)).toBeUndefined();
    expect(view.orgKey(good.key.keyId)?.publicKey).toBe(good.keys.publicKey);
  });

  it('refuses to rotate a service that has no org key yet, making no key file', async () => {
    const { dataDir, store } = await openStore('sqlite');
    closers.push(() => store.close());
    const run = await holdfast('server', 'org-key', 'rotate', '--data', dataDir);
    expect(run.code).toBe(1);
    expect(run.err).toContain('this service has no org key yet');
    expect(existsSync(join(dataDir, 'keys', 'org-key.pem'))).toBe(false);
  });
});
