// The directory's CSV: reading a file of people into checked rows, planning an import against what
// the replica already holds (who is new, who changed, which teams to create), and writing the same
// format back out, so an export imports again unchanged. Pure functions: the API module commits.
import type { Json } from '@shared/canonical';
import { canonicalJson } from '@shared/canonical';
import { fold } from '@shared/domain/common';
import { csvColumns, csvPersonRow, joinPhoneList, type CsvColumn, type CsvPersonRow, type Directory, type ImportReport, type Person } from '@shared/domain/directory';
import type { OpDraft } from '@shared/ops';
import { columnKey, readCsvRows } from '../core/csv-rows';

export interface CsvProblem {
  /** 1-based line of the file where the row starts. */
  line: number;
  reason: string;
}

/** The rows that passed, and a problem for each that did not (a bad file as a whole has no rows). */
export interface CsvReading {
  columns: CsvColumn[];
  rows: { line: number; row: CsvPersonRow }[];
  problems: CsvProblem[];
}

function isCsvColumn(name: string): name is CsvColumn {
  return (csvColumns as readonly string[]).includes(name);
}

/** Reads a directory CSV: a header row, then one person a row. Every bad row is reported, not just the first. */
export function readDirectoryCsv(text: string): CsvReading {
  const read = readCsvRows(text);
  if ('error' in read) return refused([read.error]);
  const records = read.rows;

  const [header, ...body] = records;
  if (!header) return refused([{ line: 1, reason: `the file is empty: it needs a header row (${csvColumns.join(',')})` }]);
  const columns = header.record.map(columnKey);
  const headerProblems = columns.flatMap((column, index): string[] => {
    if (columns.indexOf(column) !== index) return [`column "${header.record[index]}" appears twice`];
    if (isCsvColumn(column)) return [];
    const hint = /[;\t]/.test(header.record[index]) ? '; separate columns with commas' : '';
    return [`unknown column "${header.record[index]}": the columns are ${csvColumns.join(', ')}${hint}`];
  });
  if (!columns.includes('name')) headerProblems.push(`there is no "name" column; the columns are ${csvColumns.join(', ')}`);
  if (headerProblems.length > 0) return refused(headerProblems.map((reason) => ({ line: header.line, reason })));

  const known = columns.filter(isCsvColumn);
  const rows: { line: number; row: CsvPersonRow }[] = [];
  const problems: CsvProblem[] = [];
  for (const entry of body) {
    const line = entry.line;
    // Spreadsheets leave rows of blank cells behind; they are not people.
    if (entry.record.every((cell) => cell.trim() === '')) continue;
    const extra = entry.record.slice(columns.length).filter((cell) => cell.trim() !== '');
    if (extra.length > 0) {
      problems.push({ line, reason: `has ${entry.record.length} cells but the header has ${columns.length} columns: quote cells that contain commas` });
      continue;
    }
    // A spreadsheet may also drop trailing empty cells: a short row just has those columns empty.
    const cells = Object.fromEntries(known.map((column, index) => [column, entry.record[index] ?? '']));
    const parsed = csvPersonRow.safeParse(cells);
    if (parsed.success) rows.push({ line, row: parsed.data });
    // Named by column alone: the messages quote the bad value, which says more than a list index.
    else problems.push({ line, reason: parsed.error.issues.map((issue) => `${String(issue.path[0] ?? 'row')}: ${issue.message}`).join('; ') });
  }
  if (rows.length === 0 && problems.length === 0) return refused([{ line: header.line, reason: 'the file has a header but no people: add one row per person' }]);
  return { columns: known, rows, problems };
}

const refused = (problems: CsvProblem[]): CsvReading => ({ columns: [], rows: [], problems });

/** The fields of `wanted` whose values differ from `current` (lists compared by value). */
export function changedFields(current: object, wanted: Record<string, Json | undefined>): Record<string, Json> {
  const changes: Record<string, Json> = {};
  for (const [field, value] of Object.entries(wanted)) {
    const before: unknown = Reflect.get(current, field);
    if (value !== undefined && canonicalJson(value) !== canonicalJson(before ?? null)) changes[field] = value;
  }
  return changes;
}

/** The ops that carry out an import, or the problems that stop it (the file's and the matching's, by line). */
export type ImportPlan = { ok: true; drafts: OpDraft[]; report: ImportReport } | { ok: false; problems: CsvProblem[] };

/**
 * Matches each row to a person already in the directory (by handle, else e-mail, else name; a match
 * never contradicts a handle or e-mail both sides have) and plans the ops that make the directory
 * say what the file says. Columns the file leaves out are left as they are.
 */
