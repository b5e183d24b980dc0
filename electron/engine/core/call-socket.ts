// The command line reaching a running engine: the engine that holds a data folder's lock listens on a
// local socket (a Unix socket in the data folder, 0600, so only its owner connects; a named pipe on
// Windows), and `holdfast runbooks import` or `holdfast evidence import` run while the app or
// `holdfast web` has the folder open send their call there instead of opening the folder twice (two
// writers as one device would fork its clock and hash chains). Only the calls listed are served.
// A data folder whose path is too long for a socket gets one in a new private folder (0700, random
// name, under $XDG_RUNTIME_DIR or the temp folder), named in the data folder's holdfast.sock.path.
// One request per connection: a JSON line {call, request}; one JSON line back, the call's result.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import type { CallName, Handlers, Request, Response } from '@shared/contract';
import { createDispatch } from '@shared/rpc';
import { privateFileMode } from '@shared/node/private-files';

/** The calls the command line may make through a running engine. */
export const socketCalls = ['runbooks.import', 'runbooks.export', 'kit.file', 'evidence.importBundle'] as const satisfies readonly CallName[];
export type SocketCall = (typeof socketCalls)[number];

/** The largest request accepted: a full runbook import (500 files of 200,000 characters) or a bundle. */
const maxRequestBytes = 160 * 1024 * 1024;

/** Unix socket paths are limited to about 104 bytes. */
const maxSocketPathBytes = 100;

/** The file in the data folder naming the socket, when it cannot live in the folder (a path too long for one). */
export const socketPointerFile = (dataDir: string) => join(dataDir, 'holdfast.sock.path');

const inFolderSocket = (dataDir: string) => join(dataDir, 'holdfast.sock');
const pipeName = (dataDir: string) => `\\\\.\\pipe\\holdfast-${createHash('sha256').update(dataDir).digest('hex').slice(0, 24)}`;
const fitsSocket = (path: string) => Buffer.byteLength(path) <= maxSocketPathBytes;

/**
 * Where a client finds the engine of `dataDir`: in the folder; or, for a folder whose path is too
 * long, the socket named in its pointer file (in a private folder of the engine's user); null when
 * none is there.
 */
export function callSocketPath(dataDir: string): string | null {
  if (process.platform === 'win32') return pipeName(dataDir);
  const inFolder = inFolderSocket(dataDir);
  if (fitsSocket(inFolder)) return inFolder;
  let path: string;
  try {
    path = readFileSync(socketPointerFile(dataDir), 'utf8').trim();
  } catch {
    return null;
  }
  return isAbsolute(path) && isPrivateDir(dirname(path)) ? path : null;
}

