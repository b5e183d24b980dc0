// Runbooks as files: Markdown with YAML front matter (title, services, review date…) whose steps are
// headings or list items starting with [check], [command], [decision] or [recovery]. The engine (Node)
// and the renderer (browser) both parse them with this module, so it imports nothing Node-only.
import type { Heading, List, ListItem, Nodes, Paragraph, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { isMap, isScalar, parseDocument } from 'yaml';

export const stepTypes = ['check', 'command', 'decision', 'recovery'] as const;
export type StepType = (typeof stepTypes)[number];

/** The longest runbook source accepted, in characters. */
export const maxRunbookChars = 200_000;

/** What the front matter says about a runbook. */
export interface RunbookMeta {
  /** Front matter `id` (a slug), or null when absent: the caller then uses the file name. */
  id: string | null;
  title: string;
  services: string[];
  /** Front matter `incident-types`. */
  incidentTypes: string[];
  tags: string[];
  /** Front matter `owner`, '' when absent. */
  owner: string;
  /** Front matter `review-by`, a calendar date written YYYY-MM-DD, or null. */
  reviewBy: string | null;
}

/** One way out of a decision step: `- name: what it means (→ step N)`. */
export interface DecisionBranch {
  name: string;
  /** What follows the name's colon, '' when there is no colon. */
  text: string;
  /** The step this branch sends the reader to (`go to step N`, `→ step N`, `-> step N`), or null. */
  goTo: number | null;
}

export interface RunbookStep {
  /** 1-based, in document order. */
  number: number;
  type: StepType;
  /** The text after the [type] marker on the step's first line, trimmed, inline Markdown as written. */
  title: string;
  /** Markdown of everything after the title, dedented so it renders on its own; '' if none. */
  body: string;
  /** The code of every code block (fenced or indented) in the body, in order. */
  commands: string[];
  /** Decision steps only, else []. */
  branches: DecisionBranch[];
  /**
   * Where the path goes after this step when it is not the next one: a body paragraph ending in
   * `go to step N`, `continue with step N` or `→ step N` (how alternatives after a decision rejoin).
   * Decision steps say it per branch instead; null here.
   */
  next: number | null;
  /** 1-based line in the whole file (front matter included) where the step starts. */
  line: number;
}

export interface ParsedRunbook {
  meta: RunbookMeta;
  /** Markdown between the front matter and the first step, trimmed. */
  intro: string;
  steps: RunbookStep[];
}

export type RunbookParse = { ok: true; runbook: ParsedRunbook } | { ok: false; errors: string[] };

/** Runbook ids: lower-case ASCII letters, digits and dashes, 1..80 characters, no dash at either end. */
export const runbookIdPattern = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;

/** A slug for ids: lower-case ASCII letters, digits and single dashes, 1..80 chars; '' if nothing usable. */
export function runbookSlug(text: string): string {
  if (typeof text !== 'string') return '';
  const plain = text.toLowerCase().normalize('NFKD').replace(/\p{M}/gu, '');
  const dashed = plain.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return dashed.slice(0, 80).replace(/-+$/, '');
}

const knownKeys = ['id', 'title', 'services', 'incident-types', 'tags', 'owner', 'review-by'] as const;
const maxTitleChars = 200;
const maxOwnerChars = 200;
const maxListItemChars = 100;
const maxListItems = 50;

/** A problem found while parsing; `line` counts in the whole file. */
interface Problem {
  line: number | null;
  message: string;
}

const format = (p: Problem) => (p.line === null ? p.message : `line ${p.line}: ${p.message}`);

/**
 * Parses a runbook file. Every problem found is reported (not only the first), each starting with
 * `line N: ` when it belongs to a line of the file.
 */
export function parseRunbook(source: string): RunbookParse {
  // Never throws: a runbook that arrives by sync is kept and shown as unreadable, not fatal.
  try {
    return parseRunbookOrThrow(source);
  } catch (error) {
    return { ok: false, errors: [`the runbook cannot be read: ${error instanceof Error ? error.message : String(error)} (simplify deeply nested quotes or lists)`] };
  }
}

function parseRunbookOrThrow(source: string): RunbookParse {
  if (typeof source !== 'string') return { ok: false, errors: ['a runbook must be text'] };
  if (source.length > maxRunbookChars) {
    return {
      ok: false,
      errors: [`runbook is too long: ${source.length} characters, at most ${maxRunbookChars} allowed (split it into several runbooks)`],
    };
  }
  // One line ending everywhere; replacing \r\n and lone \r by \n keeps every line on its number.
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');

  const metaProblems: Problem[] = [];
  let meta: RunbookMeta | null = null;
  let body = text;
  let bodyLineOffset = 0;

  if (!isFenceLine(lines[0])) {
    metaProblems.push({ line: null, message: 'no front matter: start the file with a --- line, then title: …, then a closing --- line' });
  } else {
    const close = lines.findIndex((l, i) => i > 0 && isFenceLine(l));
    if (close < 0) {
      return { ok: false, errors: [format({ line: 1, message: 'front matter is not closed: add a --- line after its last key' })] };
    }
    meta = parseFrontMatter(lines.slice(1, close).join('\n'), metaProblems);
    body = lines.slice(close + 1).join('\n');
    bodyLineOffset = close + 1;
  }

  // Markdown's inline parsing grows faster than linearly with a paragraph's length; a runbook
  // arriving by sync is parsed while it is applied, so an overlong paragraph is refused up front.
  const long = overlongParagraph(body);
  if (long !== null) {
    const line = long + bodyLineOffset;
    return {
      ok: false,
      errors: [
        ...metaProblems.map(format),
        format({ line, message: `paragraph is longer than ${maxParagraphChars} characters: break it up with blank lines or a list` }),
      ],
    };
  }
  const bodyProblems: Problem[] = [];
  const { intro, steps } = parseBody(body, bodyLineOffset, bodyProblems);
  // Problems come out in file order whatever check found them (the sort is stable; no line goes last).
  const byLine = (a: Problem, b: Problem) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER);
  metaProblems.sort(byLine);
  bodyProblems.sort(byLine);

  const problems = [...metaProblems, ...bodyProblems];
  if (problems.length > 0 || meta === null) return { ok: false, errors: problems.map(format) };
  return { ok: true, runbook: { meta, intro, steps } };
}

