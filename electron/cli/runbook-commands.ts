// `holdfast runbooks import|export DIR`: runbooks as code. A team keeps its runbooks as Markdown
// files in git and imports the folder (or some files) in CI; export writes the library back as one
// file per runbook. Import is idempotent (an unchanged file adds no version), reads runbooks as
// teams write them unless --strict, reports every rejected file with its reasons, imports nothing
// from a rejected file, and exits 1 when any file was rejected so a CI job fails on a broken
// runbook. Both work while the app or `holdfast web` has the data folder open (through it).
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ensurePrivateDir, writePrivateFile } from '@shared/node/private-files';
import { maxImportFiles } from '@shared/domain/runbook';
import { maxRunbookChars } from '@shared/domain/runbook-format';
import { withEngineCalls } from './engine-call';
import { dataDirOption, parseStrict, UsageError, type Command } from './io';

const runbooksUsage = 'holdfast runbooks import DIR|FILE.md... [--strict] [--data DIR] | export DIR [--data DIR]';

/** A file the command refuses before the engine sees it: unreadable, not UTF-8, too large, a link. */
interface Unread {
  path: string;
  reason: string;
}

/** Every .md file under `dir` (hidden folders left out), as paths relative to `dir` with / separators; links are listed apart. */
function markdownFiles(dir: string): { files: string[]; links: string[] } {
  const files: string[] = [];
  const links: string[] = [];
  const walk = (folder: string) => {
    const entries = readdirSync(folder, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      const rel = relative(dir, path).split('\\').join('/');
      if (entry.isDirectory()) walk(path);
      else if (!entry.name.toLowerCase().endsWith('.md')) continue;
      else if (entry.isSymbolicLink()) links.push(rel);
      else if (entry.isFile()) files.push(rel);
    }
  };
  walk(dir);
  return { files, links };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The file's text, or why it cannot be imported. */
function readRunbookFile(path: string): { source: string } | { reason: string } {
  try {
    if (statSync(path).size > maxRunbookChars * 4) return { reason: `larger than ${maxRunbookChars} characters` };
    return { source: utf8.decode(readFileSync(path)).replace(/^\uFEFF/, '') };
  } catch (error) {
    if (error instanceof TypeError) return { reason: 'not UTF-8 text: save the file as UTF-8' };
    return { reason: `cannot be read: ${(error as Error).message}` };
  }
}

/** The .md files named on the command line: each as its file name, read from where it is. */
function namedFiles(paths: string[]): { files: string[]; links: string[] } {
  const files: string[] = [];
  const links: string[] = [];
  for (const path of paths) {
    const stat = lstatSync(resolve(path), { throwIfNoEntry: false });
    if (!stat) throw new Error(`there is no file ${resolve(path)}`);
    if (!path.toLowerCase().endsWith('.md')) throw new UsageError(`${path} is not a .md file: name a folder, or Markdown files`);
    (stat.isSymbolicLink() ? links : files).push(resolve(path));
  }
  return { files, links };
}

export const runbooksCommand: Command = async (args, io) => {
  const [action, ...rest] = args;
  if (action !== 'import' && action !== 'export') throw new UsageError(`usage: ${runbooksUsage}`);
  const { values, positionals } =
    action === 'import'
      ? parseStrict(rest, { data: { type: 'string' }, strict: { type: 'boolean' } }, maxImportFiles)
      : parseStrict(rest, { data: { type: 'string' } }, 1);
  if (!positionals[0]) throw new UsageError(`name the folder of runbooks: ${runbooksUsage}`);
  const dir = resolve(positionals[0]);
  const dataDir = dataDirOption(values.data);

  if (action === 'import') {
    const stat = statSync(dir, { throwIfNoEntry: false });
    const isFolder = positionals.length === 1 && stat?.isDirectory() === true;
    if (positionals.length === 1 && !stat) throw new Error(`there is no folder or file ${dir}`);
    if (!isFolder && positionals.some((p) => statSync(resolve(p), { throwIfNoEntry: false })?.isDirectory())) {
      throw new UsageError(`name one folder, or Markdown files: ${runbooksUsage}`);
    }
    const { files: paths, links } = isFolder ? markdownFiles(dir) : namedFiles(positionals);
    if (paths.length + links.length === 0) throw new Error(`${dir} holds no .md files`);
    if (paths.length > maxImportFiles) throw new Error(`${dir} holds ${paths.length} .md files; import at most ${maxImportFiles} at a time`);
    const unread: Unread[] = links.map((path) => ({ path, reason: 'a symbolic link: not followed; put the file itself in the folder' }));
    const files: { path: string; source: string }[] = [];
    for (const path of paths) {
      const read = readRunbookFile(isFolder ? join(dir, path) : path);
      // Files named one by one are reported by the name they were given.
      const shown = isFolder ? path : (positionals.find((p) => resolve(p) === path) ?? path);
      if ('reason' in read) unread.push({ path: shown, reason: read.reason });
      else files.push({ path: shown, source: read.source });
    }
    const strict = 'strict' in values && values.strict === true;
    return withEngineCalls(dataDir, io, async (call) => {
      const report = files.length > 0 ? await call('runbooks.import', { files, strict }) : null;
      const reports = [
        ...(report?.files ?? []),
        ...unread.map(({ path, reason }) => ({ path, runbookId: null, outcome: 'rejected' as const, errors: [reason], notes: [], mergedSiblings: 0 })),
      ].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const file of reports) {
        if (file.outcome === 'rejected') {
          io.err(`rejected ${file.path}: ${file.errors.join('; ')}`);
        } else {
          const merged = file.mergedSiblings > 0 ? ` (replaces ${file.mergedSiblings} unmerged versions)` : '';
          io.out(`${file.outcome} ${file.path} → ${file.runbookId}${merged}`);
          for (const note of file.notes) io.out(`  note: ${note}`);
        }
      }
      const rejected = reports.filter((f) => f.outcome === 'rejected').length;
      const what = isFolder ? dir : `${positionals.length} file${positionals.length === 1 ? '' : 's'}`;
      io.out(`imported ${what}: ${report?.created ?? 0} created, ${report?.updated ?? 0} updated, ${report?.unchanged ?? 0} unchanged, ${rejected} rejected`);
      return rejected > 0 ? 1 : 0;
    });
  }

  return withEngineCalls(dataDir, io, async (call) => {
    const files = await call('runbooks.export', {});
    // A folder made here is its owner's only (0700); one that exists (a git checkout, say) keeps its mode.
    // Each file is 0600, whatever the umask: a runbook can name systems, hosts and contacts.
    if (!existsSync(dir)) ensurePrivateDir(dir);
    for (const file of files) {
      writePrivateFile(join(dir, file.fileName), file.source);
      const siblings =
        file.unmergedSiblings > 0 ? ` (${file.unmergedSiblings} unmerged sibling version${file.unmergedSiblings > 1 ? 's' : ''} not written: merge them in the app)` : '';
      io.out(`wrote ${file.fileName}${siblings}`);
    }
    io.out(`exported ${files.length} runbook${files.length === 1 ? '' : 's'} to ${dir}`);
    return 0;
  });
};
