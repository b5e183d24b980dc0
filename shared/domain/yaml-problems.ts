// YAML errors in words: the yaml package reports where it noticed a problem (often the line after
// it, for an unclosed [ or quote) in its own terms; a person editing a file wants the line that holds
// the mistake and what to write instead. Used by runbook front matter and catalog files.
import type { YAMLError } from 'yaml';

export interface YamlProblem {
  /** 0-based offset in the YAML text where the mistake is. */
  offset: number;
  message: string;
}

/** Where an unclosed quote or [ { opened before `end`, or null when everything is closed. */
function unclosedAt(text: string, end: number): number | null {
  let quote: { char: string; at: number } | null = null;
  const open: number[] = [];
  for (let i = 0; i < end && i < text.length; i += 1) {
    const ch = text[i];
    if (quote !== null) {
      if (quote.char === '"' && ch === '\\') i += 1;
      else if (ch === quote.char) {
        // '' inside single quotes is an escaped quote.
        if (ch === "'" && text[i + 1] === "'") i += 1;
        else quote = null;
      }
      continue;
    }
    if (ch === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const eol = text.indexOf('\n', i);
      if (eol < 0) break;
      i = eol;
      continue;
    }
    const prev = i === 0 ? '\n' : text[i - 1];
    // A quote opens a value only where a value may start (after ": ", "[", ",", "- " or at a line start).
    if ((ch === '"' || ch === "'") && /[\s[{,:]/.test(prev)) quote = { char: ch, at: i };
    else if ((ch === '[' || ch === '{') && /[\s[{,:]/.test(prev)) open.push(i);
    else if ((ch === ']' || ch === '}') && open.length > 0) open.pop();
  }
  if (quote !== null) return quote.at;
  return open.length > 0 ? open[0] : null;
}

const lineStartOf = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const lineAt = (text: string, offset: number) => {
  const start = lineStartOf(text, offset);
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end);
};
const keyOf = (line: string) => /^\s*([^:#\s][^:#]*?)\s*:/.exec(line)?.[1] ?? null;

/** One yaml error as the line that holds the mistake and a sentence saying what to change. */
export function yamlProblem(text: string, error: YAMLError): YamlProblem {
  const at = Math.min(error.pos[0], text.length);
  const opened = unclosedAt(text, at);
  if (opened !== null && (error.code === 'MISSING_CHAR' || error.code === 'BAD_INDENT' || error.code === 'UNEXPECTED_TOKEN')) {
    const char = text[opened];
    if (char === '"' || char === "'") {
      return { offset: opened, message: `a value starting with ${char} is not closed: end it with ${char} on the same line` };
    }
    const close = char === '[' ? ']' : '}';
    const example = char === '[' ? 'services: [orders-db, checkout-api]' : 'key: {name: value}';
    return { offset: opened, message: `a list opened with ${char} is not closed: end it with ${close} on the same line, as in ${example}` };
  }
  const line = lineAt(text, at);
  const key = keyOf(line);
  switch (error.code) {
    case 'BLOCK_AS_IMPLICIT_KEY':
    case 'MULTILINE_IMPLICIT_KEY': {
      // "title: Fail over: orders" (a colon in a value), or the next line indented under a value.
      const value = line.slice(line.indexOf(':') + 1);
      if (/:(\s|$)/.test(value)) {
        return { offset: at, message: `the value of ${key ?? 'this key'} holds ": ": put the value in quotes, as in ${key ?? 'title'}: "${value.trim()}"` };
      }
      const next = text.indexOf('\n', at);
      if (next >= 0 && /^[ \t]+\S/.test(text.slice(next + 1))) {
        return { offset: next + 1, message: 'this line is indented under a value: start every key at the beginning of its line' };
      }
      return { offset: at, message: 'write this line as "key: value", and put a value holding ": " in quotes' };
    }
    case 'DUPLICATE_KEY':
      return { offset: at, message: `${key ? `"${key}"` : 'this key'} is given twice: keep one of them` };
    case 'TAB_AS_INDENT':
      return { offset: at, message: 'a tab indents this line: indent with spaces' };
    case 'BAD_SCALAR_START': {
      const char = text[at] ?? '';
      return { offset: at, message: `a value cannot start with ${char || 'this character'}: put the value in quotes` };
    }
    case 'BAD_DQ_ESCAPE':
      return { offset: at, message: 'a backslash in double quotes starts an escape: use single quotes, or write \\\\ for a backslash' };
    case 'MULTIPLE_DOCS':
      return { offset: at, message: 'a --- line inside: keep one block of "key: value" lines' };
    case 'BAD_INDENT':
      return { offset: at, message: 'this line is not indented like the lines around it: line up list items (- …) under their key, with spaces' };
    default:
      return { offset: at, message: 'write this line as "key: value" (put a value holding : # [ ] { } or quotes in quotes)' };
  }
}

/** Every error of a parse, one per line (the first error found on a line says it), in line order. */
export function yamlProblems(text: string, errors: readonly YAMLError[]): YamlProblem[] {
  const seen = new Set<number>();
  const out: YamlProblem[] = [];
  for (const error of errors) {
    const problem = yamlProblem(text, error);
    const line = lineStartOf(text, problem.offset);
    if (seen.has(line)) continue;
    seen.add(line);
    out.push(problem);
  }
  return out.sort((a, b) => a.offset - b.offset);
}
