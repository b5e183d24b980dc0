// Starts the real `holdfast web` (the built bin) on a free port with its own data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { tempDir } from '../support/temp';

export const holdfastBin = resolve(import.meta.dirname, '../../electron/cli/holdfast.mjs');

export interface RunningWeb {
  /** Base URL, without the token. */
  url: string;
  /** URL with the access token, as printed for the user. */
  openUrl: string;
  process: ChildProcess;
  stop(): Promise<number | null>;
}

export function tempDataDir(prefix = 'holdfast-e2e-'): string {
  return tempDir(prefix);
}

export function startHoldfastWeb(dataDir: string): Promise<RunningWeb> {
  const child = spawn(process.execPath, [holdfastBin, 'web', '--data', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`holdfast web did not start:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /Open (http:\/\/\S+)/.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const openUrl = match[1];
      resolvePromise({
        url: openUrl.split('#')[0],
        openUrl,
        process: child,
        stop: () =>
          new Promise((done) => {
            if (child.exitCode !== null) return done(child.exitCode);
            child.once('exit', (code) => done(code));
            child.kill('SIGTERM');
          }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`holdfast web exited with ${code}:\n${output}`));
    });
  });
}
