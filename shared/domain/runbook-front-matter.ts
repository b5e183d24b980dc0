// A runbook's front matter: the YAML between the --- lines, checked key by key into RunbookMeta, with
// every problem reported at its line. Keys are snake_case (incident_types, review_by); the other
// usual spellings (incident-types, incidentTypes) read as the same key (see file-keys.ts).
import { isMap, isScalar, parseDocument } from 'yaml';
import { canonicalKey } from './file-keys';
import { runbookIdPattern, runbookSlug, type Problem, type RunbookMeta } from './runbook-file';
import { yamlProblems } from './yaml-problems';

export const frontMatterKeys = ['id', 'title', 'services', 'incident_types', 'tags', 'owner', 'review_by'] as const;
const knownKeys = frontMatterKeys;

/** A key of the front matter as written, where it is (offsets in the YAML text), and the key it stands for. */
export interface FrontMatterKey {
  written: string;
  key: string;
  start: number;
  end: number;
}

export interface FrontMatterOptions {
  /** Unknown keys are problems (else notes), and a title is required here. */
  strict: boolean;
  /** Notes on what was accepted but ignored (unknown keys). */
  notes: Problem[];
  /** Filled with every top-level key as written. */
  keys?: FrontMatterKey[];
}
const maxTitleChars = 200;
const maxOwnerChars = 200;
const maxListItemChars = 100;
const maxListItems = 50;

/** Checks the front matter (the YAML between the --- lines, which starts on line 2 of the file). */
export function parseFrontMatter(yamlText: string, problems: Problem[], options: FrontMatterOptions = { strict: true, notes: [] }): RunbookMeta | null {
  const lineAt = (offset: number) => 2 + countNewlines(yamlText, offset);
  // Default options: YAML 1.2 core schema, so an unquoted 2027-03-31 stays a string (and duplicate keys are errors).
  const doc = parseDocument(yamlText);
  const yamlIssues = [...doc.errors, ...doc.warnings];
  if (yamlIssues.length > 0) {
    // Said in words, at the line that holds the mistake (an unclosed [ is reported where it opened).
    for (const issue of yamlProblems(yamlText, yamlIssues)) {
      problems.push({ line: lineAt(issue.offset), message: `front matter: ${issue.message}` });
    }
    return null;
  }
  const contents = doc.contents;
  if (contents !== null && !isMap(contents)) {
    const line = contents.range ? lineAt(contents.range[0]) : 2;
    problems.push({ line, message: 'front matter must be "key: value" lines, starting with title: …' });
    return null;
  }
  let data: Record<string, unknown>;
  try {
    const js: unknown = doc.toJS();
    data = js !== null && typeof js === 'object' ? (js as Record<string, unknown>) : {};
  } catch (error) {
    problems.push({ line: null, message: `front matter is not valid YAML: ${error instanceof Error ? error.message : String(error)}` });
    return null;
  }

  const keyLines = new Map<string, number>();
  /** The value of each known key, under its snake_case name, whatever spelling the file used. */
  const known: Record<string, unknown> = {};
  for (const pair of contents?.items ?? []) {
    const keyNode = pair.key;
    const line = isScalar(keyNode) && keyNode.range ? lineAt(keyNode.range[0]) : null;
    if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
      problems.push({ line, message: 'front matter: every key must be a plain name such as title' });
      continue;
    }
    const written = String(keyNode.value);
    const key = canonicalKey(written);
    if (keyNode.range) options.keys?.push({ written, key, start: keyNode.range[0], end: keyNode.range[1] });
    if (!(knownKeys as readonly string[]).includes(key)) {
      (options.strict ? problems : options.notes).push({ line, message: unknownKeyMessage(written, options.strict) });
      continue;
    }
    if (keyLines.has(key)) {
      problems.push({ line, message: `front matter: ${key} is given twice (also line ${keyLines.get(key)}): keep one` });
      continue;
    }
    if (line !== null) keyLines.set(key, line);
    known[key] = Object.hasOwn(data, written) ? data[written] : undefined;
  }

  const before = problems.length;
  const at = (key: string) => keyLines.get(key) ?? null;
  const value = (key: string) => (Object.hasOwn(known, key) ? known[key] : undefined);

  let id: string | null = null;
  const rawId = value('id');
  if (rawId !== undefined && rawId !== null) {
    if (typeof rawId !== 'string') {
      problems.push({ line: at('id'), message: 'front matter: id must be a slug such as database-failover' });
    } else if (!runbookIdPattern.test(rawId)) {
      const suggestion = runbookSlug(rawId);
      problems.push({
        line: at('id'),
        message:
          `front matter: id "${rawId}" is not a slug: use lower-case letters, digits and dashes, at most 80 characters` + (suggestion ? ` (e.g. "${suggestion}")` : ''),
      });
    } else {
      id = rawId;
    }
  }

  let title = '';
  const rawTitle = value('title');
  if ((rawTitle === undefined || rawTitle === null) && !options.strict) {
    // Lenient reading: the caller takes the title from the first heading.
  } else if (rawTitle === undefined || rawTitle === null) {
    problems.push({ line: at('title'), message: 'front matter: title is required: add a line such as "title: Fail over the orders database"' });
  } else if (typeof rawTitle !== 'string') {
    problems.push({ line: at('title'), message: 'front matter: title must be text (put it in quotes if it looks like a number or a date)' });
  } else {
    title = rawTitle.trim();
    if (title === '') problems.push({ line: at('title'), message: 'front matter: title must not be empty' });
    else if (title.length > maxTitleChars) {
      problems.push({ line: at('title'), message: `front matter: title is ${title.length} characters long, at most ${maxTitleChars} allowed` });
    }
  }

  const services = readList('services', value('services'), at('services'), problems);
  const incidentTypes = readList('incident_types', value('incident_types'), at('incident_types'), problems);
  const tags = readList('tags', value('tags'), at('tags'), problems);

  let owner = '';
  const rawOwner = value('owner');
  if (rawOwner !== undefined && rawOwner !== null) {
    if (typeof rawOwner !== 'string') {
      problems.push({ line: at('owner'), message: 'front matter: owner must be text, such as a team name' });
    } else if (rawOwner.trim().length > maxOwnerChars) {
      problems.push({ line: at('owner'), message: `front matter: owner is ${rawOwner.trim().length} characters long, at most ${maxOwnerChars} allowed` });
    } else {
      owner = rawOwner.trim();
    }
  }

  let reviewBy: string | null = null;
  const rawReview = value('review_by');
  if (rawReview !== undefined && rawReview !== null) {
    // A string, always: the core schema never makes dates, and anything else (an explicit !!timestamp
    // tag gives a Date) is refused rather than converted.
    if (typeof rawReview !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(rawReview)) {
      problems.push({ line: at('review_by'), message: 'front matter: review_by must be a date written YYYY-MM-DD, such as 2027-03-31' });
    } else if (!isCalendarDate(rawReview)) {
      problems.push({ line: at('review_by'), message: `front matter: review_by "${rawReview}" is not a real date: write it as YYYY-MM-DD, such as 2027-03-31` });
    } else {
      reviewBy = rawReview;
    }
  }

  if (problems.length > before) return null;
  return { id, title, services, incidentTypes, tags, owner, reviewBy };
}

