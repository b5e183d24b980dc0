// Delivery channels against real receivers on loopback: an HTTP server playing webhook, Slack and
// Statuspage, and an SMTP server; receivers that fail, hang, go down and come back. No network mocks.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deliver, type OutgoingUpdate } from '../../electron/engine/comms/channels';
import { httpReceiver, smtpReceiver } from '../support/receivers';
import { channelConfig, channelConfigProblems, redactConfig, type ChannelConfig, type StatuspageChannel } from '@shared/domain/channels';

const update: OutgoingUpdate = {
  updateId: 'upd-42',
  incidentId: 'inc-7',
  audience: 'customers',
  title: 'Some card payments are failing',
  body: '**What is affected:** card payments at checkout\n\n**Current status:** we have found the cause\n\n_Next update by 14:35 UTC._',
  publishedAt: Date.UTC(2025, 2, 1, 14, 5),
  status: 'identified',
};

const plain =
  'Some card payments are failing\n\nWhat is affected: card payments at checkout\n\nCurrent status: we have found the cause\n\nNext update by 14:35 UTC.\n\nPublished 2025-03-01 14:05 UTC\n';

describe('HTTP channels', () => {
  const http = httpReceiver();
  let base = '';
  beforeAll(async () => {
    base = `http://127.0.0.1:${await http.listen()}`;
  });
  afterAll(() => http.close());
  beforeEach(() => {
    http.received.length = 0;
    http.routes.clear();
  });

  it('delivers a webhook as exact JSON with an idempotency key and the secret header', async () => {
    http.routes.set('POST /hook', (_req, res) => res.writeHead(200).end('thanks'));
    const result = await deliver({ kind: 'webhook', url: `${base}/hook`, secretHeader: { name: 'X-Holdfast-Secret', value: 's3cret' } }, update);
    expect(result).toEqual({ ok: true, detail: 'HTTP 200: "thanks"' });
    expect(http.received).toHaveLength(1);
    const [request] = http.received;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['idempotency-key']).toBe('upd-42:webhook');
    expect(request.headers['x-holdfast-secret']).toBe('s3cret');
    expect(JSON.parse(request.body)).toEqual({
      updateId: 'upd-42',
      incidentId: 'inc-7',
      audience: 'customers',
      title: update.title,
      body: update.body,
      text: plain,
      publishedAt: '2025-03-01T14:05:00.000Z',
    });
  });

  it('classifies a 500 as retryable and a 400 as not, quoting the answer', async () => {
    http.routes.set('POST /down', (_req, res) => res.writeHead(500).end('upstream exploded'));
    http.routes.set('POST /picky', (_req, res) => res.writeHead(400).end('{"error":"audience is not allowed"}'));
    http.routes.set('POST /busy', (_req, res) => res.writeHead(429).end('slow down'));
    const down = await deliver({ kind: 'webhook', url: `${base}/down` }, update);
    expect(down).toEqual({ ok: false, retryable: true, error: expect.stringContaining('HTTP 500: "upstream exploded"') });
    const picky = await deliver({ kind: 'webhook', url: `${base}/picky` }, update);
    expect(picky).toEqual({ ok: false, retryable: false, error: expect.stringContaining('HTTP 400: "{"error":"audience is not allowed"}"') });
    expect(picky.ok === false && picky.error).toMatch(/check the channel configuration/);
    expect(await deliver({ kind: 'webhook', url: `${base}/busy` }, update)).toMatchObject({ ok: false, retryable: true });
  });

  it('gives up on a receiver that never answers, as retryable, with a clear message', async () => {
    http.routes.set('POST /hang', () => {});
    const started = Date.now();
    const result = await deliver({ kind: 'webhook', url: `${base}/hang` }, update, { timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toEqual({ ok: false, retryable: true, error: expect.stringMatching(/^127\.0\.0\.1:\d+ did not answer within 300 ms/) });
  });

  it('posts Slack mrkdwn, and treats invalid_payload as not retryable', async () => {
    http.routes.set('POST /services/T1/B1/tok', (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
    http.routes.set('POST /services/T1/B1/bad', (_req, res) => res.writeHead(400).end('invalid_payload'));
    const ok = await deliver(
      { kind: 'slack', url: `${base}/services/T1/B1/tok` },
      { ...update, body: '**Impact:** checkout <slow> & [status](https://status.example.com)' },
    );
    expect(ok).toEqual({ ok: true, detail: 'HTTP 200 ok' });
    expect(JSON.parse(http.received[0].body)).toEqual({
      text: '*Some card payments are failing*\n\n*Impact:* checkout &lt;slow&gt; &amp; <https://status.example.com|status>',
    });
    const bad = await deliver({ kind: 'slack', url: `${base}/services/T1/B1/bad` }, update);
    expect(bad).toEqual({ ok: false, retryable: false, error: expect.stringContaining('Slack refused the update (HTTP 400 invalid_payload)') });
  });

  it('creates a status-page incident, then updates it', async () => {
    http.routes.set('POST /v1/pages/page-1/incidents', (_req, res) =>
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'sp-99', name: 'x' })),
    );
    http.routes.set('PATCH /v1/pages/page-1/incidents/sp-99', (_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: 'sp-99' })),
    );
    const channel: StatuspageChannel = { kind: 'statuspage', baseUrl: `${base}/v1/`, pageId: 'page-1', apiKey: 'key-123', componentIds: ['c1', 'c2'] };
    const created = await deliver(channel, update);
    expect(created).toEqual({ ok: true, detail: 'HTTP 201: status-page incident sp-99 created', remoteId: 'sp-99' });
    const [post] = http.received;
    expect(post.method).toBe('POST');
    expect(post.headers.authorization).toBe('OAuth key-123');
    expect(JSON.parse(post.body)).toEqual({
      incident: {
        name: 'Some card payments are failing',
        status: 'identified',
        body: 'What is affected: card payments at checkout\n\nCurrent status: we have found the cause\n\nNext update by 14:35 UTC.',
        component_ids: ['c1', 'c2'],
      },
    });

    const updated = await deliver({ ...channel, incidentId: 'sp-99' }, { ...update, updateId: 'upd-43', body: 'Payments work again.', status: 'mitigated' });
    expect(updated).toEqual({ ok: true, detail: 'HTTP 200: status-page incident sp-99 updated', remoteId: 'sp-99' });
    const patch = http.received[1];
    expect(patch.method).toBe('PATCH');
    expect(patch.path).toBe('/v1/pages/page-1/incidents/sp-99');
    expect(patch.headers.authorization).toBe('OAuth key-123');
    expect(JSON.parse(patch.body)).toEqual({ incident: { status: 'monitoring', body: 'Payments work again.' } });

    const wrongKey = await deliver({ ...channel, pageId: 'nope' }, update);
    expect(wrongKey).toMatchObject({ ok: false, retryable: false, error: expect.stringContaining('check the base URL and the page id') });
    const badStatus = await deliver(channel, { ...update, status: 'panicking' });
    expect(badStatus).toEqual({ ok: false, retryable: false, error: 'A status page knows no status "panicking": use investigating, identified, monitoring, resolved' });
  });
});

