// Copying a published update out: as Markdown for chat and e-mail, or as plain text for status pages
// and SMS, with Markdown reduced to text without a parser.
import { audienceLabels, formatUpdateTime, type Audience } from './comms-update';

export interface UpdateCopy {
  title: string;
  body: string;
  audience: Audience;
  /** UTC ms; null for a draft. */
  publishedAt: number | null;
  incidentTitle: string;
}

// The incident title is responders' wording: a customer copy leaves it out.
function footer(update: UpdateCopy): string {
  const when = update.publishedAt === null ? 'Draft, not published' : `Published ${formatUpdateTime(update.publishedAt)}`;
  if (update.audience === 'customers') return when;
  return `${when} · ${audienceLabels[update.audience]} · Incident: ${update.incidentTitle}`;
}

/** An update as Markdown, to paste into chat, e-mail or a document: bold title, body, italic footer. */
export function asMarkdown(update: UpdateCopy): string {
  return `**${update.title.trim()}**\n\n${update.body.trim()}\n\n_${footer(update)}_\n`;
}

/** An update as plain text, for status pages, SMS and anything that shows Markdown as typed. */
export function asPlainText(update: UpdateCopy): string {
  return `${markdownToPlainText(update.title.trim())}\n\n${markdownToPlainText(update.body.trim())}\n\n${footer(update)}\n`;
}

const escapeSentinel = /\uE000(\d+)\uE001/g;

function plainInline(text: string): string {
  const escaped: string[] = [];
  return text
    .replace(/\\([\\`*_{}[\]()#+\-.!>~|])/g, (_m, char: string) => `\uE000${escaped.push(char) - 1}\uE001`)
    .replace(/!?\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g, (_m, label: string, url: string) =>
      label.trim() === '' || label.trim() === url ? url : `${label} (${url})`,
    )
    .replace(/<((?:https?|mailto):[^>\s]+)>/g, '$1')
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])__(?=\S)(.+?)(?<=\S)__(?![\p{L}\p{N}_])/gu, '$1')
    .replace(/~~(?=\S)(.+?)(?<=\S)~~/g, '$1')
    .replace(/\*(?=\S)([^*]+?)(?<=\S)\*/g, '$1')
    .replace(/(?<![\p{L}\p{N}_])_(?=\S)([^_]+?)(?<=\S)_(?![\p{L}\p{N}_])/gu, '$1')
    .replace(escapeSentinel, (_m, index: string) => escaped[Number(index)]);
}

/**
 * Markdown to plain text, for the constructs updates use, without a Markdown parser: **bold**,
 * __bold__, *italic*, _italic_ (not inside words, so snake_case survives), ~~struck~~, `code`,
 * [label](url) → "label (url)", <https://…> → the address, "# " headings → their text, "* "/"+ "
 * bullets → "- " (dashes stay), and backslash escapes. Anything else is left as written.
 */
export function markdownToPlainText(markdown: string): string {
  return markdown
    .split('\n')
    .map((line) => {
      const bare = line.replace(/^(\s*)#{1,6}\s+/, '$1').replace(/^(\s*)[*+]\s+/, '$1- ');
      return bare
        .split(/(`[^`\n]+`)/)
        .map((part, index) => (index % 2 === 1 ? part.slice(1, -1) : plainInline(part)))
        .join('');
    })
    .join('\n');
}
