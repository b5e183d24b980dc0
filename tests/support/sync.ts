// Real sync services for tests: the central service on loopback over a SQLite or PostgreSQL
// store, with its org key (it certifies the replicas that connect), users with tokens, and helpers
// that sync replicas until they settle.
import { createHash, randomBytes } from 'node:crypto';
import https from 'node:https';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import type { Role } from '@shared/roles';
import { hashToken } from '../../server/central-backend';
import { startService, type RunningService } from '../../server/service';
import { createTrustIssuer, type TrustIssuer } from '../../server/trust/issue';
import { openServiceKeys } from '../../server/trust/org-key';
import { openSqliteSyncStore } from '../../server/storage/sqlite-store';
import type { SyncStore } from '../../server/storage/sync-store';
import type { HubChallenge, JoinResponse } from '@shared/sync';
import type { SyncStatus } from '@shared/domain/sync-status';
import { generateKeyPair, signText } from '@shared/node/ed25519';
import { certIdOf } from '@shared/trust/certificate';
import { hubJoinSigningString } from '@shared/trust/signing';
import type { SignedCertificate } from '@shared/trust/types';
import { loadOrCreateDeviceKey, type DeviceKey } from '../../electron/engine/core/device-key';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import { fileSecretStore } from '../../electron/engine/core/secrets';
import type { Engine } from '../../electron/engine/engine';
import { chainWriter, type TestDevice } from './trust';
import { postgresDatabase } from './postgres';
import { tempDir } from './temp';

export type Driver = 'sqlite' | 'postgres';

export interface Central {
  url: string;
  store: SyncStore;
  service: RunningService;
  /** The org key and certificate issuing. */
  trust: TrustIssuer;
  token(name: string, role: Role): Promise<string>;
  /** Stops the HTTP service (the store stays), as when the service goes down. */
  stop(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(driver: Driver): Promise<{ store: SyncStore; reopen: () => Promise<SyncStore>; env: Record<string, string>; dataDir: string }> {
  if (driver === 'sqlite') {
    const dataDir = tempDir('holdfast-central-');
    return { store: openSqliteSyncStore(dataDir), reopen: async () => openSqliteSyncStore(dataDir), env: {}, dataDir };
  }
  const url = await postgresDatabase();
  const { openPostgresSyncStore } = await import('../../server/storage/postgres-store');
  return { store: await openPostgresSyncStore(url), reopen: () => openPostgresSyncStore(url), env: { DATABASE_URL: url }, dataDir: tempDir('holdfast-central-') };
}

/** `certDays`: how long the certificates it issues run (30 days unless a test needs them short). */
export async function startCentral(driver: Driver, options: { rateLimitPerMinute?: number; certDays?: number; now?: () => number } = {}): Promise<Central> {
  const { store, dataDir } = await openStore(driver);
  const trust = createTrustIssuer(store, await openServiceKeys(store, join(dataDir, 'keys', 'org-key.pem')), { certDays: options.certDays });
  let service = await startService({ store, port: 0, rateLimitPerMinute: options.rateLimitPerMinute, trust, now: options.now });
  const port = service.port;
  const central: Central = {
    get url() {
      return service.url;
    },
    store,
    trust,
    get service() {
      return service;
    },
    async token(name, role) {
      const token = `hf_${randomBytes(16).toString('hex')}`;
      await store.addUser({ name, role, tokenHash: hashToken(token), createdAt: Date.now() });
      return token;
    },
    stop: () => service.close(),
    async restart() {
      service = await startService({ store, port, rateLimitPerMinute: options.rateLimitPerMinute, trust, now: options.now });
    },
    async close() {
      await service.close().catch(() => undefined);
      await store.close();
    },
  };
  return central;
}

/**
 * The engine's status once no pass is running: a pass that a poke or a re-sent waiting op started
 * just after `sync.now` returned is waited for (on a loaded machine it can take far longer than a
 * fixed pause), up to 10 s.
 */
async function passesEnded(engine: Engine): Promise<SyncStatus> {
  for (let tries = 0; ; tries += 1) {
    const status = await engine.handlers['sync.status']({});
    if (tries >= 500 || status.peers.every((peer) => peer.state !== 'syncing')) return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Syncs the engines in turn until the system is quiet: every peer connected with nothing pending
 * and every digest equal, twice in a row (pokes can start a follow-up pass just after one ends).
 */
export async function settle(engines: Engine[], rounds = 40): Promise<void> {
  let quietRounds = 0;
  for (let round = 0; round < rounds; round += 1) {
    for (const engine of engines) await engine.handlers['sync.now']({});
    const statuses = await Promise.all(engines.map(async (e) => passesEnded(e)));
    const isQuiet = statuses.every((s) => s.peers.every((p) => p.state === 'connected' && p.pending === 0)) && new Set(engines.map((e) => e.replica.digest())).size === 1;
    quietRounds = isQuiet ? quietRounds + 1 : 0;
    if (quietRounds >= 2) return;
  }
  throw new Error(`replicas did not settle in ${rounds} rounds`);
}

/** `holdfast server` as its own process (the built bin), so a test can SIGKILL it. */
export async function spawnServer(args: string[], env: Record<string, string>): Promise<{ url: string; port: number; child: import('node:child_process').ChildProcess }> {
  const { spawn } = await import('node:child_process');
  const { join } = await import('node:path');
  const bin = join(import.meta.dirname, '../../electron/cli/holdfast.mjs');
  const child = spawn(process.execPath, [bin, 'server', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`holdfast server did not start:\n${output}`)), 20_000);
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /on (https?:\/\/[^\s]+:(\d+))/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], port: Number(match[2]), child });
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`holdfast server exited with ${code}:\n${output}`));
    });
  });
}

