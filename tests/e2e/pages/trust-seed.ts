// A data folder laid down for the trust tests before `holdfast web` opens it: an incident with an
// entry from before signing (unsigned) and a note by a guest a war-room hub admitted, then the
// replica certified by a test organisation as a responder, as a connect to the service would leave
// it. The real web process then reads its role from `trust.status`. The engine's source needs Vite
// (import.meta.glob): the test runs `seedCertifiedResponder` through ../vite-seed.mjs.
import { openEngine } from '../../../electron/engine/engine';
import { nativeSha256Hex } from '../../../electron/engine/core/native-hash';
import { calls } from '@shared/contract';
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { genesisHash, hashOp, type Op } from '@shared/ops';
import { certifyEngine } from '../../support/certified-engine';
import { testOrg } from '../../support/trust';

import { seeded } from './trust-seed-values';

/** An entry as Holdfast wrote it before ops were signed. */
function unsignedNote(incidentId: string, at: number): Op {
  const deviceId = '0000feed0000beef';
  const opId = uuidv7(at);
  const op = {
    opId,
    hlc: encodeHlc({ ms: at, counter: 0, deviceId }),
    streamId: `incident:${incidentId}`,
    actorId: 'lee',
    deviceId,
    entity: 'timeline_entry' as const,
    rowId: opId,
    kind: 'append' as const,
    fields: { incidentId, kind: 'note', text: seeded.unsignedText, eventAt: at },
    prevHash: genesisHash,
  };
  return { ...op, hash: hashOp(op, nativeSha256Hex) };
}

/** Lays the incident down in `dataDir` and certifies the replica as `rui`, a responder. Answers the incident id. */
export async function seedCertifiedResponder(dataDir: string): Promise<string> {
  const now = Date.now();
  const engine = openEngine({ dataDir, host: 'web', log: () => undefined });
  try {
    const incident = await engine.handlers['incidents.create'](calls['incidents.create'].request.parse({ title: seeded.title, severity: 'SEV2' }));
    await engine.handlers['timeline.add'](calls['timeline.add'].request.parse({ incidentId: incident.id, kind: 'note', text: seeded.signedText }));
    engine.replica.applyRemote([unsignedNote(incident.id, now - 120_000)]);
    const org = testOrg();
    const since = now - 3600_000;
    const { certOp } = certifyEngine(engine, { user: 'rui', role: 'responder', since, org });
    const host = org.certify({ role: 'commander', user: 'cora', notBefore: since });
    const guest = org.certify({ role: 'guest', user: 'guest:gil', hub: host, notBefore: since });
    const admitted = host.write({ entity: 'device_cert', rowId: '', fields: { body: guest.certificate.body, sig: guest.certificate.sig } as never }, now - 60_000);
    const note = guest.write(
      { entity: 'timeline_entry', rowId: '', fields: { incidentId: incident.id, kind: 'note', text: seeded.guestText, eventAt: now - 30_000 } },
      now - 30_000,
    );
    const results = engine.replica.applyRemote([certOp(host.certificate, now - 90_000), admitted, note]);
    if (results.some((r) => r.status !== 'accepted')) throw new Error(`seeding the guest's note: ${JSON.stringify(results)}`);
    return incident.id;
  } finally {
    await engine.close();
  }
}
