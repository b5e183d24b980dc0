// Files only their owner may read: the data folder (0700) and the database, its WAL and shared
// memory, backups and exports (0600), whatever the process's umask. Modes are set explicitly after
// creation (a umask can only take bits away, and a file that already exists keeps its mode when
// written), and existing ones are tightened when opened. Windows has no such modes: chmod there
// only toggles read-only, so these are no-ops in effect.
import { chmodSync, closeSync, existsSync, fchmodSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

export const privateDirMode = 0o700;
export const privateFileMode = 0o600;

/** Creates `dir` (and missing parents, 0700) if needed, and makes it 0700 even if it already existed. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: privateDirMode });
  chmodSync(dir, privateDirMode);
}

/** Creates the folder a file is written to if it is missing (0700); a folder that exists is left as it is. */
export function ensureDirFor(file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: privateDirMode });
}

/** Makes each existing file 0600; missing ones are skipped. */
export function keepPrivate(...files: string[]): void {
  for (const file of files) if (existsSync(file)) chmodSync(file, privateFileMode);
}

/** Creates `file` empty at 0600 if it does not exist (so SQLite opens it with that mode), or makes it 0600. */
export function createPrivateFile(file: string): void {
  closeSync(openSync(file, 'a', privateFileMode));
  chmodSync(file, privateFileMode);
}

/** Writes `data` to `file` (replacing it), 0600 before the first byte is written. */
export function writePrivateFile(file: string, data: string | Uint8Array): void {
  const fd = openSync(file, 'w', privateFileMode);
  try {
    fchmodSync(fd, privateFileMode);
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    for (let written = 0; written < bytes.length;) written += writeSync(fd, bytes, written, bytes.length - written);
  } finally {
    closeSync(fd);
  }
}
