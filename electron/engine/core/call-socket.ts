// The command line reaching a running engine: the engine that holds a data folder's lock listens on a
// local socket (a Unix socket in the data folder, 0600, so only its owner connects; a named pipe on
// Windows), and `holdfast runbooks import` or `holdfast evidence import` run while the app or
// `holdfast web` has the folder open send their call there instead of opening the folder twice (two
// writers as one device would fork its clock and hash chains). Only the calls listed are served.
// One request per connection: a JSON line {call, request}; one JSON line back, the call's result.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, unlinkSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CallName, Handlers, Request, Response } from '@shared/contract';
import { createDispatch } from '@shared/rpc';
import { privateFileMode } from '@shared/node/private-files';

/** The calls the command line may make through a running engine. */
export const socketCalls = ['runbooks.import', 'runbooks.export', 'kit.file', 'evidence.importBundle'] as const satisfies readonly CallName[];
export type SocketCall = (typeof socketCalls)[number];

/** The largest request accepted: a full runbook import (500 files of 200,000 characters) or a bundle. */
const maxRequestBytes = 160 * 1024 * 1024;

/** Where the engine of `dataDir` listens: in the folder, or (a path too long for a socket) a hashed name. */
export function callSocketPath(dataDir: string): string {
  const hash = createHash('sha256').update(dataDir).digest('hex').slice(0, 24);
  if (process.platform === 'win32') return `\\\\.\\pipe\\holdfast-${hash}`;
  const inFolder = join(dataDir, 'holdfast.sock');
  // Unix socket paths are limited to about 104 bytes.
  return Buffer.byteLength(inFolder) <= 100 ? inFolder : join(tmpdir(), `holdfast-${hash}.sock`);
}

/** Serves the socket calls of an engine; resolves to the function that stops serving. */
export function serveCalls(dataDir: string, handlers: Handlers, log: (line: string) => void): () => Promise<void> {
  const path = callSocketPath(dataDir);
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
  // The lock is ours: a socket file left by an engine that died is stale.
  if (process.platform !== 'win32' && existsSync(path)) unlinkSync(path);
  server.on('error', (error) => log(`the command line cannot reach this engine (${path}): ${error.message}`));
  server.listen(path, () => {
    if (process.platform !== 'win32') chmodSync(path, privateFileMode);
  });
  server.unref();
  return () =>
    new Promise<void>((done) => {
      server.close(() => done());
      if (process.platform !== 'win32' && existsSync(path)) {
        try {
          unlinkSync(path);
        } catch {
          // already gone
        }
      }
    });
}

/** Makes one call through the engine running on `dataDir`; rejects with its refusal, or when none answers. */
export function callRunningEngine<K extends SocketCall>(dataDir: string, call: K, request: Request<K>): Promise<Response<K>> {
  const path = callSocketPath(dataDir);
  return new Promise((resolve, reject) => {
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
