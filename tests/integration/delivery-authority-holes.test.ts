// Delivery authority against a commander or comms lead who bends the rules from their own laptop,
// in-process with signed ops: an update's author rewritten so its author can approve it, an update
// squatted by another publisher, and channel settings whose URLs carry credentials.
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/engine';
import { digestOf } from '../../electron/engine/comms/update-views';
import { uuidv7 } from '@shared/ids';
import type { OpDraft } from '@shared/ops';
import { call, certifyEngine as certifyAs, openTestEngine, opsOf, refusal } from '../support/engines';
import { certifyEngine } from '../support/certified-engine';
import { eventually } from '../support/eventually';
import { receiverForBlock } from '../support/receivers';
import { testOrg } from '../support/trust';

const fastOutbox = { intervalMs: 50, retryDelaysMs: [150], timeoutMs: 2_000, leaseMs: 5_000 };
const minutes = (n: number) => n * 60_000;

const customerValues = {
  headline: 'Some card payments are failing',
  impact: 'Card payments at checkout fail for about 1 in 5 customers',
  status: 'We have found the cause and are fixing it',
  actions: 'We are moving payments to a healthy system',
};

const declare = (engine: Engine) => call(engine, 'incidents.create', { title: 'Checkout failing', severity: 'SEV1', services: ['checkout'] });

describe("an update's author is whoever wrote it first", () => {
  const { http, url } = receiverForBlock('POST /status', 'accepted');
  afterEach(() => {
    http.received.length = 0;
  });

  it('a commander cannot name someone else the author of her own customer update to approve it herself', async () => {
    const alice = openTestEngine({ outbox: fastOutbox });
    certifyAs(alice, testOrg(), 'alice', 'commander');
    const incident = await declare(alice);
    const hook = await call(alice, 'comms.saveChannel', {
      name: 'Status hook',
      audiences: ['customers'],
      config: { kind: 'webhook', url: url('/status') },
    });
    const draft = await call(alice, 'comms.start', { incidentId: incident.id, audience: 'customers' });
    await call(alice, 'comms.save', { incidentId: incident.id, updateId: draft.id, channelIds: [hook.id], values: customerValues });
    const nobody = await refusal(() => call(alice, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id }));
    expect(nobody.message).toContain('Nobody else can approve this update yet');

    // Her laptop writes one op naming mallory as the author: refused before it exists.
    const rewrite: OpDraft = { entity: 'comms_update', rowId: `${incident.id}/${draft.id}`, fields: { author: 'mallory' } };
    expect(() => alice.replica.commitLocal([rewrite])).toThrow(/an update's author is the person who writes it: author mallory, written by alice/);
    const still = await refusal(() => call(alice, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id }));
    expect(still.message).toContain('Nobody else can approve this update yet');
    const room = await call(alice, 'comms.room', { incidentId: incident.id });
    expect(room.drafts.find((d) => d.id === draft.id)?.author).toBe('alice');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(http.received).toEqual([]);
  });

  it("the honest holder's outbox does not send an update its author approved after a pushed author rewrite", async () => {
    const since = Date.now() - minutes(30);
    const hq = openTestEngine({ outbox: fastOutbox });
    const { org, certOp } = certifyEngine(hq, { user: 'cora', role: 'commander', since });
    const alice = org.certify({ role: 'commander', user: 'alice', notBefore: since });
    expect(hq.replica.applyRemote([certOp(alice.certificate, since + 10)]).map((r) => r.status)).toEqual(['accepted']);
    const incident = await declare(hq);
    await call(hq, 'roles.assign', { incidentId: incident.id, role: 'commander', personId: 'alice', reason: 'Alice runs this one' });
    const hook = await call(hq, 'comms.saveChannel', {
      name: 'Status hook',
      audiences: ['customers'],
      config: { kind: 'webhook', url: url('/status') },
    });

    const updateId = uuidv7();
    const rowId = `${incident.id}/${updateId}`;
    const title = 'Checkout is fixed';
    const body = 'All payments went through. No action needed.';
    const digest = digestOf('customers', title, body);
    const now = Date.now();
    const channels = [{ id: hook.id, name: hook.name, kind: 'webhook' }];
    const drafts: OpDraft[] = [
      {
        entity: 'comms_update',
        rowId,
        fields: { incidentId: incident.id, audience: 'customers', title, body, channelIds: [hook.id], author: 'alice', createdAt: now, state: 'draft' },
      },
      { entity: 'comms_update', rowId, fields: { author: 'mallory' } },
      { entity: 'comms_update', rowId, fields: { incidentId: incident.id, state: 'approved', approvedDigest: digest, decidedBy: 'alice', decidedAt: now } },
      { entity: 'comms_update', rowId, fields: { incidentId: incident.id, state: 'published', publishedAt: now } },
      {
        entity: 'comms_published',
        rowId: '',
        fields: {
          incidentId: incident.id,
          updateId,
          audience: 'customers',
          title,
          body,
          nextUpdateAt: null,
          channels,
          approvedBy: 'alice',
          lintAcknowledged: [],
          publishedAt: now,
        },
      },
      {
        entity: 'comms_delivery',
        rowId: `${rowId}/${hook.id}`,
        fields: {
          incidentId: incident.id,
          updateId,
          channelId: hook.id,
          channelName: hook.name,
          kind: 'webhook',
          state: 'queued',
          attempts: 0,
          nextAttemptAt: null,
          by: '',
        },
      },
    ];
    const results = hq.replica.applyRemote(drafts.map((draft, i) => alice.write(draft, now + i)));
    expect(results.map((r) => r.status)).toEqual(['accepted', 'refused', 'accepted', 'accepted', 'accepted', 'accepted']);

    const deliveryOf = async () => (await call(hq, 'comms.room', { incidentId: incident.id })).published.find((p) => p.updateId === updateId)?.deliveries[0];
    await eventually(async () => expect((await deliveryOf())?.state).toBe('failed'));
    expect((await deliveryOf())?.lastError).toContain('Not sent: the approval of the published text is not by someone allowed to approve it (alice wrote the update');
    expect(http.received).toEqual([]);
  });
});

