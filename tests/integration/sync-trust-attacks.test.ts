// A hostile laptop against real processes: a `holdfast server`, a commander's `holdfast web` laptop
// connected to it and hosting the war-room hub, and an attacker that knows the join code and holds
// a real responder certificate with its own key, speaking HTTP with whatever ops it likes. Every
// attack is checked on the hub, on the service after the host syncs, and on a fresh laptop.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '@shared/ids';
import type { Incident } from '@shared/domain/incident';
import type { Directory } from '@shared/domain/directory';
import type { CommsRoom } from '@shared/domain/comms-api';
import type { HubStatus } from '@shared/domain/sync-status';
import type { Op, OpDraft } from '@shared/ops';
import { signText } from '@shared/node/ed25519';
import { certIdOf } from '@shared/trust/certificate';
import type { SignedCertificate } from '@shared/trust/types';
import { nativeSha256Hex } from '../../electron/engine/core/native-hash';
import {
  connectedLaptop,
  runHoldfast,
  saveInternalDraft,
  startServerProcess,
  stoppedAfterAll,
  syncWithService,
  webCall,
  type ServerProcess,
  type WebProcess,
} from '../support/processes';
import { certifyAt } from '../support/ops';
import { joinRoom, pushTo } from '../support/sync';
import { tempDir } from '../support/temp';
import { forgeOp, type TestDevice } from '../support/trust';

interface Entry {
  id: string;
  kind: string;
  text: string;
  authorId: string;
  trust?: string;
}

interface Laptop {
  web: WebProcess;
  dataDir: string;
  deviceId: string;
}

const running = stoppedAfterAll();

let service: ServerProcess;
const serviceDir = tempDir('holdfast-service-');

/** A laptop that pinned the org key and connected to the service with `token`. */
const laptop = (name: string, token: string): Promise<Laptop> => connectedLaptop(service, name, token, running);

/** Syncs a laptop until its service peer is connected with nothing pending. */
const syncUp = (l: Laptop, rounds?: number) => syncWithService(l.web, rounds);

const timeline = async (l: Laptop, incidentId: string) => (await webCall<{ entries: Entry[] }>(l.web, 'timeline.list', { incidentId, limit: 500 })).entries;

/** `holdfast verify-chain` (or `holdfast server verify-chain`) over a data folder. */
function verifyChain(args: string[]): { code: number; text: string } {
  const run = runHoldfast(args);
  return { code: run.code, text: run.out + run.err };
}

