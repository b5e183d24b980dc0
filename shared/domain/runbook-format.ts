// Runbooks as files: Markdown with YAML front matter (title, services, review date…) whose steps are
// headings or list items starting with [check], [command], [decision] or [recovery]. Read leniently
// (the default), a runbook as teams already write it is taken too: no front matter (the title is the
// first heading), steps as a plain numbered list or one heading per step, `inline code` as a command,
// unknown front matter keys noted and ignored. Read strictly (for CI), only the marked form is.
// The engine (Node) and the renderer (browser) both parse them with this module, so it imports
// nothing Node-only. The parts live beside it: runbook-file (the shapes and ids),
// runbook-front-matter, runbook-body, runbook-plain-steps, runbook-canonical.
import { parseBody } from './runbook-body';
import { formatProblem, maxRunbookChars, type Problem, type RunbookMeta, type RunbookParse } from './runbook-file';
import { parseFrontMatter } from './runbook-front-matter';

export {
  markerTypes,
  maxRunbookChars,
  runbookIdPattern,
  runbookSlug,
  stepTypes,
  type DecisionBranch,
  type ParsedRunbook,
  type RunbookMeta,
  type RunbookParse,
  type RunbookStep,
  type StepType,
} from './runbook-file';

/**
 * Parses a runbook file. Every problem found is reported (not only the first), each starting with
 * `line N: ` when it belongs to a line of the file.
 */
export interface ParseOptions {
  /** Today's rules for CI: front matter with a title, marked steps only, code blocks for commands, no unknown keys. */
  strict?: boolean;
}

export function parseRunbook(source: string, options: ParseOptions = {}): RunbookParse {
  // Never throws: a runbook that arrives by sync is kept and shown as unreadable, not fatal.
  try {
    return parseRunbookOrThrow(source, options.strict === true);
  } catch (error) {
    return { ok: false, errors: [`the runbook cannot be read: ${error instanceof Error ? error.message : String(error)} (simplify deeply nested quotes or lists)`] };
  }
}

function parseRunbookOrThrow(source: string, strict: boolean): RunbookParse {
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
  const notes: Problem[] = [];
  let meta: RunbookMeta | null = null;
  let body = text;
  let bodyLineOffset = 0;

  if (!isFenceLine(lines[0])) {
    if (strict) metaProblems.push({ line: null, message: 'no front matter: start the file with a --- line, then title: …, then a closing --- line' });
    else meta = { id: null, title: '', services: [], incidentTypes: [], tags: [], owner: '', reviewBy: null };
  } else {
    const close = lines.findIndex((l, i) => i > 0 && isFenceLine(l));
    if (close < 0) {
      return { ok: false, errors: [formatProblem({ line: 1, message: 'front matter is not closed: add a --- line after its last key' })] };
    }
    meta = parseFrontMatter(lines.slice(1, close).join('\n'), metaProblems, { strict, notes });
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
        ...metaProblems.map(formatProblem),
        formatProblem({ line, message: `paragraph is longer than ${maxParagraphChars} characters: break it up with blank lines or a list` }),
      ],
    };
  }
  const bodyProblems: Problem[] = [];
  const { intro, steps, headingTitle } = parseBody(body, bodyLineOffset, bodyProblems, { strict, title: meta && meta.title !== '' ? meta.title : null });
  if (meta !== null && meta.title === '') {
    // Read leniently, a runbook without a title in front matter is named by its first heading.
    if (headingTitle !== null && headingTitle !== '') meta.title = headingTitle.slice(0, maxTitleChars).trim();
    else metaProblems.push({ line: null, message: 'no title: start the file with a heading (# Fail over the orders database), or give title: in front matter' });
  }
  // Problems come out in file order whatever check found them (the sort is stable; no line goes last).
  const byLine = (a: Problem, b: Problem) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER);
  metaProblems.sort(byLine);
  bodyProblems.sort(byLine);

  const problems = [...metaProblems, ...bodyProblems];
  if (problems.length > 0 || meta === null) return { ok: false, errors: problems.map(formatProblem) };
  return { ok: true, runbook: { meta, notes: notes.map(formatProblem), intro, steps } };
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

/** The longest title, as front matter allows it. */
const maxTitleChars = 200;

const isFenceLine = (line: string | undefined) => line !== undefined && /^---[ \t]*$/.test(line);
