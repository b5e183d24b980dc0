// Checking each service a catalog file gives: every field read into its typed form (tier, minutes,
// id lists) or reported with its line; an entry with a bad field is kept so the import can check
// it against the others too.
import { parseMinutes, parseTier, serviceIdProblem, suggestedServiceId, type CatalogProblem, type ServiceTier } from '@shared/domain/catalog';
import { runbookIdPattern } from '@shared/domain/runbook-format';
import { catalogProblem, type CatalogColumn, type CatalogReading } from './catalog-file';

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
      found.push(
        catalogProblem(at('id'), `give the service an id${suggestion ? ` (e.g. "${suggestion}")` : ''}: incidents, runbooks and other services name it by its id`),
      );
    } else if (!runbookIdPattern.test(idText)) {
      const suggestion = suggestedServiceId(idText);
      found.push(catalogProblem(at('id'), `id "${idText}" ${serviceIdProblem}${suggestion ? ` (e.g. "${suggestion}")` : ''}`, idText));
    }
    const id = idText;
    const entry: CatalogEntry = { line: raw.line, id, lines: raw.lines };
    const fail = (column: CatalogColumn, message: string) => found.push(catalogProblem(at(column), `${column}: ${message}`, id || null));

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
