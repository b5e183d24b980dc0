// Builds the three Electron targets from the project layout: main (plus the plain-Node `holdfast`
// CLI, which shares the engine, and the engine's own entries: the utility process of the desktop
// app and the worker thread of `holdfast web`), the sandboxed preload, and the React renderer.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { metaContentSecurityPolicy } from './electron/engine/hosts/content-security-policy';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
const define = { __HOLDFAST_VERSION__: JSON.stringify(version) };
/** `@shared/x` is `shared/x` in every target, as in tsconfig.json's paths. */
const sharedAlias = { '@shared': resolve('shared') };

/** The built index.html carries the CSP too, for any host that serves it without headers. */
function cspMeta(): Plugin {
  return {
    name: 'holdfast-csp-meta',
    apply: 'build',
    transformIndexHtml: (html) => html.replace('<head>', `<head>\n    <meta http-equiv="Content-Security-Policy" content="${metaContentSecurityPolicy}" />`),
  };
}

export default defineConfig({
  main: {
    define,
    resolve: { alias: sharedAlias },
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          cli: resolve('electron/cli/main.ts'),
          'engine-utility': resolve('electron/main/engine-utility.ts'),
          'engine-worker': resolve('electron/engine/hosts/engine-worker.ts'),
        },
      },
    },
  },
  preload: {
    resolve: { alias: sharedAlias },
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot require packages: bundle everything it uses into one CJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    resolve: { alias: sharedAlias },
    plugins: [react(), cspMeta()],
    build: {
      outDir: resolve('out/renderer'),
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
