// Verifies every hash chain in an op log: each device's ops in each stream, in clock order, must
// chain from the genesis hash, and each op's hash must match its content. Refused ops are in the
// log like any other (so a refusal never leaves a hole); the report lists them and counts unsigned
// ones and the ops held outside the log.
import type { Database } from 'better-sqlite3';
import { custodyChainProblem, type CustodyEvent } from '@shared/domain/evidence';
import { genesisHash, hashOp, type Op } from '@shared/ops';
import { nativeSha256Hex } from './native-hash';
import { createOpLog, type RefusedOp } from './op-log';

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
  /** Ops kept although their signer was not allowed to write them, with the reason. */
  refused: RefusedOp[];
  /** Ops without a signature (written before signing existed, or by a bare replica). */
  unsigned: number;
  /** Ops received but not in the log yet: they wait for the trust records that decide them. */
  held: number;
}

/** Why an op does not hold its place (1-based) in its chain after `expectedPrev`, or null when it does. */
function linkProblem(op: Op, position: number, expectedPrev: string): string | null {
  if (hashOp(op, nativeSha256Hex) !== op.hash) return 'its content does not match its hash: the record was altered after it was written';
  if (op.prevHash === expectedPrev) return null;
  return position === 1
    ? 'it is first in its chain but does not start from the genesis hash: earlier records are missing'
    : `it does not chain to record ${position - 1}: a record is missing, reordered or was inserted`;
}

/**
 * Each of `ordered` (ops in chain order: each device's ops in each stream together, in clock order)
 * with its 1-based position in its chain and the hash it must chain to.
 */
function* chainPlaces<T extends Op>(ordered: Iterable<T>): Generator<{ op: T; position: number; expectedPrev: string }> {
  let chainKey = '';
  let position = 0;
  let expectedPrev = genesisHash;
  for (const op of ordered) {
    const key = `${op.deviceId}\n${op.streamId}`;
    if (key !== chainKey) {
      chainKey = key;
      position = 0;
      expectedPrev = genesisHash;
    }
    position += 1;
    yield { op, position, expectedPrev };
    expectedPrev = op.hash;
  }
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
    const reason = linkProblem(op, position, expectedPrev);
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

/** A break found among ops given as a list (no op-log rows): where, and why. */
export type OpChainBreak = Omit<ChainBreak, 'seq'>;

/**
 * Checks the chains among `ops` (e.g. one incident's stream, as an export holds them) the way
 * verifyChains checks the op log: each device's ops in each stream in clock order. Unlike
 * verifyChains it goes on past a break and reports the first break of every chain.
 */
export function verifyOpChains(ops: readonly Op[]): { chains: number; ops: number; breaks: OpChainBreak[] } {
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const ordered = [...ops].sort((a, b) => byText(a.deviceId, b.deviceId) || byText(a.streamId, b.streamId) || byText(a.hlc, b.hlc) || byText(a.opId, b.opId));
  const breaks: OpChainBreak[] = [];
  let chains = 0;
  let isBroken = false;
  for (const { op, position, expectedPrev } of chainPlaces(ordered)) {
    if (position === 1) {
      chains += 1;
      isBroken = false;
    }
    if (isBroken) continue;
    const reason = linkProblem(op, position, expectedPrev);
    if (reason) {
      breaks.push({ deviceId: op.deviceId, streamId: op.streamId, position, opId: op.opId, reason });
      isBroken = true;
    }
  }
  return { chains, ops: ordered.length, breaks };
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
