// Test folders do not pile up: what tempDir makes is removed by removeTempDirs (run after each file).
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeTempDirs, tempDir, tempDirsHeld } from '../support/temp';

describe('tempDir', () => {
  it('removes every folder it made, contents and all', () => {
    const a = tempDir();
    const b = tempDir('holdfast-other-');
    mkdirSync(join(b, 'nested'));
    writeFileSync(join(b, 'nested', 'holdfast.db'), 'x');
    expect(tempDirsHeld()).toBeGreaterThanOrEqual(2);
    removeTempDirs();
    expect(existsSync(a)).toBe(false);
    expect(existsSync(b)).toBe(false);
    expect(tempDirsHeld()).toBe(0);
  });
});
