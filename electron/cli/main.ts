// The `holdfast` command line: parses arguments and starts the chosen mode. Exit codes: 0 ok,
// 1 failure, 2 bad usage; every error is one line that names the problem.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDispatch } from '../../shared/rpc';
import { openEngine } from '../engine/engine';
import { defaultDataDir } from '../engine/paths';
import { appVersion } from '../engine/version';
import { startWebBridge } from '../engine/web-bridge';

export interface CliIo {
  out: (line: string) => void;
  err: (line: string) => void;
  /** Resolves when the user asks a long-running command to stop (Ctrl+C, SIGTERM). */
  untilStopped: () => Promise<void>;
}

export const usage = `Usage: holdfast <command> [options]

Commands:
  app                               open the desktop app (same as npm start)
  web [--data DIR] [--port P]       serve the app to a browser on this machine (127.0.0.1)
  help                              show this help
  version                           print the version

Options for web:
  --data DIR    replica data folder (default: ${defaultDataDir()})
  --port P      TCP port, 0 for any free one (default: 7420)`;

/** The package root: out/main/cli.js once built, electron/cli/main.ts in tests. */
const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export class UsageError extends Error {
  override name = 'UsageError';
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'web':
        return await web(rest, io);
      case 'app':
        return await desktopApp(rest, io);
      case 'version':
      case '--version':
      case '-v':
        io.out(appVersion);
        return 0;
      case 'help':
      case '--help':
      case '-h':
        io.out(usage);
        return 0;
      case undefined:
        io.err('holdfast: no command given.');
        io.err(usage);
        return 2;
      default:
        io.err(`holdfast: unknown command "${command}".`);
        io.err(usage);
        return 2;
    }
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.err(`holdfast ${command}: ${(error as Error).message} (see \`holdfast help\`)`);
      return 2;
    }
    io.err(`holdfast ${command}: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(port) || port > 65535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, got "${value}"`);
  }
  return port;
}

async function web(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { data: { type: 'string' }, port: { type: 'string' } },
    strict: true,
    allowPositionals: false,
  });
  const port = parsePort(values.port, 7420);
  if (values.data === '') throw new UsageError('--data needs a folder path');
  const dataDir = resolve(values.data ?? defaultDataDir());

  const engine = openEngine({ dataDir, host: 'web' });
  const dispatch = createDispatch(engine.handlers, {
    onInternalError: (error, name) => io.err(`holdfast web: ${name} failed: ${error instanceof Error ? error.stack : String(error)}`),
  });
  let bridge;
  try {
    bridge = await startWebBridge({
      dispatch,
      subscribe: (listener) => engine.onEvent(listener),
      rendererDir: join(packageRoot, 'out', 'renderer'),
      port,
      log: io.err,
    });
  } catch (error) {
    engine.close();
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new Error(`port ${port} is already in use; pass --port with a free port (or 0 for any)`);
    }
    throw error;
  }
  io.out(`Holdfast web is running with data in ${dataDir}`);
  io.out(`Open ${bridge.openUrl}`);
  io.out('Press Ctrl+C to stop.');
  await io.untilStopped();
  await bridge.close();
  engine.close();
  return 0;
}

async function desktopApp(args: string[], io: CliIo): Promise<number> {
  parseArgs({ args, options: {}, strict: true, allowPositionals: false });
  const electronBinary = findElectronBinary();
  if (!electronBinary) {
    io.err('holdfast app: the Electron runtime is not installed on this machine. Use `holdfast web` (or `npm run web`) to run Holdfast in a browser.');
    return 1;
  }
  const child = spawn(electronBinary, [packageRoot], { stdio: 'inherit' });
  return new Promise((resolveExit) => {
    child.on('exit', (code) => resolveExit(code ?? 1));
    child.on('error', (error) => {
      io.err(`holdfast app: could not start Electron: ${error.message}`);
      resolveExit(1);
    });
  });
}

/** The Electron executable the `electron` package installed, without triggering its download. */
function findElectronBinary(): string | null {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const binary = join(dist, readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Entry used by the `holdfast` bin. */
export async function main(argv: string[]): Promise<number> {
  return runCli(argv, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    untilStopped: () =>
      new Promise((done) => {
        process.once('SIGINT', () => done());
        process.once('SIGTERM', () => done());
      }),
  });
}