/** The ops the service holds in a stream, as a commander pulls them. */
async function serviceOps(token: string, stream: string): Promise<Op[]> {
  const response = await fetch(`${service.url}/v1/sync/pull?stream=${encodeURIComponent(stream)}&limit=5000`, { headers: { authorization: `Bearer ${token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as { ops: Op[] }).ops;
}

describe('a hostile laptop with the join code attacks the hub and the service', () => {
  const tokens: Record<'cora' | 'rui' | 'bob' | 'dana', string> = { cora: '', rui: '', bob: '', dana: '' };
  let host: Laptop; // cora, commander, hosts the hub
  let hub: { url: string; code: string };
  let rui: TestDevice; // the attacker's own key, certified as responder rui
  let ruiToken = ''; // its hub session
  let incidentId = '';
  let personId = '';
  let channelId = '';
  let hook: Server;
  const received: string[] = [];

  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        received.push(`${req.method} ${req.url} ${(JSON.parse(body || '{}') as { updateId?: string }).updateId}`);
        res.end('ok');
      });
    });
    await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
    running.push({ stop: () => new Promise<void>((resolve) => hook.close(() => resolve())) });
    service = await startServerProcess(serviceDir);
    running.push({ stop: () => service.stop() });
    tokens.cora = service.addUser('cora', 'commander');
    tokens.rui = service.addUser('rui', 'responder');
    tokens.bob = service.addUser('bob', 'responder');
    tokens.dana = service.addUser('dana', 'commander');
    host = await laptop('cora', tokens.cora);
    const started = await webCall<HubStatus>(host.web, 'hub.start', { port: 0 });
    const url = started.urls.find((u) => u.includes('127.0.0.1')) ?? started.urls[0];
    hub = { url: url.replace(/\/$/, ''), code: started.joinCode! };

    const incident = await webCall<Incident>(host.web, 'incidents.create', { title: 'Checkout returning 500s', severity: 'SEV2' });
    incidentId = incident.id;
    await webCall(host.web, 'incidents.setLegalHold', { incidentId, isHeld: true, reason: 'Customer dispute pending' });
    const person = await webCall<{ id: string }>(host.web, 'directory.savePerson', { name: 'Pat On-call', phones: [{ label: 'mobile', number: '+44 20 7946 0000' }] });
    personId = person.id;
    const channel = await webCall<{ id: string }>(host.web, 'comms.saveChannel', {
      name: 'Customer status hook',
      audiences: ['customers', 'internal'],
      config: { kind: 'webhook', url: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/status` },
    });
    channelId = channel.id;

    // The attacker's laptop gets a real certificate for rui, with its own key, then joins the hub with it.
    rui = await certifyAt(service.url, tokens.rui, 'rui');
    await syncUp(host);
    const joined = await joinRoom(hub.url, hub.code, {
      certificate: { body: rui.certificate.body, sig: rui.certificate.sig },
      sign: (m) => signText(rui.keys.privateKey, m),
    });
    expect(joined.status, JSON.stringify(joined.body)).toBe(200);
    expect(joined.body).toMatchObject({ name: 'rui', role: 'responder' });
    ruiToken = joined.body.token!;
  }, 120_000);

  it("(1) bob's public certificate without bob's key is refused; without a certificate the laptop is only guest:bob, shown unverified", async () => {
    // Bob's real laptop is certified by the service; its certificate is public in the trust stream.
    await certifyAt(service.url, tokens.bob, 'bob');
    const certs = (await serviceOps(tokens.cora, 'trust')).filter((op) => op.entity === 'device_cert');
    const bobsOp = certs.find((op) => (op.fields as { body: { user: string } }).body.user === 'bob');
    expect(bobsOp).toBeDefined();
    const bobs = bobsOp!.fields as unknown as SignedCertificate;
    await syncUp(host);

    const stolen = await joinRoom(hub.url, hub.code, { certificate: bobs, sign: (m) => signText(rui.keys.privateKey, m) });
    expect(stolen.status).toBe(401);
    expect(stolen.body.token).toBeUndefined();
    expect(JSON.stringify(stolen.body)).toMatch(/proof: not signed by the certificate's key/);
    expect((await webCall<HubStatus>(host.web, 'hub.status')).clients).toEqual(['rui']);

    const guest = await joinRoom(hub.url, hub.code, { guest: 'bob' });
    expect(guest.status, JSON.stringify(guest.body)).toBe(200);
    expect(guest.body).toMatchObject({ name: 'guest:bob', role: 'guest' });
    expect(guest.body.certificate?.body).toMatchObject({ user: 'guest:bob', role: 'guest', issuer: { kind: 'hub' } });
    const note = guest.write!(
      { entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text: 'Bob here: rolling back now', eventAt: Date.now() } },
      Date.now(),
    );
    const pushed = await pushTo(hub.url, guest.body.token!, [note]);
    expect(pushed.results).toEqual([{ opId: note.opId, status: 'accepted' }]);

    const expectUnverified = (entries: Entry[]) => {
      const entry = entries.find((e) => e.id === note.opId);
      expect(entry).toMatchObject({ authorId: 'guest:bob', trust: 'guest' });
      expect(entries.filter((e) => e.authorId === 'bob')).toEqual([]);
    };
    expectUnverified(await timeline(host, incidentId));
    await syncUp(host);
    const stored = (await serviceOps(tokens.cora, `incident:${incidentId}`)).find((op) => op.opId === note.opId);
    expect(stored).toMatchObject({ actorId: 'guest:bob', certId: certIdOf(guest.body.certificate!.body, nativeSha256Hex) });
    expect(verifyChain(['server', 'verify-chain', '--data', serviceDir]).text).not.toContain(note.opId);
    const fresh = await laptop('fresh1', tokens.dana);
    await syncUp(fresh);
    expectUnverified(await timeline(fresh, incidentId));
  }, 120_000);

  it("(2) a responder's signed comms, severity, legal-hold and directory writes are refused everywhere, and no customer is told", async () => {
    const updateId = uuidv7();
    const now = Date.now();
    const drafts: [string, OpDraft][] = [
      [
        'published update',
        {
          entity: 'comms_update',
          rowId: `${incidentId}/${updateId}`,
          fields: {
            incidentId,
            audience: 'customers',
            title: 'All fixed',
            body: 'Nothing to see',
            state: 'published',
            channelIds: [channelId],
            author: 'rui',
            createdAt: now,
            publishedAt: now,
          },
        },
      ],
      [
        'published record',
        {
          entity: 'comms_published',
          rowId: '',
          fields: {
            incidentId,
            updateId,
            audience: 'customers',
            title: 'All fixed',
            body: 'Nothing to see',
            nextUpdateAt: null,
            channels: [{ id: channelId, name: 'Customer status hook', kind: 'webhook' }],
            approvedBy: null,
            lintAcknowledged: [],
            publishedAt: now,
          },
        },
      ],
      [
        'queued delivery',
        {
          entity: 'comms_delivery',
          rowId: `${incidentId}/${updateId}/${channelId}`,
          fields: { incidentId, updateId, channelId, channelName: 'Customer status hook', kind: 'webhook', state: 'queued', attempts: 0, nextAttemptAt: now, by: 'rui' },
        },
      ],
      ['severity', { entity: 'incident', rowId: incidentId, fields: { severity: 'SEV4' } }],
      ['legal hold removal', { entity: 'incident', rowId: incidentId, fields: { isLegalHold: false, legalHoldReason: '' } }],
      ['directory phone', { entity: 'person', rowId: personId, fields: { phones: [{ label: 'mobile', number: '+44 20 7946 0999' }] } }],
    ];
    const ops = drafts.map(([, draft]) => rui.write(draft, Date.now()));
    const pushed = await pushTo(hub.url, ruiToken, ops);
    expect(pushed.status).toBe(200);
    const reasons = [
      ...Array<string>(3).fill('responders may not write stakeholder updates'),
      'may not change severity',
      'may not change isLegalHold, legalHoldReason',
      'only commanders and admins may change directory',
    ];
    expect(pushed.results).toEqual(ops.map((op, i) => ({ opId: op.opId, status: 'refused', reason: expect.stringContaining(reasons[i]) })));

    /** What the attack would have changed, as a person reads it. */
    const unchanged = async (l: Laptop) => {
      const incident = await webCall<Incident>(l.web, 'incidents.get', { id: incidentId });
      expect(incident).toMatchObject({ severity: 'SEV2', isLegalHold: true, legalHoldReason: 'Customer dispute pending' });
      const directory = await webCall<Directory>(l.web, 'directory.list');
      expect(directory.people.find((p) => p.id === personId)?.phones).toEqual([{ label: 'mobile', number: '+44 20 7946 0000' }]);
      const room = await webCall<CommsRoom>(l.web, 'comms.room', { incidentId });
      expect(room.published).toEqual([]);
      expect(room.drafts.map((d) => d.id)).not.toContain(updateId);
    };
    await unchanged(host);
    await syncUp(host);
    await unchanged(host);

    // The service holds what the host relayed, each refused in rui's chain (or never stored).
    const serviceChain = verifyChain(['server', 'verify-chain', '--data', serviceDir]);
    expect(serviceChain.code, serviceChain.text).toBe(0);
    for (const [i, op] of ops.entries())
      expect(serviceChain.text, drafts[i][0]).toMatch(new RegExp(`refused: [^\\n]*${reasons[i]}[^\\n]*\\(op ${op.opId}, device ${rui.deviceId}`));

    const fresh = await laptop('fresh2', tokens.dana);
    await syncUp(fresh);
    await unchanged(fresh);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(received).toEqual([]);
    // The channel is live: the commander's own update on it does go out, once.
    const draft = await saveInternalDraft(host.web, incidentId, [channelId]);
    await webCall(host.web, 'comms.publish', { incidentId, updateId: draft.id });
    for (let i = 0; i < 100 && received.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual([`POST /status ${draft.id}`]);
  }, 120_000);

  it("(3) an op under the host's device id with a made-up prevHash is rejected, and no chain check blames the host", async () => {
    const hostCertId = (await webCall<{ certId: string }>(host.web, 'trust.status')).certId;
    const lie = (text: string, certId?: string) =>
      forgeOp(rui, { entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'note', text, eventAt: Date.now() } }, Date.now(), {
        deviceId: host.deviceId,
        prevHash: 'ab'.repeat(32),
        ...(certId ? { certId, actorId: 'cora' } : {}),
      });
    // Under rui's own certificate the binding check rejects it everywhere.
    const other = lie('Cora: stand down, false alarm');
    const bound = [{ opId: other.opId, status: 'rejected', reason: expect.stringContaining(`belongs to device ${rui.deviceId}, not ${host.deviceId}`) }];
    expect((await pushTo(hub.url, ruiToken, [other])).results).toEqual(bound);
    expect((await pushTo(service.url, tokens.rui, [other])).results).toEqual(bound);
    // Under the host's own certificate the signature is not the host's: the hub and the service
    // reject it alike, and the hub keeps nothing of it (not even among ops held for later).
    const spoof = lie('Cora: stand down, really', hostCertId);
    const badSignature = [{ opId: spoof.opId, status: 'rejected', reason: expect.stringContaining('signature: does not verify') }];
    expect((await pushTo(hub.url, ruiToken, [spoof])).results).toEqual(badSignature);
    expect((await pushTo(service.url, tokens.rui, [spoof])).results).toEqual(badSignature);
    expect((await webCall<{ heldCount: number }>(host.web, 'trust.status')).heldCount).toBe(0);
    await syncUp(host);
    const ids = [other.opId, spoof.opId];
    expect((await timeline(host, incidentId)).map((e) => e.id).filter((id) => ids.includes(id))).toEqual([]);
    expect((await serviceOps(tokens.cora, `incident:${incidentId}`)).map((op) => op.opId).filter((id) => ids.includes(id))).toEqual([]);

    for (const check of [verifyChain(['verify-chain', '--data', host.dataDir]), verifyChain(['server', 'verify-chain', '--data', serviceDir])]) {
      expect(check.code, check.text).toBe(0);
      expect(check.text).toMatch(/^ok: /m);
      expect(check.text).not.toMatch(/BROKEN/);
      expect(check.text).not.toContain(`device ${host.deviceId}`);
      for (const id of ids) expect(check.text).not.toContain(id);
    }
  }, 120_000);

  it("(4) a commander's token and device cannot write in another user's name, approvals included", async () => {
    const cora = await certifyAt(service.url, tokens.cora, 'cora');
    const updateId = uuidv7();
    const forged = [
      forgeOp(
        cora,
        { entity: 'timeline_entry', rowId: '', fields: { incidentId, kind: 'decision', text: 'Rui: approve the failover', eventAt: Date.now() } },
        Date.now(),
        { actorId: 'rui' },
      ),
      forgeOp(
        cora,
        {
          entity: 'comms_update',
          rowId: `${incidentId}/${updateId}`,
          fields: { incidentId, state: 'approved', approvedDigest: 'ab'.repeat(16), decidedBy: 'bob', decidedAt: Date.now(), decisionComment: 'ok' },
        },
        Date.now(),
        { actorId: 'bob' },
      ),
    ];
    const { results } = await pushTo(service.url, tokens.cora, forged);
    expect(results).toEqual([
      { opId: forged[0].opId, status: 'rejected', reason: expect.stringContaining(`is cora's, not rui's`) },
      { opId: forged[1].opId, status: 'rejected', reason: expect.stringContaining(`is cora's, not bob's`) },
    ]);
    const stored = (await serviceOps(tokens.cora, `incident:${incidentId}`)).map((op) => op.opId);
    for (const op of forged) expect(stored).not.toContain(op.opId);
    await syncUp(host);
    expect((await timeline(host, incidentId)).map((e) => e.id)).not.toContain(forged[0].opId);
  }, 120_000);
});