describe('channel addresses in ops', () => {
  it('a Statuspage base URL keeps its query string and its user info on the laptop that set them, out of every op', async () => {
    const engine = openTestEngine();
    engine.replica.setActor('maya');
    const withQuery = await call(engine, 'comms.saveChannel', {
      name: 'Status page',
      audiences: ['customers'],
      config: { kind: 'statuspage', baseUrl: 'https://api.statuspage.io/v1?api_key=sp-query-secret', pageId: 'page1', apiKey: 'sp-api-key' },
    });
    const withUser = await call(engine, 'comms.saveChannel', {
      name: 'Status page (proxy)',
      audiences: ['customers'],
      config: { kind: 'statuspage', baseUrl: 'https://proxy-user:proxy-pass@status.example.com/v1', pageId: 'page1', apiKey: 'sp-api-key' },
    });
    expect(withQuery.config).toMatchObject({ baseUrl: 'https://api.statuspage.io/v1?••••' });
    expect(withUser.config).toMatchObject({ baseUrl: 'https://••••@status.example.com/v1' });
    const log = JSON.stringify(engine.replica.opLog.since(0, Number.MAX_SAFE_INTEGER));
    for (const secret of ['sp-query-secret', 'api_key', 'proxy-user', 'proxy-pass', 'sp-api-key']) expect(log).not.toContain(secret);
    // The laptop that set them holds the hidden parts (its config joins back into the whole address).
    const channels = await call(engine, 'comms.channels', {});
    expect(channels.filter((c) => [withQuery.id, withUser.id].includes(c.id)).map((c) => c.secret.isHeldHere)).toEqual([true, true]);
  });
});

describe('publishing an update someone else published', () => {
  it("a comms lead's publication of a commander's draft makes her publish fail, naming who and when, and leaves her draft", async () => {
    const since = Date.now() - minutes(30);
    const cora = openTestEngine({ outbox: fastOutbox });
    const { org, certOp } = certifyEngine(cora, { user: 'cora', role: 'commander', since });
    const casey = org.certify({ role: 'comms', user: 'casey', notBefore: since });
    expect(cora.replica.applyRemote([certOp(casey.certificate, since + 10)]).map((r) => r.status)).toEqual(['accepted']);
    const incident = await declare(cora);
    const draft = await call(cora, 'comms.start', { incidentId: incident.id, audience: 'internal' });
    await call(cora, 'comms.save', {
      incidentId: incident.id,
      updateId: draft.id,
      channelIds: [],
      values: { impact: 'Checkout down', status: 'Failing over', actions: 'Promoting the replica' },
    });
    const squatAt = Date.now();
    const squat = casey.write(
      {
        entity: 'comms_published',
        rowId: '',
        fields: {
          incidentId: incident.id,
          updateId: draft.id,
          audience: 'internal',
          title: 'All clear',
          body: 'Nothing to see here.',
          nextUpdateAt: null,
          channels: [],
          approvedBy: null,
          lintAcknowledged: [],
          publishedAt: squatAt,
        },
      },
      squatAt,
    );
    expect(cora.replica.applyRemote([squat]).map((r) => r.status)).toEqual(['accepted']);

    const before = cora.replica.opLog.count();
    const refused = await refusal(() => call(cora, 'comms.publish', { incidentId: incident.id, updateId: draft.id }));
    expect(refused.code).toBe('conflict');
    expect(refused.message).toContain(`This update was published already, by casey at ${new Date(squatAt).toISOString()} ("All clear")`);
    expect(cora.replica.opLog.count()).toBe(before);
    // Her draft is still there, saying why it cannot go out; the record shows who published what.
    const room = await call(cora, 'comms.room', { incidentId: incident.id });
    const mine = room.drafts.find((d) => d.id === draft.id);
    expect(mine?.rendered.body).toContain('Promoting the replica');
    expect(mine?.publishRefusal).toContain('published already, by casey');
    expect(room.published.map((p) => [p.updateId, p.publishedBy, p.title])).toEqual([[draft.id, 'casey', 'All clear']]);
  });
});

