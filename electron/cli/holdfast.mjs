#!/usr/bin/env node
// The `holdfast` bin: runs the built command line (out/main/cli.js).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../../out/main/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(`holdfast: not built yet (${fileURLToPath(entry)} is missing); run \`npm run build\` first.\n`);
  process.exit(1);
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
