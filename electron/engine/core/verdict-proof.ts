// The verdict on every op (ops.refusal) derived again from the signed ops alone. The refusal column
// is outside each op's hash and signature, so an edited file could mark a refused op valid (and it
// would be projected) or a valid op refused (and it would vanish) with every hash chain intact.
// Here every op is judged again with judgeOp, under the organisation keys the replica pinned and
// the trust records of its own log, and each op whose stored refusal differs is named.
//
// Works on `fresh`, an in-memory database holding a copy of the op log (projection-proof.ts): its
// refusals are rewritten there to the verdicts derived, never in the file being proved.
import type { Database } from 'better-sqlite3';
import { judgeOp } from '@shared/trust/judge';
import type { Verdict } from '@shared/trust/types';
import { isImposedOnImport } from './imported-delivery';
import { toOp, type OpRow } from './op-log';
import { createTrustStore } from './trust-store';

/** An op whose stored verdict is not the one judging it again gives. */
export interface VerdictDifference {
  opId: string;
  entity: string;
  stored: string | null;
  derived: string | null;
}

/** How many rounds of judging before giving up on a fixed point (trust records refused change what the others are judged under). */
const maxPasses = 6;

/**
 * Judges every op of `fresh` again. `rebuild` re-projects `fresh` from its op log (as `holdfast
 * rebuild` does). Returns the ops whose refusal on disk (`stored`, by op id) is not the derived
 * one; on return `fresh` holds the derived refusals and projections built from them.
 *
 * A replica that pinned no org key judges nothing: every op's verdict is valid (bar an imposed
 * refusal). A replica that pinned one: the trust records are first all taken as valid, every op is
 * judged, refused trust records are dropped, and judging repeats until no verdict changes, so the
 * result does not depend on the refusals the file claims. An op the judge can only hold or reject
 * (it was stored before this replica judged, e.g. while standalone) keeps its stored verdict.
 */
export function rederiveVerdicts(fresh: Database, stored: ReadonlyMap<string, string | null>, rebuild: () => void): VerdictDifference[] {
  const setRefusal = fresh.prepare('UPDATE ops SET refusal = ? WHERE op_id = ? AND refusal IS NOT ?');
  const rows = () => fresh.prepare('SELECT * FROM ops ORDER BY seq').all() as OpRow[];
  const all = rows();
  const expectedOf = (row: OpRow, verdict: Verdict | null): string | null => {
    const before = stored.get(row.op_id) ?? null;
    if (isImposedOnImport(row.entity, before)) return before;
    if (verdict === null) return null;
    if (verdict.is === 'valid') return null;
    if (verdict.is === 'refused') return verdict.reason;
    return before;
  };
  const write = fresh.transaction((derived: Map<string, string | null>) => {
    let changes = 0;
    for (const [opId, refusal] of derived) changes += setRefusal.run(refusal, opId, refusal).changes;
    return changes;
  });

  const meta = fresh.prepare('SELECT value FROM replica_meta WHERE key = ?').pluck();
  const orgKeys = meta.get('org_keys') as string | undefined;
  const isJudging = orgKeys !== undefined && (JSON.parse(orgKeys) as unknown[]).length > 0 && (meta.get('trust_mode') ?? 'standalone') !== 'standalone';
  const derived = new Map<string, string | null>();
  if (!isJudging) {
    for (const row of all) derived.set(row.op_id, expectedOf(row, null));
    write(derived);
    rebuild();
  } else {
    // Pass 0: every trust record counts; each pass drops those judged refused and judges again.
    write(new Map(all.map((row) => [row.op_id, isImposedOnImport(row.entity, stored.get(row.op_id) ?? null) ? (stored.get(row.op_id) ?? null) : null])));
    rebuild();
    for (let pass = 0; pass < maxPasses; pass += 1) {
      const view = createTrustStore(fresh, { deviceId: '', publicKey: null }).view();
      for (const row of all) derived.set(row.op_id, expectedOf(row, judgeOp(toOp(row), view)));
      const changes = write(derived);
      rebuild();
      if (changes === 0) break;
    }
  }
  const differences: VerdictDifference[] = [];
  for (const row of all) {
    const before = stored.get(row.op_id) ?? null;
    const after = derived.get(row.op_id) ?? null;
    if (before !== after) differences.push({ opId: row.op_id, entity: row.entity, stored: before, derived: after });
  }
  return differences;
}

/** One sentence naming the op and both verdicts. */
export function describeVerdictDifference(d: VerdictDifference): string {
  const say = (refusal: string | null) => (refusal === null ? 'valid' : `refused (${refusal})`);
  return `op ${d.opId} (${d.entity}) is stored ${say(d.stored)} but judging it again gives ${say(d.derived)}: its refusal column was edited outside Holdfast`;
}
