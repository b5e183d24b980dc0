// Proves a replica's projections against its op log: the ops are copied into an empty in-memory
// database built by Holdfast's own migrations (so no trigger or view added to the file takes part),
// replayed there exactly as `holdfast rebuild` does, and every projected row is compared with the
// file's. A row edited, added or deleted outside Holdfast is named, table and id, even when every
// hash chain holds. The file is only read.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { createProjections } from './projections';
import { openReplica } from './replica';
import { bundledMigrations, migrate } from './schema';
import { auditSchema, describeSchemaProblems, type SchemaAudit } from './schema-audit';
import { describeVerdictDifference, rederiveVerdicts, type VerdictDifference } from './verdict-proof';

export interface ProjectionProof {
  /** Ops replayed from the log. */
  ops: number;
  /** Projected rows compared. */
  rows: number;
  /** Differences found (the first few), empty when every verdict and projected row is what the op log gives. */
  problems: string[];
  /** Ops whose stored refusal is not the verdict judging them again gives (see ./verdict-proof). */
  verdicts: VerdictDifference[];
}

/** Problems listed before the proof stops looking: one is enough to refuse, a few help to explain. */
const maxProblems = 5;

/**
 * Replays `db`'s op log into a database of the newest schema and compares every projection table.
 * A file of an older schema is compared through an in-memory copy brought to the newest schema, as
 * opening it would.
 */
export function proveProjections(db: Database.Database): ProjectionProof {
  const newest = bundledMigrations.at(-1)?.version ?? 0;
  const version = (db.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null) ?? 0;
  const disk = version === newest ? db : new Database(db.serialize());
  const fresh = new Database(':memory:');
  try {
    if (disk !== db) migrate(disk);
    migrate(fresh);
    copyOpLog(disk, fresh);
    copyTrustSettings(disk, fresh);
    // The refusal column is outside the ops' hashes: every verdict is derived again, and the
    // projections are replayed from the derived verdicts, not the stored ones.
    const stored = new Map(disk.prepare('SELECT op_id, refusal FROM ops').raw().all() as [string, string | null][]);
    let replayed = { ops: 0 };
    const differences = rederiveVerdicts(fresh, stored, () => {
      replayed = openReplica(fresh).rebuild();
    });
    const problems: string[] = differences.slice(0, maxProblems).map(describeVerdictDifference);
    let rows = 0;
    for (const table of createProjections(fresh).tables) {
      const result = compareTable(disk, fresh, table, maxProblems - problems.length);
      rows += result.rows;
      problems.push(...result.problems);
      if (problems.length >= maxProblems) break;
    }
    return { ops: replayed.ops, rows, problems, verdicts: differences };
  } finally {
    fresh.close();
    if (disk !== db) disk.close();
  }
}

/** The schema audit and the projection proof together: what verify-chain and the audit report run before saying a replica is intact. */
export interface DatabaseProof {
  schema: SchemaAudit;
  projections: ProjectionProof;
  /** The first thing wrong, as one sentence, or null when the schema and every projected row are what Holdfast's migrations and the op log give. */
  problem: string | null;
}

export function proveDatabase(db: Database.Database): DatabaseProof {
  const schema = auditSchema(db);
  const newest = bundledMigrations.at(-1)?.version ?? 0;
  let projections: ProjectionProof = { ops: 0, rows: 0, problems: [], verdicts: [] };
  if (schema.version === 0) projections.problems.push('there is no op log to replay');
  else if (schema.version > newest) projections.problems.push(`it was made by a newer Holdfast (schema ${schema.version}, this build knows ${newest})`);
  else {
    try {
      projections = proveProjections(db);
    } catch (error) {
      projections.problems.push(`its op log cannot be replayed: ${(error as Error).message}`);
    }
  }
  const problem =
    schema.problems.length > 0
      ? describeSchemaProblems(schema.problems)
      : projections.verdicts.length > 0
        ? describeVerdictProblems(projections.verdicts.map(describeVerdictDifference))
        : projections.problems.length > 0
          ? describeProjectionProblems(projections.problems)
          : null;
  return { schema, projections, problem };
}

/** One line for a report: the first op whose stored verdict differs, and how many more do. */
export function describeVerdictProblems(verdicts: readonly string[]): string {
  const more = verdicts.length > 1 ? ` (and ${verdicts.length - 1} more op${verdicts.length > 2 ? 's' : ''} whose verdict differs)` : '';
  return `verdicts differ from the op log judged again: ${verdicts[0]}${more}; the signed ops are the record (holdfast rebuild --data DIR restores the verdicts they give and rebuilds the projections)`;
}

