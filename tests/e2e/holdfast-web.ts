// Starts the real `holdfast web` (the built bin) on a free port with its own data folder.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { expect } from '@playwright/test';
import { tempDir } from '../support/temp';

export const holdfastBin = resolve(import.meta.dirname, '../../electron/cli/holdfast.mjs');

export interface RunningWeb {
  /** Base URL, without the token. */
  url: string;
  /** URL with the access token, as printed for the user. */
  openUrl: string;
  process: ChildProcess;
  stop(): Promise<number | null>;
  /** Kills the process on purpose (a crash test), so its exit is not reported as unexpected. */
  kill(signal: NodeJS.Signals): void;
}

/** The sample runbooks shipped in docs/runbooks. */
export const sampleRunbooksDir = resolve(import.meta.dirname, '../../docs/runbooks');

/** Imports a folder of runbooks into a data folder with the real CLI, as a team's CI job does; returns its output. */
export function importRunbooks(dataDir: string, dir = sampleRunbooksDir): string {
  const result = spawnSync(process.execPath, [holdfastBin, 'runbooks', 'import', dir, '--data', dataDir], { encoding: 'utf8' });
  expect(result.status, `holdfast runbooks import failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result.stdout;
}

export function tempDataDir(prefix = 'holdfast-e2e-'): string {
  return tempDir(prefix);
}

export interface WebOptions {
  /** Node options before the bin, e.g. `--import` of a test clock (see shifted-clock.ts). */
  nodeArgs?: string[];
  /** Added to the environment the process inherits. */
  env?: NodeJS.ProcessEnv;
}

export function startHoldfastWeb(dataDir: string, options: WebOptions = {}): Promise<RunningWeb> {
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), holdfastBin, 'web', '--data', dataDir, '--port', '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
  });
  let output = '';
  let isStopping = false;
  return new Promise((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`holdfast web did not start:\n${output}`)), 60_000);
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
        stop: () => {
          isStopping = true;
          return stopProcess(child);
        },
        kill: (signal) => {
          isStopping = true;
          child.kill(signal);
        },
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // After a successful start the promise is settled: an exit nobody asked for is reported with
      // everything the process printed, so a crash mid-test names its cause.
      if (!isStopping) process.stderr.write(`holdfast web (pid ${child.pid}) exited on its own with ${code ?? signal}:\n${output}\n`);
      reject(new Error(`holdfast web exited with ${code}:\n${output}`));
    });
  });
}

/** SIGTERM, then SIGKILL if the process has not exited after 10 s; resolves with its exit code. */
export function stopProcess(child: ChildProcess): Promise<number | null> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
    const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', (code) => {
      clearTimeout(killer);
      done(code);
    });
    child.kill('SIGTERM');
  });
}
