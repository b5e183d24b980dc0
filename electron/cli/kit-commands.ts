// `holdfast kit save FILE` writes this laptop's break-glass kit (made again now) as one
// self-contained HTML file; `holdfast kit verify FILE` checks a kit's signature and says who made
// it and when. Saving works while the app or `holdfast web` runs on the folder (through it).
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileTrustOfDataDir } from '../engine/core/signed-files';
import { verifyKit } from '../engine/kit/kit-keeper';
import { withEngineCalls } from './engine-call';
import { dataDirOption, parseStrict, UsageError, type Command } from './io';

const kitUsage = 'holdfast kit save FILE.html [--data DIR] | verify FILE.html [--data DIR]';
/** A kit is a few hundred kilobytes; anything far larger is not one. */
const maxKitBytes = 50 * 1024 * 1024;

export const kitCommand: Command = async (args, io) => {
  const [action, ...rest] = args;
  if (action !== 'save' && action !== 'verify') throw new UsageError(`usage: ${kitUsage}`);
  const { values, positionals } = parseStrict(rest, { data: { type: 'string' } }, 1);
  if (!positionals[0]) throw new UsageError(`name the HTML file: ${kitUsage}`);
  const file = resolve(positionals[0]);
  const dataDir = dataDirOption(values.data);
  if (action === 'save') {
    const kit = await withEngineCalls(dataDir, io, (call) => call('kit.file', {}));
    writeFileSync(file, kit.html);
    const { counts } = kit.info;
    io.out(
      `saved the break-glass kit to ${file}: ${counts.teams} teams, ${counts.bridges} bridges, ${counts.people} people, ${counts.runbooks} runbooks, ` +
        `${counts.statements} holding statements; signed by ${kit.info.signedBy} at ${new Date(kit.info.generatedAt).toISOString()}`,
    );
    return 0;
  }
  const size = statSync(file, { throwIfNoEntry: false })?.size;
  if (size === undefined) throw new Error(`there is no file ${file}`);
  if (size > maxKitBytes) throw new Error(`${file} is ${size} bytes: not a break-glass kit`);
  const verdict = verifyKit(readFileSync(file, 'utf8'), fileTrustOfDataDir(dataDir));
  if (!verdict.ok) {
    io.err(`holdfast: ${file}: ${verdict.line}`);
    return 1;
  }
  io.out(`${file}: ${verdict.line}`);
  return 0;
};
