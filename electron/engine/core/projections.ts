// Projection tables: what the UI queries, derived from ops. Each entity has one projector that
// applies an op inside the caller's transaction. They can all be cleared and rebuilt from the op
// log, and their digest is the same on every replica that holds the same ops.
import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { Json } from '../../../shared/canonical';
import { canonicalJson } from '../../../shared/canonical';
import { incidentOfStream, type EntityFields, type EntityName, type entitySpecs } from '../../../shared/entities';
import { decodeHlc } from '../../../shared/hlc';
import { mergeSet, type FieldClocks } from '../../../shared/merge';
import type { Op } from '../../../shared/ops';
import { parseRunbook } from '../../../shared/domain/runbook-format';
import { isHeadSql } from '../runbooks/runbook-store';

/** What an applied op touched, for change events. */
export interface Touched {
  streamId: string;
  incidentId: string | null;
  entity: EntityName;
}

type Projector = (op: Op) => void;

type SetEntity = { [E in EntityName]: (typeof entitySpecs)[E]['kind'] extends 'set' ? E : never }[EntityName];

/** Where each `set` entity is projected: its table and the column of each field. */
const setTables: Record<SetEntity, { table: string; columns: Record<string, string> }> = {
  incident: {
    table: 'incidents',
    columns: {
      title: 'title',
      severity: 'severity',
      status: 'status',
      summary: 'summary',
      type: 'type',
      services: 'services',
      isDrill: 'is_drill',
      declaredAt: 'declared_at',
      startedAt: 'started_at',
      detectedAt: 'detected_at',
      acknowledgedAt: 'acknowledged_at',
      mitigatedAt: 'mitigated_at',
      resolvedAt: 'resolved_at',
      closedAt: 'closed_at',
      isLegalHold: 'is_legal_hold',
      legalHoldReason: 'legal_hold_reason',
      deleted: 'deleted',
    },
  },
  timeline_pin: { table: 'timeline_pins', columns: { incidentId: 'incident_id', isPinned: 'is_pinned' } },
  incident_role: {
    table: 'incident_roles',
    columns: {
      incidentId: 'incident_id',
      role: 'role',
      label: 'label',
      holderId: 'holder_id',
      since: 'since',
      offeredTo: 'offered_to',
      offeredBy: 'offered_by',
      offeredAt: 'offered_at',
    },
  },
  freeze: {
    table: 'freezes',
    columns: {
      incidentId: 'incident_id',
      scope: 'scope',
      reason: 'reason',
      since: 'since',
      until: 'until',
      declaredBy: 'declared_by',
      liftedAt: 'lifted_at',
      liftedBy: 'lifted_by',
      liftReason: 'lift_reason',
    },
  },
  task: {
    table: 'tasks',
    columns: {
      incidentId: 'incident_id',
      title: 'title',
      ownerId: 'owner_id',
      dueAt: 'due_at',
      status: 'status',
      createdAt: 'created_at',
      createdBy: 'created_by',
    },
  },
  org_setting: { table: 'org_settings', columns: { value: 'value' } },
  person: {
    table: 'people',
    columns: {
      name: 'name',
      handle: 'handle',
      email: 'email',
      phones: 'phones',
      teamId: 'team_id',
      timeZone: 'time_zone',
      title: 'title',
      notes: 'notes',
      deleted: 'deleted',
    },
  },
  team: {
    table: 'teams',
    columns: { name: 'name', description: 'description', escalationPhone: 'escalation_phone', pager: 'pager', deleted: 'deleted' },
  },
  bridge: {
    table: 'bridges',
    columns: { name: 'name', dialIn: 'dial_in', meetingUrl: 'meeting_url', pin: 'pin', notes: 'notes', deleted: 'deleted' },
  },
  runbook: { table: 'runbooks', columns: { isArchived: 'is_archived' } },
  runbook_run: {
    table: 'runbook_runs',
    columns: {
      incidentId: 'incident_id',
      runbookId: 'runbook_id',
      versionId: 'version_id',
      title: 'title',
      startedAt: 'started_at',
      startedBy: 'started_by',
      assignees: 'assignees',
      status: 'status',
      stopReason: 'stop_reason',
    },
  },
  checklist_template: {
    table: 'checklist_templates',
    columns: { name: 'name', incidentTypes: 'incident_types', items: 'items', deleted: 'deleted', updatedBy: 'updated_by' },
  },
  artifact: {
    table: 'artifacts',
    columns: {
      incidentId: 'incident_id',
      templateId: 'template_id',
      itemKey: 'item_key',
      artifactType: 'artifact_type',
      asset: 'asset',
      what: 'what',
      how: 'how',
      isRequired: 'is_required',
      volatility: 'volatility',
      state: 'state',
      reason: 'reason',
      approvedBy: 'approved_by',
      collector: 'collector',
      hostIds: 'host_ids',
      acquisitionStart: 'acquisition_start',
      acquisitionEnd: 'acquisition_end',
      collectorTimeZone: 'collector_time_zone',
      tool: 'tool',
      command: 'command',
      storageLocation: 'storage_location',
      fileName: 'file_name',
      size: 'size',
      sha256: 'sha256',
      md5: 'md5',
      sha1: 'sha1',
      hashSource: 'hash_source',
      hashWarning: 'hash_warning',
      createdAt: 'created_at',
      createdBy: 'created_by',
    },
  },
  update_template: {
    table: 'update_templates',
    columns: { audience: 'audience', name: 'name', title: 'title', body: 'body', deleted: 'deleted', updatedBy: 'updated_by' },
  },
  comms_channel: {
    table: 'comms_channels',
    columns: { name: 'name', config: 'config', audiences: 'audiences', isEnabled: 'is_enabled', deleted: 'deleted', updatedBy: 'updated_by' },
  },
  comms_update: {
    table: 'comms_updates',
    columns: {
      incidentId: 'incident_id',
      audience: 'audience',
      templateId: 'template_id',
      title: 'title',
      body: 'body',
      values: '"values"',
      nextUpdateAt: 'next_update_at',
      channelIds: 'channel_ids',
      approver: 'approver',
      author: 'author',
      createdAt: 'created_at',
      state: 'state',
      requestedAt: 'requested_at',
      approvedDigest: 'approved_digest',
      decidedBy: 'decided_by',
      decidedAt: 'decided_at',
      decisionComment: 'decision_comment',
      publishedAt: 'published_at',
    },
  },
  comms_delivery: {
    table: 'comms_deliveries',
    columns: {
      incidentId: 'incident_id',
      updateId: 'update_id',
      channelId: 'channel_id',
      channelName: 'channel_name',
      kind: 'kind',
      state: 'state',
      attempts: 'attempts',
      lastError: 'last_error',
      nextAttemptAt: 'next_attempt_at',
      deliveredAt: 'delivered_at',
      detail: 'detail',
      remoteId: 'remote_id',
      by: 'by',
    },
  },
  review: {
    table: 'reviews',
    columns: { incidentId: 'incident_id', body: 'body', generatedBody: 'generated_body', isEdited: 'is_edited', factors: 'factors', state: 'state', dueAt: 'due_at', generatedAt: 'generated_at', updatedBy: 'updated_by', publishedAt: 'published_at' },
  },
  action_item: {
    table: 'action_items',
    columns: {
      incidentId: 'incident_id',
      title: 'title',
      ownerId: 'owner_id',
      dueAt: 'due_at',
      priority: 'priority',
      type: 'type',
      status: 'status',
      note: 'note',
      createdAt: 'created_at',
      createdBy: 'created_by',
    },
  },
  service: {
    table: 'services',
    columns: {
      name: 'name',
      description: 'description',
      tier: 'tier',
      ownerTeamId: 'owner_team_id',
      rtoMin: 'rto_min',
      rpoMin: 'rpo_min',
      dependsOn: 'depends_on',
      runbookIds: 'runbook_ids',
      checklistIds: 'checklist_ids',
      deleted: 'deleted',
      updatedBy: 'updated_by',
    },
  },
  runbook_step: {
    table: 'runbook_steps',
    columns: { incidentId: 'incident_id', runId: 'run_id', step: 'step', state: 'state', note: 'note', branch: 'branch', by: 'by', at: 'at', override: 'override' },
  },
};

