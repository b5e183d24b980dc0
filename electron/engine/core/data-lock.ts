// One engine per data folder: two processes writing as the same device would fork its clock and
// hash chains. The lock is a file holding the owner's pid; a lock left by a dead process is taken over.
import { closeSync, fchmodSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { privateFileMode } from '@shared/node/private-files';

export const lockFileName = 'holdfast.lock';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
  /** The folder is held by a live Holdfast on this machine (the command line can call it: core/call-socket). */
  isHeldHere = false;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the data folder's lock; returns the function that releases it. */
export function lockDataDir(dataDir: string): () => void {
  const path = join(dataDir, lockFileName);
  const owner = { pid: process.pid, host: hostname() };
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      // Readable by its owner only (0600), whatever the umask, like everything else in the data folder.
      const fd = openSync(path, 'wx', privateFileMode);
      try {
        fchmodSync(fd, privateFileMode);
        writeSync(fd, JSON.stringify(owner));
      } finally {
        closeSync(fd);
      }
      return () => {
        try {
          const current = JSON.parse(readFileSync(path, 'utf8')) as { pid?: number };
          if (current.pid === process.pid) unlinkSync(path);
        } catch {
          // already gone
        }
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      let holder: { pid?: number; host?: string } = {};
      try {
        holder = JSON.parse(readFileSync(path, 'utf8')) as typeof holder;
      } catch {
        // unreadable lock: treat as stale
      }
      const isOurHost = holder.host === undefined || holder.host === owner.host;
      if (typeof holder.pid === 'number' && isOurHost && isAlive(holder.pid)) {
        const held = new DataDirLockedError(
          `Holdfast is already running with the data folder ${dataDir} (process ${holder.pid}). ` + 'Close it first, or pass a different --data folder.',
        );
        held.isHeldHere = true;
        throw held;
      }
      if (typeof holder.pid === 'number' && !isOurHost) {
        throw new DataDirLockedError(
          `The data folder ${dataDir} is in use by Holdfast on ${holder.host} (process ${holder.pid}). ` + `If that is not true, delete ${path}.`,
        );
      }
      unlinkSync(path); // stale: its process is gone
    }
  }
  throw new DataDirLockedError(`Could not lock the data folder ${dataDir}; another Holdfast is starting there.`);
}
