// What receipts cost: a war room of three laptops (one hosting the hub) writing 100 timeline entries
// each, with each laptop writing its receipts once per window (the engine waits 5 minutes after ops
// arrive; here ten windows are driven by hand). The figures are printed for docs/knowledge.md.
import { afterEach, describe, expect, it } from 'vitest';
import { incidentStream } from '@shared/entities';
import type { Op } from '@shared/ops';
import type { Engine } from '../../electron/engine/engine';
import { createReceiptWriter } from '../../electron/engine/knowledge/receipt-writer';
import { call, openTestEngine } from '../support/engines';
import { loopbackLink, settle, startCentral, type Central } from '../support/sync';

const centrals: Central[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
});

// The engine's own writer never fires here; the test's writers share its cursor.
const laptop = () => openTestEngine({ syncPollMs: 60_000, receiptDelayMs: 3_600_000 });
const bytes = (ops: readonly Op[]) => ops.reduce((n, op) => n + Buffer.byteLength(JSON.stringify(op)), 0);

describe('the cost of receipts', () => {
  it('stays a small share of a war room of three laptops writing 100 entries each', async () => {
    const service = await startCentral('sqlite');
    centrals.push(service);
    const hana = laptop();
    await call(hana, 'sync.connect', { url: service.url, token: await service.token('hana', 'commander') });
    await settle([hana]);
    const incident = await call(hana, 'incidents.create', { title: 'Orders database down', severity: 'SEV1', summary: '' });
    await settle([hana]);
    await call(hana, 'sync.disconnect', { peerId: 'central' });
    const room = await call(hana, 'hub.start', { port: 0 });
    const members: Engine[] = [];
    for (const name of ['bob', 'carol']) {
      const engine = laptop();
      await call(engine, 'sync.connect', { url: service.url, token: await service.token(name, 'responder') });
      await call(engine, 'sync.disconnect', { peerId: 'central' });
      await call(engine, 'sync.join', { link: loopbackLink(room) });
      members.push(engine);
    }
    const room3 = [hana, ...members];
    await settle(room3);
    const writers = room3.map((engine) => createReceiptWriter({ db: engine.db, replica: engine.replica, now: Date.now }));

    const windows = 10;
    for (let window = 0; window < windows; window += 1) {
      for (const [i, engine] of room3.entries()) {
        for (let n = 0; n < 10; n += 1) {
          await call(engine, 'timeline.add', {
            incidentId: incident.id,
            kind: n === 9 && i === 0 ? 'decision' : 'observation',
            text: `window ${window}: reading ${n} from laptop ${i}, replica lag ${n * 3} s`,
          });
        }
      }
      await settle(room3);
      for (const writer of writers) writer.writeNow();
    }
    await settle(room3);

    const ops = hana.replica.opLog.since(0, 100_000).filter((op) => op.streamId === incidentStream(incident.id));
    const entries = ops.filter((op) => op.entity === 'timeline_entry');
    const receipts = ops.filter((op) => op.entity === 'op_receipt');
    const listed = receipts.reduce((n, op) => n + (op.fields.held as { opIds: string[] }[]).reduce((m, g) => m + g.opIds.length, 0), 0);
    const figures = {
      entries: entries.length,
      incidentOps: ops.length - receipts.length,
      receipts: receipts.length,
      opsListed: listed,
      entryBytes: bytes(entries),
      incidentBytes: bytes(ops.filter((op) => op.entity !== 'op_receipt')),
      receiptBytes: bytes(receipts),
    };
    console.log(`receipt cost: ${JSON.stringify(figures)}`);
    // One receipt per laptop per window at most, each listing what the other two laptops wrote.
    expect(receipts.length).toBeLessThanOrEqual(room3.length * windows);
    expect(listed).toBeGreaterThanOrEqual(2 * 300);
    expect(figures.receiptBytes / figures.incidentBytes).toBeLessThan(0.4);
    const view = await call(members[0], 'reviews.knowledge', { incidentId: incident.id, person: 'bob' });
    // Every entry bob did not write reached him, and his receipts say so.
    expect(view.view!.counts).toEqual({ seen: view.view!.entries.length, unseen: 0, unknown: 0 });
    for (const writer of writers) writer.close();
  }, 120_000);
});
