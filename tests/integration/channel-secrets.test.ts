// Channel secrets stay on the laptop that set them (issue 18): after a channel is configured, nothing
// readable in holdfast.db (its bytes, the ops table, comms_channels) holds the secret; a replica
// that synced the comms stream has no secret and says which laptop has it; the laptop that set it
// still delivers to a real HTTP endpoint on loopback; secrets left in plaintext by an older
// Holdfast move into the SecretStore on open; a desktop cipher encrypts them at rest.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { channelSecrets } from '../../electron/engine/comms/channel-secrets';
import { channelHolders } from '../../electron/engine/comms/channel-holders';
import { fileSecretStore, type Cipher } from '../../electron/engine/core/secrets';
import { call, exchange, openTestEngine, publishInternalUpdate, refusal, stateOf } from '../support/engines';
import { eventually } from '../support/eventually';
import { httpReceiver } from '../support/receivers';
import { settle, startCentral } from '../support/sync';
import { tempDir } from '../support/temp';

const headerSecret = 'hdr-5ecret-7d41c9a2e0';
const pathToken = 'T0KEN-b83f0c1e55aa';

const fastOutbox = { intervalMs: 50, retryDelaysMs: [150], timeoutMs: 2_000, leaseMs: 5_000 };

function engineAs(name: string, options: Parameters<typeof openTestEngine>[0] = {}): Engine {
  const engine = openTestEngine({ outbox: fastOutbox, ...options });
  engine.replica.setActor(name);
  return engine;
}

const dataDirOf = async (engine: Engine) => (await call(engine, 'app.info', {})).dataDir;

