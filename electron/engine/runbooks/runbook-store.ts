// Read queries over the runbook projections: the library (versions, heads, search) and the
// executions of runbooks inside incidents with the state of their steps. Writes go through ops.
import type { Database } from 'better-sqlite3';
import {
  bypassedSteps,
  isReviewOverdue,
  type Deviation,
  type RunbookContent,
  type RunbookRun,
  type RunbookSearchHit,
  type RunbookSummary,
  type RunbookVersion,
  type RunbookVersionInfo,
  type RunStatus,
  type RunStepView,
  type StepState,
} from '@shared/domain/runbook';
import { parseRunbook, type RunbookParse } from '@shared/domain/runbook-format';
import { highlightEnd, highlightStart } from '@shared/domain/search';
import { toFtsQuery } from '../core/search-store';

interface VersionRow {
  id: string;
  runbook_id: string;
  parents: string;
  source: string;
  note: string;
  author_id: string;
  created_at: number;
  number: number;
}

interface SummaryRow {
  id: string;
  title: string;
  services: string;
  incident_types: string;
  tags: string;
  owner: string;
  review_by: string | null;
  step_count: number;
  created_at: number;
  author_id: string;
  version_id: string;
  version_count: number;
  head_ids: string;
  is_archived: number;
}

interface RunRow {
  id: string;
  incident_id: string;
  runbook_id: string;
  version_id: string;
  title: string;
  started_at: number;
  started_by: string;
  assignees: string;
  status: RunStatus;
  stop_reason: string;
}

interface StepRow {
  step: number;
  override: string;
  state: StepState;
  note: string;
  branch: string | null;
  by: string | null;
  at: number | null;
}

const toVersion = (row: VersionRow): RunbookVersion => ({
  id: row.id,
  runbookId: row.runbook_id,
  parents: JSON.parse(row.parents) as string[],
  source: row.source,
  note: row.note,
  authorId: row.author_id,
  createdAt: row.created_at,
  number: row.number,
});

/** A version is a head of its runbook when no other version of the same runbook was edited from it. */
export const isHeadSql = (alias: string) => `NOT EXISTS (SELECT 1 FROM runbook_parents p JOIN runbook_versions c ON c.id = p.version_id
  WHERE p.parent_id = ${alias}.id AND c.runbook_id = ${alias}.runbook_id AND c.hlc > ${alias}.hlc)`;
const isHead = isHeadSql('v');
/** One runbook's versions numbered 1, 2, 3… in the order they were written (parameter: the runbook id). */
const numbered = `SELECT id, runbook_id, parents, source, note, author_id, created_at, hlc, row_number() OVER (ORDER BY hlc) AS number
  FROM runbook_versions WHERE runbook_id = ?`;

/** Parsed versions kept in memory: versions never change, and the war room reads its runs often. */
const parsedCacheSize = 100;

