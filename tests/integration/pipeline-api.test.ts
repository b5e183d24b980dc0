// The pipeline API of the central service, end to end on both drivers: GET /v1/freeze as a CI/CD
// pipeline checks it, events posted to incidents and services, idempotency, refusals, and replicas
// that sync afterwards seeing (and verifying) what the service wrote.
import { afterEach, describe, expect, it } from 'vitest';
import { verifyChains } from '../../electron/engine/core/chain';
import type { Engine } from '../../electron/engine/engine';
import { startService } from '../../server/service';
import type { EventResponse, FreezeStatus } from '@shared/domain/pipeline';
import { uuidv7 } from '@shared/ids';
import { genesisHash, hashOp } from '@shared/ops';
import { holdfast } from '../support/cli';
import { call, openTestEngine } from '../support/engines';
import { purgeOp } from '../support/ops';
import { openStore, settle, startCentral, type Central, type Driver } from '../support/sync';

const centrals: Central[] = [];
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const central of centrals.splice(0)) await central.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

async function central(driver: Driver, options: Parameters<typeof startCentral>[1] = {}) {
  const c = await startCentral(driver, options);
  centrals.push(c);
  return c;
}

const replica = () => openTestEngine({ syncPollMs: 60_000 });

interface Reply<T = unknown> {
  status: number;
  body: T & { error?: { code: string; message: string } };
}

