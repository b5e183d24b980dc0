// Which Chromium browser tests and the UI benchmark drive: Playwright's own where it is installed,
// otherwise the system's (Debian's /usr/bin/chromium). With neither, a clear error: browser work
// is never silently skipped.
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

/** The executable to launch, or undefined for Playwright's own browser. */
export function chromiumExecutable(): string | undefined {
  try {
    if (existsSync(chromium.executablePath())) return undefined; // Playwright's own browser
  } catch {
    // no bundled browser registered: fall through to the system one
  }
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((path): path is string => Boolean(path && existsSync(path)));
  if (!found) throw new Error('No Chromium: run `apt-get install -y chromium` or `npx playwright install chromium`.');
  return found;
}

/** Flags for a headless Chromium in a container or CI machine. */
export const chromiumFlags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
