// `holdfast server` from the command line: users and tokens, the service over TLS, and
// verify-chain over the chains the service stores (both drivers).
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import pg from 'pg';
import { canonicalJson } from '@shared/canonical';
import { uuidv7 } from '@shared/ids';
import { holdfast } from '../support/cli';
import { certifyAt, timelineOps } from '../support/ops';
import { openStore, spawnServer, type Driver } from '../support/sync';
import { tempDir } from '../support/temp';
import { selfSignedCert } from '../support/tls';
import { hashToken } from '../../server/central-backend';
import { startService } from '../../server/service';
import { createTrustIssuer } from '../../server/trust/issue';
import { openServiceKeys } from '../../server/trust/org-key';
import type { ChildProcess } from 'node:child_process';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('holdfast server user', () => {
  it('adds a user and prints its token once, lists and revokes', async () => {
    const data = tempDir();
    const added = await holdfast('server', 'user', 'add', 'alice', '--role', 'commander', '--data', data);
    expect(added.code).toBe(0);
    const token = /token \(shown once, store it now\): (hf_[A-Za-z0-9_-]{43})$/m.exec(added.out)?.[1];
    expect(token).toBeDefined();
    const dbBytes = readFileSync(join(data, 'holdfast-server.db'));
    expect(dbBytes.includes(Buffer.from(token!))).toBe(false); // only its hash is stored

    expect(await holdfast('server', 'user', 'add', 'alice', '--role', 'viewer', '--data', data)).toMatchObject({
      code: 1,
      err: expect.stringContaining('already exists; revoke it first'),
    });
    expect((await holdfast('server', 'user', 'list', '--data', data)).out).toBe('alice\tcommander\tactive');
    expect((await holdfast('server', 'user', 'revoke', 'alice', '--data', data)).code).toBe(0);
    expect((await holdfast('server', 'user', 'list', '--data', data)).out).toMatch(/^alice\tcommander\trevoked /);
    expect((await holdfast('server', 'user', 'revoke', 'alice', '--data', data)).code).toBe(1);
  });

  it.each([
    [['server', 'user', 'add', 'bob', '--role', 'overlord'], '--role must be one of admin, commander, comms, responder, viewer'],
    [['server', 'user', 'add', 'bob'], '--role must be one of'],
    [['server', 'user', 'add', 'bob smith', '--role', 'viewer'], 'a user name is 1 to 64 letters'],
    [['server', 'user', 'rename', 'bob'], 'usage: holdfast server user add NAME'],
    [['server', '--cert', 'a.pem'], '--cert and --key go together'],
    [['server', '--port', 'http'], '--port must be a whole number'],
  ])('exits 2 for %j', async (argv, message) => {
    const run = await holdfast(...argv, ...(argv[1] === 'user' ? ['--data', tempDir()] : []));
    expect(run.code).toBe(2);
    expect(run.err).toContain(message);
  });
});

