// Writes this replica's receipts (shared/entities/knowledge): for the ops of each incident it holds
// that another device wrote, when it first held them, signed as one op in the incident's stream.
// It runs a while after such ops arrive (`delayMs`, batching a whole sync pass or more into one
// receipt per incident), and on open for what an earlier run left. The held times come from the op
// log's receipt times, so a late write loses no precision. Receipts are never written for receipts.
import type { Database } from 'better-sqlite3';
import { incidentOfStream } from '@shared/entities';
import { decodeHlc } from '@shared/hlc';
import { maxReceiptGroups, maxReceiptOps } from '@shared/entities/knowledge';
import type { OpDraft } from '@shared/ops';
import type { Touched } from '../core/projections';
import type { Replica } from '../core/replica';

/** How long after the first unreceipted op arrives its receipt is written, unless told otherwise. */
export const defaultReceiptDelayMs = 5 * 60_000;
/** The longest receipt delay HOLDFAST_RECEIPT_DELAY_MS may set: a day. */
const maxReceiptDelayMs = 24 * 3600_000;

/**
 * The receipt delay a running app takes from HOLDFAST_RECEIPT_DELAY_MS (ms), or undefined when it
 * is not set (the default then). Anything but a whole number from 0 to a day is refused with an error
 * naming the variable.
 */
export function receiptDelayFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env.HOLDFAST_RECEIPT_DELAY_MS?.trim();
  if (raw === undefined || raw === '') return undefined;
  const ms = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(ms <= maxReceiptDelayMs)) {
    throw new Error(`HOLDFAST_RECEIPT_DELAY_MS must be a whole number of milliseconds from 0 to ${maxReceiptDelayMs} (got "${raw}"); fix or unset it.`);
  }
  return ms;
}

/** Ops held within this long of a group's first share its time. */
const groupSpanMs = 1000;
const pageSize = 5000;
/**
 * Ops first held longer than this after they were written get no receipt: a laptop catching up on
 * old incidents (a new one, or one back from a long trip) says nothing about a war room.
 */
export const catchUpMs = 24 * 3600_000;
const cursorKey = 'receipts_seq';

export interface ReceiptWriterDeps {
  db: Database;
  replica: Replica;
  /** The clock the op log's receipt times were read from (the replica's `now`). */
  now: () => number;
  delayMs?: number;
  log?: (line: string) => void;
}

interface HeldOp {
  seq: number;
  opId: string;
  streamId: string;
  receivedAt: number;
  hlc: string;
}

export interface ReceiptWriter {
  /** Told of every applied batch: schedules a write when ops from elsewhere wait for a receipt. */
  onTouched(touched: readonly Touched[]): void;
  /** Writes every receipt due now; returns how many receipt ops it wrote. */
  writeNow(): number;
  close(): void;
}

