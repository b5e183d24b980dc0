// What the service knows of each incident for the replica-scope rule (shared/replica-scope): the
// facts folded from each incident stream's valid ops, kept in memory and brought up to a stream's
// head by reading only the ops stored since (so another node's pushes are seen through the heads).
import { incidentOfStream } from '@shared/entities';
import { emptyFacts, foldFact, isStreamInScope, type IncidentFacts, type ScopeSettings } from '@shared/replica-scope';
import type { StreamHead } from '@shared/sync';
import type { SyncStore } from './storage/sync-store';

/** Ops read per request while catching a stream's facts up. */
const factPage = 5000;

export interface ScopeFacts {
  /** The streams of `heads` in the user's scope, as of `now` (the service's clock). */
  inScope(heads: readonly StreamHead[], user: string, settings: ScopeSettings, now: number): Promise<StreamHead[]>;
}

export function createScopeFacts(store: SyncStore): ScopeFacts {
  const known = new Map<string, { head: number; facts: IncidentFacts }>();
  // One catch-up at a time: two requests never read the same ops twice.
  let turn: Promise<unknown> = Promise.resolve();

  const catchUp = async (heads: readonly StreamHead[]) => {
    const present = new Set<string>();
    for (const { streamId, head } of heads) {
      if (incidentOfStream(streamId) === null) continue;
      present.add(streamId);
      const entry = known.get(streamId) ?? { head: 0, facts: emptyFacts() };
      known.set(streamId, entry);
      while (entry.head < head) {
        const ops = await store.readOps(streamId, entry.head, factPage);
        if (ops.length === 0) break;
        // A refused op tells nothing: its writer was not allowed to write it.
        for (const op of ops) if (op.refusal === undefined) foldFact(entry.facts, op);
        entry.head = ops[ops.length - 1].seq;
      }
    }
    // A purged stream has no head any more: its facts go with it.
    for (const streamId of known.keys()) if (!present.has(streamId)) known.delete(streamId);
  };

  return {
    async inScope(heads, user, settings, now) {
      const caughtUp = turn.then(() => catchUp(heads));
      turn = caughtUp.catch(() => undefined);
      await caughtUp;
      return heads.filter(({ streamId }) => isStreamInScope(streamId, known.get(streamId)?.facts, user, settings, now));
    },
  };
}
