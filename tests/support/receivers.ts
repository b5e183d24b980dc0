// Real receivers for delivery tests, on loopback: an HTTP server whose routes each test sets (it
// plays webhook, Slack and Statuspage) and an SMTP server. Both record everything they receive.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll } from 'vitest';

export interface Received {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

/** An HTTP receiver on 127.0.0.1 whose routes ("METHOD /path") each test sets; it records every request. */
export function httpReceiver() {
  const received: Received[] = [];
  const routes = new Map<string, Handler>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const handler = routes.get(`${req.method} ${req.url}`);
      if (handler) handler(req, res, body);
      else res.writeHead(404).end('no such route');
    });
  });
  const listen = (port = 0) => new Promise<number>((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, received, routes, listen, close };
}

/** An HTTP receiver listening through the enclosing describe block that answers `route` with 200 and `reply`; `url(path)` is its address there. */
export function receiverForBlock(route: string, reply: string) {
  const http = httpReceiver();
  let port = 0;
  beforeAll(async () => {
    port = await http.listen();
    http.routes.set(route, (_req, res) => res.writeHead(200).end(reply));
  });
  afterAll(() => http.close());
  return { http, url: (path: string) => `http://127.0.0.1:${port}${path}` };
}

export interface Mail {
  from: string;
  to: string[];
  raw: string;
}

/** An SMTP receiver on 127.0.0.1; `reject` refuses every recipient with that SMTP reply. */
export function smtpReceiver(reject?: { responseCode: number; message: string }) {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!reject) return callback();
      callback(Object.assign(new Error(reject.message), { responseCode: reject.responseCode }));
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        callback(null, 'Message accepted');
      });
    },
  });
  const listen = (port = 0) => new Promise<number>((resolve) => server.listen(port, '127.0.0.1', () => resolve((server.server.address() as AddressInfo).port)));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return { mails, listen, close };
}
