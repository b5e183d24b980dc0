// Delivery authority against real processes: a `holdfast server`, a commander's `holdfast web` laptop
// connected to it that holds the customers' webhook channel and hosts the war-room hub, and an
// attacker with a comms lead's token and a real certificate for its own key, which also joins the hub.
// It claims and settles the delivery of a draft, rewrites a published update with a backdated
// publication, and pushes a published customer update with a queued delivery through the hub.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeHlc } from '@shared/hlc';
import { uuidv7 } from '@shared/ids';
import type { CommsRoom } from '@shared/domain/comms-api';
import type { Incident } from '@shared/domain/incident';
import type { HubStatus } from '@shared/domain/sync-status';
import type { Op, OpDraft } from '@shared/ops';
import { signText } from '@shared/node/ed25519';
import { claimSigningString, type ClaimAct } from '@shared/trust/comms-rules';
import {
  connectedLaptop,
  saveInternalDraft,
  startServerProcess,
  stoppedAfterAll,
  syncWithService,
  webCall,
  type ServerProcess,
  type WebProcess,
} from '../support/processes';
import { certifyAt } from '../support/ops';
import { hubFetch, joinRoom, pushTo } from '../support/sync';
import { tempDir } from '../support/temp';
import type { TestDevice } from '../support/trust';

interface Laptop {
  web: WebProcess;
  deviceId: string;
}

const running = stoppedAfterAll();

let service: ServerProcess;

/** A laptop that pinned the org key and connected to the service with `token`. */
const laptop = (name: string, token: string): Promise<Laptop> => connectedLaptop(service, name, token, running);

