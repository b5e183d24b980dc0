// Integration targets against real receivers on loopback: each vendor's documented request shape
// and authentication (PagerDuty Events API v2, Opsgenie Alert API, Grafana OnCall formatted webhook,
// a signed generic webhook, Slack, Microsoft Teams workflow and Mattermost webhooks, Jira REST v3,
// Linear GraphQL, GitHub Issues), and bad targets: a wrong key, a 4xx, a 5xx and a timeout, each
// with its error and retryable only where a retry can help. No network mocks.
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { redactTarget, joinTarget, targetSecrets, type TargetConfig } from '@shared/domain/integrations';
import { sendToTarget, type OutgoingSend } from '../../electron/engine/integrations/vendors';
import { httpReceiver } from '../support/receivers';

const send: OutgoingSend = {
  rowId: 'inc-1/int-page-1/pd',
  incidentId: 'inc-1',
  incidentTitle: 'Checkout errors',
  severity: 'sev1',
  title: 'SEV1 Checkout errors',
  text: 'Payments are failing for 30% of customers.',
  link: 'holdfast://incident/inc-1',
  dedupKey: 'holdfast:inc-1:payments',
  teamName: 'Payments',
  requestedBy: 'cora',
  remoteId: null,
};

describe('integration vendors', () => {
  const http = httpReceiver();
  let base = '';
  const json = (status: number, body: unknown) => (_req: unknown, res: import('node:http').ServerResponse) =>
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  beforeAll(async () => {
    base = `http://127.0.0.1:${await http.listen()}`;
  });
  afterAll(() => http.close());
  beforeEach(() => {
    http.received.length = 0;
    http.routes.clear();
  });
  const last = () => {
    const request = http.received.at(-1)!;
    return { ...request, json: JSON.parse(request.body) as Record<string, unknown> };
  };

  it('PagerDuty: POST /v2/enqueue with routing_key, event_action trigger, the dedup_key and a payload', async () => {
    http.routes.set('POST /v2/enqueue', json(202, { status: 'success', message: 'Event processed', dedup_key: 'holdfast:inc-1:payments' }));
    const result = await sendToTarget({ kind: 'pagerduty', routingKey: 'R0UT1NGKEY', url: `${base}/v2/enqueue` }, send);
    expect(result).toEqual({ ok: true, detail: 'HTTP 202: Event processed', remoteId: 'holdfast:inc-1:payments' });
    const request = last();
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.json).toMatchObject({
      routing_key: 'R0UT1NGKEY',
      event_action: 'trigger',
      dedup_key: 'holdfast:inc-1:payments',
      payload: { summary: 'SEV1 Checkout errors', source: 'holdfast', severity: 'critical', component: 'Payments' },
      links: [{ href: 'holdfast://incident/inc-1' }],
    });
  });

  it('PagerDuty: a wrong routing key (400 Invalid routing key) is not retried and says to check the key', async () => {
    http.routes.set('POST /v2/enqueue', json(400, { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] }));
    const result = await sendToTarget({ kind: 'pagerduty', routingKey: 'wrong', url: `${base}/v2/enqueue` }, send);
    expect(result).toEqual({ ok: false, retryable: false, error: expect.stringMatching(/PagerDuty answered HTTP 400: .*Invalid routing key.*check the routing key/) });
  });

  it('Opsgenie: POST /v2/alerts with Authorization GenieKey, the dedup key as alias and the team as responder', async () => {
    http.routes.set('POST /v2/alerts', json(202, { result: 'Request will be processed', took: 0.1, requestId: 'req-9' }));
    const result = await sendToTarget({ kind: 'opsgenie', apiKey: 'g3n1e', baseUrl: base, team: 'Payments' }, send);
    expect(result).toMatchObject({ ok: true, remoteId: 'req-9' });
    const request = last();
    expect(request.headers.authorization).toBe('GenieKey g3n1e');
    expect(request.json).toMatchObject({
      message: 'SEV1 Checkout errors',
      alias: 'holdfast:inc-1:payments',
      responders: [{ name: 'Payments', type: 'team' }],
      priority: 'P1',
      source: 'Holdfast',
    });
  });

  it('Opsgenie: a wrong key (401) is not retried; a 503 is', async () => {
    http.routes.set('POST /v2/alerts', json(401, { message: 'Key format is not valid!' }));
    expect(await sendToTarget({ kind: 'opsgenie', apiKey: 'bad', baseUrl: base }, send)).toEqual({
      ok: false,
      retryable: false,
      error: expect.stringContaining('check the API key'),
    });
    http.routes.set('POST /v2/alerts', (_req, res) => res.writeHead(503).end('maintenance'));
    expect(await sendToTarget({ kind: 'opsgenie', apiKey: 'g3n1e', baseUrl: base }, send)).toEqual({
      ok: false,
      retryable: true,
      error: expect.stringContaining('HTTP 503: "maintenance"; it will be tried again'),
    });
  });

  it('Grafana OnCall: the formatted webhook fields, alert_uid being the dedup key', async () => {
    http.routes.set('POST /integrations/v1/formatted_webhook/abc/', (_req, res) => res.writeHead(200).end('Ok'));
    const result = await sendToTarget({ kind: 'grafana-oncall', url: `${base}/integrations/v1/formatted_webhook/abc/` }, send);
    expect(result).toMatchObject({ ok: true, remoteId: 'holdfast:inc-1:payments' });
    expect(last().json).toEqual({
      alert_uid: 'holdfast:inc-1:payments',
      title: 'SEV1 Checkout errors',
      state: 'alerting',
      link_to_upstream_details: 'holdfast://incident/inc-1',
      message: send.text,
    });
  });

  it('generic paging webhook: signed with HMAC-SHA256 of the raw body, with an idempotency key', async () => {
    http.routes.set('POST /page', (_req, res) => res.writeHead(204).end());
    const result = await sendToTarget({ kind: 'page-webhook', url: `${base}/page`, secret: 'shh' }, send);
    expect(result).toEqual({ ok: true, detail: 'HTTP 204' });
    const request = last();
    expect(request.headers['x-holdfast-signature']).toBe(`sha256=${createHmac('sha256', 'shh').update(request.body).digest('hex')}`);
    expect(request.headers['idempotency-key']).toBe(send.rowId);
    expect(request.json).toMatchObject({ type: 'page', dedupKey: 'holdfast:inc-1:payments', team: 'Payments', incidentId: 'inc-1' });
  });

  it('a receiver that does not answer in time is retryable, and so is one that is down', async () => {
    http.routes.set('POST /slow', () => undefined);
    const slow = await sendToTarget({ kind: 'page-webhook', url: `${base}/slow`, secret: 's' }, send, { timeoutMs: 300 });
    expect(slow).toEqual({ ok: false, retryable: true, error: expect.stringContaining('did not answer within 300 ms') });
    const down = await sendToTarget({ kind: 'page-webhook', url: 'http://127.0.0.1:9/page', secret: 's' }, send, { timeoutMs: 2000 });
    expect(down).toEqual({ ok: false, retryable: true, error: expect.stringContaining('Could not reach 127.0.0.1:9') });
  });

  it('Slack: { text, blocks } with a link back; anything but "ok" is refused', async () => {
    http.routes.set('POST /slack', (_req, res) => res.writeHead(200).end('ok'));
    expect(await sendToTarget({ kind: 'slack', url: `${base}/slack` }, send)).toEqual({ ok: true, detail: 'HTTP 200 ok' });
    const body = last().json as { text: string; blocks: { type: string; elements?: { text: string }[] }[] };
    expect(body.text).toContain('SEV1 Checkout errors');
    expect(body.blocks[0].type).toBe('section');
    expect(body.blocks[1].elements![0].text).toBe('<holdfast://incident/inc-1|Open Checkout errors in Holdfast>');
    http.routes.set('POST /slack', (_req, res) => res.writeHead(404).end('no_service'));
    expect(await sendToTarget({ kind: 'slack', url: `${base}/slack` }, send)).toMatchObject({ ok: false, retryable: false });
  });

  it('Microsoft Teams: a workflow webhook message carrying an Adaptive Card with an Open URL action', async () => {
    http.routes.set('POST /workflows/run', (_req, res) => res.writeHead(202).end());
    expect(await sendToTarget({ kind: 'teams', url: `${base}/workflows/run` }, send)).toEqual({ ok: true, detail: 'HTTP 202' });
    const body = last().json as {
      type: string;
      attachments: { contentType: string; content: { type: string; version: string; body: { text: string }[]; actions: { type: string; url: string }[] } }[];
    };
    expect(body.type).toBe('message');
    expect(body.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(body.attachments[0].content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(body.attachments[0].content.body[0].text).toBe('SEV1 Checkout errors');
    expect(body.attachments[0].content.actions[0]).toEqual({ type: 'Action.OpenUrl', title: 'Open in Holdfast', url: 'holdfast://incident/inc-1' });
  });

  it('Mattermost: { text } in Markdown with the link back, to the configured channel', async () => {
    http.routes.set('POST /hooks/xyz', (_req, res) => res.writeHead(200).end('ok'));
    expect(await sendToTarget({ kind: 'mattermost', url: `${base}/hooks/xyz`, channel: 'incidents' }, send)).toMatchObject({ ok: true });
    expect(last().json).toEqual({
      text: '**SEV1 Checkout errors**\nPayments are failing for 30% of customers.\n[Open Checkout errors in Holdfast](holdfast://incident/inc-1)',
      username: 'Holdfast',
      channel: 'incidents',
    });
  });

  it('Jira: POST /rest/api/3/issue with basic auth email:token and an ADF description; PUT to update', async () => {
    http.routes.set('POST /rest/api/3/issue', json(201, { id: '10001', key: 'OPS-7', self: `${base}/rest/api/3/issue/10001` }));
    const jira = { kind: 'jira', baseUrl: base, email: 'ops@example.com', apiToken: 'tok', projectKey: 'OPS' } as const;
    const created = await sendToTarget(jira, send);
    expect(created).toEqual({ ok: true, detail: 'HTTP 201: OPS-7 created', remoteId: 'OPS-7', remoteUrl: `${base}/browse/OPS-7` });
    const request = last();
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from('ops@example.com:tok').toString('base64')}`);
    expect(request.json).toMatchObject({
      fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, summary: 'SEV1 Checkout errors', description: { type: 'doc', version: 1 } },
    });
    http.routes.set('PUT /rest/api/3/issue/OPS-7', (_req, res) => res.writeHead(204).end());
    expect(await sendToTarget(jira, { ...send, remoteId: 'OPS-7' })).toMatchObject({ ok: true, remoteId: 'OPS-7' });
    expect(last().method).toBe('PUT');
  });

  it('Linear: issueCreate over GraphQL with the API key in Authorization; GraphQL errors are shown, not retried', async () => {
    http.routes.set(
      'POST /graphql',
      json(200, { data: { issueCreate: { success: true, issue: { id: 'lin-1', identifier: 'OPS-12', url: 'https://linear.app/x/issue/OPS-12' } } } }),
    );
    const linear = { kind: 'linear', apiKey: 'lin_api_x', teamId: 'team-1', url: `${base}/graphql` } as const;
    expect(await sendToTarget(linear, send)).toEqual({ ok: true, detail: 'HTTP 200: OPS-12 created', remoteId: 'lin-1', remoteUrl: 'https://linear.app/x/issue/OPS-12' });
    const request = last();
    expect(request.headers.authorization).toBe('lin_api_x');
    expect(String(request.json.query)).toContain('issueCreate(input: $input)');
    expect(request.json.variables).toMatchObject({ input: { teamId: 'team-1', title: 'SEV1 Checkout errors' } });
    http.routes.set('POST /graphql', json(400, { errors: [{ message: 'Authentication required', extensions: { code: 'AUTHENTICATION_ERROR' } }] }));
    expect(await sendToTarget(linear, send)).toEqual({ ok: false, retryable: false, error: expect.stringContaining('check the API key') });
  });

  it('GitHub: POST /repos/{owner}/{repo}/issues with a Bearer token; PATCH the same issue to update', async () => {
    http.routes.set('POST /repos/acme/ops/issues', json(201, { number: 42, html_url: 'https://github.com/acme/ops/issues/42' }));
    const gh = { kind: 'github', owner: 'acme', repo: 'ops', token: 'ghp_x', apiUrl: base } as const;
    expect(await sendToTarget(gh, send)).toEqual({ ok: true, detail: 'HTTP 201: issue #42 created', remoteId: '42', remoteUrl: 'https://github.com/acme/ops/issues/42' });
    const request = last();
    expect(request.headers.authorization).toBe('Bearer ghp_x');
    expect(request.headers.accept).toBe('application/vnd.github+json');
    expect(request.json).toMatchObject({ title: 'SEV1 Checkout errors' });
    http.routes.set('PATCH /repos/acme/ops/issues/42', json(200, { number: 42, html_url: 'https://github.com/acme/ops/issues/42' }));
    expect(await sendToTarget(gh, { ...send, remoteId: '42' })).toMatchObject({ ok: true, detail: 'HTTP 200: issue #42 updated' });
    http.routes.set('POST /repos/acme/ops/issues', json(401, { message: 'Bad credentials' }));
    expect(await sendToTarget(gh, send)).toEqual({
      ok: false,
      retryable: false,
      error: expect.stringContaining('HTTP 401: "{"message":"Bad credentials"}"; check the token'),
    });
  });

  it('a misconfigured target is refused without a request, naming the field', async () => {
    const result = await sendToTarget({ kind: 'pagerduty', routingKey: '' }, send);
    expect(result).toEqual({ ok: false, retryable: false, error: expect.stringContaining('routingKey') });
    expect(http.received).toHaveLength(0);
  });
});

describe('target secrets', () => {
  it('the synced form hides every secret, and joins back only with the values it hid', () => {
    const full: TargetConfig = { kind: 'jira', baseUrl: 'https://acme.atlassian.net', email: 'ops@acme.com', apiToken: 'tok-123', projectKey: 'OPS' };
    const shown = redactTarget(full);
    expect(JSON.stringify(shown)).not.toContain('tok-123');
    expect(joinTarget(shown, targetSecrets(full))).toEqual(full);
    expect(joinTarget(shown, {})).toBeNull();
    const hook: TargetConfig = { kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/secret' };
    expect(redactTarget(hook)).toEqual({ kind: 'slack', url: 'https://hooks.slack.com/••••' });
  });
});
