// The command-line socket of a data folder whose path is too long for one lives in a new private
// folder (0700, random name) named in the data folder, never at a name another local user could
// guess and take first; a socket that cannot be set up makes opening fail with a clear error, and
// an engine that failed to open leaves no timer running on its closed database.
import { existsSync, lstatSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { callRunningEngine, callSocketPath, socketPointerFile } from '../../electron/engine/core/call-socket';
import { openEngine } from '../../electron/engine/engine';
import { tempDir } from '../support/temp';

const longDataDir = () => {
  const dir = join(tempDir(), 'a-data-folder-whose-path-is-far-too-long-for-a-unix-socket', 'x'.repeat(60));
  mkdirSync(dir, { recursive: true });
  return dir;
};

describe('command-line socket', () => {
  it('a long data path gets its socket in a private folder named in the data folder, and the command line reaches it', async () => {
    const dataDir = longDataDir();
    const guessable = join(tmpdir(), `holdfast-${createHash('sha256').update(dataDir).digest('hex').slice(0, 24)}.sock`);
    const engine = openEngine({ dataDir, host: 'web', log: () => undefined });
    try {
      const path = callSocketPath(dataDir);
      expect(path).not.toBeNull();
      expect(path).not.toBe(guessable);
      expect(readFileSync(socketPointerFile(dataDir), 'utf8').trim()).toBe(path);
      expect(statSync(socketPointerFile(dataDir)).mode & 0o777).toBe(0o600);
      const dir = lstatSync(dirname(path!));
      expect(dir.isDirectory()).toBe(true);
      expect(dir.mode & 0o777).toBe(0o700);
      await expect.poll(() => existsSync(path!)).toBe(true);
      expect(await callRunningEngine(dataDir, 'runbooks.export', {})).toEqual(expect.any(Array));
      await engine.close();
      expect(existsSync(dirname(path!))).toBe(false);
      expect(existsSync(socketPointerFile(dataDir))).toBe(false);
    } finally {
      await engine.close();
    }
  });

  it('the command line refuses a socket named in a folder other users can enter', async () => {
    const dataDir = longDataDir();
    const shared = tempDir();
    const { chmodSync, writeFileSync } = await import('node:fs');
    chmodSync(shared, 0o777);
    writeFileSync(socketPointerFile(dataDir), join(shared, 'holdfast.sock'));
    expect(callSocketPath(dataDir)).toBeNull();
    await expect(callRunningEngine(dataDir, 'runbooks.export', {})).rejects.toThrow(/does not say where it takes calls/);
  });

  it('something in the way of the socket makes opening fail with a clear error, and no timer of the half-open engine fires after', async () => {
    const dataDir = tempDir();
    mkdirSync(join(dataDir, 'holdfast.sock'));
    const lines: string[] = [];
    expect(() => openEngine({ dataDir, host: 'web', log: (line) => lines.push(line), outbox: { intervalMs: 20 }, cadenceCheckMs: 20 })).toThrow(
      /command-line socket .*holdfast\.sock is in the way .* not one: move it out/,
    );
    // The outbox and cadence timers would fire now on the closed database (an uncaught TypeError fails this file).
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(lines.filter((line) => /not open/.test(line))).toEqual([]);
    // The folder is not left locked: once the obstacle is gone it opens.
    const { rmSync } = await import('node:fs');
    rmSync(join(dataDir, 'holdfast.sock'), { recursive: true });
    const engine = openEngine({ dataDir, host: 'web', log: () => undefined });
    await engine.close();
  });
});
