// A runbook's body: the Markdown after the front matter, read into steps (headings or list items
// marked [check], [command], [decision] or [recovery]; without markers, the numbered list, headings or
// "Steps" section people write, see runbook-plain-steps.ts) with their bodies, commands, branches and jumps.
import type { Heading, List, ListItem, Nodes, Paragraph, PhrasingContent, RootContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { markerTypes, type DecisionBranch, type Problem, type RunbookStep, type StepType } from './runbook-file';
import { plainSteps, plainText, stepNumbering } from './runbook-plain-steps';

/** `[word]` at the very start of a heading or list item, then whitespace or the end of the line. */
const markerPattern = /^\[([A-Za-z][A-Za-z-]*)\](?=\s|$)/;
/** Where a decision branch sends the reader: `go to step 4`, `→ step 4`, `-> step 4`. */
const goToPattern = /(?:→|->|\bgo\s+to)\s*step\s+(\d+)/i;

interface Marked {
  type: StepType;
  /** The marker as written, e.g. "[Check]"; '' for a step without one. */
  marker: string;
  /** Source of the heading or first paragraph after the marker. */
  rest: string;
}

interface Found extends Marked {
  node: Heading | ListItem;
  /** Index of the heading, or of the list holding the item, among the document's top-level nodes. */
  rootIndex: number;
}

export interface BodyOptions {
  /** Today's rules for CI: only marked steps, fenced or indented code for commands, unknown markers refused. */
  strict: boolean;
  /** The front matter's title, to know the heading that repeats it; null when there is none. */
  title: string | null;
}

export interface BodyReading {
  intro: string;
  steps: RunbookStep[];
  /** The text of the title heading (the first heading, when it names the runbook), or null. */
  headingTitle: string | null;
}

export function parseBody(body: string, lineOffset: number, problems: Problem[], options: BodyOptions = { strict: true, title: null }): BodyReading {
  const root = fromMarkdown(body, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  const lineOf = (node: Nodes) => (node.position?.start.line ?? 1) + lineOffset;
  const { strict } = options;

  /** The step marker at the start of a heading or paragraph; unknown [words] are reported there. */
  const readMarker = (node: Heading | Paragraph): Marked | null => {
    const first = node.children[0];
    const last = node.children[node.children.length - 1];
    // Only literal text: an escaped \[check], a link or a link reference is never a marker.
    if (first === undefined || first.type !== 'text') return null;
    const source = body.slice(startOf(first), endOf(last));
    const match = markerPattern.exec(source);
    if (!match) return null;
    const type = markerTypes.find((t) => t === match[1].toLowerCase());
    if (type === undefined) {
      // Read leniently, "[Optional] restart the cache" is text, not a marker.
      if (strict) problems.push({ line: lineOf(node), message: `unknown step type "${match[1]}" (use ${markerTypes.slice(0, -1).join(', ')} or ${markerTypes.at(-1)})` });
      return null;
    }
    return { type, marker: match[0], rest: source.slice(match[0].length) };
  };

  // Read strictly, every heading stays where it is (today's rules); leniently, the title heading names the runbook.
  const titleHeading = strict ? null : findTitleHeading(root.children, options.title, readMarker);
  /** An unmarked heading or list item read as a step of its own ("step"): its text, numbering left out for headings. */
  const unmarked = (node: Heading | Paragraph): Marked => {
    const source = node.children.length === 0 ? '' : body.slice(startOf(node.children[0]), endOf(node.children[node.children.length - 1]));
    return { type: 'step', marker: '', rest: node.type === 'heading' ? source.replace(stepNumbering, '') : source };
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
      const items: Found[] = [];
      const plain: Found[] = [];
      for (const item of node.children) {
        // GFM task items (- [ ] / - [x]) are checklists, never steps.
        if (item.checked === true || item.checked === false) continue;
        const first = item.children[0];
        if (first?.type !== 'paragraph') continue;
        const marked = readMarker(first);
        if (marked) items.push({ ...marked, node: item, rootIndex });
        else plain.push({ ...unmarked(first), node: item, rootIndex });
      }
      // Read leniently, a list that holds marked steps makes steps of its other items too.
      const steps = !strict && items.length > 0 ? [...items, ...plain].sort((a, b) => startOf(a.node) - startOf(b.node)) : items;
      found.push(...steps);
      if (steps.length > 0) stepRoots.add(node);
    }
  });

  if (found.length === 0 && !strict) {
    for (const { node, rootIndex } of plainSteps(root, titleHeading)) {
      const lead = node.type === 'heading' ? node : (node.children[0] as Paragraph);
      found.push({ ...unmarked(lead), node, rootIndex });
      stepRoots.add(root.children[rootIndex]);
    }
  }
  const headingTitle = titleHeading ? plainText(titleHeading).trim() : null;

  if (found.length === 0) {
    problems.push({
      line: null,
      message: strict
        ? 'no steps: write steps as list items or headings starting with [check], [command], [decision] or [recovery]'
        : 'no steps: write the steps as a numbered list (1. …), one heading per step, or list items starting with [check], [command], [decision] or [recovery]',
    });
    return { intro: introOf(body, body.length, titleHeading), steps: [], headingTitle };
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
    if (!strict && commands.length === 0 && (step.type === 'command' || step.type === 'step')) {
      // Read leniently, `inline code` is a command too: all of it in a command step, in a plain
      // step only what reads as a command line (a code span with a space: not a lone host name).
      const lead = step.node.type === 'heading' ? step.node : (step.node.children[0] as Paragraph);
      const spans: string[] = [];
      collectInlineCode([lead, ...bodyNodes], spans);
      commands.push(...(step.type === 'command' ? spans : spans.filter((span) => /\S\s+\S/.test(span))));
    }
    if (step.type === 'command' && commands.length === 0) {
      problems.push({
        line,
        message: strict
          ? `command step ${number} "${title}" has no code block: put the command in a fenced block`
          : `command step ${number} "${title}" has no command: put it in a fenced code block, or in \`inline code\``,
      });
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

  return { intro: introOf(body, startOf(found[0].node), titleHeading), steps, headingTitle };
}

/**
 * The heading that names the runbook, not a step: the first heading, when the runbook has no title in
 * front matter, or when it repeats that title, or when it is the document's one level-1 heading.
 */
function findTitleHeading(children: readonly RootContent[], title: string | null, readMarker: (node: Heading) => Marked | null): Heading | null {
  const headings = children.filter((n): n is Heading => n.type === 'heading');
  const first = headings[0];
  if (first === undefined || readMarker(first) !== null) return null;
  if (title === null) return first;
  const text = plainText(first).trim().toLowerCase();
  if (text === title.trim().toLowerCase()) return first;
  return first.depth === 1 && headings.filter((h) => h.depth === 1).length === 1 ? first : null;
}

/** Markdown before the first step, without the title heading. */
function introOf(body: string, end: number, titleHeading: Heading | null): string {
  if (titleHeading === null || startOf(titleHeading) >= end) return trimBlankLines(body.slice(0, end));
  return trimBlankLines(body.slice(0, lineStart(body, startOf(titleHeading))) + body.slice(endOf(titleHeading), end));
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

function collectInlineCode(nodes: readonly Nodes[], out: string[]) {
  for (const node of nodes) {
    if (node.type === 'inlineCode' && node.value.trim() !== '') out.push(node.value.trim());
    else if ('children' in node) collectInlineCode(node.children as readonly (Nodes | PhrasingContent)[], out);
  }
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