async function request<T>(url: string, token: string | null, options: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<Reply<T>> {
  const response = await fetch(url, {
    method: options.method ?? 'GET',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
  });
  return { status: response.status, body: (await response.json()) as Reply<T>['body'] };
}

const freezeOf = (service: Central, token: string, query = '') => request<FreezeStatus>(`${service.url}/v1/freeze${query}`, token);

const postEvent = (service: Central, token: string, path: string, body: unknown, key?: string) =>
  request<EventResponse>(`${service.url}${path}`, token, { method: 'POST', body, headers: key ? { 'idempotency-key': key } : {} });

/** Every op the service holds. */
const opCount = async (service: Central) => (await service.store.streamHeads()).reduce((sum, stream) => sum + stream.head, 0);

/** A commander's replica, connected to the service. */
async function commander(service: Central, name: string): Promise<Engine> {
  const engine = replica();
  await call(engine, 'sync.connect', { url: service.url, token: await service.token(name, 'commander') });
  return engine;
}

describe.each(['sqlite', 'postgres'] as const)('pipeline API (%s)', (driver) => {
  it('shows a freeze declared on a replica to a pipeline until it is lifted or runs out', async () => {
    // The service's clock runs ahead when the test says, so a freeze can run out without waiting.
    let serviceAheadMs = 0;
    const service = await central(driver, { now: () => Date.now() + serviceAheadMs });
    const alice = await commander(service, 'alice');
    const pipeline = await service.token('deploy-bot', 'pipeline');

    expect((await freezeOf(service, pipeline)).body).toMatchObject({ active: false, scopes: null, freezes: [], message: 'No active deployment freeze.' });

    const incident = await call(alice, 'incidents.create', { title: 'Checkout errors', severity: 'SEV1', summary: '', services: ['checkout'] });
    const [freeze] = await call(alice, 'freeze.declare', { incidentId: incident.id, scope: 'checkout', reason: 'Payments failing after the last deploy', until: null });
    await settle([alice]);

    const frozen = await freezeOf(service, pipeline);
    expect(frozen.status).toBe(200);
    expect(frozen.body).toMatchObject({
      active: true,
      freezes: [
        {
          id: freeze.id,
          scope: 'checkout',
          reason: 'Payments failing after the last deploy',
          since: freeze.since,
          until: null,
          incident: { id: incident.id, title: 'Checkout errors', isDrill: false },
          declaredBy: 'alice',
        },
      ],
    });
    expect(frozen.body.message).toContain('Deployments are frozen: checkout (incident "Checkout errors", declared by alice, until lifted)');
    expect(Math.abs(frozen.body.checkedAt - Date.now())).toBeLessThan(10_000);
    // By scope: the freeze's own, case-insensitively; other scopes are free.
    expect((await freezeOf(service, pipeline, '?scope=Checkout')).body).toMatchObject({ active: true, scopes: ['Checkout'] });
    expect((await freezeOf(service, pipeline, '?scope=search')).body).toMatchObject({
      active: false,
      scopes: ['search'],
      freezes: [],
      message: 'No active deployment freeze for search.',
    });
    expect((await freezeOf(service, pipeline, '?scope=search,checkout')).body.active).toBe(true);
    expect((await freezeOf(service, pipeline, '?scope=search&scope=checkout')).body.active).toBe(true);
    // Every role may ask.
    for (const role of ['viewer', 'responder', 'comms'] as const) {
      expect((await freezeOf(service, await service.token(`${role}-1`, role), '?scope=checkout')).body.active).toBe(true);
    }

    // A freeze of everything in production covers every service; it runs out by itself.
    const until = Date.now() + 3_000;
    await call(alice, 'freeze.declare', { incidentId: incident.id, scope: 'all production', reason: 'Database failover in progress', until });
    await call(alice, 'freeze.lift', { freezeId: freeze.id, reason: 'Fixed forward' });
    await settle([alice]);
    const wide = await freezeOf(service, pipeline, '?scope=search');
    expect(wide.body).toMatchObject({ active: true, freezes: [{ scope: 'all production', until }] });
    expect((await freezeOf(service, pipeline, '?scope=checkout')).body.freezes.map((f) => f.scope)).toEqual(['all production']);
    serviceAheadMs = until - Date.now() + 1; // from here on the service's clock stays past `until`
    expect((await freezeOf(service, pipeline)).body).toMatchObject({ active: false, freezes: [] });

    // A freeze of a deleted incident does not count.
    const other = await call(alice, 'incidents.create', { title: 'Search slow', severity: 'SEV3', summary: '' });
    await call(alice, 'freeze.declare', { incidentId: other.id, scope: 'search', reason: 'Reindexing', until: null });
    await settle([alice]);
    expect((await freezeOf(service, pipeline, '?scope=search')).body.active).toBe(true);
    alice.replica.commitLocal([{ entity: 'incident', rowId: other.id, fields: { deleted: true } }]);
    await settle([alice]);
    expect((await freezeOf(service, pipeline, '?scope=search')).body.active).toBe(false);

    // Bad questions are refused with what is wrong.
    const bad = await freezeOf(service, pipeline, '?scopes=checkout');
    expect(bad.status).toBe(400);
    expect(bad.body.error?.message).toContain('scopes');
    expect((await freezeOf(service, 'hf_not-a-token')).status).toBe(401);
  });

  it('writes events into incident timelines once per idempotency key, and replicas see and verify them', async () => {
    const service = await central(driver);
    const alice = await commander(service, 'alice');
    const pipeline = await service.token('deploy-bot', 'pipeline');
    const create = (title: string, services: string[]) => call(alice, 'incidents.create', { title, severity: 'SEV2', summary: '', services });
    const a = await create('Checkout errors', ['checkout', 'payments']);
    const b = await create('EU latency', ['Checkout ']);
    const resolved = await create('Old checkout bug', ['checkout']);
    await call(alice, 'incidents.setStatus', { id: resolved.id, status: 'resolved' });
    const search = await create('Search down', ['search']);
    await settle([alice]);

    const at = '2026-03-01T10:15:00Z';
    const deployment = {
      type: 'deployment',
      summary: 'Bump the payment SDK',
      source: 'github-actions',
      service: 'checkout',
      version: '2.4.1',
      environment: 'production',
      url: 'https://ci.example.com/runs/42',
      at,
    };
    const before = await opCount(service);
    const first = await postEvent(service, pipeline, `/v1/incidents/${a.id}/events`, deployment, 'run-42');
    expect(first.status).toBe(200);
    const text = 'Deployment of checkout 2.4.1 to production by github-actions: Bump the payment SDK (https://ci.example.com/runs/42)';
    expect(first.body).toEqual({
      attached: [{ incidentId: a.id, title: 'Checkout errors', entryId: expect.any(String) }],
      eventAt: Date.parse(at),
      text,
      source: 'pipeline:github-actions',
    });
    expect(await opCount(service)).toBe(before + 1);

    // The same key and body again (header or body key): the same answer, nothing new.
    expect(await postEvent(service, pipeline, `/v1/incidents/${a.id}/events`, deployment, 'run-42')).toEqual(first);
    expect(await postEvent(service, pipeline, `/v1/incidents/${a.id}/events`, { ...deployment, idempotencyKey: 'run-42' })).toEqual(first);
    // Retried at once, as a flaky runner would.
    const retries = await Promise.all(Array.from({ length: 4 }, () => postEvent(service, pipeline, `/v1/incidents/${a.id}/events`, deployment, 'run-42')));
    for (const retry of retries) expect(retry).toEqual(first);
    expect(await opCount(service)).toBe(before + 1);
    // The same key with another body, or for another incident: a conflict, nothing written.
    const changed = await postEvent(service, pipeline, `/v1/incidents/${a.id}/events`, { ...deployment, summary: 'Something else' }, 'run-42');
    expect(changed.status).toBe(409);
    expect(changed.body.error?.message).toContain('idempotency key "run-42" was used');
    expect((await postEvent(service, pipeline, `/v1/incidents/${b.id}/events`, deployment, 'run-42')).status).toBe(409);
    // Keys are per user: a commander may use the same key for its own event.
    expect(
      (await postEvent(service, await service.token('carol', 'commander'), `/v1/incidents/${a.id}/events`, { ...deployment, source: 'manual' }, 'run-42')).status,
    ).toBe(200);
    expect(await opCount(service)).toBe(before + 2);

    // Bad bodies: 400 naming the field, nothing stored.
    const stored = await opCount(service);
    const future = new Date(Date.now() + 60 * 60_000).toISOString();
    const cases: [string, unknown, string | RegExp, Record<string, string>?][] = [
      ['no type', { summary: 'x', source: 'ci' }, 'type: is required'],
      ['an unknown type', { ...deployment, type: 'reboot' }, 'type: must be one of deployment, rollback'],
      ['an empty summary', { ...deployment, summary: '  ' }, 'summary: must not be empty'],
      ['a long summary', { ...deployment, summary: 'x'.repeat(501) }, 'summary: must be at most 500 characters'],
      ['no source', { type: 'deployment', summary: 'x' }, 'source: is required'],
      ['a long source', { ...deployment, source: 's'.repeat(101) }, 'source: must be at most 100 characters'],
      ['a time without a zone', { ...deployment, at: '2026-03-01T10:15:00' }, 'at: must be an ISO 8601 time with a zone'],
      ['a time that is not one', { ...deployment, at: 'yesterday' }, 'at: must be an ISO 8601 time'],
      ['fractional milliseconds', { ...deployment, at: 1.5 }, 'at: must be an ISO 8601 time'],
      ['a time an hour ahead', { ...deployment, at: future }, /^at: is 3\d{3} s in the future \(at most 300 s is allowed\)/],
      ['an ftp link', { ...deployment, url: 'ftp://ci.example.com/42' }, 'url: must be an http(s) link'],
      ['a script link', { ...deployment, url: 'javascript:alert(1)' }, 'url: must be an http(s) link'],
      ['a misspelt field', { ...deployment, sevrity: 'SEV1' }, 'sevrity: unknown field'],
      ['a version over two lines', { ...deployment, version: '2.4.1\nrm -rf' }, 'version: must be one line'],
      ['a number as environment', { ...deployment, environment: 3 }, 'environment: must be text'],
      ['a list', [deployment], 'body: must be a JSON object'],
      ['a key with spaces', { ...deployment, idempotencyKey: 'run 42' }, 'idempotencyKey: must be 1 to 200 visible ASCII'],
      ['a header key unlike the body key', { ...deployment, idempotencyKey: 'a' }, 'idempotencyKey: differs from the Idempotency-Key header', { 'idempotency-key': 'b' }],
      ['broken JSON', '{"type": "deployment",', 'not valid JSON'],
    ];
    for (const [label, body, message, headers] of cases) {
      const reply = await request(`${service.url}/v1/incidents/${a.id}/events`, pipeline, { method: 'POST', body, headers });
      expect({ label, status: reply.status, message: reply.body.error?.message }).toEqual({
        label,
        status: 400,
        message: typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message),
      });
    }
    expect(await opCount(service)).toBe(stored);

    // Unknown incidents: 404; closed ones: 409; roles that may not post: 403.
    const unknown = await postEvent(service, pipeline, `/v1/incidents/${uuidv7()}/events`, deployment);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error?.message).toContain('no incident');
    expect((await postEvent(service, pipeline, '/v1/incidents/not-an-id/events', deployment)).status).toBe(404);
    await call(alice, 'incidents.setStatus', { id: resolved.id, status: 'closed' });
    await settle([alice]);
    const closed = await postEvent(service, pipeline, `/v1/incidents/${resolved.id}/events`, deployment);
    expect(closed.status).toBe(409);
    expect(closed.body.error?.message).toContain('is closed');
    for (const role of ['responder', 'comms', 'viewer'] as const) {
      const refused = await postEvent(service, await service.token(`${role}-2`, role), `/v1/incidents/${a.id}/events`, deployment);
      expect(refused.status).toBe(403);
      expect(refused.body.error?.message).toContain('only pipeline tokens, commanders and admins may post events');
    }
    expect((await postEvent(service, 'hf_not-a-token', `/v1/incidents/${a.id}/events`, deployment)).status).toBe(401);
    expect(await opCount(service)).toBe(stored + 2); // only the status change and its entry

    // By service: every open incident affecting it (case-insensitive), not the resolved or other ones.
    const rollback = { type: 'rollback', summary: 'Error rate back to normal', source: 'argo', version: '2.4.0', environment: 'production' };
    const byService = await postEvent(service, pipeline, '/v1/services/CHECKOUT/events', rollback, 'rollback-1');
    expect(byService.status).toBe(200);
    expect(byService.body.attached.map((x) => x.incidentId).sort()).toEqual([a.id, b.id].sort());
    expect(byService.body.text).toBe('Rollback of CHECKOUT 2.4.0 to production by argo: Error rate back to normal');
    expect(await postEvent(service, pipeline, '/v1/services/CHECKOUT/events', rollback, 'rollback-1')).toEqual(byService);
    // No open incident affects it: nothing to attach, and the pipeline goes on.
    const none = await postEvent(service, pipeline, '/v1/services/billing/events', { ...rollback, type: 'deployment' });
    expect(none).toMatchObject({ status: 200, body: { attached: [] } });
    const mismatch = await postEvent(service, pipeline, '/v1/services/checkout/events', { ...rollback, service: 'billing' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error?.message).toContain('service:');
    expect((await postEvent(service, pipeline, `/v1/services/${encodeURIComponent('big search')}/events`, { ...rollback, type: 'scaling' })).body.attached).toEqual([]);

    // Replicas that sync afterwards see the entries, with their source, and their chains verify.
    const bob = await commander(service, 'bob');
    await settle([alice, bob]);
    for (const engine of [alice, bob]) {
      const window = await call(engine, 'timeline.window', { incidentId: a.id, offset: 0, limit: 100, filter: { kinds: ['system'] } });
      const events = window.entries.filter((e) => e.source !== null);
      expect(events.map((e) => ({ text: e.text, source: e.source, authorId: e.authorId, eventAt: e.eventAt }))).toEqual(
        expect.arrayContaining([
          { text, source: 'pipeline:github-actions', authorId: 'deploy-bot', eventAt: Date.parse(at) },
          { text: text.replace('github-actions', 'manual'), source: 'pipeline:manual', authorId: 'carol', eventAt: Date.parse(at) },
          { text: byService.body.text, source: 'pipeline:argo', authorId: 'deploy-bot', eventAt: expect.any(Number) },
        ]),
      );
      expect(events).toHaveLength(3);
      const onB = await call(engine, 'timeline.window', { incidentId: b.id, offset: 0, limit: 100, filter: { kinds: ['system'] } });
      expect(onB.entries.filter((e) => e.source === 'pipeline:argo')).toHaveLength(1);
      for (const id of [resolved.id, search.id]) {
        const untouched = await call(engine, 'timeline.window', { incidentId: id, offset: 0, limit: 100, filter: { kinds: ['system'] } });
        expect(untouched.entries.filter((e) => e.source !== null)).toEqual([]);
      }
      expect(verifyChains(engine.db).firstBreak).toBeNull();
      expect((await call(engine, 'sync.status', {})).peers[0]).toMatchObject({ state: 'connected', pending: 0, refused: 0 });
    }

    // A relay pushing back a copy of what the service wrote gets a duplicate; an op forged as the
    // service's device (under its certificate, without its key) is rejected.
    const deviceId = await service.store.serviceDeviceId();
    const serviceOps = (await service.store.readOps(`incident:${a.id}`, 0, 1000)).filter((op) => op.deviceId === deviceId);
    expect(serviceOps).toHaveLength(3); // the deployment, carol's and the rollback
    const copy = (({ seq: _seq, ...op }) => op)(serviceOps[0]);
    const forgedUnsigned = {
      ...copy,
      opId: uuidv7(),
      hlc: copy.hlc.replace(/-\d{5}-/, '-00099-'),
      actorId: 'alice',
      prevHash: genesisHash,
      fields: { ...copy.fields, text: 'forged' },
    };
    const forged = { ...forgedUnsigned, rowId: forgedUnsigned.opId, hash: hashOp({ ...forgedUnsigned, rowId: forgedUnsigned.opId }) };
    expect(forged.deviceId).toBe(deviceId);
    const pushed = await request<{ results: { status: string; reason?: string }[] }>(`${service.url}/v1/sync/push`, await service.token('relay', 'commander'), {
      method: 'POST',
      body: { ops: [copy, forged] },
    });
    expect(pushed.body.results).toEqual([
      { opId: copy.opId, status: 'duplicate' },
      { opId: forged.opId, status: 'rejected', reason: `signature: does not verify against the key of device ${deviceId}'s certificate` },
    ]);
  });

  it('refuses events for a purged incident as gone and leaves its freezes out', async () => {
    const service = await central(driver);
    const alice = await commander(service, 'alice');
    const pipeline = await service.token('deploy-bot', 'pipeline');
    const incident = await call(alice, 'incidents.create', { title: 'Old outage', severity: 'SEV2', summary: '', services: ['checkout'] });
    await call(alice, 'freeze.declare', { incidentId: incident.id, scope: 'checkout', reason: 'Investigating', until: null });
    await settle([alice]);
    expect((await freezeOf(service, pipeline)).body.active).toBe(true);
    const event = { type: 'recovery', summary: 'Healthy again', source: 'pagerduty' };
    expect((await postEvent(service, pipeline, `/v1/incidents/${incident.id}/events`, event)).status).toBe(200);

    const purgedAt = Date.UTC(2027, 0, 5);
    expect(await service.store.insertOps([purgeOp(incident.id, { purgedAt })], Date.now())).toEqual(['accepted']);
    const gone = await postEvent(service, pipeline, `/v1/incidents/${incident.id}/events`, event);
    expect(gone.status).toBe(410);
    expect(gone.body.error?.message).toBe(`gone: incident ${incident.id} was purged under the retention setting on 2027-01-05`);
    expect((await freezeOf(service, pipeline)).body).toMatchObject({ active: false, freezes: [] });
    expect((await postEvent(service, pipeline, '/v1/services/checkout/events', event)).body.attached).toEqual([]);
  });

  it("refuses pipeline tokens on every sync route, with the role's reason", async () => {
    const service = await central(driver);
    const pipeline = await service.token('deploy-bot', 'pipeline');
    expect((await request(`${service.url}/v1/me`, pipeline)).body).toEqual({ name: 'deploy-bot', role: 'pipeline', node: 'central', orgKeyId: expect.any(String) });
    const attempts: [string, Promise<Reply>, string][] = [
      ['streams', request(`${service.url}/v1/sync/streams`, pipeline), 'pipeline tokens read only GET /v1/freeze; they do not sync'],
      ['pull', request(`${service.url}/v1/sync/pull?stream=org`, pipeline), 'pipeline tokens read only GET /v1/freeze; they do not sync'],
      ['push', request(`${service.url}/v1/sync/push`, pipeline, { method: 'POST', body: { ops: [] } }), 'pipeline tokens cannot write through sync'],
      ['certificate', request(`${service.url}/v1/certs`, pipeline, { method: 'POST', body: {} }), 'pipelines get no device certificate'],
      [
        'claim',
        request(`${service.url}/v1/outbox/claim`, pipeline, { method: 'POST', body: { key: 'a/b/c', holder: '00000000000000ab', leaseMs: 5000 } }),
        'only admins, commanders and comms leads',
      ],
    ];
    for (const [label, pending, message] of attempts) {
      const reply = await pending;
      expect({ label, status: reply.status, code: reply.body.error?.code }).toEqual({ label, status: 403, code: 'forbidden' });
      expect(reply.body.error?.message).toContain(message);
    }
  });

  it('issues pipeline tokens with `holdfast server user add NAME --role pipeline`', async () => {
    const { store, env, dataDir } = await openStore(driver);
    const running = await startService({ store, port: 0 });
    cleanups.push(async () => {
      await running.close();
      await store.close();
    });
    const previous = process.env.DATABASE_URL;
    if (env.DATABASE_URL) process.env.DATABASE_URL = env.DATABASE_URL;
    else delete process.env.DATABASE_URL;
    let added;
    try {
      added = await holdfast('server', 'user', 'add', 'deploy-bot', '--role', 'pipeline', '--data', dataDir);
    } finally {
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    }
    expect(added.code).toBe(0);
    expect(added.out).toContain('added deploy-bot (pipeline)');
    const token = /token \(shown once, store it now\): (\S+)/.exec(added.out)?.[1];
    expect(token).toBeTruthy();
    const check = await request<FreezeStatus>(`${running.url}/v1/freeze?scope=checkout`, token!);
    expect(check).toMatchObject({ status: 200, body: { active: false } });
    expect((await request(`${running.url}/v1/sync/streams`, token!)).status).toBe(403);
  });
});
