// The report documents as Markdown: every value escaped so it stays text, and a review body kept
// from breaking the sections around it.
import type { Nodes as MdNode } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import type { Cell, Doc } from './report-document';

// Markdown: text is escaped so it stays text (no emphasis, links, HTML or table breaks from values).
const mdInline = (text: string) => text.replace(/[\\`*_[\]<>|~]/g, (c) => `\\${c}`).replace(/&(?=[#A-Za-z0-9]+;)/g, '\\&');
const mdLine = (line: string) =>
  mdInline(line)
    .replace(/^(\s*)([#+=-])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
const mdLines = (text: string) => text.split(/\r?\n/).map(mdLine).join('  \n');
const mdCell = (cell: Cell) => {
  const c = typeof cell === 'string' ? { text: cell } : cell;
  const text = c.text === '' ? '—' : c.text.split(/\r?\n/).map(mdInline).join('<br>');
  return c.isStruck ? `~~${text}~~` : text;
};

/** Raw HTML in a Markdown body made text (`<` as `&lt;`), so a Markdown viewer shows it rather than running it. */
function inertHtml(source: string): string {
  const ranges: [number, number][] = [];
  const visit = (node: MdNode) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if (node.type === 'html' && start !== undefined && end !== undefined) ranges.push([start, end]);
    if ('children' in node) for (const child of node.children) visit(child);
  };
  visit(fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] }));
  let out = source;
  for (const [start, end] of ranges.sort((a, b) => b[0] - a[0])) out = `${out.slice(0, start)}${out.slice(start, end).replace(/</g, '&lt;')}${out.slice(end)}`;
  return out;
}

/**
 * A review body inside the report: its headings moved below the report's own sections, and a code
 * fence left open closed at its end, so the report's sections after it stay sections.
 */
function demoteHeadings(source: string, by: number): string {
  let fence: string | null = null;
  const lines = source.split('\n').map((line) => {
    const opener = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (opener) {
      if (fence === null) fence = opener[1];
      else if (opener[1][0] === fence[0] && opener[1].length >= fence.length) fence = null;
      return line;
    }
    if (fence !== null) return line;
    // A setext heading's underline (=== or ---) would make the line above it a top-level heading.
    if (/^\s{0,3}=+\s*$/.test(line)) return `\\${line.trim()}`;
    if (/^\s{0,3}-{2,}\s*$/.test(line)) return '***';
    return line.replace(/^(\s{0,3})(#{1,6})(?=\s|$)/, (_m, space: string, hashes: string) => `${space}${'#'.repeat(Math.min(6, hashes.length + by))}`);
  });
  if (fence !== null) lines.push(fence);
  return lines.join('\n');
}

export function renderMarkdown(doc: Doc): string {
  const out: string[] = [`# ${mdInline(doc.heading)}: ${mdInline(doc.title)}`, ''];
  for (const flag of doc.flags) out.push(`> **${mdInline(flag)}**`, '');
  for (const line of doc.meta) out.push(`${mdInline(line)}  `);
  out.push('');
  for (const section of doc.sections) {
    out.push(`## ${mdInline(section.title)}`, '');
    for (const block of section.blocks) {
      switch (block.type) {
        case 'p':
          out.push(block.tone === undefined ? mdLines(block.text) : block.tone === 'note' ? `_${mdLines(block.text)}_` : `**${mdLines(block.text)}**`, '');
          break;
        case 'h3':
          out.push(`### ${mdInline(block.text)}`, '');
          break;
        case 'facts':
          out.push('| | |', '|---|---|', ...block.rows.map(([label, value]) => `| **${mdInline(label)}** | ${mdCell(value)} |`), '');
          break;
        case 'table':
          if (block.rows.length === 0) out.push(`_${mdInline(block.empty)}_`, '');
          else {
            out.push(`| ${block.columns.map(mdInline).join(' | ')} |`, `|${block.columns.map(() => '---').join('|')}|`);
            out.push(...block.rows.map((row) => `| ${row.map(mdCell).join(' | ')} |`), '');
          }
          break;
        case 'list':
          out.push(...block.items.map((item) => `- ${mdInline(item)}`), '');
          break;
        case 'markdown':
          out.push(demoteHeadings(inertHtml(block.source.trim()), 2), '');
          break;
      }
    }
  }
  return `${out.join('\n').trimEnd()}\n`;
}
