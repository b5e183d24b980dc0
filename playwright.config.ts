// Browser tests run in real Chromium against a real `holdfast web`. Playwright's own Chromium is
// used where it is installed; otherwise the system's (Debian's /usr/bin/chromium). With neither,
// the run fails and says how to install one: browser tests are never silently skipped.
import { existsSync } from 'node:fs';
import { chromium, defineConfig } from '@playwright/test';

function systemChromium(): string | undefined {
  try {
    if (existsSync(chromium.executablePath())) return undefined; // Playwright's own browser
  } catch {
    // no bundled browser registered: fall through to the system one
  }
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((path): path is string => Boolean(path && existsSync(path)));
  if (!found) {
    throw new Error('No Chromium for the browser tests: run `apt-get install -y chromium` or `npx playwright install chromium`.');
  }
  return found;
}

const executablePath = systemChromium();

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
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
  projects: [
    { name: 'e2e', testMatch: /.*\.e2e\.ts$/ },
    // `npm run screenshots` refreshes the images in docs/; not part of the test run.
    { name: 'docs', testMatch: /.*\.screenshots\.ts$/, use: { timezoneId: 'America/New_York' } },
  ],
});
