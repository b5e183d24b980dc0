// `holdfast catalog import|export`: the service catalog as a YAML or CSV file kept in git and
// imported in CI. Import goes through the engine's own call, so the checks are the app's: every
// problem is listed with its line, a file with any error imports nothing and exits 1, and importing
// the same file again adds nothing. Export writes the import format to stdout or a file.
import { readFileSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { catalogFormats, describeCatalogProblems, maxCatalogChars, type CatalogFormat } from '@shared/domain/catalog';
import { ensureDirFor, writePrivateFile } from '@shared/node/private-files';
import { openEngine } from '../engine/engine';
import { callEngine } from './engine-call';
import { dataDirOption, parseStrict, UsageError, type Command } from './io';

const catalogUsage = 'holdfast catalog import FILE [--format yaml|csv] [--dry-run] [--data DIR] | export [--format yaml|csv] [--out FILE] [--data DIR]';

function formatOption(value: string | undefined): CatalogFormat | undefined {
  if (value === undefined) return undefined;
  if ((catalogFormats as readonly string[]).includes(value)) return value as CatalogFormat;
  throw new UsageError(`--format must be yaml or csv, got "${value}"`);
}

/** The format a file name says: .yaml/.yml or .csv. */
function formatOfFile(path: string): CatalogFormat | undefined {
  const ext = extname(path).toLowerCase();
  return ext === '.yaml' || ext === '.yml' ? 'yaml' : ext === '.csv' ? 'csv' : undefined;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export const catalogCommand: Command = async (args, io) => {
  const [action, ...rest] = args;
  if (action !== 'import' && action !== 'export') throw new UsageError(`usage: ${catalogUsage}`);

  if (action === 'import') {
    const { values, positionals } = parseStrict(rest, { data: { type: 'string' }, format: { type: 'string' }, 'dry-run': { type: 'boolean' } }, 1);
    if (!positionals[0]) throw new UsageError(`name the catalog file to import: ${catalogUsage}`);
    const file = resolve(positionals[0]);
    const format = formatOption(values.format) ?? formatOfFile(file);
    if (!format) throw new UsageError(`say whether ${positionals[0]} is YAML or CSV: name it .yaml or .csv, or give --format yaml|csv`);
    // Checked before reading, so a wrong file (a database, a video) is not loaded into memory whole.
    const size = statSync(file, { throwIfNoEntry: false })?.size;
    if (size === undefined) throw new Error(`there is no file ${file}`);
    if (size > maxCatalogChars * 4) throw new Error(`${file} is ${size} bytes; a catalog file may hold at most ${maxCatalogChars} characters: split it`);
    const text = readFileSync(file, 'utf8');
    const engine = openEngine({ dataDir: dataDirOption(values.data), host: 'web', log: io.err });
    try {
      const report = await callEngine(engine, io.err, 'catalog.import', { format, text, dryRun: values['dry-run'] === true });
      for (const line of describeCatalogProblems(report.warnings)) io.err(`warning: ${line}`);
      if (report.errors.length > 0) {
        for (const line of describeCatalogProblems(report.errors)) io.err(line);
        io.err(`nothing was imported: ${positionals[0]} has ${plural(report.errors.length, 'problem')}; fix the file and import it again`);
        return 1;
      }
      const counts = `${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged`;
      const warned = report.warnings.length > 0 ? `; ${plural(report.warnings.length, 'warning')}` : '';
      io.out(
        report.isDryRun ? `checked ${positionals[0]}: importing it would give ${counts}${warned}; nothing was changed` : `imported ${positionals[0]}: ${counts}${warned}`,
      );
      return 0;
    } finally {
      await engine.close();
    }
  }

  const { values } = parseStrict(rest, { data: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } }, 0);
  if (values.out === '') throw new UsageError('--out needs a file path');
  const format = formatOption(values.format) ?? (values.out ? formatOfFile(values.out) : undefined) ?? 'yaml';
  const engine = openEngine({ dataDir: dataDirOption(values.data), host: 'web', log: io.err });
  try {
    const exported = await callEngine(engine, io.err, 'catalog.export', { format });
    if (values.out) {
      ensureDirFor(resolve(values.out));
      writePrivateFile(resolve(values.out), exported.text);
      io.out(`exported ${plural(exported.count, 'service')} to ${values.out}`);
    } else {
      // io.out ends the last line itself.
      io.out(exported.text.replace(/\r?\n$/, ''));
    }
    return 0;
  } finally {
    await engine.close();
  }
};
