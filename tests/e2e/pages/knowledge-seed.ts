// A data folder for the "what each responder could know" panel: an incident whose war room split.
// Bob lost the hub at 12:00 and worked on; hana (the host) and carol kept going; hana decided to fail
// over at 12:04, bob to restart the primary at 12:05; bob came back at 12:10. Every laptop's
// entries and signed receipts are laid down as ops of certified devices, and the replica opened is
// a reviewer's (rui, a commander) that holds them all. Run through ../vite-seed.mjs (the engine's
// source needs Vite).
import { openEngine } from '../../../electron/engine/engine';
import { calls } from '@shared/contract';
import { uuidv7 } from '@shared/ids';
import type { Op } from '@shared/ops';
import { certifyEngine } from '../../support/certified-engine';
import { testOrg } from '../../support/trust';
import { knowledgeSeed } from './knowledge-values';

const min = 60_000;

/** Lays the split war room down in `dataDir`; answers the incident id and the base time (12:00 of the story, UTC ms). */
export async function seedSplitWarRoom(dataDir: string): Promise<{ incidentId: string; base: number }> {
  // The story happened an hour ago, on the minute.
  const base = Math.floor((Date.now() - 60 * min) / min) * min;
  const engine = openEngine({ dataDir, host: 'web', log: () => undefined });
  try {
    const org = testOrg();
    const since = base - 24 * 60 * min;
    const { certOp } = certifyEngine(engine, { user: 'rui', role: 'commander', since, org });
    const hana = org.certify({ role: 'commander', user: 'hana', notBefore: since });
    const bob = org.certify({ role: 'responder', user: 'bob', notBefore: since });
    const carol = org.certify({ role: 'responder', user: 'carol', notBefore: since });
    const incidentId = uuidv7(base - 5 * min);
    const ops: Op[] = [hana, bob, carol].map((d, i) => certOp(d.certificate, since + 10 + i));
    ops.push(
      hana.write(
        {
          entity: 'incident',
          rowId: incidentId,
          fields: {
            title: knowledgeSeed.title,
            severity: 'SEV1',
            status: 'investigating',
            summary: '',
            declaredAt: base - 5 * min,
            services: [],
            type: 'outage',
            isDrill: false,
          },
        },
        base - 5 * min,
      ),
    );
    const entry = (device: typeof hana, kind: string, text: string, at: number) => {
      const op = device.write({ entity: 'timeline_entry', rowId: '', fields: { incidentId, kind, text, eventAt: at } }, at);
      ops.push(op);
      return op.opId;
    };
    const e = knowledgeSeed.entries;
    const errors = entry(hana, 'observation', e.errors, base - 3 * min);
    const lag = entry(bob, 'observation', e.lag, base + 1 * min);
    const paged = entry(carol, 'note', e.paged, base + 2 * min);
    const pings = entry(hana, 'observation', e.pings, base + 2.5 * min);
    const failover = entry(hana, 'decision', e.failover, base + 4 * min);
    const restart = entry(bob, 'decision', e.restart, base + 5 * min);
    const back = entry(bob, 'note', e.back, base + 10.5 * min);
    const receipt = (device: typeof hana, at: number, held: { at: number; opIds: string[] }[]) =>
      ops.push(device.write({ entity: 'op_receipt', rowId: '', fields: { incidentId, held } }, at));
    // Before the split everyone held hana's first observation; then bob was cut off until 12:10.
    receipt(hana, base + 11 * min, [
      { at: base + 2.1 * min, opIds: [paged] },
      { at: base + 10.2 * min, opIds: [lag, restart, back] },
    ]);
    receipt(bob, base + 11.5 * min, [
      { at: base - 2.9 * min, opIds: [errors] },
      { at: base + 10.1 * min, opIds: [paged, pings, failover] },
    ]);
    receipt(carol, base + 12 * min, [
      { at: base - 2.9 * min, opIds: [errors] },
      { at: base + 2.6 * min, opIds: [pings] },
      { at: base + 4.1 * min, opIds: [failover] },
      { at: base + 10.3 * min, opIds: [lag, restart, back] },
    ]);
    const results = engine.replica.applyRemote(ops, 'seed');
    if (results.some((r) => r.status !== 'accepted')) throw new Error(`seeding the split war room: ${JSON.stringify(results.filter((r) => r.status !== 'accepted'))}`);
    // The review has a draft, as after the incident.
    await engine.handlers['reviews.generate'](calls['reviews.generate'].request.parse({ incidentId }));
    return { incidentId, base };
  } finally {
    await engine.close();
  }
}