export function planDirectoryImport(reading: CsvReading, directory: Directory, newId: () => string): ImportPlan {
  const { columns, rows } = reading;
  const has = (column: CsvColumn) => columns.includes(column);
  const index = (key: (p: Person) => string | null) => {
    const map = new Map<string, Person[]>();
    for (const person of directory.people) {
      const value = key(person);
      if (value) map.set(fold(value), [...(map.get(fold(value)) ?? []), person]);
    }
    return map;
  };
  const byHandle = index((p) => p.handle);
  const byEmail = index((p) => p.email);
  const byName = index((p) => p.name);
  const teamIds = new Map(directory.teams.map((team) => [fold(team.name), team.id]));

  const problems: CsvProblem[] = [...reading.problems];
  const drafts: OpDraft[] = [];
  const teamDrafts: OpDraft[] = [];
  const report: ImportReport = { created: 0, updated: 0, unchanged: 0, teamsCreated: 0 };
  const lineOfKey = new Map<string, number>();
  const lineOfPerson = new Map<string, number>();

  for (const { line, row } of rows) {
    const handle = row.handle ? fold(row.handle) : null;
    const email = row.email ? fold(row.email) : null;
    const fileKey = handle ? `handle ${row.handle}` : email ? `e-mail ${row.email}` : `name ${row.name}`;
    const earlier = lineOfKey.get(fold(fileKey));
    if (earlier !== undefined) {
      problems.push({ line, reason: `the same person as line ${earlier} (${fileKey}): keep one row per person` });
      continue;
    }
    lineOfKey.set(fold(fileKey), line);

    const agrees = (person: Person) => (!handle || !person.handle || fold(person.handle) === handle) && (!email || !person.email || fold(person.email) === email);
    const byNameMatches = (byName.get(fold(row.name)) ?? []).filter(agrees);
    if (!handle && !email && byNameMatches.length > 1) {
      problems.push({ line, reason: `${byNameMatches.length} people are named ${row.name}: add their handle or e-mail to say which one` });
      continue;
    }
    const match =
      (handle ? byHandle.get(handle)?.[0] : undefined) ??
      (email ? byEmail.get(email)?.find(agrees) : undefined) ??
      (byNameMatches.length === 1 ? byNameMatches[0] : undefined);
    if (match) {
      const claimed = lineOfPerson.get(match.id);
      if (claimed !== undefined) {
        problems.push({ line, reason: `the same person as line ${claimed} (${match.name}): keep one row per person` });
        continue;
      }
      lineOfPerson.set(match.id, line);
    }

    let teamId: string | null | undefined;
    if (has('team')) {
      const teamName = row.team ?? '';
      teamId = teamName === '' ? null : (teamIds.get(fold(teamName)) ?? null);
      if (teamName !== '' && teamId === null) {
        teamId = newId();
        teamIds.set(fold(teamName), teamId);
        teamDrafts.push({ entity: 'team', rowId: teamId, fields: { name: teamName, description: '', escalationPhone: '', pager: '' } });
        report.teamsCreated += 1;
      }
    }
    const wanted: Record<string, Json | undefined> = {
      name: row.name,
      handle: has('handle') ? (row.handle ?? null) : undefined,
      email: row.email,
      phones: row.phone,
      teamId,
      timeZone: row.time_zone,
      title: row.title,
      notes: row.notes,
    };
    if (!match) {
      const defaults = { handle: null, email: '', phones: [], teamId: null, timeZone: '', title: '', notes: '' };
      const fields = Object.fromEntries(Object.entries({ ...defaults, ...wanted }).map(([field, value]) => [field, value ?? defaults[field as keyof typeof defaults]]));
      drafts.push({ entity: 'person', rowId: newId(), fields: fields });
      report.created += 1;
      continue;
    }
    const changes = changedFields(match, wanted);
    if (Object.keys(changes).length === 0) {
      report.unchanged += 1;
    } else {
      drafts.push({ entity: 'person', rowId: match.id, fields: changes });
      report.updated += 1;
    }
  }
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  return { ok: true, drafts: [...teamDrafts, ...drafts], report };
}

/** One cell, quoted when it holds a comma, quote, line break or edge spaces (RFC 4180). */
function csvCell(value: string): string {
  return /[",\n\r]|^\s|\s$/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The directory's people as CSV, in the import format (header row, `\n` line ends). */
export function writeDirectoryCsv(directory: Directory): string {
  const teamNames = new Map(directory.teams.map((team) => [team.id, team.name]));
  const cells = (person: Person): Record<CsvColumn, string> => ({
    name: person.name,
    handle: person.handle ?? '',
    email: person.email,
    phone: joinPhoneList(person.phones),
    team: person.teamId ? (teamNames.get(person.teamId) ?? '') : '',
    time_zone: person.timeZone,
    title: person.title,
    notes: person.notes,
  });
  const lines = [csvColumns.join(','), ...directory.people.map((person) => csvColumns.map((column) => csvCell(cells(person)[column])).join(','))];
  return `${lines.join('\n')}\n`;
}

/** The message an import refused with: every bad row with its line, the first 50 of them. */
export function describeCsvProblems(problems: CsvProblem[]): string {
  const shown = problems.slice(0, 50).map((p) => `line ${p.line}: ${p.reason}`);
  if (problems.length > shown.length) shown.push(`…and ${problems.length - shown.length} more`);
  const rows = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return [`Nothing was imported: the CSV has ${rows}. Fix the file and import it again.`, ...shown].join('\n');
}
