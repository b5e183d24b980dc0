// Verifies every hash chain in an op log: each device's ops in each stream, in clock order, must
// chain from the genesis hash, and each op's hash must match its content.
import type { Database } from 'better-sqlite3';
import { custodyChainProblem, type CustodyEvent } from '../../shared/domain/evidence';
import { genesisHash, hashOp } from '../../shared/ops';
import { nativeSha256Hex } from './native-hash';
import { createOpLog } from './op-log';

export interface ChainBreak {
  deviceId: string;
  streamId: string;
  /** 1-based position of the broken record in its chain. */
  position: number;
  opId: string;
  /** The op's row in the local op log. */
  seq: number;
  reason: string;
}

export interface ChainReport {
  chains: number;
  ops: number;
  firstBreak: ChainBreak | null;
}

export function verifyChains(db: Database): ChainReport {
  let chains = 0;
  let ops = 0;
  let chainKey = '';
  let position = 0;
  let expectedPrev = genesisHash;
  for (const op of createOpLog(db).inChainOrder()) {
    const key = `${op.deviceId}\n${op.streamId}`;
    if (key !== chainKey) {
      chainKey = key;
      chains += 1;
      position = 0;
      expectedPrev = genesisHash;
    }
    position += 1;
    ops += 1;
    const at = { deviceId: op.deviceId, streamId: op.streamId, position, opId: op.opId, seq: op.seq };
    if (hashOp(op, nativeSha256Hex) !== op.hash) {
      return { chains, ops, firstBreak: { ...at, reason: 'its content does not match its hash: the record was altered after it was written' } };
    }
    if (op.prevHash !== expectedPrev) {
      const reason =
        position === 1
          ? 'it is first in its chain but does not start from the genesis hash: earlier records are missing'
          : `it does not chain to record ${position - 1}: a record is missing, reordered or was inserted`;
      return { chains, ops, firstBreak: { ...at, reason } };
    }
    expectedPrev = op.hash;
  }
  return { chains, ops, firstBreak: null };
}

export function describeBreak(b: ChainBreak): string {
  return `chain of device ${b.deviceId} in stream ${b.streamId} breaks at record ${b.position} (op ${b.opId}, op log row ${b.seq}): ${b.reason}`;
}

/**
 * Checks every artifact's chain of custody as the projection holds it: each event's hash covers
 * its record and follows an earlier event of the same artifact. A row changed or deleted in the
 * database after it was written shows here even when the op log is intact.
 */
export function verifyCustody(db: Database): { events: number; problem: string | null } {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'custody_events'").get();
  if (!hasTable) return { events: 0, problem: null };
  const rows = db
    .prepare(`SELECT event_id AS id, incident_id AS incidentId, artifact_id AS artifactId, action, from_party AS "from", to_party AS "to", purpose, note,
        sha256, result, corrects, at, actor_id AS actorId, prev_hash AS prevHash, hash FROM custody_events ORDER BY incident_id, hlc, id`)
    .all() as CustodyEvent[];
  const chainProblem = custodyChainProblem(rows, nativeSha256Hex);
  if (chainProblem) return { events: rows.length, problem: chainProblem };
  // The records must be exactly those the op log holds: one deleted, or one added outside
  // Holdfast, shows here even when the chains around it still link.
  const recorded = new Map(rows.map((r) => [r.id, r.hash]));
  const logged = new Map<string, string>();
  for (const fields of db.prepare("SELECT fields FROM ops WHERE entity = 'custody_event' ORDER BY hlc, op_id").pluck().iterate() as Iterable<string>) {
    const f = JSON.parse(fields) as { eventId: string; hash: string };
    // A replayed event id keeps its first record (see the projection); later copies are not records.
    if (!logged.has(f.eventId)) logged.set(f.eventId, f.hash);
  }
  for (const [eventId, hash] of logged) {
    if (!recorded.has(eventId)) return { events: rows.length, problem: `custody event ${eventId} is in the op log but not among the custody records: a record was deleted` };
    if (recorded.get(eventId) !== hash) return { events: rows.length, problem: `custody event ${eventId} differs from the op that wrote it: the record was replaced` };
  }
  for (const eventId of recorded.keys()) {
    if (!logged.has(eventId)) return { events: rows.length, problem: `custody event ${eventId} has no op in the op log: it was added outside Holdfast` };
  }
  return { events: rows.length, problem: null };
}