describe('holdfast server with --cert and --key', () => {
  it('serves the protocol over TLS', async () => {
    const dir = tempDir();
    selfSignedCert(dir);
    const server = await spawnServer(['--data', join(dir, 'data'), '--port', '0', '--cert', join(dir, 'cert.pem'), '--key', join(dir, 'key.pem')], {});
    children.push(server.child);
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const body = await new Promise<string>((resolve, reject) => {
      const req = request(`${server.url}/healthz`, { ca: readFileSync(join(dir, 'cert.pem')) }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(JSON.parse(body)).toEqual({ ok: true, node: 'central' });
  });
});

describe.each<Driver>(['sqlite', 'postgres'])('holdfast server verify-chain (%s)', (driver) => {
  it('passes whole chains, lists refused records as refused, and exits 1 naming an altered or missing record', async () => {
    const { store, env, dataDir } = await openStore(driver);
    const legacy = timelineOps(2, { actorId: 'alice' });
    await store.insertOps(legacy, 1);
    const service = await startService({ store, port: 0, trust: createTrustIssuer(store, await openServiceKeys(store, join(dataDir, 'keys', 'org-key.pem'))) });
    const token = async (name: string, role: 'commander' | 'responder') => {
      const t = `hf_${name}_${uuidv7()}`;
      await store.addUser({ name, role, tokenHash: hashToken(t), createdAt: Date.now() });
      return t;
    };
    const [coraToken, ruiToken] = [await token('cora', 'commander'), await token('rui', 'responder')];
    const [cora, rui] = [await certifyAt(service.url, coraToken, 'cora'), await certifyAt(service.url, ruiToken, 'rui')];
    const incidentId = uuidv7();
    const now = Date.now();
    const ops = [
      cora.write(
        { entity: 'incident', rowId: incidentId, fields: { title: 'Checkout down', severity: 'SEV2', status: 'investigating', summary: '', declaredAt: now } },
        now,
      ),
      rui.write({ entity: 'incident', rowId: incidentId, fields: { severity: 'SEV4' } }, now + 1),
      rui.write({ entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text: 'one', eventAt: now } }, now + 2),
      rui.write({ entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text: 'two', eventAt: now } }, now + 3),
    ];
    const pushed = await fetch(`${service.url}/v1/sync/push`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ruiToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ops }),
    });
    expect(((await pushed.json()) as { results: { status: string }[] }).results.map((r) => r.status)).toEqual(['accepted', 'refused', 'accepted', 'accepted']);
    await service.close();
    await store.close();

    const previous = process.env.DATABASE_URL;
    if (env.DATABASE_URL) process.env.DATABASE_URL = env.DATABASE_URL;
    const sql = async (text: string, params: unknown[]) => {
      if (driver === 'sqlite') {
        const db = new Database(join(dataDir, 'holdfast-server.db'));
        db.prepare(text.replace(/\$\d/g, '?')).run(...params);
        db.close();
        return;
      }
      const client = new pg.Client({ connectionString: env.DATABASE_URL });
      await client.connect();
      await client.query(text, params);
      await client.end();
    };
    try {
      const verified = await holdfast('server', 'verify-chain', '--data', dataDir);
      expect(verified.code).toBe(0);
      expect(verified.out).toMatch(
        /^ok: \d+ chain\(s\) in 3 stream\(s\), \d+ record\(s\); 1 refused record\(s\) kept in their chains; 2 unsigned \(legacy\) record\(s\) verified$/m,
      );
      expect(verified.out).toContain(`refused: responders may not change severity`);
      expect(verified.out).toContain(`(op ${ops[1].opId}, device ${rui.deviceId}, stream incident:${incidentId}, seq 2)`);

      // A record changed in the database after it was stored.
      await sql('UPDATE ops SET fields = $1 WHERE op_id = $2', [JSON.stringify({ incidentId, kind: 'note', text: 'rewritten', eventAt: now }), ops[3].opId]);
      const altered = await holdfast('server', 'verify-chain', '--data', dataDir);
      expect(altered.code).toBe(1);
      expect(altered.err).toContain(`BROKEN: chain of device ${rui.deviceId} in stream incident:${incidentId} breaks at record 3 (op ${ops[3].opId}`);
      expect(altered.err).toContain('the record was altered after it was written');

      // Put back as it was, then a record deleted from the middle of rui's chain.
      await sql('UPDATE ops SET fields = $1 WHERE op_id = $2', [canonicalJson(ops[3].fields), ops[3].opId]);
      expect((await holdfast('server', 'verify-chain', '--data', dataDir)).code).toBe(0);
      await sql('DELETE FROM ops WHERE op_id = $1', [ops[2].opId]);
      const missing = await holdfast('server', 'verify-chain', '--data', dataDir);
      expect(missing.code).toBe(1);
      expect(missing.err).toContain(`breaks at record 2 (op ${ops[3].opId}`);
      expect(missing.err).toContain('a record is missing');
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
  });
});
