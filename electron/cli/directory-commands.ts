// `holdfast directory import|export`: the people directory as CSV, for loading it from an HR or
// on-call export and for keeping a copy outside Holdfast. Both go through the engine's own calls, so
// the checks and the all-or-nothing import are the same as in the app.
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { maxCsvChars } from '@shared/domain/directory';
import { openEngine } from '../engine/engine';
import { writeDirectoryCsv } from '../engine/directory/directory-csv';
import { callEngine as run } from './engine-call';
import { dataDirOption, parseStrict, UsageError, type Command } from './io';

const directoryUsage = 'holdfast directory import FILE.csv [--data DIR] | export [--data DIR]';

export const directoryCommand: Command = async (args, io) => {
  const [action, ...rest] = args;
  if (action !== 'import' && action !== 'export') throw new UsageError(`usage: ${directoryUsage}`);
  const { values, positionals } = parseStrict(rest, { data: { type: 'string' } }, action === 'import' ? 1 : 0);
  let csv = '';
  if (action === 'import') {
    if (!positionals[0]) throw new UsageError(`name the CSV file to import: ${directoryUsage}`);
    const file = resolve(positionals[0]);
    // Checked before reading, so a wrong file (a database, a video) is not loaded into memory whole.
    const size = statSync(file, { throwIfNoEntry: false })?.size;
    if (size === undefined) throw new Error(`there is no file ${file}`);
    if (size > maxCsvChars * 4) throw new Error(`${file} is ${size} bytes; a directory CSV may hold at most ${maxCsvChars} characters: split it`);
    csv = readFileSync(file, 'utf8');
  }
  const engine = openEngine({ dataDir: dataDirOption(values.data), host: 'web', log: io.err });
  try {
    if (action === 'export') {
      // io.out ends the last line itself.
      io.out(writeDirectoryCsv(await run(engine, io.err, 'directory.list', {})).replace(/\n$/, ''));
      return 0;
    }
    const report = await run(engine, io.err, 'directory.import', { csv });
    const teams = report.teamsCreated === 1 ? '1 team' : `${report.teamsCreated} teams`;
    io.out(`imported ${positionals[0]}: ${report.created} created, ${report.updated} updated, ${report.unchanged} unchanged; ${teams} created`);
    return 0;
  } finally {
    await engine.close();
  }
};