/** The longest run of text lines (outside fenced code) a runbook may hold without a blank line. */
export const maxParagraphChars = 5000;

/** The 1-based line where the first paragraph longer than maxParagraphChars starts, or null. */
function overlongParagraph(body: string): number | null {
  let fence: string | null = null;
  let start = 0;
  let length = 0;
  const lines = body.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i];
    const marker = /^\s{0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence !== null) {
      if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length) fence = null;
      continue;
    }
    if (marker !== undefined) {
      fence = marker;
      length = 0;
      continue;
    }
    if (line.trim() === '') {
      length = 0;
      continue;
    }
    if (length === 0) start = i + 1;
    length += line.length + 1;
    if (length > maxParagraphChars) return start;
  }
  return null;
}

const isFenceLine = (line: string | undefined) => line !== undefined && /^---[ \t]*$/.test(line);

// ---------------------------------------------------------------------------------------------
// Front matter

/** Checks the front matter (the YAML between the --- lines, which starts on line 2 of the file). */
function parseFrontMatter(yamlText: string, problems: Problem[]): RunbookMeta | null {
  const lineAt = (offset: number) => 2 + countNewlines(yamlText, offset);
  // Default options: YAML 1.2 core schema, so an unquoted 2027-03-31 stays a string (and duplicate keys are errors).
  const doc = parseDocument(yamlText);
  const yamlIssues = [...doc.errors, ...doc.warnings];
  if (yamlIssues.length > 0) {
    for (const issue of yamlIssues) {
      problems.push({ line: lineAt(issue.pos[0]), message: `front matter is not valid YAML: ${plainYamlMessage(issue.message)}` });
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
  for (const pair of contents?.items ?? []) {
    const keyNode = pair.key;
    const line = isScalar(keyNode) && keyNode.range ? lineAt(keyNode.range[0]) : null;
    if (!isScalar(keyNode) || (typeof keyNode.value !== 'string' && typeof keyNode.value !== 'number')) {
      problems.push({ line, message: 'front matter: every key must be a plain name such as title' });
      continue;
    }
    const key = String(keyNode.value);
    if (line !== null) keyLines.set(key, line);
    if (!(knownKeys as readonly string[]).includes(key)) problems.push({ line, message: unknownKeyMessage(key) });
  }

  const before = problems.length;
  const at = (key: string) => keyLines.get(key) ?? null;
  const value = (key: string) => (Object.hasOwn(data, key) ? data[key] : undefined);

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
  if (rawTitle === undefined || rawTitle === null) {
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
  const incidentTypes = readList('incident-types', value('incident-types'), at('incident-types'), problems);
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
  const rawReview = value('review-by');
  if (rawReview !== undefined && rawReview !== null) {
    // A string, always: the core schema never makes dates, and anything else (an explicit !!timestamp
    // tag gives a Date) is refused rather than converted.
    if (typeof rawReview !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(rawReview)) {
      problems.push({ line: at('review-by'), message: 'front matter: review-by must be a date written YYYY-MM-DD, such as 2027-03-31' });
    } else if (!isCalendarDate(rawReview)) {
      problems.push({ line: at('review-by'), message: `front matter: review-by "${rawReview}" is not a real date: write it as YYYY-MM-DD, such as 2027-03-31` });
    } else {
      reviewBy = rawReview;
    }
  }

  if (problems.length > before) return null;
  return { id, title, services, incidentTypes, tags, owner, reviewBy };
}

/** yaml's messages end with " at line L, column C:" and a source excerpt; the caller gives the line itself. */
const plainYamlMessage = (message: string) => message.replace(/ at line \d+, column \d+[\s\S]*$/, '').trim();

function unknownKeyMessage(key: string): string {
  const known = knownKeys.join(', ');
  // Catch the usual spellings of a known key (incident_types, reviewBy, Title…).
  const folded = key
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/[_\s]+/g, '-')
    .toLowerCase();
  const meant = knownKeys.find((k) => k === folded);
  return `front matter: unknown key "${key}" (known keys: ${known})` + (meant ? `; did you mean "${meant}"?` : '');
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

// ---------------------------------------------------------------------------------------------
// Body

/** `[word]` at the very start of a heading or list item, then whitespace or the end of the line. */
const markerPattern = /^\[([A-Za-z][A-Za-z-]*)\](?=\s|$)/;
/** Where a decision branch sends the reader: `go to step 4`, `→ step 4`, `-> step 4`. */
const goToPattern = /(?:→|->|\bgo\s+to)\s*step\s+(\d+)/i;

interface Marked {
  type: StepType;
  /** The marker as written, e.g. "[Check]". */
  marker: string;
  /** Source of the heading or first paragraph after the marker. */
  rest: string;
}

interface Found extends Marked {
  node: Heading | ListItem;
  /** Index of the heading, or of the list holding the item, among the document's top-level nodes. */
  rootIndex: number;
}

function parseBody(body: string, lineOffset: number, problems: Problem[]): { intro: string; steps: RunbookStep[] } {
  const root = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const lineOf = (node: Nodes) => (node.position?.start.line ?? 1) + lineOffset;

  /** The step marker at the start of a heading or paragraph; unknown [words] are reported there. */
  const readMarker = (node: Heading | Paragraph): Marked | null => {
    const first = node.children[0];
    const last = node.children[node.children.length - 1];
    // Only literal text: an escaped \[check], a link or a link reference is never a marker.
    if (first === undefined || first.type !== 'text') return null;
    const source = body.slice(startOf(first), endOf(last));
    const match = markerPattern.exec(source);
    if (!match) return null;
    const type = stepTypes.find((t) => t === match[1].toLowerCase());
    if (type === undefined) {
      problems.push({ line: lineOf(node), message: `unknown step type "${match[1]}" (use ${stepTypes.slice(0, -1).join(', ')} or ${stepTypes.at(-1)})` });
      return null;
    }
    return { type, marker: match[0], rest: source.slice(match[0].length) };
  };

  const found: Found[] = [];
  /** Top-level nodes that are, or hold, a step: a heading step's body stops at them. */
  const stepRoots = new Set<RootContent>();
  root.children.forEach((node, rootIndex) => {
    if (node.type === 'heading') {
      const marked = readMarker(node);
      if (marked) {
        found.push({ ...marked, node, rootIndex });
        stepRoots.add(node);
      }
    } else if (node.type === 'list') {
      for (const item of node.children) {
        // GFM task items (- [ ] / - [x]) are checklists, never steps.
        if (item.checked === true || item.checked === false) continue;
        const first = item.children[0];
        if (first?.type !== 'paragraph') continue;
        const marked = readMarker(first);
        if (marked) {
          found.push({ ...marked, node: item, rootIndex });
          stepRoots.add(node);
        }
      }
    }
  });

  if (found.length === 0) {
    problems.push({ line: null, message: 'no steps: write steps as list items or headings starting with [check], [command], [decision] or [recovery]' });
    return { intro: trimBlankLines(body), steps: [] };
  }

  const steps: RunbookStep[] = [];
  const stepBodies: Array<readonly RootContent[]> = [];
  /** A list-item step's first paragraph after its title line: body text that is no node of its own. */
  const leadTexts: string[] = [];
  found.forEach((step, i) => {
    const number = i + 1;
    const line = lineOf(step.node);
    let title: string;
    let bodyText: string;
    let bodyNodes: readonly RootContent[];
    let leadText = '';
    if (step.node.type === 'heading') {
      const depth = step.node.depth;
      const nodes: RootContent[] = [];
      for (let j = step.rootIndex + 1; j < root.children.length; j++) {
        const next = root.children[j];
        if ((next.type === 'heading' && next.depth <= depth) || stepRoots.has(next)) break;
        nodes.push(next);
      }
      // A setext heading may span lines; a title is one line.
      title = oneLine(step.rest);
      bodyText = nodes.length === 0 ? '' : trimBlankLines(body.slice(lineStart(body, startOf(nodes[0])), endOf(nodes[nodes.length - 1])));
      bodyNodes = nodes;
    } else {
      const [lead, ...rest] = step.node.children as [Paragraph, ...RootContent[]];
      const [firstLine, ...moreLines] = step.rest.split('\n');
      title = firstLine.trim();
      leadText = oneLine(moreLines.join('\n'));
      // The paragraph's further lines start the body; their indentation means nothing in Markdown.
      const bodyLines = moreLines.map((l) => l.trimStart());
      if (rest.length > 0) {
        const gap = (rest[0].position?.start.line ?? 0) - (lead.position?.end.line ?? 0) - 1;
        for (let g = 0; g < gap; g++) bodyLines.push('');
        // The item's content column: strip that much from each line so the body renders unindented.
        const indent = columnWidth(body.slice(lineStart(body, startOf(lead)), startOf(lead)));
        const region = body.slice(lineStart(body, startOf(rest[0])), endOf(rest[rest.length - 1]));
        for (const l of region.split('\n')) bodyLines.push(stripIndent(l, indent));
      }
      bodyText = trimBlankLines(bodyLines.join('\n'));
      bodyNodes = rest;
    }

    if (title === '') {
      problems.push({ line, message: `step ${number} has no title: write what to do on the same line, after ${step.marker}` });
    }
    const commands: string[] = [];
    collectCode(bodyNodes, commands);
    if (step.type === 'command' && commands.length === 0) {
      problems.push({ line, message: `command step ${number} "${title}" has no code block: put the command in a fenced block` });
    }
    steps.push({ number, type: step.type, title, body: bodyText, commands, branches: [], next: null, line });
    stepBodies.push(bodyNodes);
    leadTexts.push(leadText);
  });

  // Branches and jumps last: they may point at a step further down.
  steps.forEach((step, i) => {
    if (step.type === 'decision') step.branches = readBranches(step, stepBodies[i], steps.length, body, lineOffset, problems);
    else step.next = readNext(step, leadTexts[i], stepBodies[i], steps.length, body, lineOffset, problems);
  });

  const intro = trimBlankLines(body.slice(0, startOf(found[0].node)));
  return { intro, steps };
}

/** `…, then continue with step 7.` at the end of a paragraph of the body: where the path goes next. */
const nextPattern = /(?:→|->|\bgo\s+to|\bcontinue\s+(?:with|at))\s*step\s+(\d+)\s*\.?\s*$/i;

function readNext(
  step: RunbookStep,
  leadText: string,
  nodes: readonly RootContent[],
  stepCount: number,
  body: string,
  lineOffset: number,
  problems: Problem[],
): number | null {
  const paragraphs = [
    { text: leadText, line: step.line + 1 },
    ...nodes
      .filter((n): n is Paragraph => n.type === 'paragraph')
      .map((n) => ({ text: oneLine(body.slice(startOf(n), endOf(n))), line: (n.position?.start.line ?? 1) + lineOffset })),
  ];
  let next: number | null = null;
  for (const { text, line } of paragraphs) {
    const match = nextPattern.exec(text);
    if (!match) continue;
    const target = Number(match[1]);
    if (target === step.number || target < 1 || target > stepCount) {
      problems.push({
        line,
        message: `step ${step.number} "${step.title}" goes to step ${target}, which ${target === step.number ? 'is itself' : `does not exist (steps are numbered 1 to ${stepCount})`}`,
      });
      continue;
    }
    next = target;
  }
  return next;
}

/** The branches of a decision step: the items of the first list in its body. */
function readBranches(step: RunbookStep, nodes: readonly RootContent[], stepCount: number, body: string, lineOffset: number, problems: Problem[]) {
  const list = nodes.find((n): n is List => n.type === 'list');
  const branches: DecisionBranch[] = [];
  const seen = new Set<string>();
  const where = `decision step ${step.number} "${step.title}"`;
  for (const item of list?.children ?? []) {
    const line = (item.position?.start.line ?? 1) + lineOffset;
    const lead = item.children[0];
    const source =
      lead?.type === 'paragraph' && lead.children.length > 0 ? oneLine(body.slice(startOf(lead.children[0]), endOf(lead.children[lead.children.length - 1]))) : '';
    const colon = source.indexOf(':');
    const name = (colon < 0 ? source : source.slice(0, colon)).trim();
    const text = colon < 0 ? '' : source.slice(colon + 1).trim();
    const target = goToPattern.exec(source);
    const goTo = target ? Number(target[1]) : null;
    if (name === '') {
      problems.push({ line, message: `${where} has a branch without a name: write each branch as "- name: what to do"` });
    } else if (seen.has(name.toLowerCase())) {
      problems.push({ line, message: `${where} has more than one branch named "${name}": give each branch its own name` });
    }
    seen.add(name.toLowerCase());
    if (goTo !== null && goTo === step.number) {
      problems.push({ line, message: `${where}: branch "${name}" goes to itself (step ${goTo}): point it at the step to continue with` });
    } else if (goTo !== null && (goTo < 1 || goTo > stepCount)) {
      problems.push({ line, message: `${where}: branch "${name}" goes to step ${goTo}, which does not exist (steps are numbered 1 to ${stepCount})` });
    }
    branches.push({ name, text, goTo });
  }
  if (branches.length < 2) {
    problems.push({ line: step.line, message: `${where} needs at least two branches as a list (- yes: … / - no: …)` });
  }
  return branches;
}

function collectCode(nodes: readonly Nodes[], out: string[]) {
  for (const node of nodes) {
    if (node.type === 'code') out.push(node.value);
    else if ('children' in node) collectCode(node.children as readonly Nodes[], out);
  }
}

const startOf = (node: Nodes) => node.position?.start.offset ?? 0;
const endOf = (node: Nodes) => node.position?.end.offset ?? 0;
const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;

/** Width of a line's prefix in columns, tabs stopping every 4 columns as Markdown counts them. */
function columnWidth(prefix: string): number {
  let col = 0;
  for (const ch of prefix) col = ch === '\t' ? col + 4 - (col % 4) : col + 1;
  return col;
}

/** Removes up to `width` columns of leading whitespace from a line. */
function stripIndent(line: string, width: number): string {
  let col = 0;
  let i = 0;
  while (i < line.length && col < width && (line[i] === ' ' || line[i] === '\t')) {
    col = line[i] === '\t' ? col + 4 - (col % 4) : col + 1;
    i++;
  }
  // A tab that reached past the indentation leaves its remaining columns as spaces.
  return ' '.repeat(Math.max(0, col - width)) + line.slice(i);
}

/** Joins a paragraph's lines with single spaces, as Markdown renders them (no regex: long blank runs stay linear). */
const oneLine = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .join(' ');

/** Drops blank lines at the start and whitespace at the end, keeping the first line's indentation (indented code). */
const trimBlankLines = (text: string) => text.replace(/^(?:[ \t]*\n)+/, '').trimEnd();
