// A war-room hub attacked as on a LAN, against real `holdfast web --host` processes: a flood of
// code guesses from many addresses, a code that must change after wrong guesses and on demand, a
// joiner handed the wrong certificate fingerprint, and plain HTTP that must carry no code or token.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HubStatus, SyncStatus } from '@shared/domain/sync-status';
import { codeAlphabet, hubLink, normalizeCode, parseHubLink, type HubInvite } from '@shared/hub-link';
import { call, openTestEngine } from '../support/engines';
import { spawnWeb, webCall, type WebProcess } from '../support/processes';
import { startCentral, type Central } from '../support/sync';
import { tempDir } from '../support/temp';

let service: Central;
const running: WebProcess[] = [];

beforeAll(async () => {
  service = await startCentral('sqlite');
});
afterAll(async () => {
  for (const proc of running.splice(0)) await proc.stop();
  await service.close();
});

/** A `holdfast web --host` laptop whose user (a commander) connected to the service once. */
async function host(name: string): Promise<WebProcess & { hub: NonNullable<WebProcess['hub']> }> {
  const dataDir = tempDir();
  const once = openTestEngine({ dataDir, syncPollMs: 60_000 });
  await call(once, 'sync.connect', { url: service.url, token: await service.token(name, 'commander') });
  await once.close();
  const proc = await spawnWeb({ dataDir, host: true });
  running.push(proc);
  return proc as WebProcess & { hub: NonNullable<WebProcess['hub']> };
}

/** A `holdfast web` laptop that never connected anywhere (it joins as a guest). */
async function laptop(): Promise<WebProcess> {
  const proc = await spawnWeb({ dataDir: tempDir() });
  running.push(proc);
  return proc;
}

const guessCode = () => Array.from({ length: 28 }, () => codeAlphabet[randomBytes(1)[0] % 32]).join('');

