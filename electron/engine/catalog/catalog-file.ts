// The service catalog as a file, YAML or CSV: reading a file into raw entries with the line each
// field is on (problems of the file's form refuse it), and writing the catalog back out in the same
// format, so an export imports again unchanged. Checking the entries and planning the import are
// catalog-entries.ts and catalog-import.ts.
import { columnKey, readCsvRows } from '../core/csv-rows';
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node, type Pair } from 'yaml';
import { didYouMean, fold, type CatalogFormat, type CatalogProblem, type Service } from '@shared/domain/catalog';
import { csvText } from '@shared/csv';
import type { Team } from '@shared/domain/directory';

/** The fields of a service in a file, in the order an export writes them (the CSV's columns). */
export const catalogColumns = ['id', 'name', 'tier', 'owner_team', 'rto_min', 'rpo_min', 'depends_on', 'runbooks', 'checklists', 'description'] as const;
export type CatalogColumn = (typeof catalogColumns)[number];

const isColumn = (name: string): name is CatalogColumn => (catalogColumns as readonly string[]).includes(name);

/** Columns that hold names and ids, never numbers: `id: 010` is the service "010", not 10. */
const textualColumns: readonly CatalogColumn[] = ['id', 'name', 'owner_team', 'depends_on', 'runbooks', 'checklists', 'description'];

/** A YAML value as it was written: a plain scalar YAML would read as a number or boolean keeps its text. */
function asWritten(node: Node): unknown {
  if (isScalar(node)) return typeof node.value === 'string' || node.value === null || node.source === undefined ? node.value : node.source;
  if (isSeq(node)) return node.items.map((item) => asWritten(item as Node));
  return node.toJSON() as unknown;
}

/** One service as the file gives it: the raw values of the fields it has, and the line of each. */
export interface RawEntry {
  line: number;
  values: Partial<Record<CatalogColumn, unknown>>;
  lines: Partial<Record<CatalogColumn, number>>;
}

export interface CatalogReading {
  entries: RawEntry[];
  /** Problems of the file's form (bad YAML, unknown columns): any of them refuses it. */
  problems: CatalogProblem[];
}

/** A problem of the file, at the line it is on. */
export const catalogProblem = (line: number, message: string, serviceId: string | null = null): CatalogProblem => ({ line, serviceId, message });

const yamlShape = 'the file is a list of services, or a map with `services:` and that list (see docs/catalog.md)';

export function readCatalogYaml(text: string): CatalogReading {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, uniqueKeys: true });
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined, fallback = 1) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : fallback;
  if (doc.errors.length > 0) {
    return {
      entries: [],
      problems: doc.errors.map((error) =>
        catalogProblem(error.linePos?.[0].line ?? 1, `not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`),
      ),
    };
  }
  let list: Node | null = doc.contents;
  const problems: CatalogProblem[] = [];
  if (list === null) return { entries: [], problems: [catalogProblem(1, `the file is empty: ${yamlShape}`)] };
  if (isMap(list)) {
    const map = list;
    list = null;
    for (const pair of map.items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'services') list = pair.value;
      else problems.push(catalogProblem(lineOf(pair.key), `unknown key "${key}" at the top of the file: ${yamlShape}`));
    }
    if (list === null && problems.length === 0) problems.push(catalogProblem(lineOf(map), `there is no \`services:\` list: ${yamlShape}`));
  }
  if (list !== null && !isSeq(list)) problems.push(catalogProblem(lineOf(list), `\`services:\` must be a list, one "- id: …" entry per service: ${yamlShape}`));
  if (problems.length > 0 || list === null || !isSeq(list)) return { entries: [], problems };

  const entries: RawEntry[] = [];
  for (const item of list.items as (Node | null)[]) {
    const line = lineOf(item, lineOf(list));
    if (!isMap(item)) {
      problems.push(catalogProblem(line, 'each service is a map of fields (id:, name:, tier:, owner_team: …), not a single value'));
      continue;
    }
    const entry: RawEntry = { line, values: {}, lines: {} };
    for (const pair of item.items as Pair<Node, Node | null>[]) {
      const raw = isScalar(pair.key) ? String(pair.key.value) : '';
      const key = columnKey(raw);
      const keyLine = lineOf(pair.key, line);
      if (!isColumn(key)) {
        const hint = didYouMean(raw, catalogColumns);
        problems.push(catalogProblem(keyLine, `unknown field "${raw}"${hint ? `: did you mean ${hint}?` : ''}; the fields are ${catalogColumns.join(', ')}`));
        continue;
      }
      if (key in entry.values) {
        problems.push(catalogProblem(keyLine, `"${raw}" is given twice for this service (also line ${entry.lines[key]})`));
        continue;
      }
      entry.values[key] = pair.value === null ? null : textualColumns.includes(key) ? asWritten(pair.value) : (pair.value.toJSON() as unknown);
      entry.lines[key] = keyLine;
    }
    entries.push(entry);
  }
  if (entries.length === 0 && problems.length === 0) problems.push(catalogProblem(lineOf(list), 'the list of services is empty'));
  return { entries, problems };
}