describe('a receiver that is down and comes back', () => {
  it('fails retryably while down, then delivers on the same port', async () => {
    const receiver = httpReceiver();
    const port = await receiver.listen();
    await receiver.close();
    const channel: ChannelConfig = { kind: 'webhook', url: `http://127.0.0.1:${port}/hook` };
    const down = await deliver(channel, update);
    expect(down).toEqual({ ok: false, retryable: true, error: expect.stringContaining(`Could not reach 127.0.0.1:${port}: connection refused`) });

    const again = httpReceiver();
    again.routes.set('POST /hook', (_req, res) => res.writeHead(204).end());
    await again.listen(port);
    try {
      expect(await deliver(channel, update)).toEqual({ ok: true, detail: 'HTTP 204' });
      expect(again.received[0].headers['idempotency-key']).toBe('upd-42:webhook');
    } finally {
      await again.close();
    }
  });
});

describe('e-mail', () => {
  it('sends a plain-text message with the deterministic Message-ID', async () => {
    const smtp = smtpReceiver();
    const port = await smtp.listen();
    try {
      const result = await deliver(
        { kind: 'email', host: '127.0.0.1', port, secure: false, from: 'status@example.com', to: ['execs@example.com', 'support@example.com'] },
        update,
      );
      expect(result).toMatchObject({ ok: true, remoteId: '<upd-42@holdfast>' });
      expect(result.ok && result.detail).toMatch(/^250 Message accepted/);
      expect(smtp.mails).toHaveLength(1);
      const [mail] = smtp.mails;
      expect(mail.from).toBe('status@example.com');
      expect(mail.to).toEqual(['execs@example.com', 'support@example.com']);
      const [head, ...rest] = mail.raw.split('\r\n\r\n');
      expect(head).toMatch(/^Subject: Some card payments are failing$/m);
      expect(head).toMatch(/^Message-ID: <upd-42@holdfast>$/m);
      expect(head).toMatch(/^Content-Type: text\/plain/m);
      expect(rest.join('\r\n\r\n').replace(/\r\n/g, '\n')).toBe(plain);
    } finally {
      await smtp.close();
    }
  });

  it('treats a 5xx rejection as final and a 4xx one as retryable', async () => {
    for (const [responseCode, retryable] of [
      [550, false],
      [451, true],
    ] as const) {
      const smtp = smtpReceiver({ responseCode, message: 'Mailbox unavailable' });
      const port = await smtp.listen();
      try {
        const result = await deliver({ kind: 'email', host: '127.0.0.1', port, secure: false, from: 'status@example.com', to: ['gone@example.com'] }, update);
        expect(result).toEqual({
          ok: false,
          retryable,
          error: expect.stringContaining(`The mail server 127.0.0.1:${port} refused the message (${responseCode} Mailbox unavailable`),
        });
        expect(smtp.mails).toHaveLength(0);
      } finally {
        await smtp.close();
      }
    }
  });

  it('fails retryably when the mail server is down', async () => {
    const smtp = smtpReceiver();
    const port = await smtp.listen();
    await smtp.close();
    const result = await deliver({ kind: 'email', host: '127.0.0.1', port, secure: false, from: 'status@example.com', to: ['execs@example.com'] }, update, {
      timeoutMs: 2_000,
    });
    expect(result).toEqual({ ok: false, retryable: true, error: expect.stringContaining(`Could not reach the mail server 127.0.0.1:${port}: connection refused`) });
  });
});

