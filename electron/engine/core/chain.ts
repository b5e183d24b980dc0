// Verifies every hash chain in an op log: each device's ops in each stream, in clock order, must
// chain from the genesis hash, and each op's hash must match its content. Refused ops are in the
// log like any other (so a refusal never leaves a hole); the report lists them and counts unsigned
// ones and the ops held outside the log.
import type { Database } from 'better-sqlite3';
import { custodyChainProblem, type CustodyEvent } from '@shared/domain/evidence';
import { chainPlaces, linkProblem, verifyOpChains as verifyShared, type OpChainBreak } from '@shared/chain-links';
import type { Op } from '@shared/ops';
import { nativeSha256Hex } from './native-hash';
import { createOpLog, type RefusedOp } from './op-log';

export type { OpChainBreak };

export interface ChainBreak extends OpChainBreak {
  /** The op's row in the local op log. */
  seq: number;
}

export interface ChainReport {
  chains: number;
  ops: number;
  firstBreak: ChainBreak | null;
  /** Ops kept although their signer was not allowed to write them, with the reason. */
  refused: RefusedOp[];
  /** Ops without a signature (written before signing existed, or by a bare replica). */
  unsigned: number;
  /** Ops received but not in the log yet: they wait for the trust records that decide them. */
  held: number;
}

export function verifyChains(db: Database): ChainReport {
  let chains = 0;
  let ops = 0;
  let unsigned = 0;
  const opLog = createOpLog(db);
  // Logs from before schema 17 (a backup being verified) have no refusals.
  const hasRefusals = (db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('ops') as string[]).includes('refusal');
  const refused = hasRefusals ? opLog.refused() : [];
  const hasHeld = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'ops_held'").get() !== undefined;
  const held = hasHeld ? (db.prepare('SELECT count(*) FROM ops_held').pluck().get() as number) : 0;
  for (const { op, position, expectedPrev } of chainPlaces(opLog.inChainOrder())) {
    if (position === 1) chains += 1;
    ops += 1;
    if (op.sig === undefined) unsigned += 1;
    const reason = linkProblem(op, position, expectedPrev, nativeSha256Hex);
    if (reason)
      return { chains, ops, refused, unsigned, held, firstBreak: { deviceId: op.deviceId, streamId: op.streamId, position, opId: op.opId, seq: op.seq, reason } };
  }
  return { chains, ops, refused, unsigned, held, firstBreak: null };
}

/** The refused, unsigned and held ops of a report, as verify-chain prints them (empty when there are none). */
export function describeVerdicts(report: Pick<ChainReport, 'refused' | 'unsigned'> & { held?: number }): { summary: string; lines: string[] } {
  const held = report.held ?? 0;
  const parts = [
    ...(report.refused.length > 0 ? [`${report.refused.length} refused record(s) kept in their chains`] : []),
    ...(report.unsigned > 0 ? [`${report.unsigned} unsigned (legacy) record(s)`] : []),
    ...(held > 0 ? [`${held} record(s) received but held until trust records decide them (not in the log yet)`] : []),
  ];
  return {
    summary: parts.map((part) => `; ${part}`).join(''),
    lines: report.refused.map((r) => `refused: ${r.reason} (op ${r.opId}, device ${r.deviceId}, stream ${r.streamId}, op log row ${r.seq})`),
  };
}

/** Checks the chains among `ops` (e.g. one incident's stream, as an export holds them); see shared/chain-links.ts. */
export const verifyOpChains = (ops: readonly Op[]) => verifyShared(ops, nativeSha256Hex);

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
    .prepare(
      `SELECT event_id AS id, incident_id AS incidentId, artifact_id AS artifactId, action, from_party AS "from", to_party AS "to", purpose, note,
        sha256, result, corrects, at, actor_id AS actorId, prev_hash AS prevHash, hash FROM custody_events ORDER BY incident_id, hlc, id`,
    )
    .all() as CustodyEvent[];
  const chainProblem = custodyChainProblem(rows, nativeSha256Hex);
  if (chainProblem) return { events: rows.length, problem: chainProblem };
  const logged = db.prepare("SELECT fields FROM ops WHERE entity = 'custody_event' ORDER BY hlc, op_id").pluck();
  function* loggedFields() {
    for (const fields of logged.iterate() as Iterable<string>) yield JSON.parse(fields) as Record<string, unknown>;
  }
  return { events: rows.length, problem: custodyRecordsProblem(rows, loggedFields()) };
}

/**
 * Whether the custody records are exactly those the ops wrote (`logged`: the fields of the
 * custody_event ops, in clock order): one deleted, or one added outside Holdfast, shows here even
 * when the chains around it still link. Null when they match.
 */
export function custodyRecordsProblem(records: readonly Pick<CustodyEvent, 'id' | 'hash'>[], logged: Iterable<Record<string, unknown>>): string | null {
  const recorded = new Map(records.map((r) => [r.id, r.hash]));
  const written = new Map<string, unknown>();
  for (const f of logged) {
    // A replayed event id keeps its first record (see the projection); later copies are not records.
    if (!written.has(String(f.eventId))) written.set(String(f.eventId), f.hash);
  }
  for (const [eventId, hash] of written) {
    if (!recorded.has(eventId)) return `custody event ${eventId} is in the op log but not among the custody records: a record was deleted`;
    if (recorded.get(eventId) !== hash) return `custody event ${eventId} differs from the op that wrote it: the record was replaced`;
  }
  for (const eventId of recorded.keys()) {
    if (!written.has(eventId)) return `custody event ${eventId} has no op in the op log: it was added outside Holdfast`;
  }
  return null;
}