/** A cell an export guarded against spreadsheet formulas ('=…) reads as it was written. */
const unguard = (cell: string) => (/^'[=+\-@]/.test(cell) ? cell.slice(1) : cell);

export function readCatalogCsv(text: string): CatalogReading {
  const read = readCsvRows(text);
  if ('error' in read) return { entries: [], problems: [catalogProblem(read.error.line, `not valid CSV: ${read.error.reason}`)] };
  const records = read.rows;
  const [header, ...body] = records;
  if (!header) return { entries: [], problems: [catalogProblem(1, `the file is empty: it needs a header row (${catalogColumns.join(',')})`)] };
  const columns = header.record.map(columnKey);
  const headerLine = header.line;
  const problems: CatalogProblem[] = columns.flatMap((column, index): CatalogProblem[] => {
    if (columns.indexOf(column) !== index) return [catalogProblem(headerLine, `column "${header.record[index]}" appears twice`)];
    if (isColumn(column)) return [];
    const hint = didYouMean(header.record[index], catalogColumns);
    const separator = /[;\t]/.test(header.record[index]) ? '; separate columns with commas' : '';
    return [
      catalogProblem(
        headerLine,
        `unknown column "${header.record[index]}"${hint ? `: did you mean ${hint}?` : ''}; the columns are ${catalogColumns.join(', ')}${separator}`,
      ),
    ];
  });
  if (!columns.includes('id')) problems.push(catalogProblem(headerLine, `there is no "id" column; the columns are ${catalogColumns.join(', ')}`));
  if (problems.length > 0) return { entries: [], problems };

  const entries: RawEntry[] = [];
  for (const row of body) {
    const line = row.line;
    // Spreadsheets leave rows of blank cells behind; they are not services.
    if (row.record.every((cell) => cell.trim() === '')) continue;
    if (row.record.slice(columns.length).some((cell) => cell.trim() !== '')) {
      problems.push(catalogProblem(line, `has ${row.record.length} cells but the header has ${columns.length} columns: quote cells that contain commas`));
      continue;
    }
    const entry: RawEntry = { line, values: {}, lines: {} };
    columns.forEach((column, index) => {
      if (!isColumn(column)) return;
      // A spreadsheet may drop trailing empty cells: a short row has those columns empty.
      entry.values[column] = unguard(row.record[index] ?? '');
      entry.lines[column] = line;
    });
    entries.push(entry);
  }
  if (entries.length === 0 && problems.length === 0) problems.push(catalogProblem(headerLine, 'the file has a header but no services: add one row per service'));
  return { entries, problems };
}

export function readCatalog(format: CatalogFormat, text: string): CatalogReading {
  return format === 'yaml' ? readCatalogYaml(text) : readCatalogCsv(text);
}

/** How a file names a service's team: by name when no other team has it, else by id. */
function teamLabel(teamId: string | null, teams: Team[]): string {
  if (teamId === null) return '';
  const team = teams.find((t) => t.id === teamId);
  if (!team) return teamId;
  return teams.filter((t) => fold(t.name) === fold(team.name)).length === 1 ? team.name : team.id;
}

const yamlHeader = `# Holdfast service catalog. Import with \`holdfast catalog import FILE\` or Library → Services → Import.
# Fields: id, name, tier (1 critical … 4 best effort), owner_team (a directory team's name or id),
# rto_min and rpo_min (minutes), depends_on (service ids), runbooks, checklists, description.
`;

/** The catalog in `format`, in the import format: importing it again changes nothing. */
export function writeCatalog(format: CatalogFormat, services: Service[], teams: Team[]): string {
  const sorted = [...services].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (format === 'csv') {
    const rows = sorted.map((s) => [
      s.id,
      s.name,
      s.tier,
      teamLabel(s.ownerTeamId, teams),
      s.rtoMin,
      s.rpoMin,
      s.dependsOn.join(';'),
      s.runbookIds.join(';'),
      s.checklistIds.join(';'),
      s.description,
    ]);
    return csvText(catalogColumns, rows);
  }
  const doc = new Document({
    services: sorted.map((s) => ({
      id: s.id,
      name: s.name,
      tier: s.tier,
      owner_team: teamLabel(s.ownerTeamId, teams) || null,
      rto_min: s.rtoMin,
      rpo_min: s.rpoMin,
      depends_on: s.dependsOn,
      runbooks: s.runbookIds,
      checklists: s.checklistIds,
      description: s.description,
    })),
  });
  // Lists of ids on one line each: `depends_on: [orders-db, payments-gateway]`.
  visit(doc, {
    Seq(_key, node) {
      if (node.items.every((item) => isScalar(item))) node.flow = true;
    },
  });
  return yamlHeader + doc.toString({ lineWidth: 0 });
}