/** One line for a report: the first difference, and how many more were found. */
export function describeProjectionProblems(problems: readonly string[]): string {
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more difference${problems.length > 2 ? 's' : ''})` : '';
  return `projections differ from the op log: ${problems[0]}${more}; the op log is the record (holdfast rebuild --data DIR rebuilds them from it)`;
}

/** What the replica judges with: the org keys it pinned, its trust mode and its own certificate. */
function copyTrustSettings(from: Database.Database, to: Database.Database): void {
  if (from.prepare("SELECT 1 FROM sqlite_master WHERE name = 'replica_meta'").get() === undefined) return;
  const read = from.prepare('SELECT key, value FROM replica_meta WHERE key IN (?, ?, ?)');
  const write = to.prepare('INSERT OR REPLACE INTO replica_meta (key, value) VALUES (?, ?)');
  for (const { key, value } of read.all('org_keys', 'trust_mode', 'device_cert') as { key: string; value: string }[]) write.run(key, value);
}

function copyOpLog(from: Database.Database, to: Database.Database): void {
  const columns = from.prepare('SELECT name FROM pragma_table_info(?)').pluck().all('ops') as string[];
  const names = columns.map((c) => `"${c}"`).join(', ');
  const insert = to.prepare(`INSERT INTO ops (${names}) VALUES (${columns.map(() => '?').join(', ')})`);
  const read = from.prepare(`SELECT ${names} FROM ops WHERE seq > ? ORDER BY seq LIMIT 5000`).raw();
  const copy = to.transaction((page: unknown[][]) => {
    for (const row of page) insert.run(...row);
  });
  for (let after = 0; ;) {
    const page = read.all(after) as unknown[][];
    if (page.length === 0) break;
    copy(page);
    after = page[page.length - 1][0] as number;
  }
}

interface TableComparison {
  rows: number;
  problems: string[];
}

function compareTable(disk: Database.Database, fresh: Database.Database, table: string, limit: number): TableComparison {
  const info = fresh.prepare('SELECT name, pk FROM pragma_table_info(?)').all(table) as { name: string; pk: number }[];
  const keyColumns = info
    .filter((c) => c.pk > 0)
    .sort((a, b) => a.pk - b.pk)
    .map((c) => c.name);
  const columns = info.map((c) => c.name);
  const select = `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}" ORDER BY ${(keyColumns.length > 0 ? keyColumns : columns).map((c) => `"${c}"`).join(', ')}`;
  let diskQuery: Database.Statement;
  try {
    diskQuery = disk.prepare(select).raw();
  } catch (error) {
    return { rows: 0, problems: [`table ${table} cannot be read as Holdfast writes it: ${(error as Error).message}`] };
  }
  const freshQuery = fresh.prepare(select).raw();
  const digestOf = (query: Database.Statement) => {
    const hash = createHash('sha256');
    let count = 0;
    for (const row of query.iterate() as Iterable<unknown[]>) {
      hash.update(`${JSON.stringify(row)}\n`);
      count += 1;
    }
    return { digest: hash.digest('hex'), count };
  };
  const onDisk = digestOf(diskQuery);
  if (onDisk.digest === digestOf(freshQuery).digest) return { rows: onDisk.count, problems: [] };

  // They differ: say where. Rows are matched by primary key (or whole, for a table without one).
  const keyIndexes = (keyColumns.length > 0 ? keyColumns : columns).map((c) => columns.indexOf(c));
  const keyOf = (row: unknown[]) => JSON.stringify(keyIndexes.map((i) => row[i]));
  const describeKey = (row: unknown[]) => keyIndexes.map((i) => String(row[i])).join(' / ');
  const expected = new Map<string, unknown[]>();
  for (const row of freshQuery.iterate() as Iterable<unknown[]>) expected.set(keyOf(row), row);
  const problems: string[] = [];
  for (const row of diskQuery.iterate() as Iterable<unknown[]>) {
    if (problems.length >= limit) break;
    const key = keyOf(row);
    const wanted = expected.get(key);
    expected.delete(key);
    if (!wanted) {
      problems.push(`${table} row ${describeKey(row)} has no op that wrote it (added outside Holdfast)`);
      continue;
    }
    const changed = columns.filter((_, i) => JSON.stringify(row[i]) !== JSON.stringify(wanted[i]));
    if (changed.length > 0) {
      const first = columns.indexOf(changed[0]);
      problems.push(
        `${table} row ${describeKey(row)} differs from what its ops give (${changed.join(', ')}): ${changed[0]} is ${excerpt(row[first])} in the table but ${excerpt(wanted[first])} in the op log`,
      );
    }
  }
  for (const row of expected.values()) {
    if (problems.length >= limit) break;
    problems.push(`${table} row ${describeKey(row)} is written by the op log but missing from the table (deleted outside Holdfast)`);
  }
  return { rows: onDisk.count, problems };
}

function excerpt(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
