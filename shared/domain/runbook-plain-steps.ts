// Steps of a runbook written as teams already write them, with no [check]/[command] markers: a
// numbered list, one heading per step, or a "Steps" section. Which part of the document holds the
// steps is decided in this order:
//   1. a section named like "Steps", "Procedure", "Remediation": its sub-headings, else its list items;
//   2. the top sections (headings of the shallowest level, the title heading left out, sections such
//      as "Overview", "Prerequisites" or "Escalation" left out): when there are two or more, each is a
//      step; when there is one, its sub-headings or lists, as in 1;
//   3. the items of the document's numbered lists, else of its bulleted lists (lists under sections
//      such as "Prerequisites" left out).
// Task items (- [ ] …) are never steps, nor items that do not start with text.
import type { Heading, List, ListItem, Nodes, Root, RootContent } from 'mdast';

export interface PlainStep {
  node: Heading | ListItem;
  /** Index of the heading, or of the list holding the item, among the document's top-level nodes. */
  rootIndex: number;
}

const stepSection =
  /^(?:the\s+)?(?:steps?|procedures?|instructions|actions|playbook|runbook|remediation|mitigation|resolution|recovery(?: steps)?|response|what to do|fix|how to fix(?: it)?)\s*:?$/i;
const notSteps =
  /^(?:overview|summary|background|context|purpose|about(?: this runbook)?|scope|description|pre-?requisites?|requirements|before you (?:begin|start)|when to use(?: this(?: runbook)?)?|symptoms|impact|escalat\w*(?: path)?|contacts?|references?|see also|related(?: \w+)?|notes?|links|owners?|ownership|history|change ?log|appendix|faq|glossary|tl;?dr|verification|validation|follow[- ]?up|after(?:wards)?)\s*:?$/i;

/** The text of a node without its Markdown (code spans keep their code). */
export function plainText(node: Nodes): string {
  if (node.type === 'text' || node.type === 'inlineCode') return node.value;
  if ('children' in node) return (node.children as Nodes[]).map(plainText).join('');
  return '';
}

/** Numbering people put in front of a heading step: "1.", "2)", "Step 3:", "Step 3 -". */
export const stepNumbering = /^(?:step\s+\d+\s*[.):\-–—]?|\d+\s*[.)]|\d+\s*[-–—:])\s+/i;

const isStepItem = (item: ListItem) => item.checked !== true && item.checked !== false && item.children[0]?.type === 'paragraph';

function itemsOf(lists: { list: List; rootIndex: number }[]): PlainStep[] {
  const ordered = lists.filter((l) => l.list.ordered === true);
  const chosen = ordered.length > 0 ? ordered : lists;
  return chosen.flatMap(({ list, rootIndex }) => list.children.filter(isStepItem).map((node) => ({ node, rootIndex })));
}

/** Steps inside one section (root indices from..to, exclusive): its shallowest sub-headings, else its list items. */
function withinSection(root: Root, from: number, to: number): PlainStep[] {
  const nodes = root.children.slice(from, to).map((node, i) => ({ node, rootIndex: from + i }));
  const headings = nodes.filter((n): n is { node: Heading; rootIndex: number } => n.node.type === 'heading');
  if (headings.length > 0) {
    const depth = Math.min(...headings.map((h) => h.node.depth));
    const top = headings.filter((h) => h.node.depth === depth && !notSteps.test(plainText(h.node).trim()));
    if (top.length > 0) return top;
  }
  return itemsOf(nodes.flatMap((n) => (n.node.type === 'list' ? [{ list: n.node, rootIndex: n.rootIndex }] : [])));
}

/** Where a section that starts with the heading at `index` ends: the next heading of the same or a higher level. */
function sectionEnd(root: Root, index: number): number {
  const depth = (root.children[index] as Heading).depth;
  for (let j = index + 1; j < root.children.length; j += 1) {
    const next = root.children[j];
    if (next.type === 'heading' && next.depth <= depth) return j;
  }
  return root.children.length;
}

export function plainSteps(root: Root, titleHeading: Heading | null): PlainStep[] {
  const children: readonly RootContent[] = root.children;
  const headingIndexes = children.flatMap((node, i) => (node.type === 'heading' && node !== titleHeading ? [i] : []));
  const textOf = (i: number) => plainText(children[i]).trim();

  // 1. A section named for the steps.
  for (const i of headingIndexes) {
    if (!stepSection.test(textOf(i))) continue;
    const steps = withinSection(root, i + 1, sectionEnd(root, i));
    if (steps.length > 0) return steps;
  }

  // 2. The top sections.
  if (headingIndexes.length > 0) {
    const depth = Math.min(...headingIndexes.map((i) => (children[i] as Heading).depth));
    const top = headingIndexes.filter((i) => (children[i] as Heading).depth === depth && !notSteps.test(textOf(i)));
    if (top.length >= 2) return top.map((i) => ({ node: children[i] as Heading, rootIndex: i }));
    if (top.length === 1) {
      const steps = withinSection(root, top[0] + 1, sectionEnd(root, top[0]));
      if (steps.length > 0) return steps;
    }
  }

  // 3. The document's lists, leaving out those of sections that are not steps.
  const lists: { list: List; rootIndex: number }[] = [];
  let skipUntilDepth: number | null = null;
  children.forEach((node, i) => {
    if (node.type === 'heading' && node !== titleHeading) {
      if (skipUntilDepth !== null && node.depth > skipUntilDepth) return;
      skipUntilDepth = notSteps.test(textOf(i)) ? node.depth : null;
    } else if (node.type === 'list' && skipUntilDepth === null) lists.push({ list: node, rootIndex: i });
  });
  return itemsOf(lists);
}
