// The report documents as self-contained HTML: inline CSS for screen and print, a strict
// Content-Security-Policy, every value escaped.
import { escapeHtml as esc } from '@shared/html';
import type { Cell, Doc, Section } from './report-document';
import { markdownHtml } from './markdown-html';

// Screen: a readable column; print: the full width of the paper, table headers repeated on each
// page, rows and verdicts never split, colours kept. No page size: the printer's paper applies.
const reportStyle = `
@page { margin: 14mm 12mm; }
* { box-sizing: border-box; }
:root { color-scheme: light; }
body { font: 10.5pt/1.4 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: #111; background: #fff; margin: 0 auto; max-width: 64rem; padding: 2rem 1.5rem; }
header { border-bottom: 2pt solid #111; margin-bottom: 1rem; padding-bottom: 0.5rem; }
.kind { margin: 0; font-size: 9pt; letter-spacing: 0.08em; text-transform: uppercase; color: #444; }
h1 { font-size: 18pt; margin: 0.2rem 0 0.4rem; overflow-wrap: anywhere; }
h2 { font-size: 13pt; margin: 1.6rem 0 0.5rem; border-bottom: 1pt solid #999; padding-bottom: 0.15rem; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; margin: 1rem 0 0.4rem; break-after: avoid; page-break-after: avoid; }
h4, h5, h6 { font-size: 10.5pt; margin: 0.8rem 0 0.3rem; }
.meta { margin: 0; color: #333; font-size: 9pt; }
.flag { display: inline-block; margin: 0.3rem 0.4rem 0 0; padding: 0.1rem 0.5rem; border: 1pt solid #8a5a00; color: #8a5a00; font-weight: 600; font-size: 9pt; }
p { margin: 0.4rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.review p { white-space: normal; }
table { width: 100%; border-collapse: collapse; margin: 0.4rem 0 0.8rem; }
th, td { border: 0.75pt solid #999; padding: 0.2rem 0.35rem; text-align: left; vertical-align: top; overflow-wrap: break-word; font-size: 9.5pt; }
thead th { background: #eee; }
.facts th { width: 30%; background: #f4f4f4; font-weight: 600; }
.mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 8.5pt; word-break: break-all; }
td.struck { text-decoration: line-through; color: #555; }
td { white-space: pre-wrap; }
.empty { color: #555; font-style: italic; }
.nw { white-space: nowrap; }
.verdict { border: 1.5pt solid #1b6e2d; background: #eef8f0; padding: 0.4rem 0.6rem; font-weight: 600; }
.verdict.broken { border: 1.5pt dashed #a11; background: #fdeeee; color: #700; }
.note { color: #444; font-size: 9.5pt; }
.review { border-left: 3pt solid #ccc; padding-left: 0.8rem; }
.review pre { background: #f4f4f4; padding: 0.4rem; white-space: pre-wrap; }
.review blockquote { margin: 0.4rem 0; padding-left: 0.6rem; border-left: 2pt solid #bbb; color: #333; }
footer { margin-top: 2rem; border-top: 1pt solid #999; padding-top: 0.4rem; font-size: 8.5pt; color: #444; }
thead { display: table-header-group; }
tr, .verdict, .facts { break-inside: avoid; page-break-inside: avoid; }
@media print {
  body { max-width: none; padding: 0; font-size: 9.5pt; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; }
  h2 { break-before: auto; }
}
`;

const toneClasses = { ok: 'verdict', broken: 'verdict broken', note: 'note' } as const;

function htmlCell(cell: Cell): string {
  const c = typeof cell === 'string' ? { text: cell } : cell;
  const classes = [c.isMono ? 'mono' : '', c.isStruck ? 'struck' : ''].filter(Boolean).join(' ');
  const content =
    c.isTime && / /.test(c.text)
      ? c.text
          .split(/ (?=\d\d:)/)
          .map((part) => `<span class="nw">${esc(part)}</span>`)
          .join(' ')
      : esc(c.text);
  return `<td${classes ? ` class="${classes}"` : ''}>${c.text === '' ? '—' : content}</td>`;
}

export function renderHtml(doc: Doc): string {
  const blocks = (section: Section) =>
    section.blocks
      .map((block) => {
        switch (block.type) {
          case 'p':
            return `<p${block.tone ? ` class="${toneClasses[block.tone]}"` : ''}>${esc(block.text)}</p>`;
          case 'h3':
            return `<h3>${esc(block.text)}</h3>`;
          case 'facts':
            return `<table class="facts"><tbody>\n${block.rows
              .map(([label, value, isMono]) => `<tr><th scope="row">${esc(label)}</th>${htmlCell({ text: value, isMono })}</tr>`)
              .join('\n')}\n</tbody></table>`;
          case 'table':
            if (block.rows.length === 0) return `<p class="empty">${esc(block.empty)}</p>`;
            return `<table><thead><tr>${block.columns.map((c) => `<th scope="col">${esc(c)}</th>`).join('')}</tr></thead><tbody>\n${block.rows
              .map((row) => `<tr>${row.map(htmlCell).join('')}</tr>`)
              .join('\n')}\n</tbody></table>`;
          case 'list':
            return `<ul>${block.items.map((item) => `<li>${esc(item)}</li>`).join('')}</ul>`;
          case 'markdown':
            return `<div class="review">\n${markdownHtml(block.source, 2)}</div>`;
        }
      })
      .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(doc.heading)}: ${esc(doc.title)}</title>
<style>${reportStyle}</style>
</head>
<body>
<header>
<p class="kind">${esc(doc.heading)}</p>
<h1>${esc(doc.title)}</h1>
${doc.flags.map((flag) => `<span class="flag">${esc(flag)}</span>`).join('')}
${doc.meta.map((line) => `<p class="meta">${esc(line)}</p>`).join('\n')}
</header>
<main>
${doc.sections.map((section) => `<section>\n<h2>${esc(section.title)}</h2>\n${blocks(section)}\n</section>`).join('\n')}
</main>
<footer>${esc(doc.meta[0] ?? '')}</footer>
</body>
</html>
`;
}
