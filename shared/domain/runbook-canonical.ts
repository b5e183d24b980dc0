// One id rule and one written form for a runbook, wherever it comes from (the editor, an import, a
// sync): its id is the front matter's `id`, else the slug of its title; the version stored is the
// file with its front matter keys in snake_case and its id written in, so an exported file imports
// back as the same runbook, and a file without front matter gets one holding its id and title.
import { isMap, isScalar, parseDocument } from 'yaml';
import { canonicalKey } from './file-keys';
import { runbookSlug, type RunbookMeta } from './runbook-file';
import { frontMatterKeys } from './runbook-front-matter';

/** A runbook's id: its front matter's id, else the slug of its title ('' when the title has no letters or digits). */
export const runbookIdOf = (meta: Pick<RunbookMeta, 'id' | 'title'>): string => meta.id ?? runbookSlug(meta.title);

/** A YAML scalar for a title: as written when it reads back the same, else double-quoted. */
function yamlText(value: string): string {
  const plain = /^[A-Za-z0-9(][^:#"'`{}[\]\n]*$/.test(value) && value === value.trim() && !/^(?:true|false|null|yes|no|on|off|~|[-+.\d][\d.eE+-]*)$/i.test(value);
  return plain ? value : JSON.stringify(value);
}

/**
 * The form a runbook is stored in: line endings \n, front matter keys in snake_case (incident-types
 * and incidentTypes become incident_types), `id:` written when the file had none, and a front matter
 * added (id and title) to a file that had none. Everything else is kept as written. `meta` is the
 * parsed runbook's (its title may come from the first heading); `id` the runbook's id.
 */
export function canonicalRunbookSource(source: string, meta: Pick<RunbookMeta, 'id' | 'title'>, id: string): string {
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  const close = /^---[ \t]*$/.test(lines[0] ?? '') ? lines.findIndex((l, i) => i > 0 && /^---[ \t]*$/.test(l)) : -1;
  if (close < 0) {
    return ['---', `id: ${id}`, `title: ${yamlText(meta.title)}`, '---', '', text.replace(/^\n+/, '')].join('\n');
  }
  let yaml = lines.slice(1, close).join('\n');
  const doc = parseDocument(yaml);
  const written = new Set<string>();
  const renames: { start: number; end: number; key: string }[] = [];
  if (isMap(doc.contents)) {
    for (const pair of doc.contents.items) {
      if (!isScalar(pair.key) || !pair.key.range || pair.key.type !== 'PLAIN') continue;
      const spelled = String(pair.key.value);
      const key = canonicalKey(spelled);
      if (!(frontMatterKeys as readonly string[]).includes(key)) continue;
      written.add(key);
      if (spelled !== key) renames.push({ start: pair.key.range[0], end: pair.key.range[1], key });
    }
  }
  for (const { start, end, key } of renames.sort((a, b) => b.start - a.start)) yaml = yaml.slice(0, start) + key + yaml.slice(end);
  const added = [...(written.has('id') ? [] : [`id: ${id}`]), ...(written.has('title') ? [] : [`title: ${yamlText(meta.title)}`])];
  const front = [...added, ...(yaml === '' ? [] : [yaml])];
  return ['---', ...front, ...lines.slice(close)].join('\n');
}