describe('configuration', () => {
  const problems = (input: unknown) => {
    const parsed = channelConfig.safeParse(input);
    return parsed.success ? [] : channelConfigProblems(parsed.error);
  };

  it('accepts each kind of channel', () => {
    expect(problems({ kind: 'webhook', url: 'https://hooks.example.com/x', secretHeader: { name: 'X-Secret', value: 'v' } })).toEqual([]);
    expect(problems({ kind: 'slack', url: 'https://hooks.slack.com/services/T/B/X' })).toEqual([]);
    expect(
      problems({ kind: 'email', host: 'smtp.example.com', port: 587, secure: false, user: 'u', password: 'p', from: 'a@example.com', to: ['b@example.com'] }),
    ).toEqual([]);
    expect(problems({ kind: 'statuspage', baseUrl: 'https://api.statuspage.io/v1', pageId: 'p', apiKey: 'k', incidentId: 'i', componentIds: ['c'] })).toEqual([]);
  });

  it('rejects bad addresses, ports and recipients with readable messages', () => {
    expect(problems({ kind: 'webhook', url: 'not a url' })).toEqual(['url is not a web address: give one like https://hooks.example.com/holdfast']);
    expect(problems({ kind: 'slack', url: 'ftp://hooks.slack.com/x' })).toEqual([
      'url must start with https:// (or http://), not ftp://: give an address like https://hooks.slack.com/services/T000/B000/XXXX',
    ]);
    expect(problems({ kind: 'email', host: 'smtp.example.com', port: 70000, secure: false, from: 'nobody', to: [] })).toEqual([
      'port must be between 1 and 65535: 465 with secure, 587 or 25 without',
      'from must be an e-mail address like ops@example.com',
      'to has no recipients: give at least one address',
    ]);
    expect(problems({ kind: 'email', host: 'smtp.example.com', port: 25, secure: false, from: 'a@example.com', to: ['ok@example.com', 'bad'] })).toEqual([
      'to.1 must be an e-mail address like ops@example.com',
    ]);
    expect(problems({ kind: 'statuspage', baseUrl: 'https://api.statuspage.io/v1', pageId: ' ', apiKey: 'k' })).toEqual([
      'pageId is empty: give the page id from the status page API settings',
    ]);
    expect(problems({ kind: 'webhook', url: 'https://x.example.com', secretHeader: { name: 'Idempotency-Key', value: 'v' } })[0]).toMatch(
      /^secretHeader\.name must not be one Holdfast sets itself/,
    );
    expect(problems({ kind: 'pigeon' })).toEqual(['kind must be webhook, slack, email, statuspage, not "pigeon"']);
    expect(problems({ url: 'https://x.example.com' })).toEqual(['kind is missing: use webhook, slack, email, statuspage']);
    expect(problems(null)).toEqual(['The channel must be an object like { kind: webhook | slack | email | statuspage, … }']);
    expect(problems({ kind: 'slack', url: 'https://hooks.slack.com/x', token: 'y' })).toEqual(['The channel has no field token: use kind, url']);
  });

  it('turns a bad configuration into a failed delivery instead of throwing', async () => {
    const result = await deliver({ kind: 'webhook', url: 'mailto:x@example.com' }, update);
    expect(result).toEqual({ ok: false, retryable: false, error: expect.stringMatching(/^The webhook channel is misconfigured: url must start with https:\/\//) });
  });
});

describe('redactConfig', () => {
  it('hides passwords, keys, secret header values and token paths', () => {
    expect(redactConfig({ kind: 'slack', url: 'https://hooks.slack.com/services/T1/B2/abc' })).toEqual({ kind: 'slack', url: 'https://hooks.slack.com/••••' });
    expect(redactConfig({ kind: 'webhook', url: 'https://user:pw@hooks.example.com/in/tok?sig=1', secretHeader: { name: 'X-Secret', value: 'v' } })).toEqual({
      kind: 'webhook',
      url: 'https://••••@hooks.example.com/••••',
      secretHeader: { name: 'X-Secret', value: '••••' },
    });
    expect(redactConfig({ kind: 'webhook', url: 'https://hooks.example.com' })).toEqual({ kind: 'webhook', url: 'https://hooks.example.com' });
    expect(
      redactConfig({ kind: 'email', host: 'smtp.example.com', port: 465, secure: true, user: 'ops', password: 'hunter2', from: 'a@example.com', to: ['b@example.com'] }),
    ).toEqual({
      kind: 'email',
      host: 'smtp.example.com',
      port: 465,
      secure: true,
      user: 'ops',
      password: '••••',
      from: 'a@example.com',
      to: ['b@example.com'],
    });
    expect(redactConfig({ kind: 'statuspage', baseUrl: 'https://api.statuspage.io/v1', pageId: 'p', apiKey: 'k' })).toEqual({
      kind: 'statuspage',
      baseUrl: 'https://api.statuspage.io/v1',
      pageId: 'p',
      apiKey: '••••',
    });
  });
});
