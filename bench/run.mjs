// `npm run bench -- <name>`: loads bench/<name>.ts through Vite (so it runs the engine's source as
// the app does, migrations included) and runs it. Benchmarks print ratios, never pass/fail timings.
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runnerImport } from 'vite';

const root = resolve(import.meta.dirname, '..');
const available = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
const [name, ...args] = process.argv.slice(2);

if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <name> [options]; benchmarks: ${available.join(', ')}\n`);
  process.exit(2);
}
const file = join(root, 'bench', `${name}.ts`);
if (!existsSync(file)) process.exit(2);

const { module } = await runnerImport(file, {
  root,
  configFile: false,
  logLevel: 'error',
  define: { __HOLDFAST_VERSION__: JSON.stringify('bench') },
});
process.exitCode = await module.run(args);