/** Every way a person with the files could read the database: its bytes (and WAL), and every table through SQLite. */
function databaseHolds(dataDir: string, secret: string): string[] {
  const found: string[] = [];
  for (const file of readdirSync(dataDir).filter((f) => f.startsWith('holdfast.db'))) {
    if (readFileSync(join(dataDir, file)).includes(secret)) found.push(`bytes of ${file}`);
  }
  const db = new Database(join(dataDir, 'holdfast.db'), { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    for (const table of tables) {
      const rows = db.prepare(`SELECT * FROM "${table}"`).all();
      if (JSON.stringify(rows).includes(secret)) found.push(`table ${table}`);
    }
  } finally {
    db.close();
  }
  return found;
}

async function publishInternal(engine: Engine, channelIds: string[]) {
  const incident = await call(engine, 'incidents.create', { title: 'Checkout failing', severity: 'SEV1', services: ['checkout'] });
  const published = await publishInternalUpdate(engine, incident, channelIds);
  return { incident, published };
}

describe('channel secrets', () => {
  const http = httpReceiver();
  let base = '';
  beforeAll(async () => {
    base = `http://127.0.0.1:${await http.listen()}`;
  });
  afterAll(() => http.close());
  afterEach(() => {
    http.received.length = 0;
    http.routes.clear();
  });

  const hookConfig = () => ({ kind: 'webhook' as const, url: `${base}/hooks/${pathToken}`, secretHeader: { name: 'X-Holdfast-Secret', value: headerSecret } });

  it('after a channel is configured, holdfast.db, its ops and comms_channels hold no secret, and the holder still delivers', async () => {
    const maya = engineAs('maya');
    const saved = await call(maya, 'comms.saveChannel', { name: 'Status hook', audiences: ['internal'], config: hookConfig() });
    maya.db.pragma('wal_checkpoint(TRUNCATE)');
    const dir = await dataDirOf(maya);
    expect(databaseHolds(dir, headerSecret)).toEqual([]);
    expect(databaseHolds(dir, pathToken)).toEqual([]);
    expect(JSON.parse(maya.db.prepare('SELECT config FROM comms_channels WHERE id = ?').pluck().get(saved.id) as string)).toEqual({
      kind: 'webhook',
      url: `${base}/••••`,
      secretHeader: { name: 'X-Holdfast-Secret', value: '••••' },
    });
    // The secret is in the SecretStore, and the channel op names it by id only.
    expect(channelSecrets(fileSecretStore(dir)).held(saved.id)?.values).toEqual({ url: hookConfig().url, 'secretHeader.value': headerSecret });
    expect(saved.secret).toMatchObject({ isHeldHere: true, holders: [{ deviceId: maya.replica.deviceId, user: 'maya', isThisLaptop: true }] });
    expect(saved.secret.protection).toContain('no operating-system keychain here');

    http.routes.set(`POST /hooks/${pathToken}`, (_req, res) => res.writeHead(200).end('ok'));
    const { incident, published } = await publishInternal(maya, [saved.id]);
    await eventually(async () => expect((await call(maya, 'comms.room', { incidentId: incident.id })).published[0].deliveries[0]).toMatchObject({ state: 'delivered' }));
    expect(http.received).toHaveLength(1);
    expect(http.received[0].path).toBe(`/hooks/${pathToken}`);
    expect(http.received[0].headers['x-holdfast-secret']).toBe(headerSecret);
    expect(http.received[0].headers['idempotency-key']).toBe(`${published.updateId}:webhook`);
    // Nothing on the way wrote the secret either.
    maya.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseHolds(dir, headerSecret)).toEqual([]);
    expect(databaseHolds(dir, pathToken)).toEqual([]);
  });

  it('a replica that synced the comms stream has no secret, says who holds it, sends nothing, and can be given the secret', async () => {
    const maya = engineAs('maya');
    const ravi = engineAs('ravi');
    const saved = await call(maya, 'comms.saveChannel', { name: 'Status hook', audiences: ['internal'], config: hookConfig() });
    exchange(maya, ravi);
    ravi.db.pragma('wal_checkpoint(TRUNCATE)');
    const raviDir = await dataDirOf(ravi);
    expect(databaseHolds(raviDir, headerSecret)).toEqual([]);
    expect(databaseHolds(raviDir, pathToken)).toEqual([]);
    expect(existsSync(join(raviDir, 'secrets.json')) ? readFileSync(join(raviDir, 'secrets.json'), 'utf8') : '').not.toContain(headerSecret);

    const [seen] = await call(ravi, 'comms.channels', {});
    expect(seen.secret).toMatchObject({ isHeldHere: false, holders: [{ deviceId: maya.replica.deviceId, user: 'maya', isThisLaptop: false }] });
    expect(channelHolders(ravi.db, saved.id).map((h) => h.deviceId)).toEqual([maya.replica.deviceId]);

    // Ravi publishes to it: the delivery waits for the laptop holding the secret.
    http.routes.set(`POST /hooks/${pathToken}`, (_req, res) => res.writeHead(200).end('ok'));
    const { incident } = await publishInternal(ravi, [saved.id]);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(http.received).toHaveLength(0);
    expect((await call(ravi, 'comms.room', { incidentId: incident.id })).published[0].deliveries[0].state).toBe('queued');

    // A secret typed here for another configuration is refused and changes nothing.
    const before = stateOf(ravi);
    const wrong = await refusal(() => call(ravi, 'comms.setChannelSecret', { id: saved.id, config: { ...hookConfig(), secretHeader: { name: 'X-Other', value: 'x' } } }));
    expect(wrong.message).toMatch(/differs from the channel's \(secretHeader\); to change the channel, edit it instead/);
    const left = await refusal(() => call(ravi, 'comms.setChannelSecret', { id: saved.id, config: seen.config }));
    expect(left.message).toMatch(/still hold "••••"; type the secret there/);
    expect(stateOf(ravi)).toEqual(before);

    // Set on Ravi's laptop too: both hold it, and Ravi's laptop delivers.
    const set = await call(ravi, 'comms.setChannelSecret', { id: saved.id, config: hookConfig() });
    expect(set.secret.isHeldHere).toBe(true);
    expect(set.secret.holders.map((h) => h.user).sort()).toEqual(['maya', 'ravi']);
    await eventually(async () => expect((await call(ravi, 'comms.room', { incidentId: incident.id })).published[0].deliveries[0]).toMatchObject({ state: 'delivered' }));
    expect(http.received.map((r) => r.headers['x-holdfast-secret'])).toEqual([headerSecret]);
  });

  it('synced through the central service, neither the service nor the other replica gets the secret', async () => {
    const central = await startCentral('sqlite');
    try {
      const maya = engineAs('maya', { syncPollMs: 100 });
      const ravi = engineAs('ravi', { syncPollMs: 100 });
      await call(maya, 'sync.connect', { url: central.url, token: await central.token('maya', 'comms') });
      const raviToken = await central.token('ravi', 'commander');
      await call(ravi, 'sync.connect', { url: central.url, token: raviToken });
      const saved = await call(maya, 'comms.saveChannel', { name: 'Status hook', audiences: ['internal'], config: hookConfig() });
      await settle([maya, ravi]);
      // The holder record is judged valid by the service (a comms lead's own laptop).
      expect((await call(maya, 'sync.status', {})).peers[0].refused).toBe(0);
      const [seen] = await call(ravi, 'comms.channels', {});
      expect(seen).toMatchObject({ id: saved.id, secret: { isHeldHere: false, holders: [{ deviceId: maya.replica.deviceId, user: 'maya' }] } });
      ravi.db.pragma('wal_checkpoint(TRUNCATE)');
      expect(databaseHolds(await dataDirOf(ravi), headerSecret)).toEqual([]);
      expect(databaseHolds(await dataDirOf(ravi), pathToken)).toEqual([]);
      const pulled = await fetch(`${central.url}/v1/sync/pull?stream=comms&limit=5000`, { headers: { authorization: `Bearer ${raviToken}` } });
      const text = await pulled.text();
      expect(pulled.status).toBe(200);
      expect(text).toContain('comms_channel_holder');
      expect(text).not.toContain(headerSecret);
      expect(text).not.toContain(pathToken);
    } finally {
      await central.close();
    }
  });

  it('a new secret saved on one laptop leaves the others holding an old one, which no longer counts', async () => {
    const maya = engineAs('maya');
    const ravi = engineAs('ravi');
    const saved = await call(maya, 'comms.saveChannel', { name: 'Status hook', audiences: ['internal'], config: hookConfig() });
    exchange(maya, ravi);
    await call(ravi, 'comms.setChannelSecret', { id: saved.id, config: hookConfig() });
    exchange(maya, ravi);
    expect(channelHolders(maya.db, saved.id)).toHaveLength(2);
    // Ravi renames it without holding anything new: the secret (and both holders) stay.
    await call(ravi, 'comms.saveChannel', { id: saved.id, name: 'Renamed hook', audiences: ['internal'], config: saved.config });
    exchange(maya, ravi);
    expect(channelHolders(maya.db, saved.id)).toHaveLength(2);
    // Maya rotates the header secret: only her laptop holds the new one.
    await call(maya, 'comms.saveChannel', {
      id: saved.id,
      name: 'Renamed hook',
      audiences: ['internal'],
      config: { ...hookConfig(), secretHeader: { name: 'X-Holdfast-Secret', value: 'rotated-value' } },
    });
    exchange(maya, ravi);
    for (const engine of [maya, ravi]) expect(channelHolders(engine.db, saved.id).map((h) => h.deviceId)).toEqual([maya.replica.deviceId]);
    expect((await call(ravi, 'comms.channels', {}))[0].secret.isHeldHere).toBe(false);
  });

  it('moves a plaintext secret an older Holdfast left in comms_channels into the SecretStore on open, and still delivers', async () => {
    const dataDir = tempDir();
    const first = engineAs('maya', { dataDir });
    // What an older Holdfast wrote: the whole configuration, secrets included, in the channel op.
    first.replica.commitLocal([
      {
        entity: 'comms_channel',
        rowId: 'old-hook',
        fields: { name: 'Old hook', config: hookConfig(), audiences: ['internal'], isEnabled: true, deleted: false, updatedBy: 'maya' },
      },
    ]);
    expect(first.db.prepare('SELECT config FROM comms_channels').pluck().get()).toContain(headerSecret);
    await first.close();

    const engine = engineAs('maya', { dataDir });
    expect(JSON.parse(engine.db.prepare("SELECT config FROM comms_channels WHERE id = 'old-hook'").pluck().get() as string)).toEqual({
      kind: 'webhook',
      url: `${base}/••••`,
      secretHeader: { name: 'X-Holdfast-Secret', value: '••••' },
    });
    expect(channelSecrets(fileSecretStore(dataDir)).held('old-hook')?.values['secretHeader.value']).toBe(headerSecret);
    // The old op cannot be rewritten (signed, chained): it still holds the secret, which is why the
    // docs say to rotate it. The projection agrees with the op log.
    expect(engine.db.prepare("SELECT count(*) FROM ops WHERE entity = 'comms_channel' AND fields LIKE ?").pluck().get(`%${headerSecret}%`)).toBe(1);
    expect(engine.replica.rebuild({ dryRun: true }).isIdentical).toBe(true);
    engine.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(databaseHolds(dataDir, headerSecret)).toEqual(['bytes of holdfast.db', 'table ops']);
    const [view] = await call(engine, 'comms.channels', {});
    expect(view.secret).toMatchObject({ isHeldHere: true, holders: [{ deviceId: engine.replica.deviceId }] });

    http.routes.set(`POST /hooks/${pathToken}`, (_req, res) => res.writeHead(200).end('ok'));
    const { incident } = await publishInternal(engine, ['old-hook']);
    await eventually(async () =>
      expect((await call(engine, 'comms.room', { incidentId: incident.id })).published[0].deliveries[0]).toMatchObject({ state: 'delivered' }),
    );
    expect(http.received[0].headers['x-holdfast-secret']).toBe(headerSecret);
  });

  it('moves a plaintext secret that arrives by sync from an older Holdfast at once', async () => {
    const older = engineAs('maya');
    const ravi = engineAs('ravi');
    older.replica.commitLocal([
      {
        entity: 'comms_channel',
        rowId: 'old-hook',
        fields: { name: 'Old hook', config: hookConfig(), audiences: ['internal'], isEnabled: true, deleted: false, updatedBy: 'maya' },
      },
    ]);
    exchange(older, ravi);
    await eventually(() => expect(channelHolders(ravi.db, 'old-hook').map((h) => h.deviceId)).toEqual([ravi.replica.deviceId]));
    expect(ravi.db.prepare("SELECT config FROM comms_channels WHERE id = 'old-hook'").pluck().get()).not.toContain(headerSecret);
    expect(channelSecrets(fileSecretStore(await dataDirOf(ravi))).held('old-hook')?.values['secretHeader.value']).toBe(headerSecret);
  });

  it('encrypts channel secrets at rest with the desktop cipher (the OS keychain through safeStorage)', async () => {
    // Stands in for Electron's safeStorage, which exists only inside Electron.
    const sealed: Cipher = {
      encrypt: (plain) => Buffer.from(Buffer.from(plain, 'utf8').map((b) => b ^ 0x5a)),
      decrypt: (bytes) => Buffer.from(bytes.map((b) => b ^ 0x5a)).toString('utf8'),
    };
    const dataDir = tempDir();
    const engine = engineAs('maya', { dataDir, secrets: fileSecretStore(dataDir, sealed) });
    const saved = await call(engine, 'comms.saveChannel', { name: 'Status hook', audiences: ['internal'], config: hookConfig() });
    expect(saved.secret.protection).toBe('encrypted with the operating system keychain');
    const stored = readFileSync(join(dataDir, 'secrets.json'), 'utf8');
    expect(stored).toContain('channel-secret:');
    expect(stored).not.toContain(headerSecret);
    expect(stored).not.toContain(pathToken);
    expect(channelSecrets(fileSecretStore(dataDir, sealed)).held(saved.id)?.values['secretHeader.value']).toBe(headerSecret);
  });
});
