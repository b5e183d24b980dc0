// This laptop's replica scope (docs/replica-scope.md): the setting (closed incidents of the last N
// days, or everything), and eviction of incident streams that left the scope. A stream is evicted
// only when the service did not list it for this scope, the shared rule says so from the ops held
// here (with the clock corrected against the service's), and no op of it still has to reach the
// service; the check and the removal are one transaction, so nothing written meanwhile is lost.
import type { Database } from 'better-sqlite3';
import { incidentOfStream } from '@shared/entities';
import { defaultScope, emptyFacts, foldFact, scopeReason, scopeSettings, type EvictionReport, type IncidentFacts, type ScopeSettings } from '@shared/replica-scope';
import { readMeta, writeMeta, type Replica } from '../core/replica';
import type { PeerStore } from './peer-store';

const settingKey = 'replica_scope';
const evictedKey = 'replica_scope_evicted';

/**
 * The incident streams this laptop evicted that the service has not listed for its scope since. A
 * war-room hub lists every stream its host holds: these are not pulled from one (they would come
 * back, be pushed to the service as unsent, and be evicted again on the next pass, round after round).
 */
export function readEvicted(db: Database): Set<string> {
  const stored = readMeta(db, evictedKey);
  if (stored === undefined) return new Set();
  const parsed: unknown = JSON.parse(stored);
  return new Set(Array.isArray(parsed) ? parsed.filter((s): s is string => typeof s === 'string') : []);
}

function writeEvicted(db: Database, evicted: ReadonlySet<string>): void {
  writeMeta(db, evictedKey, JSON.stringify([...evicted].sort()));
}

/** The scope setting kept on this laptop (the default until one is set). */
export function readScope(db: Database): ScopeSettings {
  const stored = readMeta(db, settingKey);
  if (stored === undefined) return defaultScope;
  const parsed = scopeSettings.safeParse(JSON.parse(stored));
  return parsed.success ? parsed.data : defaultScope;
}

export function writeScope(db: Database, settings: ScopeSettings): ScopeSettings {
  const parsed = scopeSettings.parse(settings);
  writeMeta(db, settingKey, JSON.stringify(parsed));
  return parsed;
}

/** The facts of one incident stream as held here: folded from its valid ops. */
function localFacts(replica: Replica, streamId: string, refused: ReadonlySet<string>): IncidentFacts {
  const facts = emptyFacts();
  for (let after = 0; ;) {
    const page = replica.opLog.streamSince(streamId, after, 2000);
    if (page.length === 0) return facts;
    for (const op of page) if (!refused.has(op.opId)) foldFact(facts, op);
    after = page[page.length - 1].seq;
  }
}

/**
 * After a successful pass with the central service (`peerId`), whose scoped stream list was
 * `listed`: evicts the incident streams held here that left the scope. Never evicts with
 * keep-everything set, and never a stream with an op past the service's acknowledged mark.
 */
export function evictOutOfScope(
  deps: { replica: Replica; db: Database; store: PeerStore; settings: ScopeSettings; now: number; log?: (line: string) => void },
  peerId: string,
  listed: ReadonlySet<string>,
): EvictionReport {
  const { replica, store, settings, now, db } = deps;
  const report: EvictionReport = { evicted: [], keptUnsent: [], keptInScope: [] };
  // What the service lists again may be pulled from war rooms again.
  const evicted = readEvicted(db);
  const stillEvicted = new Set([...evicted].filter((streamId) => !listed.has(streamId)));
  if (stillEvicted.size !== evicted.size) writeEvicted(db, stillEvicted);
  if (settings.isKeepEverything) return report;
  const candidates = replica.opLog
    .streamHeads()
    .map((s) => s.streamId)
    .filter((streamId) => incidentOfStream(streamId) !== null && !listed.has(streamId));
  if (candidates.length === 0) return report;
  const refused = new Set(replica.opLog.refused().map((r) => r.opId));
  for (const streamId of candidates) {
    if (scopeReason(localFacts(replica, streamId, refused), replica.actorId, settings, now) !== null) {
      report.keptInScope.push(streamId);
      continue;
    }
    const isEvicted = replica.evictStream(streamId, () => {
      const isUnsent = replica.opLog.streamOutbox(peerId, streamId, store.pushedSeq(peerId), 1).length > 0 || store.hasUnsettledIn(peerId, streamId);
      if (isUnsent) return false;
      store.forgetStream(streamId);
      writeEvicted(db, readEvicted(db).add(streamId));
      return true;
    });
    (isEvicted ? report.evicted : report.keptUnsent).push(streamId);
  }
  if (report.evicted.length > 0 || report.keptUnsent.length > 0) {
    deps.log?.(
      `holdfast: replica scope: ${report.evicted.length} incident(s) left this laptop` +
        (report.keptUnsent.length > 0 ? `; ${report.keptUnsent.length} kept until the service has their last ops` : ''),
    );
  }
  return report;
}
