// `holdfast app`: starts the desktop app with the Electron runtime the package installed.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { parseStrict, type Command } from './io';
import { packageRoot } from './package-root';

export const appCommand: Command = async (args, io) => {
  parseStrict(args, {});
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
};

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
