// Starts tests/integration/discovery-node.ts as its own process, through Vite's SSR module loader
// (the engine's code uses Vite features such as import.meta.glob, as the build does).
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';

const root = fileURLToPath(new URL('../..', import.meta.url));
const server = await createServer({
  configFile: false,
  root,
  logLevel: 'error',
  appType: 'custom',
  define: { __HOLDFAST_VERSION__: JSON.stringify('0.0.0-test') },
  resolve: { alias: { '@shared': `${root}shared` } },
  server: { middlewareMode: true, hmr: false, ws: false, watch: null },
  optimizeDeps: { noDiscovery: true, include: [] },
});
process.once('exit', () => void server.close());
await server.ssrLoadModule('/tests/integration/discovery-node.ts');
