// Delivery channels for published stakeholder updates: a generic webhook, a Slack incoming webhook,
// e-mail over SMTP and a Statuspage-compatible API. One call delivers one update to one channel and
// says whether it arrived, and if not, whether trying again later can help: the outbox retries the
// retryable failures and shows the others to a person. Nothing here throws or keeps state.
import { createTransport } from 'nodemailer';
import {
  channelConfig,
  channelConfigProblems,
  channelKinds,
  type ChannelConfig,
  type EmailChannel,
  type SlackChannel,
  type StatuspageChannel,
  type WebhookChannel,
} from '@shared/domain/channels';
import { audiences, formatUpdateTime, markdownToPlainText, type Audience } from '@shared/domain/comms';
import { errorText, httpRequest, networkReason, seconds, type HttpAnswer, type HttpOptions } from '../core/http-request';

// ─── Delivering ───────────────────────────────────────────────────────────────────────────────────

/** A published update as the outbox hands it to a channel. */
export interface OutgoingUpdate {
  updateId: string;
  incidentId: string;
  audience: Audience;
  title: string;
  /** Markdown (see UpdateTemplate). */
  body: string;
  /** UTC ms. */
  publishedAt: number;
  /** Statuspage status: investigating, identified, monitoring or resolved (Holdfast's mitigated and closed are mapped). */
  status?: string;
}

export type DeliveryResult =
  /** `detail` is what the receiver said ("HTTP 200", "250 Message accepted"); `remoteId` what it calls the update. */
  | { ok: true; detail: string; remoteId?: string }
  /** `retryable`: the same delivery may succeed later (receiver down, busy, slow); false needs a person. */
  | { ok: false; error: string; retryable: boolean };

export interface DeliverOptions {
  /** Give up after this long (default 15 s); a timeout is retryable. */
  timeoutMs?: number;
  /** The fetch to use (default: the global one). */
  fetch?: typeof fetch;
}

export const defaultTimeoutMs = 15_000;

const statuspageStatuses = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
const statusAliases: Record<string, (typeof statuspageStatuses)[number]> = { mitigated: 'monitoring', closed: 'resolved' };

/**
 * Delivers one update to one channel. Never throws: a bad configuration, a refused connection, a
 * timeout or a rejection all come back as `{ ok: false, error, retryable }`. Each delivery of the
 * same update carries the same idempotency key (webhook) or Message-ID (e-mail), so a receiver can
 * recognise a retry.
 *
 * - webhook: POST JSON { updateId, incidentId, audience, title, body, text, publishedAt (ISO) }.
 * - slack: POST { text } in Slack's mrkdwn; Slack answers "ok".
 * - email: one SMTP message, plain text only, Message-ID `<updateId@holdfast>`.
 * - statuspage: PATCH the configured incident, else POST a new one; `remoteId` is its id.
 *
 * HTTP 2xx is delivered; 408, 429, 5xx and network failures are retryable; other 4xx are not. SMTP
 * 4xx replies and connection failures are retryable; 5xx replies are not.
 */
export async function deliver(config: ChannelConfig, update: OutgoingUpdate, options: DeliverOptions = {}): Promise<DeliveryResult> {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  try {
    const parsed = channelConfig.safeParse(config);
    if (!parsed.success)
      return { ok: false, retryable: false, error: `The ${kindName(config)} channel is misconfigured: ${channelConfigProblems(parsed.error).join('; ')}` };
    if (!audiences.includes(update.audience))
      return { ok: false, retryable: false, error: `The update has no audience Holdfast knows ("${String(update.audience)}"): use ${audiences.join(', ')}` };
    const channel = parsed.data;
    const http = { timeoutMs, fetch: options.fetch ?? globalThis.fetch };
    switch (channel.kind) {
      case 'webhook':
        return await deliverWebhook(channel, update, http);
      case 'slack':
        return await deliverSlack(channel, update, http);
      case 'email':
        return await deliverEmail(channel, update, timeoutMs);
      case 'statuspage':
        return await deliverStatuspage(channel, update, http);
    }
  } catch (error) {
    // Nothing above should throw; if something does, the outbox still gets an answer it can act on.
    return { ok: false, retryable: true, error: `Delivery failed unexpectedly: ${errorText(error)}` };
  }
}

function kindName(config: unknown): string {
  const kind = (config as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && (channelKinds as readonly string[]).includes(kind) ? kind : 'delivery';
}

/** The update in plain text: title, body and when it was published (the customer form of asPlainText). */
export function plainTextOf(update: OutgoingUpdate): string {
  return `${markdownToPlainText(update.title.trim())}\n\n${markdownToPlainText(update.body.trim())}\n\nPublished ${formatUpdateTime(update.publishedAt)}\n`;
}

/**
 * Markdown to Slack's mrkdwn, minimally: &, < and > escaped as Slack requires, **bold** and __bold__
 * → *bold*, [label](url) → <url|label>. Italics (_x_), bullets and line breaks read the same.
 */
export function toSlackMrkdwn(markdown: string): string {
  return markdown
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\[([^\]\n]+)\]\(\s*(https?:\/\/[^)\s]+)\s*\)/g, (_m, label: string, url: string) => `<${url}|${label}>`)
    .replace(/\*\*(?=\S)(.+?)(?<=\S)\*\*/g, '*$1*')
    .replace(/(?<![\p{L}\p{N}_])__(?=\S)(.+?)(?<=\S)__(?![\p{L}\p{N}_])/gu, '*$1*');
}