export function createRunbookStore(db: Database, now: () => number) {
  const parsed = new Map<string, RunbookParse>();
  const parsedVersion = (id: string, source: string): RunbookParse => {
    const hit = parsed.get(id);
    if (hit) {
      parsed.delete(id);
      parsed.set(id, hit);
      return hit;
    }
    const result = parseRunbook(source);
    parsed.set(id, result);
    if (parsed.size > parsedCacheSize) parsed.delete(parsed.keys().next().value as string);
    return result;
  };
  // One row per runbook: its newest head with the runbook's counts. Heads are few, so the
  // correlated subqueries stay small.
  const summariesSql = (only: string) => `SELECT v.runbook_id AS id, v.title, v.services, v.incident_types, v.tags, v.owner, v.review_by,
      v.step_count, v.created_at, v.author_id, v.id AS version_id,
      (SELECT count(*) FROM runbook_versions o WHERE o.runbook_id = v.runbook_id) AS version_count,
      (SELECT json_group_array(h.id) FROM (SELECT v2.id FROM runbook_versions v2 WHERE v2.runbook_id = v.runbook_id AND ${isHeadSql('v2')}
         ORDER BY v2.hlc DESC) h) AS head_ids,
      coalesce(r.is_archived, 0) AS is_archived
    FROM runbook_versions v LEFT JOIN runbooks r ON r.id = v.runbook_id
    WHERE ${only} ${isHead} AND v.hlc = (SELECT max(v3.hlc) FROM runbook_versions v3 WHERE v3.runbook_id = v.runbook_id AND ${isHeadSql('v3')})
    ORDER BY v.title COLLATE NOCASE, v.runbook_id`;
  const summaries = db.prepare(summariesSql(''));
  const summaryOf = db.prepare(summariesSql('v.runbook_id = ? AND'));
  // History lists versions without their text: a runbook with many long versions stays a small answer.
  const versions = db.prepare(`SELECT id, runbook_id, parents, '' AS source, note, author_id, created_at, number FROM (${numbered}) ORDER BY hlc DESC`);
  const version = db.prepare(`SELECT * FROM (${numbered.replace('runbook_id = ?', 'runbook_id = (SELECT runbook_id FROM runbook_versions WHERE id = ?)')}) WHERE id = ?`);
  const heads = db.prepare(`SELECT n.* FROM (${numbered}) n JOIN runbook_versions v ON v.id = n.id WHERE ${isHead} ORDER BY n.hlc DESC`);
  // Ranked title first, then services/types/tags, then text; archived runbooks are left out.
  const search = db.prepare(`SELECT f.runbook_id AS runbookId, f.title,
      snippet(runbook_fts, 3, '${highlightStart}', '${highlightEnd}', '…', 16) AS snippet,
      highlight(runbook_fts, 1, '${highlightStart}', '${highlightEnd}') AS highlightedTitle,
      highlight(runbook_fts, 2, '${highlightStart}', '${highlightEnd}') AS highlightedMeta
    FROM runbook_fts f LEFT JOIN runbooks r ON r.id = f.runbook_id
    WHERE runbook_fts MATCH ? AND coalesce(r.is_archived, 0) = 0 ORDER BY bm25(runbook_fts, 0, 8, 4, 1) LIMIT ?`);
  const runs = db.prepare(`SELECT id, incident_id, runbook_id, version_id, title, started_at, started_by, assignees, status, stop_reason
    FROM runbook_runs WHERE incident_id = ? ORDER BY started_at, id`);
  const run = db.prepare(`SELECT id, incident_id, runbook_id, version_id, title, started_at, started_by, assignees, status, stop_reason
    FROM runbook_runs WHERE id = ?`);
  const steps = db.prepare('SELECT step, state, note, branch, by, at, override FROM runbook_steps WHERE run_id = ? ORDER BY step');

  const toSummary = (row: SummaryRow): RunbookSummary => ({
    id: row.id,
    title: row.title,
    services: JSON.parse(row.services) as string[],
    incidentTypes: JSON.parse(row.incident_types) as string[],
    tags: JSON.parse(row.tags) as string[],
    owner: row.owner,
    reviewBy: row.review_by,
    isReviewOverdue: isReviewOverdue(row.review_by, now()),
    currentVersionId: row.version_id,
    headIds: JSON.parse(row.head_ids) as string[],
    versionCount: row.version_count,
    stepCount: row.step_count,
    updatedAt: row.created_at,
    updatedBy: row.author_id,
    isArchived: row.is_archived === 1,
    matches: [],
  });

  const content = (v: RunbookVersion): RunbookContent => {
    const read = parsedVersion(v.id, v.source);
    return read.ok ? { version: v, intro: read.runbook.intro, steps: read.runbook.steps, errors: [] } : { version: v, intro: '', steps: [], errors: read.errors };
  };

  const toRun = (row: RunRow): RunbookRun => {
    const pinned = version.get(row.version_id, row.version_id) as VersionRow | undefined;
    const read = pinned ? parsedVersion(pinned.id, pinned.source) : null;
    const base = read?.ok ? read.runbook.steps : [];
    const states = new Map((steps.all(row.id) as StepRow[]).map((s) => [s.step, s]));
    const bypassed = bypassedSteps(base, (n) => states.get(n));
    const views: RunStepView[] = base.map((step) => {
      const s = states.get(step.number);
      return {
        ...step,
        state: s?.state ?? 'pending',
        note: s?.note ?? '',
        override: s && s.state === 'done' ? s.override : '',
        branch: s?.branch ?? null,
        by: s && s.state !== 'pending' ? s.by : null,
        at: s && s.state !== 'pending' ? s.at : null,
        isBypassed: bypassed.has(step.number),
        bypassedBy: bypassed.get(step.number) ?? null,
        isOutOfOrder: false,
      };
    });
    // Out of order: done or failed while an earlier step on the path was still open (it is open
    // now, or was settled later). Judged on the merged record, so two responders who worked
    // different steps offline are judged by when each step was really done.
    for (const view of views) {
      if ((view.state !== 'done' && view.state !== 'failed') || view.at === null) continue;
      view.isOutOfOrder = views.some(
        (earlier) => earlier.number < view.number && !earlier.isBypassed && (earlier.state === 'pending' || (earlier.at !== null && earlier.at > (view.at as number))),
      );
    }
    const deviations: Deviation[] = [];
    for (const view of views) {
      const common = { runId: row.id, runbookTitle: row.title, step: view.number, stepTitle: view.title, note: view.note, by: view.by, at: view.at };
      if (view.state === 'skipped') deviations.push({ ...common, kind: 'skipped' });
      if (view.state === 'failed') deviations.push({ ...common, kind: 'failed' });
      if (view.isOutOfOrder) deviations.push({ ...common, kind: 'out-of-order' });
      if (view.override) deviations.push({ ...common, kind: 'evidence-gate', note: view.override });
    }
    const current = heads.all(row.runbook_id) as VersionRow[];
    const settledCount = views.filter((v) => v.state !== 'pending' || v.isBypassed).length;
    return {
      id: row.id,
      incidentId: row.incident_id,
      runbookId: row.runbook_id,
      versionId: row.version_id,
      versionNumber: pinned?.number ?? 0,
      isVersionCurrent: current.length > 0 && current[0].id === row.version_id,
      title: row.title,
      startedAt: row.started_at,
      startedBy: row.started_by,
      assignees: JSON.parse(row.assignees) as string[],
      status: row.status === 'active' && views.length > 0 && settledCount === views.length ? 'completed' : row.status,
      stopReason: row.stop_reason,
      steps: views,
      progress: { settled: settledCount, total: views.length },
      deviations,
    };
  };

  return {
    summaries(includeArchived: boolean): RunbookSummary[] {
      return (summaries.all() as SummaryRow[]).map(toSummary).filter((s) => includeArchived || !s.isArchived);
    },
    summary(id: string): RunbookSummary | undefined {
      const row = summaryOf.get(id) as SummaryRow | undefined;
      return row && toSummary(row);
    },
    /** Every version, newest first, without its text (read one with `version`). */
    versions: (runbookId: string): RunbookVersionInfo[] =>
      (versions.all(runbookId) as VersionRow[]).map((row) => {
        const { source: _source, ...info } = toVersion(row);
        return info;
      }),
    version(id: string): RunbookVersion | undefined {
      const row = version.get(id, id) as VersionRow | undefined;
      return row && toVersion(row);
    },
    /** Heads of a runbook, newest first: the first is its current version. */
    heads: (runbookId: string): RunbookVersion[] => (heads.all(runbookId) as VersionRow[]).map(toVersion),
    content,
    search(text: string, limit: number): RunbookSearchHit[] {
      const query = toFtsQuery(text);
      if (!query) return [];
      type Row = RunbookSearchHit & { highlightedTitle: string; highlightedMeta: string };
      return (search.all(query, limit) as Row[]).map(({ highlightedTitle, highlightedMeta, ...hit }) => ({
        ...hit,
        // A hit only in the title, or only in services and tags, shows those marked as its snippet.
        snippet: [hit.snippet, highlightedTitle, highlightedMeta].find((text) => text.includes(highlightStart)) ?? hit.snippet,
      }));
    },
    runs: (incidentId: string): RunbookRun[] => (runs.all(incidentId) as RunRow[]).map(toRun),
    run(id: string): RunbookRun | undefined {
      const row = run.get(id) as RunRow | undefined;
      return row && toRun(row);
    },
  };
}
export type RunbookStore = ReturnType<typeof createRunbookStore>;