/** A folder only this user can enter (not a link): another user cannot have placed or swapped the socket in it. */
function isPrivateDir(dir: string): boolean {
  try {
    const stat = lstatSync(dir);
    const uid = process.getuid?.();
    return stat.isDirectory() && (uid === undefined || stat.uid === uid) && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** A new private folder (0700, random name) for the socket of a folder whose path is too long for one. */
function privateSocketDir(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  const bases = [runtime && isAbsolute(runtime) && existsSync(runtime) ? runtime : null, tmpdir(), '/tmp'].filter((b): b is string => !!b);
  for (const base of bases) {
    const dir = mkdtempSync(join(base, 'holdfast-'));
    if (fitsSocket(join(dir, 'holdfast.sock'))) return dir;
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error(`no folder with a short enough path for the command-line socket (tried ${bases.join(', ')})`);
}

/** Where this engine listens, made ready: a stale socket removed, the private folder and pointer written. */
function prepareSocket(dataDir: string): { path: string; cleanup: () => void } {
  if (process.platform === 'win32') return { path: pipeName(dataDir), cleanup: () => {} };
  const inFolder = inFolderSocket(dataDir);
  if (fitsSocket(inFolder)) {
    // The lock is ours: a socket file left by an engine that died is stale. Anything else is not ours to remove.
    removeStaleSocket(inFolder);
    return { path: inFolder, cleanup: () => rmSync(inFolder, { force: true }) };
  }
  const dir = privateSocketDir();
  const path = join(dir, 'holdfast.sock');
  const pointer = socketPointerFile(dataDir);
  writeFileSync(pointer, `${path}\n`, { mode: privateFileMode });
  chmodSync(pointer, privateFileMode);
  return {
    path,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
      try {
        if (readFileSync(pointer, 'utf8').trim() === path) unlinkSync(pointer);
      } catch {
        // already gone
      }
    },
  };
}

function removeStaleSocket(path: string) {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new Error(`${path} is in the way of the command-line socket and is not one: move it out of the data folder and open Holdfast again`);
  try {
    unlinkSync(path);
  } catch (error) {
    throw new Error(`cannot remove the stale command-line socket ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Serves the socket calls of an engine; resolves to the function that stops serving. */
export function serveCalls(dataDir: string, handlers: Handlers, log: (line: string) => void): () => Promise<void> {
  let prepared: ReturnType<typeof prepareSocket>;
  try {
    prepared = prepareSocket(dataDir);
  } catch (error) {
    throw new Error(`Holdfast cannot open the command-line socket for ${dataDir}: ${(error as Error).message}`, { cause: error });
  }
  const { path, cleanup } = prepared;
  const dispatch = createDispatch(handlers, { onInternalError: (error) => log(error instanceof Error ? (error.stack ?? error.message) : String(error)) });
  const server: Server = createServer((socket) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const reply = (value: unknown) => socket.end(`${JSON.stringify(value)}\n`);
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxRequestBytes) {
        reply({ ok: false, error: { code: 'bad_request', message: 'the request is too large' } });
        socket.destroy();
        return;
      }
      chunks.push(chunk);
      if (!chunk.includes(0x0a)) return;
      socket.pause();
      void (async () => {
        let message: { call?: unknown; request?: unknown };
        try {
          message = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof message;
        } catch {
          reply({ ok: false, error: { code: 'bad_request', message: 'the request is not JSON' } });
          return;
        }
        if (typeof message.call !== 'string' || !(socketCalls as readonly string[]).includes(message.call)) {
          reply({ ok: false, error: { code: 'bad_request', message: `the running engine does not take ${String(message.call)} from the command line` } });
          return;
        }
        reply(await dispatch(message.call, message.request));
      })();
    });
  });
  server.on('error', (error) => log(`holdfast: error: the command line cannot reach this engine (${path}): ${error.message}`));
  let closed = false;
  server.listen(path, () => {
    if (closed || process.platform === 'win32') return;
    try {
      chmodSync(path, privateFileMode);
    } catch (error) {
      // The engine was closed (and its folder removed) before the socket finished opening.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  });
  server.unref();
  return () =>
    new Promise<void>((done) => {
      closed = true;
      server.close(() => done());
      try {
        cleanup();
      } catch {
        // already gone
      }
    });
}

/** Makes one call through the engine running on `dataDir`; rejects with its refusal, or when none answers. */
export function callRunningEngine<K extends SocketCall>(dataDir: string, call: K, request: Request<K>): Promise<Response<K>> {
  const path = callSocketPath(dataDir);
  return new Promise((resolve, reject) => {
    if (path === null) {
      reject(
        new Error('the Holdfast that has this data folder open does not say where it takes calls from the command line (an older version?): close it and try again'),
      );
      return;
    }
    const socket = createConnection(path);
    const chunks: Buffer[] = [];
    socket.on('connect', () => socket.write(`${JSON.stringify({ call, request })}\n`));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new Error(
          error.code === 'ENOENT' || error.code === 'ECONNREFUSED'
            ? 'the Holdfast that has this data folder open does not take calls from the command line (an older version?): close it and try again'
            : `cannot reach the Holdfast that has this data folder open: ${error.message}`,
        ),
      );
    });
    socket.on('end', () => {
      try {
        const result = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { ok: true; value: Response<K> } | { ok: false; error: { message: string } };
        if (result.ok) resolve(result.value);
        else reject(new Error(result.error.message));
      } catch {
        reject(new Error('the running Holdfast gave no answer'));
      }
    });
  });
}

/** Serves the engine's socket calls while it is open: its close stops serving first. */
export function withCallSocket<E extends { readonly handlers: Handlers; close(): Promise<void> }>(engine: E, dataDir: string, log: (line: string) => void): E {
  const stop = serveCalls(dataDir, engine.handlers, log);
  const close = engine.close.bind(engine);
  engine.close = async () => {
    await stop();
    await close();
  };
  return engine;
}
