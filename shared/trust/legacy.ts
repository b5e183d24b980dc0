// Legacy seals: the service vouches for the unsigned ops it stored before it had an org key by
// listing their full hashes in `legacy_seal` records of the trust stream, at most
// maxLegacySealHashes per record. This cuts a stream's hashes into those records' drafts.
import { maxLegacySealHashes } from '../entities/trust';
import type { OpDraft } from '../ops';

/** The legacy_seal drafts that seal `hashes` (full 64-hex op hashes) of `streamId`: one per 2000, in the given order; none for no hashes. */
export function legacySealDrafts(streamId: string, hashes: readonly string[]): OpDraft[] {
  const drafts: OpDraft[] = [];
  for (let start = 0; start < hashes.length; start += maxLegacySealHashes) {
    drafts.push({ entity: 'legacy_seal', rowId: '', fields: { streamId, hashes: hashes.slice(start, start + maxLegacySealHashes) } });
  }
  return drafts;
}
