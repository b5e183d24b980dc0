// Unit tests (pure logic, fakes for Electron's interfaces), renderer tests (components and hooks in jsdom) and integration tests (real SQLite
// files in temp folders, real HTTP on loopback). Browser tests are Playwright's (playwright.config.ts).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  define: { __HOLDFAST_VERSION__: JSON.stringify('0.0.0-test') },
  // `@shared/x` is `shared/x`, as in tsconfig.json's paths.
  resolve: { alias: { '@shared': fileURLToPath(new URL('./shared', import.meta.url)) } },
  test: {
    setupFiles: ['tests/support/vitest-setup.ts'],
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node' } },
      {
        // Renderer components and hooks in a DOM (jsdom), backed by a real engine through the typed client.
        extends: true,
        test: {
          name: 'renderer',
          include: ['tests/renderer/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          setupFiles: ['tests/support/renderer-setup.ts'],
        },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'], environment: 'node', testTimeout: 30_000 },
      },
    ],
  },
});
