// Crash safety: `holdfast web` is killed with SIGKILL in the middle of a stream of writes. The
// database must pass SQLite's integrity check and hold every write that was acknowledged.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { databaseFileName } from '../../electron/engine/database';
import { startHoldfastWeb } from '../e2e/holdfast-web';
import { holdfast } from '../support/cli';
import { tempDir } from '../support/temp';

describe('crash safety', () => {
  it('keeps every acknowledged write when the process is killed mid-stream', async () => {
    const dataDir = tempDir();
    const web = await startHoldfastWeb(dataDir);
    const token = web.openUrl.split('#token=')[1];
    const acknowledged: string[] = [];
    let isKilled = false;

    const writer = async (worker: number) => {
      for (let i = 0; !isKilled; i += 1) {
        try {
          const response = await fetch(`${web.url}api/call/incidents.create`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({ title: `Crash test ${worker}-${i}`, severity: 'SEV4', summary: 'x'.repeat(200) }),
          });
          if (response.status === 200) acknowledged.push(((await response.json()) as { value: { id: string } }).value.id);
        } catch {
          return; // the connection died with the process: this write was never acknowledged
        }
      }
    };
    const exited = new Promise((resolve) => web.process.once('exit', resolve));
    const writers = [0, 1, 2, 3].map(writer);
    while (acknowledged.length < 300) await new Promise((resolve) => setTimeout(resolve, 5));
    web.kill('SIGKILL');
    isKilled = true;
    await Promise.all(writers);
    await exited;

    const db = new Database(join(dataDir, databaseFileName));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const present = new Set(db.prepare('SELECT id FROM incidents').pluck().all() as string[]);
    const lost = acknowledged.filter((id) => !present.has(id));
    expect(lost).toEqual([]);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    db.close();
    expect((await holdfast('verify-chain', '--data', dataDir)).code).toBe(0);
  });
});
