// Projection tables: what the UI queries, derived from ops. Each entity has one projector that
// applies an op inside the caller's transaction. They can all be cleared and rebuilt from the op
// log, and their digest is the same on every replica that holds the same ops.
import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { Json } from '@shared/canonical';
import { canonicalJson } from '@shared/canonical';
import { entityNames, entitySpecs, incidentOfStream, type Codec, type Column, type EntityFields, type EntityName, type SetEntity } from '@shared/entities';
import { decodeHlc } from '@shared/hlc';
import { mergeSet, type FieldClocks } from '@shared/merge';
import type { Op } from '@shared/ops';
import { parseRunbook } from '@shared/domain/runbook-format';
import { certIdOf } from '@shared/trust/certificate';
import type { SignedCertificate, SignedRevocation } from '@shared/trust/types';
import { isHeadSql } from '../runbooks/runbook-store';
import { receiptDigestOrder, receiptProjector, receiptTable } from '../knowledge/receipt-projection';
import { nativeSha256Hex } from './native-hash';

/** What an applied op touched, for change events. */
export interface Touched {
  streamId: string;
  incidentId: string | null;
  entity: EntityName;
}

type Projector = (op: Op) => void;

/** Every `set` entity, projected into its declared table and columns. */
const setEntities = entityNames.filter((entity): entity is SetEntity => entitySpecs[entity].kind === 'set');

/** SQLite has no booleans or lists: the declared codec says how a value is stored. */
function toColumnValue(value: Json, codec: Codec): unknown {
  if (value === null) return null;
  if (codec === 'bool') return value ? 1 : 0;
  return codec === 'json' ? canonicalJson(value) : value;
}

/**
 * A projector for a `set` entity: merges the op's fields with the row's per-field clocks and writes
 * the winners in one statement (one per set of winning fields, so full-text triggers on a table fire
 * only when their columns really change).
 */
function setProjector(db: Database, table: string, columns: readonly Column[]): Projector {
  const columnOf = new Map(columns.map((c) => [c.field, c]));
  const state = db.prepare(`SELECT clocks, updated_at AS updatedAt FROM ${table} WHERE id = ?`);
  const statements = new Map<string, Statement>();
  const statementFor = (isNew: boolean, fields: string[]): Statement => {
    const key = `${isNew ? 'insert' : 'update'}:${fields.join(',')}`;
    let statement = statements.get(key);
    if (!statement) {
      // Quoted: a field's snake_case name may be an SQL keyword (`values`).
      const names = fields.map((field) => `"${columnOf.get(field)?.column}"`);
      statement = isNew
        ? db.prepare(`INSERT INTO ${table} (${[...names, 'clocks', 'updated_at', 'id'].join(', ')})
            VALUES (${[...names, 'clocks', 'updated_at', 'id'].map(() => '?').join(', ')})`)
        : db.prepare(`UPDATE ${table} SET ${names.map((c) => `${c} = ?`).join(', ')}, clocks = ?, updated_at = ? WHERE id = ?`);
      statements.set(key, statement);
    }
    return statement;
  };
  return (op) => {
    const stored = state.get(op.rowId) as { clocks: string; updatedAt: number } | undefined;
    const { winners, clocks } = mergeSet(stored === undefined ? {} : (JSON.parse(stored.clocks) as FieldClocks), op, op.fields);
    const fields = Object.keys(winners)
      .filter((field) => columnOf.has(field))
      .sort();
    if (fields.length === 0) return;
    // The newest clock of any field: winners only ever replace older clocks, so a running max is exact.
    const updatedAt = Math.max(stored?.updatedAt ?? 0, decodeHlc(op.hlc).ms);
    statementFor(stored === undefined, fields).run(
      ...fields.map((f) => toColumnValue(winners[f], columnOf.get(f)?.codec ?? 'plain')),
      canonicalJson(clocks),
      updatedAt,
      op.rowId,
    );
  };
}

/** A runbook's text as search sees it: without its front matter (indexed apart) and step markers. */
function searchableBody(source: string): string {
  return source
    .replace(/\r\n?/g, '\n')
    .replace(/^\uFEFF?---[ \t]*\n[\s\S]*?\n---[ \t]*(?:\n|$)/, '')
    .replace(/\[(?:check|command|decision|recovery)\]/gi, ' ');
}

/**
 * Runbook versions: the version with the front matter read from its source (a source this build
 * cannot read is kept, marked unreadable, and listed under its runbook id), its parent links, and
 * the search index row of its runbook, which always holds the runbook's current version.
 */
