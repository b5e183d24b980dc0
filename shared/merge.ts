// The merge rules, as pure functions. `set` ops win per field by (hlc, opId); `append` records are
// immutable and deduplicated by id. Any replica that applies the same ops, in any order and with
// any duplication, ends with the same values.
import type { Json } from './canonical';

export interface Stamp {
  hlc: string;
  opId: string;
}

/** Whether `candidate` beats `current` for a field: later HLC, ties broken by opId. */
export function stampWins(candidate: Stamp, current: Stamp | undefined): boolean {
  if (!current) return true;
  if (candidate.hlc !== current.hlc) return candidate.hlc > current.hlc;
  return candidate.opId > current.opId;
}

export type FieldClocks = Record<string, Stamp>;

export interface SetMerge {
  /** The fields of the op that win, with their values. */
  winners: Record<string, Json>;
  /** The row's clocks after the op. */
  clocks: FieldClocks;
}

/** Applies a set op's fields to a row's per-field clocks. */
export function mergeSet(clocks: FieldClocks, stamp: Stamp, fields: Record<string, Json>): SetMerge {
  const winners: Record<string, Json> = {};
  const next: FieldClocks = { ...clocks };
  const own: Stamp = { hlc: stamp.hlc, opId: stamp.opId };
  for (const [field, value] of Object.entries(fields)) {
    if (stampWins(stamp, clocks[field])) {
      winners[field] = value;
      next[field] = own;
    }
  }
  return { winners, clocks: next };
}
