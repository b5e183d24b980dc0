// Temp folders for tests: each test gets its own, so suites run in parallel without sharing data.
// Every folder made here is removed when its test file is done (vitest: tests/support/vitest-setup.ts)
// or, for a Playwright worker, when the worker exits.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();

export function tempDir(prefix = 'holdfast-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  return dir;
}

/** Removes every folder tempDir made so far; a folder still held open is retried, then left. */
export function removeTempDirs(): void {
  for (const dir of made) {
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch {
      // A process a test started may still hold it; the system's temp cleanup takes it later.
    }
    made.delete(dir);
  }
}

/** How many folders are waiting for removal (for the cleanup's own test). */
export function tempDirsHeld(): number {
  return made.size;
}

process.once('exit', removeTempDirs);
