// A machine posing as a war-room hub (another TLS certificate, the real room's name) that relays the
// real hub's challenge to a joining laptop and forwards the laptop's answer to the real hub: the
// proof names the certificate the laptop pinned, the real hub checks it is its own, and the relay
// gets no session.
import https from 'node:https';
import { afterEach, describe, expect, it } from 'vitest';
import { hubLink } from '@shared/hub-link';
import { createHubTls } from '../../electron/engine/sync/hub-tls';
import { call, openTestEngine, refusal } from '../support/engines';
import { hubFetch, settle, startCentral, type Central } from '../support/sync';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** An HTTPS server with a certificate of its own that forwards every request to `target`, and what came back. */
async function startRelay(target: string) {
  const tls = await createHubTls();
  const answers: { path: string; status: number; body: unknown }[] = [];
  const server = https.createServer({ cert: tls.certPem, key: tls.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
      const headers = body ? { 'content-type': 'application/json' } : undefined;
      hubFetch(`${target}${req.url}`, { method: req.method, headers, body })
        .then(async (reply) => {
          const json = await reply.json();
          answers.push({ path: req.url ?? '', status: reply.status, body: json });
          res.writeHead(reply.status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
        })
        .catch((error: unknown) => res.writeHead(502).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const { port } = server.address() as { port: number };
  return { url: `https://127.0.0.1:${port}`, fingerprint: tls.fingerprint, answers };
}

describe('a relay posing as the war-room hub', () => {
  it("gets the laptop's join refused by the real hub: the proof names the relay's certificate", async () => {
    const service: Central = await startCentral('sqlite');
    closers.push(() => service.close());
    const log: string[] = [];
    const host = openTestEngine({ syncPollMs: 60_000, log: (line) => log.push(line) });
    await call(host, 'sync.connect', { url: service.url, token: await service.token('alice', 'commander') });
    await settle([host]);
    const room = await call(host, 'hub.start', { port: 0 });
    const realUrl = room.urls.find((u) => u.includes('127.0.0.1'))!;

    const bob = openTestEngine({ syncPollMs: 60_000 });
    await call(bob, 'sync.connect', { url: service.url, token: await service.token('bob', 'responder') });
    await call(bob, 'sync.disconnect', { peerId: 'central' });

    const relay = await startRelay(realUrl);
    const spoofed = hubLink({ url: relay.url, code: room.joinCode!, fingerprint: relay.fingerprint });
    const error = await refusal(() => call(bob, 'sync.join', { link: spoofed }));
    expect(error.message).toContain("not signed by the certificate's key");
    // The relay saw the real challenge and the real hub's refusal, and never a session token.
    expect(relay.answers.map((a) => [a.path, a.status])).toEqual([
      ['/v1/hub/challenge', 200],
      ['/v1/hub/join', 401],
    ]);
    expect(JSON.stringify(relay.answers)).not.toContain('hub_');
    expect(log.some((line) => line.includes('join refused for "bob"'))).toBe(true);
    expect((await call(host, 'hub.status', {})).clients).toEqual([]);

    // The same laptop and code, straight to the real hub with its real fingerprint, are admitted.
    await call(bob, 'sync.join', { link: hubLink({ url: realUrl, code: room.joinCode!, fingerprint: room.fingerprint! }) });
    expect((await call(host, 'hub.status', {})).clients).toEqual(['bob']);
  });
});
