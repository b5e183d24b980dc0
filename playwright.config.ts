// Browser tests run in real Chromium against a real `holdfast web`. Playwright's own Chromium is
// used where it is installed; otherwise the system's (Debian's /usr/bin/chromium). With neither,
// the run fails and says how to install one: browser tests are never silently skipped.
import { defineConfig } from '@playwright/test';
import { chromiumExecutable, chromiumFlags } from './tests/support/chromium';

const executablePath = chromiumExecutable();

export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e',
  fullyParallel: true,
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    viewport: { width: 1360, height: 820 },
    launchOptions: {
      executablePath,
      args: [...chromiumFlags, '--disable-quic', '--no-first-run'],
    },
  },
  projects: [
    { name: 'e2e', testMatch: /.*\.e2e\.ts$/ },
    // `npm run screenshots` refreshes the images in docs/; not part of the test run.
    { name: 'docs', testMatch: /.*\.screenshots\.ts$/, use: { timezoneId: 'America/New_York' } },
  ],
});