describe('a responder who takes the commander seat', () => {
  const { http, url } = receiverForBlock('POST /status', 'accepted');

  it("cannot approve a customer update the commander's outbox then sends", async () => {
    const since = Date.now() - minutes(30);
    const cora = openTestEngine({ outbox: fastOutbox });
    const { org, certOp } = certifyEngine(cora, { user: 'cora', role: 'commander', since });
    const rui = org.certify({ role: 'responder', user: 'rui', notBefore: since });
    expect(cora.replica.applyRemote([certOp(rui.certificate, since + 10)]).map((r) => r.status)).toEqual(['accepted']);
    const incident = await declare(cora);
    const hook = await call(cora, 'comms.saveChannel', {
      name: 'Status hook',
      audiences: ['customers'],
      config: { kind: 'webhook', url: url('/status') },
    });
    const draft = await call(cora, 'comms.start', { incidentId: incident.id, audience: 'customers' });
    const saved = await call(cora, 'comms.save', { incidentId: incident.id, updateId: draft.id, channelIds: [hook.id], values: customerValues });

    // One op takes the seat, one approves the commander's text.
    const now = Date.now();
    const seat = rui.write(
      {
        entity: 'incident_role',
        rowId: `${incident.id}/commander`,
        fields: { incidentId: incident.id, role: 'commander', label: '', holderId: 'rui', since: now, offeredTo: null, offeredBy: null, offeredAt: null },
      },
      now,
    );
    const approval = rui.write(
      {
        entity: 'comms_update',
        rowId: `${incident.id}/${draft.id}`,
        fields: { incidentId: incident.id, state: 'approved', approvedDigest: saved.digest, decidedBy: 'rui', decidedAt: now + 1, decisionComment: '' },
      },
      now + 1,
    );
    expect(cora.replica.applyRemote([seat, approval]).map((r) => r.status)).toEqual(['accepted', 'accepted']);
    await call(cora, 'comms.publish', { incidentId: incident.id, updateId: draft.id });

    const deliveryOf = async () => (await call(cora, 'comms.room', { incidentId: incident.id })).published.find((p) => p.updateId === draft.id)?.deliveries[0];
    await eventually(async () => expect((await deliveryOf())?.state).toBe('failed'));
    expect((await deliveryOf())?.lastError).toContain('rui is a responder: holding the commander or deputy seat lets only commanders and admins approve');
    expect(http.received).toEqual([]);
  });

  it('is told on their own laptop that their approval would not count', async () => {
    const since = Date.now() - minutes(30);
    const cora = openTestEngine();
    const { org, certOp, certificate } = certifyEngine(cora, { user: 'cora', role: 'commander', since });
    const laptop = openTestEngine();
    const rui = certifyEngine(laptop, { user: 'rui', role: 'responder', since, org });
    const incident = await declare(cora);
    const draft = await call(cora, 'comms.start', { incidentId: incident.id, audience: 'customers' });
    await call(cora, 'comms.save', { incidentId: incident.id, updateId: draft.id, channelIds: [], values: customerValues });
    const results = laptop.replica.applyRemote([rui.certOp(certificate, since + 5), ...opsOf(cora)]);
    expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
    expect(cora.replica.applyRemote([certOp(rui.certificate, since + 5)]).map((r) => r.status)).toEqual(['accepted']);
    laptop.replica.commitLocal([
      { entity: 'incident_role', rowId: `${incident.id}/commander`, fields: { incidentId: incident.id, role: 'commander', holderId: 'rui', since: Date.now() } },
    ]);
    cora.replica.applyRemote(opsOf(laptop));
    await call(cora, 'comms.requestApproval', { incidentId: incident.id, updateId: draft.id, approver: 'rui' });
    laptop.replica.applyRemote(opsOf(cora));
    const said = await refusal(() => call(laptop, 'comms.decide', { incidentId: incident.id, updateId: draft.id, decision: 'approve', comment: '' }));
    expect(said.message).toContain('You cannot approve this update: rui is a responder');
  });
});