/** One request to a channel's receiver (core/http-request); a failure that may pass sends the update again. */
function request(url: string, init: { method: string; headers: Record<string, string>; body: string }, http: HttpOptions): Promise<HttpAnswer> {
  return httpRequest(url, init, http, 'the update will be sent again');
}

/** At most 200 characters of an answer, on one line, for error messages. */
function excerpt(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  if (line === '') return '(empty answer)';
  return line.length > 200 ? `"${line.slice(0, 200)}…"` : `"${line}"`;
}

/** 408, 429 and 5xx are worth another try; other 4xx (and 3xx, as we do not follow redirects) are not. */
function httpFailure(where: string, status: number, body: string, hint?: string): DeliveryResult & { ok: false } {
  const retryable = status === 408 || status === 429 || status >= 500;
  const advice =
    hint ??
    (retryable
      ? 'the update will be sent again'
      : status >= 300 && status < 400
        ? 'the address redirects: configure the final address'
        : 'check the channel configuration');
  return { ok: false, retryable, error: `${where} answered HTTP ${status}: ${excerpt(body)}; ${advice}` };
}

async function deliverWebhook(channel: WebhookChannel, update: OutgoingUpdate, http: HttpOptions): Promise<DeliveryResult> {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'idempotency-key': `${update.updateId}:webhook` };
  if (channel.secretHeader) headers[channel.secretHeader.name] = channel.secretHeader.value;
  const payload = {
    updateId: update.updateId,
    incidentId: update.incidentId,
    audience: update.audience,
    title: update.title,
    body: update.body,
    text: plainTextOf(update),
    publishedAt: new Date(update.publishedAt).toISOString(),
  };
  const answer = await request(channel.url, { method: 'POST', headers, body: JSON.stringify(payload) }, http);
  if (!answer.ok) return answer.failure;
  // What the receiver answered, kept with the delivery: its status and the start of its body.
  if (answer.status >= 200 && answer.status < 300)
    return { ok: true, detail: answer.body.trim() ? `HTTP ${answer.status}: ${excerpt(answer.body)}` : `HTTP ${answer.status}` };
  return httpFailure(`The webhook at ${new URL(channel.url).host}`, answer.status, answer.body);
}

// Slack's answers that no retry fixes: the webhook is gone, the channel archived, the payload wrong.
const slackPermanent = new Set([
  'invalid_payload',
  'no_text',
  'no_service',
  'no_service_id',
  'no_team',
  'team_disabled',
  'invalid_token',
  'channel_not_found',
  'channel_is_archived',
  'action_prohibited',
  'posting_to_general_channel_denied',
  'user_not_found',
  'too_many_attachments',
]);

async function deliverSlack(channel: SlackChannel, update: OutgoingUpdate, http: HttpOptions): Promise<DeliveryResult> {
  const message = `*${toSlackMrkdwn(update.title.trim())}*\n\n${toSlackMrkdwn(update.body.trim())}`;
  const answer = await request(channel.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: message }) }, http);
  if (!answer.ok) return answer.failure;
  const said = answer.body.trim();
  if (answer.status >= 200 && answer.status < 300 && said === 'ok') return { ok: true, detail: `HTTP ${answer.status} ok` };
  if (slackPermanent.has(said)) {
    return {
      ok: false,
      retryable: false,
      error: `Slack refused the update (HTTP ${answer.status} ${said}): check the webhook URL, and that its app and channel still exist`,
    };
  }
  if (answer.status >= 200 && answer.status < 300)
    return {
      ok: false,
      retryable: false,
      error: `Slack answered HTTP ${answer.status} but not "ok": ${excerpt(answer.body)}; check the webhook URL is a Slack incoming webhook`,
    };
  return httpFailure('Slack', answer.status, answer.body);
}

