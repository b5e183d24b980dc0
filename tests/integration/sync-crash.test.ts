// Killing the central service (SIGKILL) in the middle of a sync and starting it again loses
// nothing and duplicates nothing, on SQLite and on PostgreSQL.
import { afterEach, describe, expect, it } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { uuidv7 } from '@shared/ids';
import { hashToken } from '../../server/central-backend';
import { call, openTestEngine } from '../support/engines';
import { openStore, settle, spawnServer } from '../support/sync';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

describe.each(['sqlite', 'postgres'] as const)('service killed mid-sync (%s)', (driver) => {
  it('loses nothing acknowledged or pending, and duplicates nothing', { timeout: 120_000 }, async () => {
    const { store, env, dataDir } = await openStore(driver);
    await store.addUser({ name: 'alice', role: 'commander', tokenHash: hashToken('hf_alice-token-123'), createdAt: 1 });
    await store.addUser({ name: 'bob', role: 'commander', tokenHash: hashToken('hf_bob-token-4567'), createdAt: 1 });
    await store.close();
    const args = ['--data', dataDir, '--port', '0'];
    const first = await spawnServer(args, env);
    children.push(first.child);

    const alice = openTestEngine({ syncPollMs: 60_000 });
    await call(alice, 'sync.connect', { url: first.url, token: 'hf_alice-token-123' });
    const incidentId = uuidv7();
    alice.replica.commitLocal([{ entity: 'incident', rowId: incidentId, fields: { title: 'Storage array degraded', severity: 'SEV2', declaredAt: 1 } }]);
    for (let i = 0; i < 20; i += 1) {
      alice.replica.commitLocal(
        Array.from({ length: 1000 }, (_, k) => ({
          entity: 'timeline_entry' as const,
          rowId: '',
          fields: { incidentId, kind: 'observation', text: `disk ${i}-${k} latency high`, eventAt: 1_795_000_000_000 + i * 1000 + k },
        })),
      );
    }
    // Kill the service once it has stored its first batch of the 20001 ops, while the client is still pushing.
    // (Heads are positions in the service's log, which also holds the trust stream: the pull below counts ops.)
    const head = async () => {
      const response = await fetch(`${first.url}/v1/sync/streams`, { headers: { authorization: 'Bearer hf_bob-token-4567' } }).catch(() => null);
      if (!response?.ok) return -1;
      const { streams } = (await response.json()) as { streams: { streamId: string; head: number }[] };
      return streams.find((stream) => stream.streamId === `incident:${incidentId}`)?.head ?? 0;
    };
    const syncing = call(alice, 'sync.now', {});
    let seen = 0;
    while (seen < 1) seen = await head();
    first.child.kill('SIGKILL');
    await syncing;
    const afterKill = await call(alice, 'sync.status', {});
    expect(afterKill.peers[0].pending).toBeGreaterThan(0);

    const second = await spawnServer(['--data', dataDir, '--port', String(first.port)], env);
    children.push(second.child);
    const bob = openTestEngine({ syncPollMs: 60_000 });
    await call(bob, 'sync.connect', { url: second.url, token: 'hf_bob-token-4567' });
    await settle([alice, bob], 12);

    expect(await head()).toBeGreaterThanOrEqual(20_001);
    expect(bob.db.prepare('SELECT count(*) FROM timeline_entries').pluck().get()).toBe(20_000);
    expect(bob.replica.digest()).toBe(alice.replica.digest());
    const pulled = [];
    let cursor = 0;
    for (;;) {
      const response = await fetch(`${second.url}/v1/sync/pull?stream=incident:${incidentId}&after=${cursor}&limit=5000`, {
        headers: { authorization: 'Bearer hf_bob-token-4567' },
      });
      const page = (await response.json()) as { ops: { opId: string }[]; cursor: number; hasMore: boolean };
      pulled.push(...page.ops.map((op) => op.opId));
      cursor = page.cursor;
      if (!page.hasMore) break;
    }
    expect(pulled).toHaveLength(20_001);
    expect(new Set(pulled).size).toBe(20_001);
  });
});
