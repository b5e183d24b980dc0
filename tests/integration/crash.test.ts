// Crash safety: `holdfast web` is killed with SIGKILL in the middle of a stream of writes. The
// database must pass SQLite's integrity check and hold every write that was acknowledged.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { databaseFileName } from '../../electron/engine/core/database';
import { startHoldfastWeb } from '../e2e/holdfast-web';
import { holdfast } from '../support/cli';
import { httpReceiver } from '../support/receivers';
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

  it('sends an update again, with the same idempotency key, after a crash in the middle of sending it', async () => {
    const receiver = httpReceiver();
    const port = await receiver.listen();
    const hanging: import('node:http').ServerResponse[] = [];
    let isAnswering = false;
    receiver.routes.set('POST /hook', (_req, res) => (isAnswering ? res.writeHead(200).end('ok') : hanging.push(res)));
    const dataDir = tempDir();
    let web = await startHoldfastWeb(dataDir);
    const api = async (name: string, request: unknown) => {
      const token = web.openUrl.split('#token=')[1];
      const response = await fetch(`${web.url}api/call/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(request),
      });
      const body = (await response.json()) as { value: unknown; error?: { message: string } };
      expect(response.status, `${name}: ${body.error?.message}`).toBe(200);
      return body.value as Record<string, unknown>;
    };
    const until = async (check: () => boolean | Promise<boolean>) => {
      for (let i = 0; i < 400 && !(await check()); i += 1) await new Promise((resolve) => setTimeout(resolve, 50));
    };
    try {
      const channel = await api('comms.saveChannel', { name: 'Hook', audiences: ['internal'], config: { kind: 'webhook', url: `http://127.0.0.1:${port}/hook` } });
      const incident = await api('incidents.create', { title: 'Checkout failing', severity: 'SEV1', services: ['checkout'] });
      const draft = (await api('comms.start', { incidentId: incident.id, audience: 'internal' })) as { id: string };
      await api('comms.save', {
        incidentId: incident.id,
        updateId: draft.id,
        channelIds: [channel.id],
        values: { impact: 'Checkout down', status: 'Failing over', actions: 'Promoting the replica' },
      });
      await api('comms.publish', { incidentId: incident.id, updateId: draft.id });
      await until(() => receiver.received.length === 1);
      expect(receiver.received).toHaveLength(1);

      const exited = new Promise((resolve) => web.process.once('exit', resolve));
      web.kill('SIGKILL');
      await exited;
      isAnswering = true;
      web = await startHoldfastWeb(dataDir);
      const delivery = async () =>
        ((await api('comms.room', { incidentId: incident.id })).published as { deliveries: { state: string; attempts: number }[] }[])[0].deliveries[0];
      await until(async () => (await delivery()).state === 'delivered');
      expect(await delivery()).toMatchObject({ state: 'delivered', attempts: 2 });
      expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual([`${draft.id}:webhook`, `${draft.id}:webhook`]);
    } finally {
      web.kill('SIGKILL');
      for (const res of hanging) res.destroy();
      await receiver.close();
    }
  });
});
