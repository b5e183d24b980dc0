// `holdfast web` with its engine in a worker thread: while the engine applies a large catch-up
// from the central service, page by page, calls from the browser are still answered, and a clean
// stop closes the engine (its data folder lock is released).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { uuidv7 } from '@shared/ids';
import { lockFileName } from '../../electron/engine/core/data-lock';
import { startHoldfastWeb, tempDataDir, type RunningWeb } from '../e2e/holdfast-web';
import { call, openTestEngine } from '../support/engines';
import { startCentral, type Central } from '../support/sync';

const seeded = 30_000;
let central: Central | undefined;
let web: RunningWeb | undefined;
afterEach(async () => {
  await web?.stop();
  await central?.close();
  web = central = undefined;
});

/** A source replica writes `count` timeline entries and pushes them all to the central service. */
async function seedCentral(service: Central, count: number): Promise<string> {
  const source = openTestEngine({ syncPollMs: 3_600_000 });
  source.replica.setActor('seeder');
  const incidentId = uuidv7();
  source.replica.commitLocal([{ entity: 'incident', rowId: incidentId, fields: { title: 'Seeded incident', severity: 'SEV3', declaredAt: 1 } }]);
  source.replica.commitLocal(
    Array.from({ length: count }, (_, k) => ({
      entity: 'timeline_entry' as const,
      rowId: '',
      fields: { incidentId, kind: 'note', text: `replayed note ${k}`, eventAt: 1_795_000_000_000 + k },
    })),
  );
  await call(source, 'sync.connect', { url: service.url, token: await service.token('seeder', 'commander') });
  for (let i = 0; i < 200 && (await call(source, 'sync.status', {})).peers[0]?.pending !== 0; i += 1) await call(source, 'sync.now', {});
  expect((await call(source, 'sync.status', {})).peers[0]?.pending).toBe(0);
  return incidentId;
}

describe('holdfast web engine worker', () => {
  it('answers calls while the engine applies a large catch-up, page by page', { timeout: 180_000 }, async () => {
    central = await startCentral('sqlite');
    const seededIncident = await seedCentral(central, seeded);
    const dataDir = tempDataDir();
    web = await startHoldfastWeb(dataDir);
    const token = web.openUrl.split('#token=')[1];
    const post = (name: string, body: unknown) =>
      fetch(`${web!.url}api/call/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      }).then(async (response) => ({ status: response.status, result: (await response.json()) as { value: unknown; error?: { message: string } } }));
    const api = async (name: string, body: unknown) => {
      const { status, result } = await post(name, body);
      expect(status, `${name}: ${result.error?.message}`).toBe(200);
      return result.value;
    };
    const timelineTotal = async (incidentId: string) => {
      const { status, result } = await post('timeline.window', { incidentId, offset: 0, limit: 1, anchor: 'end' });
      return status === 200 ? (result.value as { total: number; entries: { text: string }[] }) : null;
    };
    const own = (await api('incidents.create', { title: 'Checkout errors', severity: 'SEV2' })) as { id: string };

    // One ordered log of what the browser sees: the engine's pushes and the answers to its calls.
    const log: string[] = [];
    const socket = new WebSocket(`${web.url.replace(/^http/, 'ws')}api/events?token=${token}`);
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    socket.on('message', (data: Buffer) => {
      const { event, payload } = JSON.parse(data.toString()) as { event: string; payload: { incidentId?: string } };
      if (event === 'timeline.changed' && payload.incidentId === seededIncident) log.push('page applied');
    });

    await api('sync.connect', { url: central.url, token: await central.token('responder', 'commander') });
    let answered = 0;
    const isCaughtUp = async () => ((await timelineTotal(seededIncident))?.total ?? 0) >= seeded;
    for (let i = 0; i < 2000 && !(await isCaughtUp()); i += 1) {
      await api('timeline.add', { incidentId: own.id, kind: 'action', text: `Still here ${i}` });
      answered += 1;
      log.push('answered');
    }
    socket.close();

    // Pages of 5,000 ops: the catch-up took several transactions, and calls were answered between
    // its first and its last, not only once it was over.
    const pages = log.flatMap((entry, index) => (entry === 'page applied' ? [index] : []));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    expect(log.slice(pages[0], pages.at(-1)).filter((entry) => entry === 'answered').length).toBeGreaterThan(0);
    const ownTimeline = await timelineTotal(own.id);
    expect(ownTimeline?.total).toBeGreaterThanOrEqual(answered);
    expect(ownTimeline?.entries[0].text).toBe(`Still here ${answered - 1}`);

    expect(await web.stop()).toBe(0);
    web = undefined;
    expect(existsSync(join(dataDir, lockFileName))).toBe(false);
  });
});
