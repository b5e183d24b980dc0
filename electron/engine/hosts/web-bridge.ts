// `holdfast web`: the engine's contract over HTTP (one POST per call) and a WebSocket for pushed
// events, plus the renderer build as static files. Bound to loopback by default; every API request
// must carry this run's access token, so other local users and web pages cannot drive the engine.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { maxRequestBytes, type EventListener } from '@shared/contract';
import { httpStatusOf, type ApiErrorBody, type ErrorCode } from '@shared/errors';
import type { Dispatch } from '@shared/rpc';
import { contentSecurityPolicy } from './content-security-policy';
import type { Hub } from '../sync/hub';
import { installJsonErrors } from '@shared/node/http-errors';
import { mountSync } from '@shared/node/mount-sync';

/** Calls that name files on the engine's machine: refused over the LAN. */
const machineLocalCalls = new Set(['evidence.hashFile']);

export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

export interface WebBridgeOptions {
  dispatch: Dispatch;
  subscribe: (listener: EventListener) => () => void;
  /** The built renderer (index.html and assets). */
  rendererDir: string;
  /** Interface to bind; loopback unless the user asked to share on the network. */
  host?: string;
  port?: number;
  /** Fixed token for tests; a fresh random one otherwise. */
  token?: string;
  /** Also serve the /v1 sync protocol from this replica as a war-room hub (holdfast web --host). */
  hub?: Pick<Hub, 'backend' | 'subscribe' | 'liveMembers'>;
  log?: (line: string) => void;
}

export interface WebBridge {
  url: string;
  /** The URL with the access token in its fragment (never sent to the server in a request line). */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

const loopbackHosts = new Set(['127.0.0.1', 'localhost', '[::1]', '::1']);

export async function startWebBridge(options: WebBridgeOptions): Promise<WebBridge> {
  const host = options.host ?? '127.0.0.1';
  const token = options.token ?? randomBytes(24).toString('base64url');
  const tokenBytes = Buffer.from(token);
  const isLoopbackOnly = loopbackHosts.has(host);

  if (!existsSync(options.rendererDir)) {
    throw new Error(`The web UI is not built (${options.rendererDir} is missing). Run \`npm run build\` first.`);
  }

  // On stop, every connection is dropped: browsers keep spare sockets open with no request on them
  // (preconnects), which would otherwise hold the process up to a minute after Ctrl+C.
  const app = Fastify({ bodyLimit: maxRequestBytes, logger: false, forceCloseConnections: true });
  // The API speaks JSON only; any other body type is refused before a handler sees it.
  app.removeContentTypeParser('text/plain');
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });

  const sendError = (reply: FastifyReply, code: ErrorCode, message: string) =>
    reply.code(httpStatusOf[code]).send({ ok: false, error: { code, message } satisfies ApiErrorBody });

  const hasToken = (candidate: string | undefined) => {
    if (!candidate) return false;
    const bytes = Buffer.from(candidate);
    return bytes.length === tokenBytes.length && timingSafeEqual(bytes, tokenBytes);
  };

  // DNS rebinding guard: a loopback-only bridge answers only to loopback host names.
  app.addHook('onRequest', async (request, reply) => {
    if (!isLoopbackOnly) return;
    const hostname = (request.headers.host ?? '').replace(/:\d+$/, '');
    if (!loopbackHosts.has(hostname)) {
      return sendError(reply, 'forbidden', `Host "${request.headers.host}" is not served here; open http://127.0.0.1 instead.`);
    }
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('Content-Security-Policy', contentSecurityPolicy);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    return payload;
  });

  installJsonErrors(app, {
    tooLargeMessage: `Request body is larger than ${maxRequestBytes} bytes; send less data per call.`,
    internalMessage: 'The request failed inside Holdfast; nothing was changed. Details are in the log.',
    // The bridge has no rate limit of its own, so only the codes of its contract reach here.
    body: (code, message) => ({ ok: false, error: { code: code === 'rate_limited' ? 'unavailable' : code, message } satisfies ApiErrorBody }),
    log: (error) => options.log?.(`web bridge error: ${error.stack ?? error.message}`),
  });

  if (options.hub) {
    const hub = options.hub;
    await mountSync(app, hub.backend, { subscribePokes: (listener) => hub.subscribe(listener), onLiveCount: (count) => hub.liveMembers?.(count) });
  } else {
    app.get('/healthz', async () => ({ ok: true }));
  }

  app.post('/api/call/:name', async (request: FastifyRequest<{ Params: { name: string } }>, reply) => {
    const auth = request.headers.authorization;
    if (!hasToken(auth?.startsWith('Bearer ') ? auth.slice(7) : undefined)) {
      // The challenge header tells the page that the bridge itself refused it (not a call's own 401).
      reply.header('WWW-Authenticate', 'Bearer realm="holdfast-web"');
      return sendError(reply, 'unauthorized', 'Missing or wrong access token: open the URL that `holdfast web` printed.');
    }
    // Calls that read files by path act on the machine holdfast web runs on: with --host, a browser
    // elsewhere on the LAN may not make this machine read its files.
    if (machineLocalCalls.has(request.params.name) && !isLoopbackAddress(request.socket.remoteAddress)) {
      return sendError(reply, 'forbidden', `${request.params.name} reads a file on the machine running holdfast web; do it from a browser on that machine.`);
    }
    const result = await options.dispatch(request.params.name, request.body ?? {});
    if (result.ok) return reply.send(result);
    return reply.code(httpStatusOf[result.error.code]).send(result);
  });

  app.get('/api/events', { websocket: true }, (socket, request) => {
    const query = request.query as Record<string, string | undefined>;
    if (!hasToken(query.token)) {
      socket.close(4401, 'unauthorized');
      return;
    }
    const unsubscribe = options.subscribe((event, payload) => {
      socket.send(JSON.stringify({ event, payload }));
    });
    socket.on('close', unsubscribe);
    socket.on('message', () => socket.close(4400, 'this socket only pushes events'));
  });

  await app.register(fastifyStatic, {
    root: options.rendererDir,
    index: 'index.html',
    wildcard: false,
    // The build writes .br and .gz beside each file; hashed assets never change, so they are cached.
    preCompressed: true,
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader('vary', 'accept-encoding');
      res.setHeader('cache-control', /[/\\]assets[/\\]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // Client-side routes fall back to the app; unknown API paths get a JSON 404.
  app.setNotFoundHandler((request, reply) => {
    if (request.url.startsWith('/api/') || request.url.startsWith('/v1/'))
      return sendError(reply, 'not_found', `No API route ${request.method} ${request.url.split('?')[0]}.`);
    if (request.method !== 'GET') return sendError(reply, 'not_found', `No route ${request.method} ${request.url}.`);
    return reply.sendFile('index.html');
  });

  await app.listen({ host, port: options.port ?? 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/`;
  return {
    url,
    openUrl: `${url}#token=${token}`,
    port,
    token,
    close: () => app.close(),
  };
}