/** POST /v1/hub/join with a guessed code, from `localAddress` (any 127.x.y.z on this machine). */
function guess(hubUrl: string, localAddress: string): Promise<{ status: number; body: string }> {
  const body = JSON.stringify({
    code: guessCode(),
    nonce: randomBytes(18).toString('base64url'),
    guest: { name: 'mallory', deviceId: randomBytes(8).toString('hex'), publicKey: randomBytes(32).toString('base64url') },
    proof: randomBytes(64).toString('base64url'),
  });
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${hubUrl}/v1/hub/join`,
      { method: 'POST', localAddress, rejectUnauthorized: false, agent: false, headers: { 'content-type': 'application/json' } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString()));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** `count` guesses spread over `addresses` loopback addresses, all at once. */
async function flood(hubUrl: string, count: number, addresses: number) {
  const results = await Promise.all(Array.from({ length: count }, (_, i) => guess(hubUrl, `127.0.1.${2 + (i % addresses)}`)));
  const statuses = new Map<number, number>();
  for (const { status } of results) statuses.set(status, (statuses.get(status) ?? 0) + 1);
  return { results, statuses };
}

const statusOf = (proc: WebProcess) => webCall<HubStatus>(proc, 'hub.status');
const loopback = (status: HubStatus) => status.links!.find((l) => l.startsWith('https://127.0.0.1:'))!;

describe('a war-room hub under attack', () => {
  it('refuses a flood of 400 guesses from 40 addresses with 429 and replaces the code; none finds it', async () => {
    const room = await host('hana');
    const before = await statusOf(room);
    expect(normalizeCode(before.joinCode!)).toHaveLength(28); // 140 bits, in 7 groups of 4
    expect(before.joinCode).toMatch(/^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$/);

    const { results, statuses } = await flood(room.hub.url, 400, 40);
    expect(statuses.get(200) ?? 0).toBe(0);
    expect(results.some((r) => r.body.includes('"token"'))).toBe(false);
    // At most 20 wrong guesses a minute are checked at all, whatever address they come from.
    expect(statuses.get(401) ?? 0).toBeLessThanOrEqual(20);
    expect(statuses.get(429) ?? 0).toBeGreaterThanOrEqual(380);
    expect(results.find((r) => r.status === 429)!.body).toContain('too many wrong join codes on this war room');

    const after = await statusOf(room);
    expect(after.joinCode).not.toBe(before.joinCode);
    expect(after.rotatedBecause).toMatch(/10 wrong guesses at the previous code/);
    expect(room.output()).toContain('war-room join code replaced');
  }, 120_000);

  it('replaces the code after 10 wrong guesses and on demand: old links stop working, the new one admits, and the host sees who joined', async () => {
    const room = await host('ines');
    const first = await statusOf(room);
    const guesses = await Promise.all(Array.from({ length: 10 }, (_, i) => guess(room.hub.url, `127.0.9.${10 + i}`)));
    expect(guesses.map((g) => g.status)).toEqual(Array(10).fill(401));
    const second = await statusOf(room);
    expect(second.joinCode).not.toBe(first.joinCode);
    expect(second.wrongGuesses).toBe(0);

    const sam = await laptop();
    const stale = await webCall(sam, 'sync.join', { link: loopback(first) }).catch((error: Error) => error);
    expect(stale).toBeInstanceOf(Error);
    expect((stale as Error).message).toContain('wrong join code');

    // On demand: the host asks for a new code; the link of a minute ago is refused too.
    const third = await webCall<HubStatus>(room, 'hub.rotateCode');
    expect(third.joinCode).not.toBe(second.joinCode);
    expect(third.rotatedBecause).toBe('the host asked for a new code');
    await expect(webCall(sam, 'sync.join', { link: loopback(second) })).rejects.toThrow(/wrong join code/);

    const joined = await webCall<SyncStatus>(sam, 'sync.join', { link: loopback(third) });
    expect(joined.peers[0]).toMatchObject({ kind: 'hub', url: room.hub.url });
    const seen = await statusOf(room);
    expect(seen.members).toEqual([
      { name: expect.stringMatching(/^guest:/), role: 'guest', deviceId: expect.stringMatching(/^[0-9a-f]{16}$/), joinedAt: expect.any(Number) },
    ]);
  }, 120_000);

  it('makes a joiner given the wrong fingerprint refuse to connect, naming both fingerprints, before it sends the code', async () => {
    const room = await host('jun');
    const status = await statusOf(room);
    const invite = parseHubLink(loopback(status)) as HubInvite;
    const wrong = invite.fingerprint.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    const kim = await laptop();
    const error = await webCall(kim, 'sync.join', { link: hubLink({ ...invite, fingerprint: wrong }) }).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(wrong);
    expect((error as Error).message).toContain(invite.fingerprint);
    expect((error as Error).message).toContain('refusing to connect');
    // Nothing reached the hub: no join attempt, no wrong guess, nobody joined; the laptop syncs with nobody.
    const after = await statusOf(room);
    expect(after).toMatchObject({ joinCode: status.joinCode, wrongGuesses: 0, members: [] });
    expect(room.output()).not.toContain('join refused');
    expect((await webCall<SyncStatus>(kim, 'sync.status')).peers).toEqual([]);
    // The same with what the host reads out: the address, the code and the fingerprint typed in.
    await expect(webCall(kim, 'sync.join', { url: invite.url, code: status.joinCode, fingerprint: wrong })).rejects.toThrow(invite.fingerprint);
    // With the right fingerprint it joins.
    await webCall(kim, 'sync.join', { url: invite.url, code: status.joinCode, fingerprint: invite.fingerprint.replace(/(.{4})/g, '$1 ') });
    expect((await statusOf(room)).members).toHaveLength(1);
  }, 120_000);

  it('speaks only TLS: plain HTTP to the hub gets no challenge, no token and no code, and the browser port serves no hub', async () => {
    const room = await host('kai');
    const status = await statusOf(room);
    const port = new URL(room.hub.url).port;
    const plain = (url: string, body?: string) =>
      new Promise<{ status: number; text: string }>((resolve) => {
        const req = http.request(url, { method: body ? 'POST' : 'GET', headers: body ? { 'content-type': 'application/json' } : {} }, (response) => {
          let text = '';
          response.on('data', (chunk: Buffer) => (text += chunk.toString()));
          response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        });
        req.on('error', (error) => resolve({ status: 0, text: error.message }));
        req.end(body);
      });
    const joinBody = JSON.stringify({
      code: status.joinCode,
      nonce: 'n'.repeat(24),
      guest: { name: 'eve', deviceId: '0'.repeat(16), publicKey: 'A'.repeat(43) },
      proof: 'A'.repeat(86),
    });
    for (const answer of [await plain(`http://127.0.0.1:${port}/v1/hub/challenge`), await plain(`http://127.0.0.1:${port}/v1/hub/join`, joinBody)]) {
      expect(answer.status).not.toBe(200);
      expect(answer.text).not.toContain('nonce');
      expect(answer.text).not.toContain('token');
      expect(answer.text).not.toContain(status.joinCode!);
    }
    // The browser UI's plain-HTTP port (loopback only) has no hub routes.
    expect((await plain(`${room.url}/v1/hub/challenge`)).status).toBe(404);
    expect(status.urls.every((u) => u.startsWith('https://'))).toBe(true);
    expect(status.links!.every((l) => l.startsWith('https://') && l.includes(`sha256=${status.fingerprint}`))).toBe(true);
  }, 120_000);
});
