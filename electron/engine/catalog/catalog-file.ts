// The service catalog as a file, YAML or CSV: reading a file into entries with the line each starts
// on, checking every field, planning an import against what the replica holds (owner teams matched
// in the directory, dependencies and cycles checked across the file and the catalog together), and
// writing the catalog back out in the same format, so an export imports again unchanged. Pure
// functions: the API module commits the plan, all of it or (on any error) none of it.
import { columnKey, readCsvRows } from '../core/csv-rows';
import { Document, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Node, type Pair } from 'yaml';
import type { Json } from '../../../shared/canonical';
import { canonicalJson } from '../../../shared/canonical';
import {
  dependencyCycles,
  describeCycle,
  didYouMean,
  parseMinutes,
  parseTier,
  serviceIdProblem,
  suggestedServiceId,
  type CatalogFormat,
  type CatalogImportReport,
  type CatalogProblem,
  type Service,
  type ServiceTier,
} from '../../../shared/domain/catalog';
import { csvText } from '../../../shared/csv';
import type { Team } from '../../../shared/domain/directory';
import { runbookIdPattern } from '../../../shared/domain/runbook-format';
import type { OpDraft } from '../../../shared/ops';

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

const problem = (line: number, message: string, serviceId: string | null = null): CatalogProblem => ({ line, serviceId, message });

// ---- YAML --------------------------------------------------------------------------------------

const yamlShape = 'the file is a list of services, or a map with `services:` and that list (see docs/catalog.md)';

export function readCatalogYaml(text: string): CatalogReading {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter, uniqueKeys: true });
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined, fallback = 1) => (node?.range ? lineCounter.linePos(node.range[0]).line : fallback);
  if (doc.errors.length > 0) {
    return {
      entries: [],
      problems: doc.errors.map((error) => problem(error.linePos?.[0].line ?? 1, `not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`)),
    };
  }
  let list: Node | null = doc.contents as Node | null;
  const problems: CatalogProblem[] = [];
  if (list === null) return { entries: [], problems: [problem(1, `the file is empty: ${yamlShape}`)] };
  if (isMap(list)) {
    const map = list;
    list = null;
    for (const pair of map.items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === 'services') list = pair.value;
      else problems.push(problem(lineOf(pair.key), `unknown key "${key}" at the top of the file: ${yamlShape}`));
    }
    if (list === null && problems.length === 0) problems.push(problem(lineOf(map), `there is no \`services:\` list: ${yamlShape}`));
  }
  if (list !== null && !isSeq(list)) problems.push(problem(lineOf(list), `\`services:\` must be a list, one "- id: …" entry per service: ${yamlShape}`));
  if (problems.length > 0 || list === null || !isSeq(list)) return { entries: [], problems };

  const entries: RawEntry[] = [];
  for (const item of list.items as (Node | null)[]) {
    const line = lineOf(item, lineOf(list));
    if (!isMap(item)) {
      problems.push(problem(line, 'each service is a map of fields (id:, name:, tier:, owner_team: …), not a single value'));
      continue;
    }
    const entry: RawEntry = { line, values: {}, lines: {} };
    for (const pair of item.items as Pair<Node, Node | null>[]) {
      const raw = isScalar(pair.key) ? String(pair.key.value) : '';
      const key = columnKey(raw);
      const keyLine = lineOf(pair.key, line);
      if (!isColumn(key)) {
        const hint = didYouMean(raw, catalogColumns);
        problems.push(problem(keyLine, `unknown field "${raw}"${hint ? `: did you mean ${hint}?` : ''}; the fields are ${catalogColumns.join(', ')}`));
        continue;
      }
      if (key in entry.values) {
        problems.push(problem(keyLine, `"${raw}" is given twice for this service (also line ${entry.lines[key]})`));
        continue;
      }
      entry.values[key] = pair.value === null ? null : textualColumns.includes(key) ? asWritten(pair.value as Node) : (pair.value.toJSON() as unknown);
      entry.lines[key] = keyLine;
    }
    entries.push(entry);
  }
  if (entries.length === 0 && problems.length === 0) problems.push(problem(lineOf(list), 'the list of services is empty'));
  return { entries, problems };
}

