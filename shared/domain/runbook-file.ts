// What a runbook file holds once read: step types, the front matter's fields, the steps with their
// branches and jumps, the id rules and limits; and the problem every part of the parser reports.
/** The markers a step may start with: [check], [command], [decision], [recovery]. */
export const markerTypes = ['check', 'command', 'decision', 'recovery'] as const;
/** A step's type: a marker's, or "step" for a step written without one (read leniently). */
export const stepTypes = [...markerTypes, 'step'] as const;
export type StepType = (typeof stepTypes)[number];

/** The longest runbook source accepted, in characters. */
export const maxRunbookChars = 200_000;

/** What the front matter says about a runbook. */
export interface RunbookMeta {
  /** Front matter `id` (a slug), or null when absent: the runbook's id is then the slug of its title (runbookIdOf). */
  id: string | null;
  title: string;
  services: string[];
  /** Front matter `incident_types` (also read: incident-types, incidentTypes). */
  incidentTypes: string[];
  tags: string[];
  /** Front matter `owner`, '' when absent. */
  owner: string;
  /** Front matter `review_by` (also read: review-by, reviewBy), a calendar date written YYYY-MM-DD, or null. */
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
  /** What a lenient reading accepted but ignored (unknown front matter keys), each with its line. */
  notes: string[];
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

/** A problem found while parsing; `line` counts in the whole file. */
export interface Problem {
  line: number | null;
  message: string;
}

export const formatProblem = (p: Problem) => (p.line === null ? p.message : `line ${p.line}: ${p.message}`);
