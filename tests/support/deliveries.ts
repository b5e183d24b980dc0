// Delivering ops to a replica out of order, duplicated and in batches, replayably from a seed.
import type { Op } from '@shared/ops';

/** Small deterministic PRNG so a failing delivery order can be replayed from its seed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * All ops, shuffled, each sent twice with the chance `resend`, cut into batches of 1 to
 * `maxBatch` ops.
 */
export function deliveries(ops: Op[], seed: number, options: { resend: number; maxBatch: number }): Op[][] {
  const next = random(seed);
  const sent = [...ops, ...ops.filter(() => next() < options.resend)];
  for (let i = sent.length - 1; i > 0; i -= 1) {
    const j = Math.floor(next() * (i + 1));
    [sent[i], sent[j]] = [sent[j], sent[i]];
  }
  const batches: Op[][] = [];
  for (let i = 0; i < sent.length;) {
    const size = 1 + Math.floor(next() * options.maxBatch);
    batches.push(sent.slice(i, i + size));
    i += size;
  }
  return batches;
}