function runbookVersionProjector(db: Database): Projector {
  const insert = db.prepare(`INSERT OR IGNORE INTO runbook_versions (id, runbook_id, parents, source, note, author_id, created_at, hlc,
      title, services, incident_types, tags, owner, review_by, step_count, is_readable) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const link = db.prepare('INSERT OR IGNORE INTO runbook_parents (version_id, parent_id) VALUES (?, ?)');
  const current = db.prepare(`SELECT title, source, services, incident_types AS incidentTypes, tags, owner FROM runbook_versions v
    WHERE runbook_id = ? AND ${isHeadSql('v')}
    ORDER BY hlc DESC LIMIT 1`);
  const unindex = db.prepare('DELETE FROM runbook_fts WHERE runbook_id = ?');
  const index = db.prepare('INSERT INTO runbook_fts (runbook_id, title, meta, body) VALUES (?, ?, ?, ?)');
  return (op) => {
    const f = op.fields as { runbookId: string; parents: string[]; source: string; note: string };
    const parsed = parseRunbook(f.source);
    const meta = parsed.ok ? parsed.runbook.meta : null;
    const inserted = insert.run(
      op.rowId,
      f.runbookId,
      canonicalJson(f.parents),
      f.source,
      f.note,
      op.actorId,
      decodeHlc(op.hlc).ms,
      op.hlc,
      meta?.title ?? f.runbookId,
      canonicalJson(meta?.services ?? []),
      canonicalJson(meta?.incidentTypes ?? []),
      canonicalJson(meta?.tags ?? []),
      meta?.owner ?? '',
      meta?.reviewBy ?? null,
      parsed.ok ? parsed.runbook.steps.length : 0,
      parsed.ok ? 1 : 0,
    );
    if (inserted.changes === 0) return;
    for (const parent of f.parents) link.run(op.rowId, parent);
    const head = current.get(f.runbookId) as { title: string; source: string; services: string; incidentTypes: string; tags: string; owner: string } | undefined;
    unindex.run(f.runbookId);
    if (head) {
      const lists = [head.services, head.incidentTypes, head.tags].flatMap((list) => JSON.parse(list) as string[]);
      index.run(f.runbookId, head.title, `${lists.join(' ')} ${head.owner}`, searchableBody(head.source));
    }
  };
}

/**
 * Trust records, one row per natural key (key id, certificate id, revocation body hash, sealed op hash) whatever
 * order they arrive in. Only valid ops are projected, so a row here was judged: its signature
 * checked against a trusted key. Statements are prepared on first use, so a database of an older
 * schema (a backup being verified) can still be digested.
 */
function trustProjectors(db: Database): Pick<Record<EntityName, Projector>, 'org_key' | 'device_cert' | 'cert_revocation' | 'legacy_seal'> {
  let statements: { key: Statement; cert: Statement; revocation: Statement; legacy: Statement } | undefined;
  const prepared = () =>
    (statements ??= {
      key: db.prepare('INSERT OR IGNORE INTO trust_org_keys (key_id, public_key, created_at, endorsed_by, endorsement) VALUES (?, ?, ?, ?, ?)'),
      cert: db.prepare(`INSERT OR IGNORE INTO trust_certs (cert_id, org, user_name, role, device_id, public_key, not_before, not_after, adopts, body, sig)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      revocation: db.prepare('INSERT OR IGNORE INTO trust_revocations (id, cert_id, effective_at, body, sig) VALUES (?, ?, ?, ?, ?)'),
      legacy: db.prepare('INSERT OR IGNORE INTO trust_legacy (hash, stream_id) VALUES (?, ?)'),
    });
  return {
    org_key: (op) => {
      const f = op.fields as EntityFields<'org_key'>;
      prepared().key.run(f.keyId, f.publicKey, f.createdAt, f.endorsedBy ?? null, f.endorsement ?? null);
    },
    device_cert: (op) => {
      const { body: b, sig } = op.fields as unknown as SignedCertificate;
      const certId = certIdOf(b, nativeSha256Hex);
      prepared().cert.run(certId, b.org, b.user, b.role, b.deviceId, b.publicKey, b.notBefore, b.notAfter, b.adopts ? 1 : 0, canonicalJson(b), sig);
    },
    cert_revocation: (op) => {
      const { body, sig } = op.fields as unknown as SignedRevocation;
      const json = canonicalJson(body);
      prepared().revocation.run(nativeSha256Hex(json).slice(0, 32), body.certId, body.effectiveAt, json, sig);
    },
    legacy_seal: (op) => {
      const { streamId, hashes } = op.fields as EntityFields<'legacy_seal'>;
      for (const hash of hashes) prepared().legacy.run(hash, streamId);
    },
  };
}

