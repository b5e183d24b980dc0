// Delivery coordination and the delivery-channel stream over real HTTP: the central service on
// SQLite and on PostgreSQL (POST /v1/outbox/claim and /settle, who may read the `comms` stream),
// and a war-room hub, which never shares delivery channels and coordinates only when given a
// coordinator.
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { encodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import { genesisHash, hashOp, type Op } from '@shared/ops';
import { commsStream } from '@shared/roles';
import type { ClaimRequest, ClaimResponse, DeliveryCoordinator, SettleRequest } from '@shared/sync';
import { createHub, startHubServer, type HubOptions, type RunningHub } from '../../electron/engine/sync/hub';
import { call, openTestEngine } from '../support/engines';
import { certifyAt, timelineOps } from '../support/ops';
import { deviceKeyOf, hubFetch, joinRoom, startCentral, type Central } from '../support/sync';
import { trustStream } from '@shared/entities';

const centrals: Central[] = [];
const hubs: RunningHub[] = [];
afterEach(async () => {
  for (const hub of hubs.splice(0)) await hub.close();
  for (const central of centrals.splice(0)) await central.close();
});

interface Reply {
  status: number;
  body: {
    error?: { code: string; message: string };
    results?: { opId: string | null; status: string; reason?: string }[];
    streams?: { streamId: string; head: number }[];
    ops?: Op[];
  } & Partial<ClaimResponse> & { ok?: boolean };
}

async function send(url: string, token: string | null, method: 'GET' | 'POST', path: string, body?: unknown): Promise<Reply> {
  const response = await hubFetch(`${url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Reply['body'] };
}

/** A delivery channel as a comms lead's laptop would write it: the first op of its device in `comms`. */
function channelOp(actorId: string, deviceId = '00000000000000cc'): Op {
  const opId = uuidv7();
  const unsigned = {
    opId,
    hlc: encodeHlc({ ms: Date.now(), counter: 0, deviceId }),
    streamId: commsStream,
    actorId,
    deviceId,
    entity: 'comms_channel' as const,
    rowId: uuidv7(),
    kind: 'set' as const,
    fields: {
      name: 'Executive webhook',
      config: { kind: 'webhook', url: 'https://hooks.example.com/x' },
      audiences: ['executives'],
      isEnabled: true,
      updatedBy: actorId,
    },
    prevHash: genesisHash,
  };
  return { ...unsigned, hash: hashOp(unsigned) };
}

const key = (n = 1) => `01a20900-0000-7000-8000-00000000abcd/01a20900-0000-7000-8000-0000000000u${n}/01a20900-0000-7000-8000-0000000000c1`;

describe.each(['sqlite', 'postgres'] as const)('delivery coordination at the central service (%s)', (driver) => {
  async function service() {
    const central = await startCentral(driver);
    centrals.push(central);
    return central;
  }

  it('grants one claimer at a time, settles only for the holder, and never grants a delivered key again', async () => {
    // The lease mechanics of the store behind POST /v1/outbox/claim and /settle. Who may claim over
    // HTTP (signed by the holder device, a published update, a device holding the channel) is
    // tested in delivery-authority-attacks.test.ts and local-coordinator.test.ts.
    const central = await service();
    const now = Date.now();
    const first = await central.store.claimDelivery(key(), '00000000000000a1', 60_000, now);
    expect(first).toMatchObject({ granted: true, holder: '00000000000000a1', isDone: false, previousHolder: null });
    expect(first.leaseUntil).toBeGreaterThan(now);
    expect(await central.store.claimDelivery(key(), '00000000000000b2', 60_000, now + 1)).toMatchObject({
      granted: false,
      holder: '00000000000000a1',
      leaseUntil: first.leaseUntil,
      isDone: false,
    });
    expect(await central.store.settleDelivery(key(), '00000000000000b2', 'delivered', now + 2)).toEqual({ ok: false, reason: expect.stringContaining('does not hold') });
    expect(await central.store.settleDelivery(key(), '00000000000000a1', 'delivered', now + 3)).toEqual({ ok: true });
    expect(await central.store.settleDelivery(key(), '00000000000000a1', 'delivered', now + 4)).toEqual({ ok: true }); // a retry
    for (const holder of ['00000000000000a1', '00000000000000b2']) {
      expect(await central.store.claimDelivery(key(), holder, 60_000, now + 5)).toMatchObject({ granted: false, isDone: true, holder: '00000000000000a1' });
    }
  });

  it('grants nothing to an unsigned claim, whoever asks', async () => {
    const central = await service();
    const carol = await central.token('carol', 'commander');
    const reply = await send(central.url, carol, 'POST', '/v1/outbox/claim', { key: key(5), holder: '00000000000000a1', leaseMs: 60_000 });
    expect(reply).toMatchObject({ status: 200, body: { granted: false, refused: expect.stringContaining('not signed') } });
    // Nothing was claimed: the key is still free.
    expect(await central.store.claimDelivery(key(5), 'probe', 60_000, Date.now())).toMatchObject({ granted: true, previousHolder: null });
  });

  it('answers 400 to bad bodies and stores nothing, 401 without a token', async () => {
    const central = await service();
    const token = await central.token('carol', 'commander');
    const cases: [string, string, unknown, string][] = [
      ['/v1/outbox/claim', 'no key', { holder: 'd1', leaseMs: 60_000 }, 'key'],
      ['/v1/outbox/claim', 'a lease under a second', { key: key(2), holder: 'd1', leaseMs: 10 }, 'leaseMs'],
      ['/v1/outbox/claim', 'a lease over ten minutes', { key: key(2), holder: 'd1', leaseMs: 3_600_000 }, 'leaseMs'],
      ['/v1/outbox/claim', 'a lease as text', { key: key(2), holder: 'd1', leaseMs: '60000' }, 'leaseMs must be a number'],
      ['/v1/outbox/claim', 'an unknown field', { key: key(2), holder: 'd1', leaseMs: 60_000, force: true }, 'force'],
      ['/v1/outbox/claim', 'broken JSON', '{"key": ', 'not valid JSON'],
      ['/v1/outbox/settle', 'an unknown outcome', { key: key(2), holder: 'd1', outcome: 'sent' }, 'outcome must be delivered or released'],
      ['/v1/outbox/settle', 'no holder', { key: key(2), outcome: 'delivered' }, 'holder'],
    ];
    for (const [path, label, body, says] of cases) {
      const reply = await send(central.url, token, 'POST', path, body);
      expect({ label, status: reply.status, code: reply.body.error?.code }).toEqual({ label, status: 400, code: 'bad_request' });
      expect(reply.body.error?.message).toContain(says);
    }
    expect((await send(central.url, null, 'POST', '/v1/outbox/claim', { key: key(2), holder: 'd1', leaseMs: 60_000 })).status).toBe(401);
    // Nothing was claimed: anyone gets the key fresh, and nobody took it over.
    expect(await central.store.claimDelivery(key(2), 'probe', 60_000, Date.now())).toMatchObject({ granted: true, previousHolder: null });
  });

  it('lets only admins, commanders and comms leads claim or settle', async () => {
    const central = await service();
    const allowed = { admin: await central.token('ada', 'admin'), commander: await central.token('carol', 'commander'), comms: await central.token('cleo', 'comms') };
    const refused = { responder: await central.token('rita', 'responder'), viewer: await central.token('vic', 'viewer') };
    for (const [role, token] of Object.entries(refused)) {
      for (const [path, body] of [
        ['/v1/outbox/claim', { key: key(3), holder: 'd1', leaseMs: 60_000 }],
        ['/v1/outbox/settle', { key: key(3), holder: 'd1', outcome: 'delivered' }],
      ] as const) {
        const reply = await send(central.url, token, 'POST', path, body);
        expect({ role, path, status: reply.status, code: reply.body.error?.code }).toEqual({ role, path, status: 403, code: 'forbidden' });
        expect(reply.body.error?.message).toContain('only admins, commanders and comms leads');
      }
    }
    expect(await central.store.claimDelivery(key(3), 'probe', 60_000, Date.now())).toMatchObject({ granted: true, previousHolder: null });
    // The allowed roles get past the role check to the claim's own checks (here: it is not signed).
    for (const [role, token] of Object.entries(allowed)) {
      const reply = await send(central.url, token, 'POST', '/v1/outbox/claim', { key: key(4), holder: 'd1', leaseMs: 60_000 });
      expect({ role, status: reply.status, granted: reply.body.granted }).toEqual({ role, status: 200, granted: false });
      expect(reply.body.refused).toContain('not signed');
    }
  });

  it('shows delivery channels only to admins, commanders and comms leads', async () => {
    const central = await service();
    const tokens = {
      admin: await central.token('ada', 'admin'),
      commander: await central.token('carol', 'commander'),
      comms: await central.token('cleo', 'comms'),
      responder: await central.token('rita', 'responder'),
      viewer: await central.token('vic', 'viewer'),
    };
    const cleo = await certifyAt(central.url, tokens.comms, 'cleo');
    const { fields } = channelOp('cleo');
    const channel = cleo.write({ entity: 'comms_channel', rowId: uuidv7(), fields }, Date.now());
    const pushed = await send(central.url, tokens.comms, 'POST', '/v1/sync/push', { ops: [channel] });
    expect(pushed).toMatchObject({ status: 200, body: { results: [{ opId: channel.opId, status: 'accepted' }] } });
    const incident = timelineOps(1, { device: await certifyAt(central.url, tokens.responder, 'rita') });
    expect((await send(central.url, tokens.responder, 'POST', '/v1/sync/push', { ops: incident })).status).toBe(200);

    for (const role of ['responder', 'viewer'] as const) {
      const listed = await send(central.url, tokens[role], 'GET', '/v1/sync/streams');
      const streams = listed.body.streams?.filter((stream) => stream.streamId !== trustStream);
      expect({ role, streams }).toEqual({ role, streams: [{ streamId: incident[0].streamId, head: 1 }] });
      const pulled = await send(central.url, tokens[role], 'GET', `/v1/sync/pull?stream=${commsStream}`);
      expect({ role, status: pulled.status, code: pulled.body.error?.code }).toEqual({ role, status: 403, code: 'forbidden' });
      expect(pulled.body.error?.message).toContain(`the ${role} role may not read delivery channels`);
      expect(pulled.body.ops).toBeUndefined();
    }
    for (const role of ['admin', 'commander', 'comms'] as const) {
      const listed = await send(central.url, tokens[role], 'GET', '/v1/sync/streams');
      expect({ role, has: listed.body.streams?.some((s) => s.streamId === commsStream) }).toEqual({ role, has: true });
      const pulled = await send(central.url, tokens[role], 'GET', `/v1/sync/pull?stream=${commsStream}`);
      expect({ role, status: pulled.status, ops: pulled.body.ops?.map((op) => op.opId) }).toEqual({ role, status: 200, ops: [channel.opId] });
      expect(pulled.body.ops?.[0].fields).toMatchObject({ config: { kind: 'webhook', url: 'https://hooks.example.com/x' } });
    }
  });
});

describe('war-room hub', () => {
  /**
   * A hub on loopback over a replica certified by a service that already has a delivery channel,
   * and the token of a commander who joined it with his certificate.
   */
  async function room(options: Pick<HubOptions, 'coordinator'> = {}) {
    const central = await startCentral('sqlite');
    centrals.push(central);
    // Sam, a commander certified by the service, joins the room; the host knows his certificate from the service.
    const sam = openTestEngine({ syncPollMs: 60_000 });
    await call(sam, 'sync.connect', { url: central.url, token: await central.token('sam', 'commander') });
    const host = openTestEngine({ syncPollMs: 60_000 });
    await call(host, 'sync.connect', { url: central.url, token: await central.token('hana', 'commander') });
    await call(host, 'sync.now', {});
    host.replica.commitLocal([
      {
        entity: 'comms_channel',
        rowId: uuidv7(),
        fields: {
          name: 'Status page',
          config: { kind: 'webhook', url: 'https://hooks.example.com/x' },
          audiences: ['customers'],
          isEnabled: true,
          updatedBy: host.replica.actorId,
        },
      },
    ]);
    const hub = createHub(host.replica, { ...options, deviceKey: deviceKeyOf(host) });
    const running = await startHubServer(hub, 0, '127.0.0.1');
    hubs.push(running);
    const url = running.status().urls[0];
    const certificate = sam.replica.trust.certificate()!;
    const joined = await joinRoom(url, hub.joinCode, { certificate: { body: certificate.body, sig: certificate.sig }, sign: deviceKeyOf(sam).sign });
    expect(joined.status).toBe(200);
    return { host, hub, url, token: joined.body.token!, sam: joined };
  }

  it('never lists, serves or accepts the delivery-channel stream', async () => {
    const { host, url, token, sam } = await room();
    expect(host.replica.opLog.streamHeads().some((s) => s.streamId === commsStream)).toBe(true);
    expect((await send(url, token, 'GET', '/v1/sync/streams')).body.streams?.map((s) => s.streamId)).not.toContain(commsStream);

    const pulled = await send(url, token, 'GET', `/v1/sync/pull?stream=${commsStream}`);
    expect(pulled).toMatchObject({
      status: 403,
      body: { error: { code: 'forbidden', message: expect.stringContaining('a war-room hub does not share delivery channels') } },
    });

    const channel = channelOp('sam');
    const incidentId = uuidv7();
    const entry = [sam.write!({ entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text: 'On my way', eventAt: Date.now() } }, Date.now())];
    const mixed = await send(url, token, 'POST', '/v1/sync/push', { ops: [channel, ...entry] });
    expect(mixed.status).toBe(200);
    expect(mixed.body.results?.[0]).toEqual({ opId: channel.opId, status: 'rejected', reason: expect.stringMatching(/^forbidden: .*only with the central service/) });
    expect(mixed.body.results?.[1]).toEqual({ opId: entry[0].opId, status: 'accepted' });
    const alone = await send(url, token, 'POST', '/v1/sync/push', { ops: [channelOp('sam', '00000000000000cd')] });
    expect(alone.status).toBe(403);
    // Only the host's own comms ops (its channel and its holder record) are on the hub's replica; the pushed ones were not applied.
    const held = host.replica.opLog.streamSince(commsStream, 0, 100);
    expect(held.map((op) => op.opId)).not.toContain(channel.opId);
    expect(new Set(held.map((op) => op.deviceId))).toEqual(new Set([host.replica.deviceId]));
  });

  it('does not poke laptops about delivery channels', async () => {
    const { hub, url, token } = await room();
    const socket = new WebSocket(`${url.replace(/^http/, 'ws')}/v1/sync/live`, { headers: { authorization: `Bearer ${token}` }, rejectUnauthorized: false });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    const pokes: string[] = [];
    const library = new Promise<void>((resolve) =>
      socket.on('message', (data: Buffer) => {
        // Pokes only (a hub also tells its members how many laptops it serves).
        const message = JSON.parse(data.toString()) as { streamId?: string };
        if (message.streamId !== undefined) pokes.push(message.streamId);
        if (pokes.includes('library')) resolve();
      }),
    );
    hub.poke([commsStream, 'library']);
    await library;
    socket.close();
    expect(pokes).toEqual(['library']);
  });

  it('delegates claims to its coordinator, and answers 404 without one', async () => {
    const calls: (ClaimRequest | SettleRequest)[] = [];
    const coordinator: DeliveryCoordinator = {
      async claim(request) {
        calls.push(request);
        return { granted: true, holder: request.holder, leaseUntil: 42, isDone: false, previousHolder: null };
      },
      async settle(request) {
        calls.push(request);
        return request.outcome === 'delivered' ? { ok: true } : { ok: false, reason: 'the coordinator says no' };
      },
    };
    const coordinated = await room({ coordinator });
    const claimBody = { key: key(), holder: '00000000000000a1', leaseMs: 60_000 };
    expect(await send(coordinated.url, coordinated.token, 'POST', '/v1/outbox/claim', claimBody)).toEqual({
      status: 200,
      body: { granted: true, holder: '00000000000000a1', leaseUntil: 42, isDone: false, previousHolder: null },
    });
    expect(await send(coordinated.url, coordinated.token, 'POST', '/v1/outbox/settle', { key: key(), holder: '00000000000000a1', outcome: 'delivered' })).toEqual({
      status: 200,
      body: { ok: true },
    });
    expect(await send(coordinated.url, coordinated.token, 'POST', '/v1/outbox/settle', { key: key(), holder: '00000000000000a1', outcome: 'released' })).toEqual({
      status: 409,
      body: { error: { code: 'conflict', message: 'the coordinator says no' } },
    });
    expect((await send(coordinated.url, coordinated.token, 'POST', '/v1/outbox/claim', { key: key() })).status).toBe(400);
    expect(calls).toEqual([claimBody, { key: key(), holder: '00000000000000a1', outcome: 'delivered' }, { key: key(), holder: '00000000000000a1', outcome: 'released' }]);

    const alone = await room();
    for (const [path, body] of [
      ['/v1/outbox/claim', claimBody],
      ['/v1/outbox/settle', { key: key(), holder: '00000000000000a1', outcome: 'delivered' }],
    ] as const) {
      expect(await send(alone.url, alone.token, 'POST', path, body)).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
    }
  });
});