export function createReceiptWriter({ db, replica, now, delayMs = defaultReceiptDelayMs, log = () => undefined }: ReceiptWriterDeps): ReceiptWriter {
  const unreceipted = db.prepare(`SELECT seq, op_id AS opId, stream_id AS streamId, received_at AS receivedAt, hlc FROM ops
    WHERE seq > ? AND device_id <> ? AND refusal IS NULL AND entity <> 'op_receipt' AND stream_id LIKE 'incident:%' ORDER BY seq LIMIT ?`);
  const readCursor = db.prepare('SELECT value FROM replica_meta WHERE key = ?').pluck();
  const writeCursor = db.prepare('INSERT INTO replica_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value');
  const newestSeq = db.prepare('SELECT coalesce(max(seq), 0) FROM ops').pluck();
  const cursor = () => Number(readCursor.get(cursorKey) ?? 0);
  // First opened by a build that writes receipts: they begin with the ops that arrive from now on
  // (an upgraded replica does not receipt its whole history; a new one's log is empty).
  if (readCursor.get(cursorKey) === undefined) writeCursor.run(cursorKey, String(newestSeq.get()));
  // Below this seq nothing waits for a receipt (kept in memory: a local write does not rescan the log).
  let checkedUpTo = 0;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let isClosed = false;

  const hasWaiting = (): boolean => {
    const from = Math.max(cursor(), checkedUpTo);
    const newest = newestSeq.get() as number;
    if (newest <= from) return false;
    const isWaiting = unreceipted.all(from, replica.deviceId, 1).length > 0;
    if (!isWaiting) checkedUpTo = newest;
    return isWaiting;
  };

  const schedule = () => {
    if (isClosed || timer !== null || !hasWaiting()) return;
    timer = setTimeout(() => {
      timer = null;
      if (isClosed || !db.open) return;
      try {
        writeNow();
      } catch (error) {
        log(`holdfast: writing receipts failed (tried again when more ops arrive): ${String(error)}`);
      }
    }, delayMs);
    timer.unref?.();
  };

  function writeNow(): number {
    let written = 0;
    for (let page = unreceipted.all(cursor(), replica.deviceId, pageSize) as HeldOp[]; page.length > 0;) {
      // Times on this computer's clock as corrected by the last exchange, as the receipt's own stamp.
      const offset = replica.clockOffset.time() - now();
      const byStream = new Map<string, HeldOp[]>();
      for (const op of page) {
        if (op.receivedAt + offset - decodeHlc(op.hlc).ms > catchUpMs) continue;
        byStream.set(op.streamId, [...(byStream.get(op.streamId) ?? []), op]);
      }
      for (const [streamId, ops] of byStream) written += commitReceipts(incidentOfStream(streamId)!, ops, offset);
      const last = page[page.length - 1].seq;
      writeCursor.run(cursorKey, String(last));
      page = page.length < pageSize ? [] : (unreceipted.all(last, replica.deviceId, pageSize) as HeldOp[]);
    }
    return written;
  }

  /** One incident's receipts, committed together; an incident that cannot take them (purged meanwhile) is skipped. */
  function commitReceipts(incidentId: string, ops: HeldOp[], offset: number): number {
    const latest = replica.clockOffset.time();
    const drafts = receiptDrafts(incidentId, ops, (ms) => Math.min(ms + offset, latest));
    try {
      replica.commitLocal(drafts);
      return drafts.length;
    } catch (error) {
      log(`holdfast: no receipt written for incident ${incidentId}: ${(error as Error).message}`);
      return 0;
    }
  }

  schedule();
  return {
    onTouched(touched) {
      if (touched.some((t) => t.incidentId !== null && t.entity !== 'op_receipt')) schedule();
    },
    writeNow,
    close() {
      isClosed = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
    },
  };
}

/**
 * The receipt drafts for `ops` of one incident: ops held within a second of each other share one
 * group, timed by the last of them (so no op is said to be held before it was); at most
 * maxReceiptOps ops and maxReceiptGroups groups a receipt.
 */
export function receiptDrafts(incidentId: string, ops: readonly { opId: string; receivedAt: number }[], toHeldAt: (receivedAt: number) => number): OpDraft[] {
  const drafts: OpDraft[] = [];
  let groups: { start: number; last: number; opIds: string[] }[] = [];
  let count = 0;
  const flush = () => {
    if (count > 0) drafts.push({ entity: 'op_receipt', rowId: '', fields: { incidentId, held: groups.map((g) => ({ at: toHeldAt(g.last), opIds: g.opIds })) } });
    groups = [];
    count = 0;
  };
  for (const op of [...ops].sort((a, b) => a.receivedAt - b.receivedAt)) {
    if (count >= maxReceiptOps) flush();
    const group = groups.at(-1);
    if (group && op.receivedAt - group.start < groupSpanMs) {
      group.opIds.push(op.opId);
      group.last = op.receivedAt;
    } else {
      if (groups.length >= maxReceiptGroups) flush();
      groups.push({ start: op.receivedAt, last: op.receivedAt, opIds: [op.opId] });
    }
    count += 1;
  }
  flush();
  return drafts;
}