export function createProjections(db: Database) {
  const timelineInsert = db.prepare(`INSERT OR IGNORE INTO timeline_entries
    (id, incident_id, kind, text, event_at, recorded_at, author_id, hlc, corrects, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const runbookVersion = runbookVersionProjector(db);
  // One row per event id: the op written first by clock wins, whatever order ops arrive in.
  const custodyInsert =
    db.prepare(`INSERT INTO custody_events (id, event_id, incident_id, artifact_id, action, from_party, to_party, purpose, note, sha256, result, corrects, at, actor_id, prev_hash, hash, hlc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (event_id) DO UPDATE SET id = excluded.id, incident_id = excluded.incident_id, artifact_id = excluded.artifact_id, action = excluded.action, from_party = excluded.from_party, to_party = excluded.to_party, purpose = excluded.purpose, note = excluded.note, sha256 = excluded.sha256, result = excluded.result, corrects = excluded.corrects, at = excluded.at, actor_id = excluded.actor_id, prev_hash = excluded.prev_hash, hash = excluded.hash, hlc = excluded.hlc
    WHERE excluded.hlc < custody_events.hlc OR (excluded.hlc = custody_events.hlc AND excluded.id < custody_events.id)`);
  // One published record per update, and it never changes: a later publication of the same update
  // is ignored whatever its clock says (a backdated one must not rewrite what customers were told).
  const publishedInsert =
    db.prepare(`INSERT INTO comms_published (id, op_id, incident_id, update_id, audience, title, body, next_update_at, channels, approved_by, lint_acknowledged, published_at, published_by, hlc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO NOTHING`);
  const purgeInsert = db.prepare(
    `INSERT OR IGNORE INTO purge_records (id, incident_id, title, severity, closed_at, reason, purged_at, purged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const sets = Object.fromEntries(setEntities.map((entity) => [entity, setProjector(db, entitySpecs[entity].table, entitySpecs[entity].columns)])) as Record<
    SetEntity,
    Projector
  >;
  const projectors: Record<EntityName, Projector> = {
    ...sets,
    timeline_entry: (op) => {
      const f = op.fields as { incidentId: string; kind: string; text: string; eventAt: number; corrects?: string; source?: string };
      timelineInsert.run(op.rowId, f.incidentId, f.kind, f.text, f.eventAt, decodeHlc(op.hlc).ms, op.actorId, op.hlc, f.corrects ?? null, f.source ?? null);
    },
    runbook_version: runbookVersion,
    purge_record: (op) => {
      const f = op.fields as EntityFields<'purge_record'>;
      purgeInsert.run(op.rowId, f.incidentId, f.title, f.severity, f.closedAt, f.reason, f.purgedAt, op.actorId);
      purgeIncident(f.incidentId);
    },
    comms_published: (op) => {
      const f = op.fields as EntityFields<'comms_published'>;
      publishedInsert.run(
        `${f.incidentId}/${f.updateId}`,
        op.opId,
        f.incidentId,
        f.updateId,
        f.audience,
        f.title,
        f.body,
        f.nextUpdateAt,
        canonicalJson(f.channels),
        f.approvedBy,
        canonicalJson(f.lintAcknowledged),
        f.publishedAt,
        op.actorId,
        op.hlc,
      );
    },
    ...trustProjectors(db),
    op_receipt: receiptProjector(db),
    custody_event: (op) => {
      const f = op.fields as {
        eventId: string;
        incidentId: string;
        artifactId: string;
        action: string;
        from: string;
        to: string;
        purpose: string;
        note: string;
        sha256: string | null;
        result: string | null;
        corrects: string | null;
        at: number;
        prevHash: string;
        hash: string;
      };
      custodyInsert.run(
        op.rowId,
        f.eventId,
        f.incidentId,
        f.artifactId,
        f.action,
        f.from,
        f.to,
        f.purpose,
        f.note,
        f.sha256,
        f.result,
        f.corrects,
        f.at,
        op.actorId,
        f.prevHash,
        f.hash,
        op.hlc,
      );
    },
  };

  // Backups carry the digest in their manifest, so tables keep the order earlier builds hashed them
  // in: the append tables, then the set tables as declared, runbook_steps (added last) last.
  const setTables = setEntities.map((entity) => entitySpecs[entity].table);
  const hashedLast = ['runbook_steps'];
  const tables = [
    'timeline_entries',
    'runbook_versions',
    'runbook_parents',
    'custody_events',
    'comms_published',
    'purge_records',
    ...setTables.filter((table) => !hashedLast.includes(table)),
    ...hashedLast,
  ];
  /**
   * The trust tables (and receipts, after them) come last and only when they hold rows, so the digest
   * of a replica without trust records (and every backup manifest made before them) is what it was.
   */
  const trustTables = ['trust_org_keys', 'trust_certs', 'trust_revocations', 'trust_legacy', receiptTable];
  const trustDigestOrder: Record<string, string> = {
    trust_org_keys: 'key_id',
    trust_certs: 'cert_id',
    trust_revocations: 'id',
    trust_legacy: 'hash',
    [receiptTable]: receiptDigestOrder,
  };
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").pluck();
  const trustDigestQueries = trustTables
    .filter((table) => hasTable.get(table) !== undefined)
    .map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY ${trustDigestOrder[table]}`).raw());
  /** Derived indexes: cleared with the projections, left out of the digest. */
  const indexes = ['runbook_fts'];
  const digestOrder: Record<string, string> = { runbook_parents: 'version_id, parent_id' };
  const digestQueries = tables.map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY ${digestOrder[table] ?? 'id'}`).raw());

  const purgedAt = db.prepare('SELECT min(purged_at) FROM purge_records WHERE incident_id = ?').pluck();
  /** Full-text indexes of incident text: told to drop a deleted row's terms for good while purging. */
  const incidentIndexes = (isOn: boolean) =>
    ['incidents_fts', 'timeline_fts'].map((index) => db.prepare(`INSERT INTO ${index} (${index}, rank) VALUES ('secure-delete', ${isOn ? 1 : 0})`));
  const secureDeleteIndexes = { on: incidentIndexes(true), off: incidentIndexes(false) };
  let purgeStatements: { statement: Statement; isKeyed: boolean }[] | undefined;
  /**
   * Removes every projection row of a purged incident: its incidents row, and the rows of every
   * projection table with an incident_id column (rows keyed `incidentId/…` too, whatever their
   * incident_id says), except the purge records themselves. Tables are found from the schema, so a
   * table added later is purged without being listed here. Their full-text entries go with them.
   */
  function purgeIncident(incidentId: string): void {
    purgeStatements ??= [
      { statement: db.prepare('DELETE FROM incidents WHERE id = ?'), isKeyed: false },
      ...[...tables, receiptTable]
        .filter((table) => table !== 'purge_records')
        .flatMap((table) => {
          const columns = db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[];
          if (!columns.includes('incident_id')) return [];
          const isKeyed = columns.includes('id');
          return [{ statement: db.prepare(`DELETE FROM ${table} WHERE incident_id = ?${isKeyed ? ' OR (id >= ? AND id < ?)' : ''}`), isKeyed }];
        }),
    ];
    for (const index of secureDeleteIndexes.on) index.run();
    // `incidentId/` up to (not including) `incidentId0`: every id under the incident's prefix.
    for (const { statement, isKeyed } of purgeStatements) {
      if (isKeyed) statement.run(incidentId, `${incidentId}/`, `${incidentId}0`);
      else statement.run(incidentId);
    }
    for (const index of secureDeleteIndexes.off) index.run();
  }

  return {
    /** Every table the projections write and the digest covers (the derived full-text index aside). */
    tables: [...tables, ...trustTables] as readonly string[],
    apply(op: Op): Touched {
      projectors[op.entity](op);
      return { streamId: op.streamId, incidentId: incidentOfStream(op.streamId), entity: op.entity };
    },
    /** Removes every projection row of an incident without recording a purge (an incident that left this laptop's scope). */
    removeIncident: purgeIncident,
    /**
     * When the incident was purged under the retention setting (the earliest purge record), or null.
     * Its ops are refused from then on: a purge is for good.
     */
    purgedAt(incidentId: string): number | null {
      return (purgedAt.get(incidentId) as number | null) ?? null;
    },
    /** SHA-256 over every projection row in id order: equal on replicas holding equal ops. */
    digest(): string {
      const hash = createHash('sha256');
      for (const query of digestQueries) {
        for (const row of query.iterate()) hash.update(`${JSON.stringify(row)}\n`);
        hash.update('--\n');
      }
      trustDigestQueries.forEach((query, i) => {
        const rows = query.all();
        if (rows.length === 0) return;
        hash.update(`${trustTables[i]}\n`);
        for (const row of rows) hash.update(`${JSON.stringify(row)}\n`);
        hash.update('--\n');
      });
      return hash.digest('hex');
    },
    clear(): void {
      for (const table of [...tables, ...trustTables, ...indexes]) db.exec(`DELETE FROM ${table}`);
    },
  };
}
export type Projections = ReturnType<typeof createProjections>;
