// `holdfast server` from the command line: users and tokens, and the service over TLS.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { holdfast } from '../support/cli';
import { spawnServer } from '../support/sync';
import { tempDir } from '../support/temp';
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
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
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