/** SQLite has no booleans or arrays: booleans are 0/1, lists are JSON text. */
function toColumnValue(value: Json): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) return canonicalJson(value);
  return value;
}

/**
 * A projector for a `set` entity: merges the op's fields with the row's per-field clocks and writes
 * the winners in one statement (one per set of winning fields, so full-text triggers on a table fire
 * only when their columns really change).
 */
function setProjector(db: Database, table: string, columnOf: Record<string, string>): Projector {
  const state = db.prepare(`SELECT clocks, updated_at AS updatedAt FROM ${table} WHERE id = ?`);
  const statements = new Map<string, Statement>();
  const statementFor = (isNew: boolean, fields: string[]): Statement => {
    const key = `${isNew ? 'insert' : 'update'}:${fields.join(',')}`;
    let statement = statements.get(key);
    if (!statement) {
      const columns = fields.map((field) => columnOf[field]);
      statement = isNew
        ? db.prepare(`INSERT INTO ${table} (${[...columns, 'clocks', 'updated_at', 'id'].join(', ')})
            VALUES (${[...columns, 'clocks', 'updated_at', 'id'].map(() => '?').join(', ')})`)
        : db.prepare(`UPDATE ${table} SET ${columns.map((c) => `${c} = ?`).join(', ')}, clocks = ?, updated_at = ? WHERE id = ?`);
      statements.set(key, statement);
    }
    return statement;
  };
  return (op) => {
    const stored = state.get(op.rowId) as { clocks: string; updatedAt: number } | undefined;
    const { winners, clocks } = mergeSet(stored === undefined ? {} : (JSON.parse(stored.clocks) as FieldClocks), op, op.fields);
    const fields = Object.keys(winners).filter((field) => field in columnOf).sort();
    if (fields.length === 0) return;
    // The newest clock of any field: winners only ever replace older clocks, so a running max is exact.
    const updatedAt = Math.max(stored?.updatedAt ?? 0, decodeHlc(op.hlc).ms);
    statementFor(stored === undefined, fields).run(...fields.map((f) => toColumnValue(winners[f])), canonicalJson(clocks), updatedAt, op.rowId);
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

export function createProjections(db: Database) {
  const timelineInsert = db.prepare(`INSERT OR IGNORE INTO timeline_entries
    (id, incident_id, kind, text, event_at, recorded_at, author_id, hlc, corrects, source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);

  const runbookVersion = runbookVersionProjector(db);
  // One row per event id: the op written first by clock wins, whatever order ops arrive in.
  const custodyInsert = db.prepare(`INSERT INTO custody_events (id, event_id, incident_id, artifact_id, action, from_party, to_party, purpose, note, sha256, result, corrects, at, actor_id, prev_hash, hash, hlc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (event_id) DO UPDATE SET id = excluded.id, incident_id = excluded.incident_id, artifact_id = excluded.artifact_id, action = excluded.action, from_party = excluded.from_party, to_party = excluded.to_party, purpose = excluded.purpose, note = excluded.note, sha256 = excluded.sha256, result = excluded.result, corrects = excluded.corrects, at = excluded.at, actor_id = excluded.actor_id, prev_hash = excluded.prev_hash, hash = excluded.hash, hlc = excluded.hlc
    WHERE excluded.hlc < custody_events.hlc OR (excluded.hlc = custody_events.hlc AND excluded.id < custody_events.id)`);
  // One published record per update: if two people published the same draft while apart, the one
  // written first by clock is the record on every replica.
  const publishedInsert = db.prepare(`INSERT INTO comms_published (id, op_id, incident_id, update_id, audience, title, body, next_update_at, channels, approved_by, lint_acknowledged, published_at, published_by, hlc)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET op_id = excluded.op_id, audience = excluded.audience, title = excluded.title, body = excluded.body, next_update_at = excluded.next_update_at, channels = excluded.channels, approved_by = excluded.approved_by, lint_acknowledged = excluded.lint_acknowledged, published_at = excluded.published_at, published_by = excluded.published_by, hlc = excluded.hlc
    WHERE excluded.hlc < comms_published.hlc OR (excluded.hlc = comms_published.hlc AND excluded.op_id < comms_published.op_id)`);
  const purgeInsert = db.prepare(`INSERT OR IGNORE INTO purge_records (id, incident_id, title, severity, closed_at, reason, purged_at, purged_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const sets = Object.fromEntries(
    Object.entries(setTables).map(([entity, { table, columns }]) => [entity, setProjector(db, table, columns)]),
  ) as Record<SetEntity, Projector>;
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
      publishedInsert.run(`${f.incidentId}/${f.updateId}`, op.opId, f.incidentId, f.updateId, f.audience, f.title, f.body, f.nextUpdateAt, canonicalJson(f.channels), f.approvedBy, canonicalJson(f.lintAcknowledged), f.publishedAt, op.actorId, op.hlc);
    },
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
      custodyInsert.run(op.rowId, f.eventId, f.incidentId, f.artifactId, f.action, f.from, f.to, f.purpose, f.note, f.sha256, f.result, f.corrects, f.at, op.actorId, f.prevHash, f.hash, op.hlc);
    },
  };

  const tables = ['timeline_entries', 'runbook_versions', 'runbook_parents', 'custody_events', 'comms_published', 'purge_records', ...Object.values(setTables).map((t) => t.table)];
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
      ...tables
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
    apply(op: Op): Touched {
      projectors[op.entity](op);
      return { streamId: op.streamId, incidentId: incidentOfStream(op.streamId), entity: op.entity };
    },
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
      return hash.digest('hex');
    },
    clear(): void {
      for (const table of [...tables, ...indexes]) db.exec(`DELETE FROM ${table}`);
    },
  };
}
export type Projections = ReturnType<typeof createProjections>;