function unknownKeyMessage(key: string, strict: boolean): string {
  const known = knownKeys.join(', ');
  return `front matter: unknown key "${key}" (known keys: ${known})${strict ? '' : ': ignored'}`;
}

/** A list of names in front matter: `[a, b]`, a block list, or one string meaning one item. Absent means []. */
function readList(key: string, raw: unknown, line: number | null, problems: Problem[]): string[] {
  if (raw === undefined || raw === null) return [];
  const items: unknown[] = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
  if (typeof raw !== 'string' && !Array.isArray(raw)) {
    problems.push({ line, message: `front matter: ${key} must be a list of names, such as [orders-db, checkout-api], or a single name` });
    return [];
  }
  if (items.length > maxListItems) {
    problems.push({ line, message: `front matter: ${key} has ${items.length} items, at most ${maxListItems} allowed` });
    return [];
  }
  const out: string[] = [];
  items.forEach((item, i) => {
    const name = typeof item === 'string' ? item.trim() : null;
    const which = typeof raw === 'string' ? key : `${key} item ${i + 1}`;
    if (name === null) problems.push({ line, message: `front matter: ${which} must be a name (text)` });
    else if (name === '') problems.push({ line, message: `front matter: ${which} must not be empty` });
    else if (name.length > maxListItemChars) {
      problems.push({ line, message: `front matter: ${which} is ${name.length} characters long, at most ${maxListItemChars} allowed` });
    } else out.push(name);
  });
  return out;
}

function isCalendarDate(date: string): boolean {
  const [year, month, day] = date.split('-').map(Number);
  if (month < 1 || month > 12 || day < 1) return false;
  const isLeap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const monthDays = [31, isLeap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= monthDays[month - 1];
}

function countNewlines(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
