// Builds the three Electron targets from the project layout: main (plus the plain-Node `holdfast`
// CLI, which shares the engine, and the engine's own entries: the utility process of the desktop
// app and the worker thread of `holdfast web`), the sandboxed preload, and the React renderer.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
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

/** Text files worth compressing; below this size the headers cost more than they save. */
const compressible = /\.(?:js|css|html|svg|json|map)$/;
const minCompressBytes = 1024;

/**
 * Writes `.br` and `.gz` beside every text file of the renderer build, so `holdfast web` serves
 * them precompressed (its static handler picks the encoding the browser accepts).
 */
function precompress(): Plugin {
  let outDir = '';
  return {
    name: 'holdfast-precompress',
    apply: 'build',
    configResolved: (config) => {
      outDir = config.build.outDir;
    },
    closeBundle: () => {
      const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
      for (const file of walk(outDir)) {
        if (!compressible.test(file) || statSync(file).size < minCompressBytes) continue;
        const content = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(content, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(content, { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 11, [zlibConstants.BROTLI_PARAM_SIZE_HINT]: content.length } }),
        );
      }
    },
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
    plugins: [react(), cspMeta(), precompress()],
    build: {
      outDir: resolve('out/renderer'),
      // Minified and split: the pages other than the incident list and the war room, the charts
      // and the Markdown renderer are dynamic imports (app.tsx, lib/lazy-markdown.tsx), so the JS
      // loaded at start-up stays within 700 KB (`npm run bench -- ui` prints it).
      minify: true,
      rollupOptions: { input: resolve('renderer/index.html') },
    },
  },
});
