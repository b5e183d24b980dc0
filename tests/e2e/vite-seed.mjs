// `node tests/e2e/vite-seed.mjs MODULE FUNCTION ARG…`: loads MODULE (a .ts path from the project
// root) through Vite, as bench/run.mjs does, so it runs the engine's source (migrations included),
// calls FUNCTION(...ARGs) and prints its JSON result. E2E tests lay data down with it before they
// start `holdfast web`.
import { join, resolve } from 'node:path';
import { createServer } from 'vite';

const root = resolve(import.meta.dirname, '../..');
const [modulePath, name, ...args] = process.argv.slice(2);
if (!modulePath || !name) {
  process.stderr.write('usage: node tests/e2e/vite-seed.mjs MODULE FUNCTION [ARG…]\n');
  process.exit(2);
}
const vite = await createServer({
  root,
  configFile: false,
  logLevel: 'error',
  appType: 'custom',
  server: { middlewareMode: true, hmr: false, watch: null },
  optimizeDeps: { noDiscovery: true, include: [] },
  define: { __HOLDFAST_VERSION__: JSON.stringify('e2e') },
  resolve: { alias: { '@shared': join(root, 'shared') } },
});
try {
  const module = await vite.ssrLoadModule(`/${modulePath}`);
  process.stdout.write(`${JSON.stringify(await module[name](...args))}\n`);
} finally {
  await vite.close();
}
