// `npm run bench -- <name>`: loads bench/<name>.ts through Vite (so it runs the engine's source as
// the app does, migrations included) and runs it. Benchmarks print ratios, never pass/fail timings.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createServer } from 'vite';

const root = resolve(import.meta.dirname, '..');
const available = readdirSync(join(root, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.slice(0, -3));
const [name, ...args] = process.argv.slice(2);

if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <name> [options]; benchmarks: ${available.join(', ')}\n`);
  process.exit(2);
}

// A Vite server in middleware mode only loads modules (TypeScript, import.meta.glob) for Node;
// it stays open while the benchmark runs so that the benchmark's own dynamic imports work.
const vite = await createServer({
  root,
  configFile: false,
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, watch: null },
  optimizeDeps: { noDiscovery: true, include: [] },
  define: { __HOLDFAST_VERSION__: JSON.stringify('bench') },
  resolve: { alias: { '@shared': join(root, 'shared') } },
});
try {
  const module = await vite.ssrLoadModule(`/bench/${name}.ts`);
  process.exitCode = await module.run(args);
} finally {
  await vite.close();
}