// ---- CSV ---------------------------------------------------------------------------------------

/** A cell an export guarded against spreadsheet formulas ('=…) reads as it was written. */
const unguard = (cell: string) => (/^'[=+\-@]/.test(cell) ? cell.slice(1) : cell);

export function readCatalogCsv(text: string): CatalogReading {
  const read = readCsvRows(text);
  if ('error' in read) return { entries: [], problems: [problem(read.error.line, `not valid CSV: ${read.error.reason}`)] };
  const records = read.rows;
  const [header, ...body] = records;
  if (!header) return { entries: [], problems: [problem(1, `the file is empty: it needs a header row (${catalogColumns.join(',')})`)] };
  const columns = header.record.map(columnKey);
  const headerLine = header.line;
  const problems: CatalogProblem[] = columns.flatMap((column, index): CatalogProblem[] => {
    if (columns.indexOf(column) !== index) return [problem(headerLine, `column "${header.record[index]}" appears twice`)];
    if (isColumn(column)) return [];
    const hint = didYouMean(header.record[index], catalogColumns);
    const separator = /[;\t]/.test(header.record[index]) ? '; separate columns with commas' : '';
    return [problem(headerLine, `unknown column "${header.record[index]}"${hint ? `: did you mean ${hint}?` : ''}; the columns are ${catalogColumns.join(', ')}${separator}`)];
  });
  if (!columns.includes('id')) problems.push(problem(headerLine, `there is no "id" column; the columns are ${catalogColumns.join(', ')}`));
  if (problems.length > 0) return { entries: [], problems };

  const entries: RawEntry[] = [];
  for (const row of body) {
    const line = row.line;
    // Spreadsheets leave rows of blank cells behind; they are not services.
    if (row.record.every((cell) => cell.trim() === '')) continue;
    if (row.record.slice(columns.length).some((cell) => cell.trim() !== '')) {
      problems.push(problem(line, `has ${row.record.length} cells but the header has ${columns.length} columns: quote cells that contain commas`));
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
  if (entries.length === 0 && problems.length === 0) problems.push(problem(headerLine, 'the file has a header but no services: add one row per service'));
  return { entries, problems };
}

export function readCatalog(format: CatalogFormat, text: string): CatalogReading {
  return format === 'yaml' ? readCatalogYaml(text) : readCatalogCsv(text);
}

// ---- checking each entry -----------------------------------------------------------------------

/** An entry whose fields all have the right form; fields the file leaves out are undefined. */
export interface CatalogEntry {
  line: number;
  id: string;
  lines: Partial<Record<CatalogColumn, number>>;
  name?: string;
  description?: string;
  tier?: ServiceTier;
  /** The team as written (its id or its name); null for none. */
  ownerTeam?: string | null;
  rtoMin?: number | null;
  rpoMin?: number | null;
  dependsOn?: string[];
  runbookIds?: string[];
  checklistIds?: string[];
}

const isBlank = (value: unknown) => value === null || value === undefined || (typeof value === 'string' && value.trim() === '');

/** Text from a scalar (YAML may read `123` or `true` as numbers and booleans). */
function textOf(value: unknown): string | null {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** A list of ids: a YAML list, or text separated by ";" (or commas or spaces); blank is none. */
function idList(value: unknown): string[] | null {
  if (isBlank(value)) return [];
  const parts = Array.isArray(value) ? value.map(textOf) : textOf(value)?.split(/[;,\s]+/);
  if (!parts || parts.some((part) => part === null)) return null;
  return [...new Set((parts as string[]).map((part) => part.trim()).filter((part) => part !== ''))];
}

/** Checks each entry's fields; a field with a problem is left out of its entry (and reported). */
export function checkEntries(reading: CatalogReading): { entries: CatalogEntry[]; problems: CatalogProblem[] } {
  const entries: CatalogEntry[] = [];
  const problems: CatalogProblem[] = [...reading.problems];
  for (const raw of reading.entries) {
    const { values } = raw;
    const at = (column: CatalogColumn) => raw.lines[column] ?? raw.line;
    const found: CatalogProblem[] = [];
    const idText = textOf(values.id) ?? '';
    const nameText = textOf(values.name);
    if (idText === '') {
      const suggestion = nameText ? suggestedServiceId(nameText) : null;
      found.push(problem(at('id'), `give the service an id${suggestion ? ` (e.g. "${suggestion}")` : ''}: incidents, runbooks and other services name it by its id`));
    } else if (!runbookIdPattern.test(idText)) {
      const suggestion = suggestedServiceId(idText);
      found.push(problem(at('id'), `id "${idText}" ${serviceIdProblem}${suggestion ? ` (e.g. "${suggestion}")` : ''}`, idText));
    }
    const id = idText;
    const entry: CatalogEntry = { line: raw.line, id, lines: raw.lines };
    const fail = (column: CatalogColumn, message: string) => found.push(problem(at(column), `${column}: ${message}`, id || null));

    if ('name' in values && !isBlank(values.name)) {
      if (nameText === null) fail('name', 'must be text');
      else if (nameText.length > 100) fail('name', `must be at most 100 characters (it has ${nameText.length})`);
      else entry.name = nameText;
    }
    if ('description' in values) {
      const description = isBlank(values.description) ? '' : textOf(values.description);
      if (description === null) fail('description', 'must be text');
      else if (description.length > 2000) fail('description', `must be at most 2000 characters (it has ${description.length})`);
      else entry.description = description;
    }
    if ('tier' in values && !isBlank(values.tier)) {
      const tier = parseTier(values.tier);
      if ('problem' in tier) fail('tier', tier.problem);
      else entry.tier = tier.tier;
    }
    if ('owner_team' in values) {
      const team = isBlank(values.owner_team) ? '' : textOf(values.owner_team);
      if (team === null) fail('owner_team', 'must be the name or id of a team of the directory');
      else entry.ownerTeam = team === '' ? null : team;
    }
    for (const [column, field] of [
      ['rto_min', 'rtoMin'],
      ['rpo_min', 'rpoMin'],
    ] as const) {
      if (!(column in values)) continue;
      const parsed = parseMinutes(values[column]);
      if ('problem' in parsed) fail(column, parsed.problem);
      else entry[field] = parsed.minutes;
    }
    for (const [column, field, what, max] of [
      ['depends_on', 'dependsOn', 'service', 200],
      ['runbooks', 'runbookIds', 'runbook', 100],
      ['checklists', 'checklistIds', 'checklist', 100],
    ] as const) {
      if (!(column in values)) continue;
      const list = idList(values[column]);
      if (list === null) fail(column, `must be ${what} ids: a list, or ids separated by ";"`);
      else if (list.length > max) fail(column, `at most ${max} ${what}s (it names ${list.length})`);
      else if (list.some((item) => item.length > 200)) fail(column, `${what} ids are at most 200 characters`);
      else entry[field] = list;
    }
    problems.push(...found);
    // An entry with a bad field is still checked against the others (its team, its dependencies),
    // so one import lists every problem; an entry without a usable id cannot be.
    if (runbookIdPattern.test(id)) entries.push(entry);
  }
  return { entries, problems };
}

// ---- planning an import ------------------------------------------------------------------------

export interface ImportContext {
  /** The catalog now (services not removed). */
  services: Service[];
  teams: Team[];
  runbookIds: string[];
  checklistIds: string[];
  actor: string;
}

export type CatalogPlan = { drafts: OpDraft[]; report: Omit<CatalogImportReport, 'isImported' | 'isDryRun'> };

const fold = (value: string) => value.trim().toLowerCase().replace(/\s+/g, ' ');

/** The fields of `wanted` whose values differ from `current` (lists compared by value). */
function changedFields(current: object, wanted: Record<string, Json | undefined>): Record<string, Json> {
  const changes: Record<string, Json> = {};
  for (const [field, value] of Object.entries(wanted)) {
    const before: unknown = Reflect.get(current, field);
    if (value !== undefined && canonicalJson(value) !== canonicalJson(before ?? null)) changes[field] = value;
  }
  return changes;
}

const serviceDefaults = { description: '', tier: 3, ownerTeamId: null, rtoMin: null, rpoMin: null, dependsOn: [], runbookIds: [], checklistIds: [] };

/**
 * What importing the file would do, and every problem that stops it or that it is imported with.
 * A field the file leaves out (no key in YAML, no column in CSV) is kept as it is on a service the
 * catalog has, and takes its default on a new one; a blank value clears it. Services the file does
 * not name are left alone.
 */
export function planCatalogImport(reading: CatalogReading, context: ImportContext): CatalogPlan {
  const checked = checkEntries(reading);
  const errors = [...checked.problems];
  const warnings: CatalogProblem[] = [];
  const current = new Map(context.services.map((s) => [s.id, s]));

  // One entry per service.
  const lineOfId = new Map<string, number>();
  const entries: CatalogEntry[] = [];
  for (const entry of checked.entries) {
    const earlier = lineOfId.get(entry.id);
    if (earlier !== undefined) {
      errors.push(problem(entry.line, `the service "${entry.id}" is also at line ${earlier}: keep one entry per service`, entry.id));
      continue;
    }
    lineOfId.set(entry.id, entry.line);
    entries.push(entry);
  }
  // Every id the catalog would have, and what each would depend on.
  const fileIds = new Set(entries.map((e) => e.id));
  const allIds = [...new Set([...current.keys(), ...fileIds])];
  const resultOf = (id: string) => {
    const entry = entries.find((e) => e.id === id);
    const stored = current.get(id);
    return {
      id,
      name: entry?.name ?? stored?.name ?? id,
      dependsOn: entry?.dependsOn ?? stored?.dependsOn ?? [],
    };
  };
  const result = allIds.map(resultOf);

  // Owner teams, matched by id or by name in the directory.
  const teamIdOf = new Map<CatalogEntry, string | null>();
  for (const entry of entries) {
    if (entry.ownerTeam === undefined) continue;
    if (entry.ownerTeam === null) {
      teamIdOf.set(entry, null);
      continue;
    }
    const written = entry.ownerTeam;
    const byId = context.teams.find((t) => t.id === written);
    const byName = context.teams.filter((t) => fold(t.name) === fold(written));
    const at = entry.lines.owner_team ?? entry.line;
    if (byId) teamIdOf.set(entry, byId.id);
    else if (byName.length === 1) teamIdOf.set(entry, byName[0].id);
    else if (byName.length > 1) errors.push(problem(at, `owner_team: ${byName.length} teams are named "${written}": give the team's id instead (${byName.map((t) => t.id).join(', ')})`, entry.id));
    else {
      const hint = didYouMean(written, context.teams.map((t) => t.name));
      const names = context.teams.map((t) => t.name);
      const help =
        names.length === 0
          ? 'the directory has no teams yet: import the people directory first'
          : hint
            ? `did you mean "${hint}"?`
            : `its teams are ${names.slice(0, 10).join(', ')}${names.length > 10 ? ', …' : ''}`;
      errors.push(problem(at, `owner_team: no team "${written}" in the directory; ${help}`, entry.id));
    }
  }

  // Dependencies: on services of the file or of the catalog, never on itself.
  const known = new Set(allIds);
  for (const entry of entries) {
    for (const dependency of entry.dependsOn ?? []) {
      const at = entry.lines.depends_on ?? entry.line;
      if (dependency === entry.id) {
        errors.push(problem(at, `depends_on: "${entry.id}" depends on itself`, entry.id));
      } else if (!known.has(dependency)) {
        const byName = result.find((s) => fold(s.name) === fold(dependency));
        const hint = byName?.id ?? didYouMean(dependency, allIds);
        errors.push(problem(at, `depends_on: unknown service "${dependency}": it is neither in this file nor in the catalog${hint ? `; did you mean "${hint}"?` : ''}`, entry.id));
      }
    }
  }
  // Cycles the file would make (or keep, through services it names).
  for (const cycle of dependencyCycles(result.map((s) => ({ id: s.id, dependsOn: s.dependsOn.filter((d) => d !== s.id) })))) {
    const inFile = cycle
      .slice(0, -1)
      .filter((id) => fileIds.has(id))
      .map((id) => entries.find((e) => e.id === id) as CatalogEntry)
      .sort((a, b) => a.line - b.line);
    if (inFile.length === 0) continue;
    // Said where the file sets the dependencies that close it, when it does.
    const first = inFile.find((e) => e.dependsOn !== undefined) ?? inFile[0];
    errors.push(
      problem(
        first.lines.depends_on ?? first.line,
        `depends_on: dependency cycle ${describeCycle(cycle)}: a service cannot depend on itself through others; remove one of these dependencies`,
        first.id,
      ),
    );
  }
  // Names: incidents name services by id or by name, so two services may not share one.
  const lineOfName = new Map<string, CatalogEntry>();
  for (const entry of entries) {
    const name = fold(resultOf(entry.id).name);
    const earlier = lineOfName.get(name);
    const at = entry.lines.name ?? entry.line;
    if (earlier) {
      errors.push(problem(at, `name "${resultOf(entry.id).name}" is also the name of "${earlier.id}" (line ${earlier.line}): each service needs its own name`, entry.id));
      continue;
    }
    lineOfName.set(name, entry);
    const other = [...current.values()].find((s) => s.id !== entry.id && !fileIds.has(s.id) && fold(s.name) === name);
    if (other) errors.push(problem(at, `name "${resultOf(entry.id).name}" is the name of the catalog's service "${other.id}": each service needs its own name`, entry.id));
  }
  // Runbooks and checklists this replica does not have: imported anyway (they may sync here later).
  for (const entry of entries) {
    for (const [ids, column, what, all] of [
      [entry.runbookIds, 'runbooks', 'runbook', context.runbookIds],
      [entry.checklistIds, 'checklists', 'checklist', context.checklistIds],
    ] as const) {
      for (const id of ids ?? []) {
        if (all.includes(id)) continue;
        const hint = didYouMean(id, all);
        warnings.push(problem(entry.lines[column] ?? entry.line, `${column}: no ${what} "${id}" in this replica's library${hint ? `; did you mean "${hint}"?` : ' (yet)'}`, entry.id));
      }
    }
  }

  const report: CatalogPlan['report'] = { created: 0, updated: 0, unchanged: 0, services: [], errors: errors.sort((a, b) => a.line - b.line), warnings: warnings.sort((a, b) => a.line - b.line) };
  if (errors.length > 0) return { drafts: [], report };

  const drafts: OpDraft[] = [];
  for (const entry of entries) {
    const wanted: Record<string, Json | undefined> = {
      name: entry.name,
      description: entry.description,
      tier: entry.tier,
      ownerTeamId: teamIdOf.has(entry) ? teamIdOf.get(entry) : undefined,
      rtoMin: entry.rtoMin,
      rpoMin: entry.rpoMin,
      dependsOn: entry.dependsOn,
      runbookIds: entry.runbookIds,
      checklistIds: entry.checklistIds,
    };
    const stored = current.get(entry.id);
    if (!stored) {
      const fields: Record<string, Json> = { name: entry.id, ...serviceDefaults };
      for (const [field, value] of Object.entries(wanted)) if (value !== undefined) fields[field] = value;
      drafts.push({ entity: 'service', rowId: entry.id, fields: { ...fields, deleted: false, updatedBy: context.actor } });
      report.services.push({ id: entry.id, line: entry.line, outcome: 'created' });
      report.created += 1;
      continue;
    }
    const changes = changedFields(stored, wanted);
    if (Object.keys(changes).length === 0) {
      report.services.push({ id: entry.id, line: entry.line, outcome: 'unchanged' });
      report.unchanged += 1;
    } else {
      drafts.push({ entity: 'service', rowId: entry.id, fields: { ...changes, updatedBy: context.actor } });
      report.services.push({ id: entry.id, line: entry.line, outcome: 'updated' });
      report.updated += 1;
    }
  }
  return { drafts, report };
}

// ---- writing -----------------------------------------------------------------------------------

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
    const rows = sorted.map((s) => [s.id, s.name, s.tier, teamLabel(s.ownerTeamId, teams), s.rtoMin, s.rpoMin, s.dependsOn.join(';'), s.runbookIds.join(';'), s.checklistIds.join(';'), s.description]);
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
