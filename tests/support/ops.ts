// Building valid, signed ops for tests of the sync service without a replica.
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { genesisHash, hashOp, type Op } from '@shared/ops';

let clock = 1_795_000_000_000;

/** A chain of timeline ops by one device in one incident stream. */
export function timelineOps(count: number, options: { incidentId?: string; deviceId?: string; actorId?: string } = {}): Op[] {
  const incidentId = options.incidentId ?? uuidv7();
  const deviceId = options.deviceId ?? '00000000000000ab';
  let prevHash = genesisHash;
  return Array.from({ length: count }, (_, i) => {
    clock += 1;
    const opId = uuidv7(clock);
    const unsigned = {
      opId,
      hlc: encodeHlc({ ms: clock, counter: 0, deviceId }),
      streamId: `incident:${incidentId}`,
      actorId: options.actorId ?? 'alice',
      deviceId,
      entity: 'timeline_entry' as const,
      rowId: opId,
      kind: 'append' as const,
      fields: { incidentId, kind: 'note', text: `entry ${i}`, eventAt: clock },
      prevHash,
    };
    const op = { ...unsigned, hash: hashOp(unsigned) };
    prevHash = op.hash;
    return op;
  });
}

/** A purge record for an incident, by one device in the org stream (first in its chain unless `prevHash` is given). */
export function purgeOp(incidentId: string, options: { purgedAt?: number; deviceId?: string; actorId?: string; prevHash?: string } = {}): Op {
  const deviceId = options.deviceId ?? '00000000000000cd';
  clock += 1;
  const opId = uuidv7(clock);
  const unsigned = {
    opId,
    hlc: encodeHlc({ ms: clock, counter: 0, deviceId }),
    streamId: 'org',
    actorId: options.actorId ?? 'alice',
    deviceId,
    entity: 'purge_record' as const,
    rowId: opId,
    kind: 'append' as const,
    fields: { incidentId, title: 'Old outage', severity: 'SEV2', closedAt: clock - 1000, reason: 'Retention policy', purgedAt: options.purgedAt ?? clock },
    prevHash: options.prevHash ?? genesisHash,
  };
  return { ...unsigned, hash: hashOp(unsigned) };
}
