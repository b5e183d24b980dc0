// `holdfast runbooks import|export DIR`: runbooks as code. A team keeps its runbooks as Markdown
// files in git and imports the folder in CI; export writes the library back as one file per
// runbook. Import is idempotent (an unchanged file adds no version), reports every rejected file
// with its reasons, imports nothing from a rejected file, and exits 1 when any file was rejected so
// a CI job fails on a broken runbook.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { maxImportFiles } from '../../shared/domain/runbook';
import { maxRunbookChars } from '../../shared/domain/runbook-format';
import { openEngine } from '../engine/engine';
import { callEngine } from './engine-call';
import { dataDirOption, parseStrict, UsageError, type Command } from './io';

const runbooksUsage = 'holdfast runbooks import DIR [--data DIR] | export DIR [--data DIR]';

/** Every .md file under `dir`, hidden folders left out, as paths relative to `dir` with / separators. */
function markdownFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(folder, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) found.push(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return found;
}

export const runbooksCommand: Command = async (args, io) => {
  const [action, ...rest] = args;
  if (action !== 'import' && action !== 'export') throw new UsageError(`usage: ${runbooksUsage}`);
  const { values, positionals } = parseStrict(rest, { data: { type: 'string' } }, 1);
  if (!positionals[0]) throw new UsageError(`name the folder of runbooks: ${runbooksUsage}`);
  const dir = resolve(positionals[0]);

  if (action === 'import') {
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (!stat?.isDirectory()) throw new Error(`there is no folder ${dir}`);
    const paths = markdownFiles(dir);
    if (paths.length === 0) throw new Error(`${dir} holds no .md files`);
    if (paths.length > maxImportFiles) throw new Error(`${dir} holds ${paths.length} .md files; import at most ${maxImportFiles} at a time`);
    // A file too large to be a runbook is reported like any other rejected file, without reading it whole.
    const tooLarge = new Set(paths.filter((path) => statSync(join(dir, path)).size > maxRunbookChars * 4));
    const files = paths.map((path) => ({ path, source: tooLarge.has(path) ? '' : readFileSync(join(dir, path), 'utf8') }));
    const engine = openEngine({ dataDir: dataDirOption(values.data), host: 'web', log: io.err });
    try {
      const readable = files.filter((f) => !tooLarge.has(f.path));
      const report = readable.length > 0 ? await callEngine(engine, io.err, 'runbooks.import', { files: readable }) : null;
      const reports = [
        ...(report?.files ?? []),
        ...[...tooLarge].map((path) => ({ path, runbookId: null, outcome: 'rejected' as const, errors: [`larger than ${maxRunbookChars} characters`], mergedSiblings: 0 })),
      ].sort((a, b) => a.path.localeCompare(b.path));
      for (const file of reports) {
        if (file.outcome === 'rejected') {
          io.err(`rejected ${file.path}: ${file.errors.join('; ')}`);
        } else {
          const merged = file.mergedSiblings > 0 ? ` (replaces ${file.mergedSiblings} unmerged versions)` : '';
          io.out(`${file.outcome} ${file.path} → ${file.runbookId}${merged}`);
        }
      }
      const rejected = reports.filter((f) => f.outcome === 'rejected').length;
      io.out(`imported ${dir}: ${report?.created ?? 0} created, ${report?.updated ?? 0} updated, ${report?.unchanged ?? 0} unchanged, ${rejected} rejected`);
      return rejected > 0 ? 1 : 0;
    } finally {
      await engine.close();
    }
  }

  const engine = openEngine({ dataDir: dataDirOption(values.data), host: 'web', log: io.err });
  try {
    const files = await callEngine(engine, io.err, 'runbooks.export', {});
    mkdirSync(dir, { recursive: true });
    for (const file of files) {
      writeFileSync(join(dir, file.fileName), file.source);
      const siblings = file.unmergedSiblings > 0 ? ` (${file.unmergedSiblings} unmerged sibling version${file.unmergedSiblings > 1 ? 's' : ''} not written: merge them in the app)` : '';
      io.out(`wrote ${file.fileName}${siblings}`);
    }
    io.out(`exported ${files.length} runbook${files.length === 1 ? '' : 's'} to ${dir}`);
    return 0;
  } finally {
    await engine.close();
  }
};