/** Syncs a laptop until its service peer is connected with nothing pending. */
const syncUp = (l: Laptop, rounds?: number) => syncWithService(l.web, rounds);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POST /v1/outbox/claim or /settle at a node with a token: status and body. */
async function coordinate(url: string, token: string, path: 'claim' | 'settle', body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await hubFetch(`${url}/v1/outbox/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** A claim or settlement signed by `device`'s own key and certificate. */
function signedBy(device: TestDevice, act: ClaimAct) {
  const at = Date.now();
  const proof = { certId: device.certificate.certId, at, sig: signText(device.keys.privateKey, claimSigningString(act, device.certificate.certId, at)) };
  return act.kind === 'claim' ? { key: act.key, holder: act.holder, leaseMs: act.leaseMs, proof } : { key: act.key, holder: act.holder, outcome: act.outcome, proof };
}

describe('delivery authority against a comms token, a joined laptop and the host that holds the channel', () => {
  const tokens = { cora: '', casey: '', dana: '' };
  let host: Laptop; // cora, commander: holds the webhook channel, hosts the hub
  let casey: TestDevice; // the attacker: a comms lead's token and a certificate for its own key
  let caseyHub = ''; // its hub session
  let hubUrl = '';
  let incidentId = '';
  let channelId = '';
  let hook: Server;
  const received: { updateId: string; title: string }[] = [];
  const channel = { id: '', name: 'Customer status hook', kind: 'webhook' };

  const room = (l: Laptop) => webCall<CommsRoom>(l.web, 'comms.room', { incidentId });

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const update = JSON.parse(body || '{}') as { updateId: string; title: string };
        received.push({ updateId: update.updateId, title: update.title });
        res.end('accepted');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    running.push({ stop: () => new Promise<void>((resolve) => hook.close(() => resolve())) });
    service = await startServerProcess(tempDir('holdfast-service-'));
    running.push({ stop: () => service.stop() });
    tokens.cora = service.addUser('cora', 'commander');
    tokens.casey = service.addUser('casey', 'comms');
    tokens.dana = service.addUser('dana', 'commander');
    host = await laptop('cora', tokens.cora);
    const started = await webCall<HubStatus>(host.web, 'hub.start', { port: 0 });
    hubUrl = (started.urls.find((u) => u.includes('127.0.0.1')) ?? started.urls[0]).replace(/\/$/, '');
    const incident = await webCall<Incident>(host.web, 'incidents.create', { title: 'Checkout returning 500s', severity: 'SEV2' });
    incidentId = incident.id;
    const saved = await webCall<{ id: string }>(host.web, 'comms.saveChannel', {
      name: channel.name,
      audiences: ['customers', 'internal'],
      config: { kind: 'webhook', url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/status` },
    });
    channelId = channel.id = saved.id;
    casey = await certifyAt(service.url, tokens.casey, 'casey');
    await syncUp(host);
    const joined = await joinRoom(hubUrl, started.joinCode!, {
      certificate: { body: casey.certificate.body, sig: casey.certificate.sig },
      sign: (m) => signText(casey.keys.privateKey, m),
    });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    caseyHub = joined.body.token!;
  }, 120_000);

  it('(1) claims and settlements of a draft are refused at the service and through the hub, and the holder still sends the real update', async () => {
    const draft = await saveInternalDraft(host.web, incidentId, [channelId]);
    await syncUp(host);
    const key = `${incidentId}/${draft.id}/${channelId}`;
    const claimAct = (holder: string): ClaimAct => ({ kind: 'claim', key, holder, leaseMs: 60_000 });
    const settleAct = (holder: string): ClaimAct => ({ kind: 'settle', key, holder, outcome: 'delivered' });

    // Unsigned, in the host's name, with a comms token at the service.
    const unsigned = await coordinate(service.url, tokens.casey, 'claim', { key, holder: host.deviceId, leaseMs: 60_000 });
    expect(unsigned).toMatchObject({ status: 200, body: { granted: false, refused: expect.stringContaining('not signed') } });
    const unsignedSettle = await coordinate(service.url, tokens.casey, 'settle', { key, holder: host.deviceId, outcome: 'delivered' });
    expect(unsignedSettle.status).toBe(409);
    expect(JSON.stringify(unsignedSettle.body)).toContain('not signed');
    // Signed with the attacker's own certificate: in the host's name, then its own.
    const asHost = await coordinate(service.url, tokens.casey, 'claim', signedBy(casey, claimAct(host.deviceId)));
    expect(asHost.body).toMatchObject({ granted: false, refused: expect.stringContaining('not to the holder') });
    const asItself = await coordinate(service.url, tokens.casey, 'claim', signedBy(casey, claimAct(casey.deviceId)));
    expect(asItself.body).toMatchObject({ granted: false, refused: expect.stringContaining('a draft cannot be claimed or settled') });
    const settled = await coordinate(service.url, tokens.casey, 'settle', signedBy(casey, settleAct(casey.deviceId)));
    expect(settled.status).toBe(409);
    expect(JSON.stringify(settled.body)).toContain('a draft cannot be claimed or settled');
    // The joined laptop through the hub (the host relays it to the service it syncs with).
    const viaHub = await coordinate(hubUrl, caseyHub, 'claim', signedBy(casey, claimAct(casey.deviceId)));
    expect(viaHub.body).toMatchObject({ granted: false, refused: expect.stringContaining('a draft cannot be claimed or settled') });
    const viaHubSettle = await coordinate(hubUrl, caseyHub, 'settle', signedBy(casey, settleAct(host.deviceId)));
    expect(viaHubSettle.status).toBe(409);

    // The commander publishes: the holder sends it, once, and records the receiver's answer.
    await webCall(host.web, 'comms.publish', { incidentId, updateId: draft.id });
    for (let i = 0; i < 150 && !received.some((r) => r.updateId === draft.id); i += 1) await sleep(100);
    expect(received.filter((r) => r.updateId === draft.id)).toHaveLength(1);
    let delivery = (await room(host)).published.find((p) => p.updateId === draft.id)?.deliveries[0];
    for (let i = 0; i < 50 && delivery?.state !== 'delivered'; i += 1) {
      await sleep(100);
      delivery = (await room(host)).published.find((p) => p.updateId === draft.id)?.deliveries[0];
    }
    expect(delivery).toMatchObject({ state: 'delivered', detail: 'HTTP 200: "accepted"' });
    expect(delivery?.detail).not.toContain('another replica');

    // Published now, but the attacker's device does not hold the channel: still refused.
    const notHolder = await coordinate(service.url, tokens.casey, 'claim', signedBy(casey, claimAct(casey.deviceId)));
    expect(notHolder.body).toMatchObject({ granted: false, refused: expect.stringContaining(`device ${casey.deviceId} does not hold channel ${channelId}`) });
  }, 120_000);

  it('(2) a backdated publication of the same update pushed with a comms token rewrites nothing, on the host or a fresh laptop', async () => {
    const draft = await webCall<{ id: string }>(host.web, 'comms.start', { incidentId, audience: 'internal' });
    await webCall(host.web, 'comms.save', {
      incidentId,
      updateId: draft.id,
      channelIds: [],
      values: { impact: 'Checkout errors', status: 'Recovered', actions: 'Watching the error rate' },
    });
    await webCall(host.web, 'comms.publish', { incidentId, updateId: draft.id });
    const publishedId = draft.id;
    await syncUp(host);
    const pull = await fetch(`${service.url}/v1/sync/pull?stream=${encodeURIComponent(`incident:${incidentId}`)}&limit=5000`, {
      headers: { authorization: `Bearer ${tokens.cora}` },
    });
    const ops = ((await pull.json()) as { ops: Op[] }).ops;
    const original = ops.find((op) => op.entity === 'comms_published' && op.fields.updateId === publishedId)!;
    expect(original).toBeDefined();
    const at = decodeHlc(original.hlc).ms - 1;
    // The certificate was valid then, so the op is valid: only immutability stops it.
    expect(casey.certificate.body.notBefore).toBeLessThan(at);
    const backdated = casey.write(
      {
        entity: 'comms_published',
        rowId: '',
        fields: {
          incidentId,
          updateId: publishedId,
          audience: 'internal',
          title: 'All clear: nothing happened',
          body: 'Ignore any earlier message about checkout.',
          nextUpdateAt: null,
          channels: [channel],
          approvedBy: null,
          lintAcknowledged: [],
          publishedAt: at,
        },
      },
      at,
    );
    const pushed = await pushTo(service.url, tokens.casey, [backdated]);
    expect(pushed.results).toEqual([{ opId: backdated.opId, status: 'accepted' }]);
    const before = (await room(host)).published.find((p) => p.updateId === publishedId)!;
    expect(before.title).not.toBe('All clear: nothing happened');
    await syncUp(host);
    const fresh = await laptop('dana', tokens.dana);
    await syncUp(fresh);
    for (const l of [host, fresh]) {
      const record = (await room(l)).published.filter((p) => p.updateId === publishedId);
      expect(record).toHaveLength(1);
      expect(record[0]).toMatchObject({ title: before.title, body: before.body, publishedAt: before.publishedAt });
    }
  }, 120_000);

  it("(3) a joined laptop's published customer update with a queued delivery is not sent by the host's outbox", async () => {
    const updateId = uuidv7();
    const now = Date.now();
    const title = 'Checkout is fixed';
    const body = 'All payments went through. No action needed.';
    const digest = createHash('sha256')
      .update(JSON.stringify(['customers', title, body]))
      .digest('hex');
    const row = `${incidentId}/${updateId}`;
    const drafts: OpDraft[] = [
      // A draft it wrote and "approved" itself, then published with a made-up approver.
      {
        entity: 'comms_update',
        rowId: row,
        fields: {
          incidentId,
          audience: 'customers',
          title,
          body,
          channelIds: [channelId],
          author: 'casey',
          createdAt: now,
          state: 'approved',
          approvedDigest: digest,
          decidedBy: 'casey',
          decidedAt: now,
        },
      },
      { entity: 'comms_update', rowId: row, fields: { incidentId, state: 'published', publishedAt: now } },
      {
        entity: 'comms_published',
        rowId: '',
        fields: {
          incidentId,
          updateId,
          audience: 'customers',
          title,
          body,
          nextUpdateAt: null,
          channels: [channel],
          approvedBy: 'cora',
          lintAcknowledged: [],
          publishedAt: now,
        },
      },
      {
        entity: 'comms_delivery',
        rowId: `${row}/${channelId}`,
        fields: { incidentId, updateId, channelId, channelName: channel.name, kind: 'webhook', state: 'queued', attempts: 0, nextAttemptAt: null, by: '' },
      },
    ];
    const ops = drafts.map((draft, i) => casey.write(draft, now + i));
    const pushed = await pushTo(hubUrl, caseyHub, ops);
    expect(pushed.results.map((r) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'accepted']);

    // The host's outbox takes it up (it holds the channel) and settles it one way or the other.
    let delivery = (await room(host)).published.find((p) => p.updateId === updateId)?.deliveries[0];
    for (let i = 0; i < 100 && delivery?.state !== 'failed' && delivery?.state !== 'delivered'; i += 1) {
      await sleep(100);
      delivery = (await room(host)).published.find((p) => p.updateId === updateId)?.deliveries[0];
    }
    await syncUp(host);
    await sleep(1000);
    expect(received.filter((r) => r.updateId === updateId)).toEqual([]);
    expect(delivery).toMatchObject({ state: 'failed', lastError: expect.stringContaining('Not sent: the approval of the published text is not by someone allowed') });
  }, 120_000);
});
