// A Markdown body (a review) as safe HTML: a fixed set of Markdown constructs, every text escaped;
// raw HTML in the Markdown is shown as text, links only to http(s) and mailto.
import type { Nodes as MdNode, RootContent as MdContent } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { gfmFromMarkdown } from 'mdast-util-gfm';
import { gfm } from 'micromark-extension-gfm';
import { escapeHtml as esc } from '@shared/html';

const safeHref = (url: string) => (/^(https?:|mailto:)/i.test(url.trim()) ? url.trim() : null);

function mdHtml(nodes: readonly (MdNode | MdContent)[], shift: number): string {
  return nodes.map((node) => mdNodeHtml(node, shift)).join('');
}

function mdNodeHtml(node: MdNode | MdContent, shift: number): string {
  const kids = () => ('children' in node ? mdHtml(node.children as MdContent[], shift) : '');
  switch (node.type) {
    case 'root':
      return kids();
    case 'paragraph':
      return `<p>${kids()}</p>\n`;
    case 'heading': {
      const level = Math.min(6, node.depth + shift);
      return `<h${level}>${kids()}</h${level}>\n`;
    }
    case 'text':
      return esc(node.value);
    case 'emphasis':
      return `<em>${kids()}</em>`;
    case 'strong':
      return `<strong>${kids()}</strong>`;
    case 'delete':
      return `<del>${kids()}</del>`;
    case 'inlineCode':
      return `<code>${esc(node.value)}</code>`;
    case 'code':
      return `<pre><code>${esc(node.value)}</code></pre>\n`;
    case 'blockquote':
      return `<blockquote>${kids()}</blockquote>\n`;
    case 'list': {
      const start = node.ordered && typeof node.start === 'number' && node.start !== 1 ? ` start="${esc(node.start)}"` : '';
      return node.ordered ? `<ol${start}>${kids()}</ol>\n` : `<ul>${kids()}</ul>\n`;
    }
    case 'listItem': {
      const box = node.checked === true ? '☑ ' : node.checked === false ? '☐ ' : '';
      // A tight list item's paragraphs are its text, not paragraphs of their own.
      const content = node.children.map((child) => (child.type === 'paragraph' && !node.spread ? mdHtml(child.children, shift) : mdNodeHtml(child, shift))).join('');
      return `<li>${box}${content}</li>\n`;
    }
    case 'thematicBreak':
      return '<hr>\n';
    case 'break':
      return '<br>';
    case 'link': {
      const href = safeHref(node.url);
      return href ? `<a href="${esc(href)}">${kids()}</a>` : kids();
    }
    case 'image':
      return `[image: ${esc(node.alt ?? '')}]`;
    case 'html':
      return esc(node.value);
    case 'table': {
      const [head, ...body] = node.children;
      const align = (index: number) => {
        const a = node.align?.[index];
        return a ? ` style="text-align: ${a}"` : '';
      };
      const cells = (row: (typeof node.children)[number], tag: 'th' | 'td') =>
        row.children.map((cell, index) => `<${tag}${align(index)}>${mdHtml(cell.children, shift)}</${tag}>`).join('');
      return `<table class="md"><thead><tr>${head ? cells(head, 'th') : ''}</tr></thead><tbody>${body.map((row) => `<tr>${cells(row, 'td')}</tr>`).join('')}</tbody></table>\n`;
    }
    case 'footnoteReference':
      return `<sup>[${esc(node.label ?? node.identifier)}]</sup>`;
    case 'footnoteDefinition':
      return `<div class="footnote"><sup>[${esc(node.label ?? node.identifier)}]</sup> ${kids()}</div>\n`;
    default:
      if ('children' in node) return kids();
      return 'value' in node && typeof node.value === 'string' ? esc(node.value) : '';
  }
}

/** A Markdown body as safe HTML, its headings below level `shift` + 1. */
export function markdownHtml(source: string, shift = 2): string {
  const root = fromMarkdown(source, { extensions: [gfm()], mdastExtensions: [gfmFromMarkdown()] });
  return mdHtml(root.children, shift);
}