/** An engine's device key, read from its data folder's secret store (the key its replica signs with). */
export function deviceKeyOf(engine: Engine): DeviceKey {
  const { dataDir } = engine.handlers['app.info']({}) as { dataDir: string };
  return loadOrCreateDeviceKey(fileSecretStore(dataDir), engine.replica.deviceId);
}

/** A laptop's side of a war-room join over raw HTTP: its key, device and what the hub answered. */
export interface RoomJoin {
  status: number;
  body: Partial<JoinResponse> & { error?: { code: string; message: string } };
  deviceId: string;
  /** Signs ops as this device under the certificate it joined with (or the guest certificate it got). */
  write?: TestDevice['write'];
}

/**
 * Joins the hub at `url` as a guest (a fresh key and device) or with a certificate and the key that
 * signs the challenge (`key` need not be the certificate's: that is how a stolen certificate is tried).
 */
/**
 * fetch for a hub a test started itself: a hub speaks TLS with a self-signed certificate, which
 * these raw requests accept unchecked (the engine's own requests pin it: see pinned-tls). Plain
 * fetch for http:// (the service).
 */
export async function hubFetch(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; json(): Promise<unknown>; fingerprint?: string }> {
  if (!url.startsWith('https://')) return fetch(url, init);
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method: init.method ?? 'GET', headers: init.headers, rejectUnauthorized: false, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      const peer = (response.socket as TLSSocket).getPeerCertificate();
      const fingerprint = peer?.raw ? createHash('sha256').update(peer.raw).digest('hex') : undefined;
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: response.statusCode ?? 0, json: async () => JSON.parse(text) as unknown, fingerprint });
      });
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** The join link of a hub status at 127.0.0.1 (the address tests reach it at). */
export function loopbackLink(status: { links?: string[] }): string {
  const link = status.links?.find((l) => l.startsWith('https://127.0.0.1:'));
  if (!link) throw new Error(`the hub gives no 127.0.0.1 link: ${JSON.stringify(status.links)}`);
  return link;
}

export async function joinRoom(
  url: string,
  code: string,
  as: { guest: string } | { certificate: SignedCertificate; sign: (message: string) => string },
): Promise<RoomJoin> {
  const asked = await hubFetch(`${url}/v1/hub/challenge`);
  const challenge = (await asked.json()) as HubChallenge;
  // The proof names the certificate the hub presented (what a laptop pins from the join link).
  const message = hubJoinSigningString(challenge.hubDeviceId, challenge.nonce, code, asked.fingerprint ?? '');
  const keys = 'guest' in as ? generateKeyPair() : null;
  const deviceId = keys ? randomBytes(8).toString('hex') : (as as { certificate: SignedCertificate }).certificate.body.deviceId;
  const request =
    'guest' in as
      ? { code, nonce: challenge.nonce, guest: { name: as.guest, deviceId, publicKey: keys!.publicKey }, proof: signText(keys!.privateKey, message) }
      : { code, nonce: challenge.nonce, certificate: as.certificate, proof: as.sign(message) };
  const response = await hubFetch(`${url}/v1/hub/join`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request) });
  const body = (await response.json()) as RoomJoin['body'];
  const certificate = body.certificate ?? ('certificate' in as ? as.certificate : undefined);
  const sign = keys ? (m: string) => signText(keys.privateKey, m) : 'sign' in as ? as.sign : null;
  const write =
    response.status === 200 && certificate && sign
      ? chainWriter(deviceId, certificate.body.user, { certId: certIdOf(certificate.body, nativeSha256Hex), sign })
      : undefined;
  return { status: response.status, body, deviceId, write };
}

/** Pushes ops to a sync node with a token; the status and results. */
export async function pushTo(
  url: string,
  token: string,
  ops: unknown[],
): Promise<{ status: number; results: { opId: string | null; status: string; reason?: string }[] }> {
  const response = await hubFetch(`${url}/v1/sync/push`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ ops }),
  });
  const body = (await response.json()) as { results?: { opId: string | null; status: string; reason?: string }[] };
  return { status: response.status, results: body.results ?? [] };
}
