// Temp folders for tests: each test gets its own, so suites run in parallel without sharing data.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempDir(prefix = 'holdfast-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
