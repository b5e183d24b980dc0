// The data folder: one engine at a time, stale locks taken over, and replicas written before the op
// log (schema 1) carried over without losing an incident.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { databaseFileName } from '../../electron/engine/core/database';
import { lockFileName } from '../../electron/engine/core/data-lock';
import { openEngine } from '../../electron/engine/engine';
import { bundledMigrations, migrate } from '../../electron/engine/core/schema';
import { call, openTestEngine, opsOf } from '../support/engines';
import { holdfast } from '../support/cli';
import { tempDir } from '../support/temp';

describe('data folder', () => {
  it('allows one engine at a time', () => {
    const dataDir = tempDir();
    openTestEngine({ dataDir });
    expect(() => openEngine({ dataDir, host: 'web' })).toThrow(/already running with the data folder .* \(process \d+\)/);
  });

  it('takes over a lock left by a process that died', async () => {
    const dataDir = tempDir();
    writeFileSync(join(dataDir, lockFileName), JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname() }));
    const engine = openTestEngine({ dataDir });
    expect(engine.replica.deviceId).toMatch(/^[0-9a-f]{16}$/);
  });

  it('turns incidents from a schema-1 replica into chained ops on first open', async () => {
    const dataDir = tempDir();
    const old = new Database(join(dataDir, databaseFileName));
    migrate(old, bundledMigrations.slice(0, 1));
    const insert = old.prepare("INSERT INTO incidents VALUES (?, ?, ?, 'investigating', ?, ?, ?)");
    insert.run('01a1f000-0000-7000-8000-000000000001', 'Old outage', 'SEV2', 'from the skeleton', 1_790_000_000_000, 1_790_000_000_000);
    insert.run('01a1f000-0000-7000-8000-000000000002', 'Older outage', 'SEV4', '', 1_780_000_000_000, 1_780_000_000_000);
    old.close();

    const engine = openTestEngine({ dataDir });
    const incidents = await call(engine, 'incidents.list', { limit: 10 });
    expect(incidents.map((i) => [i.title, i.severity, i.summary, i.declaredAt])).toEqual([
      ['Old outage', 'SEV2', 'from the skeleton', 1_790_000_000_000],
      ['Older outage', 'SEV4', '', 1_780_000_000_000],
    ]);
    expect(opsOf(engine)).toHaveLength(2);
    expect(engine.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'legacy_incidents'").pluck().get()).toBe(0);
    await engine.close();
    expect((await holdfast('verify-chain', '--data', dataDir)).code).toBe(0);
  });
});