async function deliverStatuspage(channel: StatuspageChannel, update: OutgoingUpdate, http: HttpOptions): Promise<DeliveryResult> {
  let status: string | undefined;
  if (update.status !== undefined) {
    const wanted = update.status.trim().toLowerCase();
    status = statusAliases[wanted] ?? wanted;
    if (!(statuspageStatuses as readonly string[]).includes(status)) {
      return { ok: false, retryable: false, error: `A status page knows no status "${update.status}": use ${statuspageStatuses.join(', ')}` };
    }
  }
  const base = `${channel.baseUrl.replace(/\/+$/, '')}/pages/${encodeURIComponent(channel.pageId)}/incidents`;
  const headers = { authorization: `OAuth ${channel.apiKey}`, 'content-type': 'application/json', accept: 'application/json' };
  const body = markdownToPlainText(update.body.trim());
  const isUpdate = channel.incidentId !== undefined;
  const url = isUpdate ? `${base}/${encodeURIComponent(channel.incidentId as string)}` : base;
  const incident = isUpdate
    ? { ...(status ? { status } : {}), body }
    : {
        name: markdownToPlainText(update.title.trim()),
        status: status ?? 'investigating',
        body,
        ...(channel.componentIds?.length ? { component_ids: channel.componentIds } : {}),
      };
  const answer = await request(url, { method: isUpdate ? 'PATCH' : 'POST', headers, body: JSON.stringify({ incident }) }, http);
  if (!answer.ok) return answer.failure;
  const where = `The status page at ${new URL(channel.baseUrl).host}`;
  if (answer.status < 200 || answer.status >= 300) {
    const hint =
      answer.status === 401 || answer.status === 403
        ? 'check the API key and the page id'
        : answer.status === 404
          ? isUpdate
            ? 'check the page id and the status-page incident id'
            : 'check the base URL and the page id'
          : undefined;
    return httpFailure(where, answer.status, answer.body, hint);
  }
  let remoteId: string | undefined;
  try {
    const id = (JSON.parse(answer.body) as { id?: unknown } | null)?.id;
    if (typeof id === 'string' && id !== '') remoteId = id;
  } catch {
    // An answer that is not JSON leaves only what we asked for.
  }
  remoteId ??= channel.incidentId;
  if (!remoteId)
    return {
      ok: false,
      retryable: false,
      error: `${where} answered HTTP ${answer.status} without an incident id: ${excerpt(answer.body)}; check the base URL points at a Statuspage-compatible API`,
    };
  return { ok: true, detail: `HTTP ${answer.status}: status-page incident ${remoteId} ${isUpdate ? 'updated' : 'created'}`, remoteId };
}

interface SmtpError {
  code?: string;
  originalCode?: string;
  responseCode?: number;
  response?: string;
  message?: string;
}

async function deliverEmail(channel: EmailChannel, update: OutgoingUpdate, timeoutMs: number): Promise<DeliveryResult> {
  const where = `${channel.host}:${channel.port}`;
  const transport = createTransport({
    host: channel.host,
    port: channel.port,
    secure: channel.secure,
    ...(channel.user ? { auth: { user: channel.user, pass: channel.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const sent = transport.sendMail({
      from: channel.from,
      to: channel.to,
      subject: markdownToPlainText(update.title.trim()).replace(/\s+/g, ' '),
      text: plainTextOf(update),
      messageId: `<${update.updateId}@holdfast>`,
      date: new Date(update.publishedAt),
    });
    const outcome = await Promise.race([sent, deadline]);
    if (outcome === 'timeout') {
      sent.catch(() => {}); // closing the transport below fails it; nobody waits for it any more
      return {
        ok: false,
        retryable: true,
        error: `The mail server ${where} did not finish within ${seconds(timeoutMs)}: it may be overloaded or unreachable; the update will be sent again`,
      };
    }
    const rejected = (outcome.rejected ?? []).map(String);
    const response = (outcome.response ?? '').trim() || '250 accepted';
    return {
      ok: true,
      detail: rejected.length > 0 ? `${response} (not accepted for ${rejected.join(', ')})` : response,
      remoteId: `<${update.updateId}@holdfast>`,
    };
  } catch (error) {
    return emailFailure(where, error as SmtpError);
  } finally {
    clearTimeout(timer);
    transport.close();
  }
}

function emailFailure(where: string, error: SmtpError): DeliveryResult & { ok: false } {
  const reply = (error.response ?? '').replace(/\s+/g, ' ').trim();
  if (typeof error.responseCode === 'number' && error.responseCode >= 400) {
    const retryable = error.responseCode < 500;
    const hint =
      error.code === 'EAUTH'
        ? 'check the SMTP user name and password'
        : retryable
          ? 'the update will be sent again'
          : 'check the sender, the recipients and the server settings';
    return { ok: false, retryable, error: `The mail server ${where} refused the message (${reply || error.responseCode}): ${hint}` };
  }
  switch (error.code) {
    case 'ECONNECTION':
    case 'ESOCKET':
    case 'ETIMEDOUT':
    case 'EDNS': {
      const detail = error.originalCode ? networkReason({ code: error.originalCode, message: error.message }) : (error.message ?? error.code);
      return { ok: false, retryable: true, error: `Could not reach the mail server ${where}: ${detail}; the update will be sent again` };
    }
    case 'ETLS':
      return { ok: false, retryable: false, error: `TLS with the mail server ${where} failed (${error.message}): set secure to true for port 465, false for 587 or 25` };
    case 'EAUTH':
      return { ok: false, retryable: false, error: `The mail server ${where} refused the login (${error.message}): check the SMTP user name and password` };
    case 'EENVELOPE':
    case 'EMESSAGE':
      return { ok: false, retryable: false, error: `The message could not be sent via ${where}: ${error.message}; check the sender and the recipients` };
    default:
      return { ok: false, retryable: true, error: `Sending via the mail server ${where} failed: ${error.message ?? 'no reason given'}; the update will be sent again` };
  }
}
