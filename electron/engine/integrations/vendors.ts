// Sends one integration send to one target in the vendor's documented request shape, and says what
// came of it (http.ts): paging (PagerDuty Events API v2, Opsgenie Alert API, a Grafana IRM/OnCall
// formatted webhook, a generic signed webhook), chat (Slack, Microsoft Teams workflow, Mattermost
// incoming webhooks) and trackers (tracker-vendors.ts). Nothing here throws or keeps state.
import { createHmac } from 'node:crypto';
import { targetConfig, targetConfigProblems, targetKindNames, type ConfigOf, type TargetConfig } from '@shared/domain/integrations';
import { defaultSendTimeoutMs, excerpt, httpFailure, isSuccess, jsonOf, request, type HttpOptions, type SendResult } from './http';
import { sendToTracker } from './tracker-vendors';

/** What the outbox hands a vendor: the send's content and what is known of the item already. */
export interface OutgoingSend {
  /** incidentId/sendId/targetId: the idempotency key of the request. */
  rowId: string;
  incidentId: string;
  incidentTitle: string;
  /** sev1 … sev4, when the incident has one. */
  severity: string | null;
  title: string;
  text: string;
  /** Where the incident opens (the link back). */
  link: string;
  dedupKey: string | null;
  teamName: string | null;
  requestedBy: string;
  /** The vendor's id of the item this send updates (trackers), if it was filed before. */
  remoteId: string | null;
  /** Paging: 'resolve' closes the alert the dedup key names (the incident was resolved); default 'trigger'. */
  action?: 'trigger' | 'resolve';
}

export interface SendOptions {
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** Sends `send` to the target configured as `config` (its secrets filled in). Never throws. */
export async function sendToTarget(config: TargetConfig, send: OutgoingSend, options: SendOptions = {}): Promise<SendResult> {
  const http: HttpOptions = { timeoutMs: options.timeoutMs ?? defaultSendTimeoutMs, fetch: options.fetch ?? globalThis.fetch };
  try {
    const parsed = targetConfig.safeParse(config);
    if (!parsed.success) return { ok: false, retryable: false, error: `The integration target is misconfigured: ${targetConfigProblems(parsed.error).join('; ')}` };
    const target = parsed.data;
    switch (target.kind) {
      case 'pagerduty':
        return await pagerduty(target, send, http);
      case 'opsgenie':
        return await opsgenie(target, send, http);
      case 'grafana-oncall':
        return await grafana(target, send, http);
      case 'page-webhook':
        return await pageWebhook(target, send, http);
      case 'slack':
        return await slack(target, send, http);
      case 'teams':
        return await teams(target, send, http);
      case 'mattermost':
        return await mattermost(target, send, http);
      case 'jira':
      case 'linear':
      case 'github':
        return await sendToTracker(target, send, http);
    }
  } catch (error) {
    return { ok: false, retryable: true, error: `Sending failed unexpectedly: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const clip = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const pagerdutySeverity: Record<string, string> = { sev1: 'critical', sev2: 'error', sev3: 'warning', sev4: 'info' };
const opsgeniePriority: Record<string, string> = { sev1: 'P1', sev2: 'P2', sev3: 'P3', sev4: 'P4' };

// ─── Paging ───────────────────────────────────────────────────────────────────────────────────────

/** PagerDuty Events API v2: POST /v2/enqueue, trigger with the team's dedup key; 202 "success". */
async function pagerduty(target: ConfigOf<'pagerduty'>, send: OutgoingSend, http: HttpOptions): Promise<SendResult> {
  const url = target.url ?? 'https://events.pagerduty.com/v2/enqueue';
  if (send.action === 'resolve') {
    const answer = await request(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ routing_key: target.routingKey, event_action: 'resolve', dedup_key: send.dedupKey }),
      },
      http,
    );
    if (!answer.ok) return answer.failure;
    if (isSuccess(answer.status)) return { ok: true, detail: `HTTP ${answer.status}: resolved` };
    return httpFailure('PagerDuty', answer.status, answer.body);
  }
  const body = {
    routing_key: target.routingKey,
    event_action: 'trigger',
    ...(send.dedupKey ? { dedup_key: send.dedupKey } : {}),
    payload: {
      summary: clip(send.title, 1024),
      source: 'holdfast',
      severity: pagerdutySeverity[send.severity ?? ''] ?? 'critical',
      component: send.teamName ?? undefined,
      custom_details: { incident: send.incidentTitle, text: send.text, requestedBy: send.requestedBy, link: send.link },
    },
    client: 'Holdfast',
    client_url: send.link,
    links: [{ href: send.link, text: `Holdfast: ${send.incidentTitle}` }],
  };
  const answer = await request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, http);
  if (!answer.ok) return answer.failure;
  const said = jsonOf(answer.body);
  if (isSuccess(answer.status) && said?.status === 'success') {
    const key = typeof said.dedup_key === 'string' ? said.dedup_key : (send.dedupKey ?? undefined);
    return { ok: true, detail: `HTTP ${answer.status}: ${typeof said.message === 'string' ? said.message : 'Event processed'}`, ...(key ? { remoteId: key } : {}) };
  }
  if (isSuccess(answer.status))
    return {
      ok: false,
      retryable: false,
      error: `PagerDuty answered HTTP ${answer.status} without "success": ${excerpt(answer.body)}; check the address is the Events API v2`,
    };
  const hint = answer.status === 400 ? 'check the routing key (the integration key of an Events API v2 integration)' : undefined;
  return httpFailure('PagerDuty', answer.status, answer.body, hint);
}

/** Opsgenie Alert API: POST /v2/alerts with `GenieKey`, the dedup key as alias; 202 with a requestId. */
async function opsgenie(target: ConfigOf<'opsgenie'>, send: OutgoingSend, http: HttpOptions): Promise<SendResult> {
  const url = `${(target.baseUrl ?? 'https://api.opsgenie.com').replace(/\/+$/, '')}/v2/alerts`;
  if (send.action === 'resolve') {
    // Close by alias: POST /v2/alerts/{alias}/close?identifierType=alias.
    const closeUrl = `${url}/${encodeURIComponent(clip(send.dedupKey ?? '', 512))}/close?identifierType=alias`;
    const headers = { 'content-type': 'application/json', authorization: `GenieKey ${target.apiKey}` };
    const answer = await request(closeUrl, { method: 'POST', headers, body: JSON.stringify({ source: 'Holdfast', note: `Resolved in Holdfast: ${send.link}` }) }, http);
    if (!answer.ok) return answer.failure;
    if (isSuccess(answer.status)) return { ok: true, detail: `HTTP ${answer.status}: closed` };
    return httpFailure('Opsgenie', answer.status, answer.body);
  }
  const body = {
    message: clip(send.title, 130),
    ...(send.dedupKey ? { alias: clip(send.dedupKey, 512) } : {}),
    description: clip(`${send.text}\n\n${send.link}`, 15000),
    ...(target.team ? { responders: [{ name: target.team, type: 'team' }] } : {}),
    source: 'Holdfast',
    priority: opsgeniePriority[send.severity ?? ''] ?? 'P1',
    details: { incident: send.incidentTitle, link: send.link, requestedBy: send.requestedBy },
  };
  const headers = { 'content-type': 'application/json', authorization: `GenieKey ${target.apiKey}` };
  const answer = await request(url, { method: 'POST', headers, body: JSON.stringify(body) }, http);
  if (!answer.ok) return answer.failure;
  if (isSuccess(answer.status)) {
    const requestId = jsonOf(answer.body)?.requestId;
    return { ok: true, detail: `HTTP ${answer.status}: ${excerpt(answer.body)}`, ...(typeof requestId === 'string' ? { remoteId: requestId } : {}) };
  }
  const hint =
    answer.status === 401 || answer.status === 403
      ? 'check the API key (the key of an Opsgenie API integration)'
      : answer.status === 422
        ? 'Opsgenie refused the alert: check the team name'
        : undefined;
  return httpFailure('Opsgenie', answer.status, answer.body, hint);
}

/** Grafana IRM/OnCall formatted webhook: alert_uid groups the pages of one team in one incident. */
async function grafana(target: ConfigOf<'grafana-oncall'>, send: OutgoingSend, http: HttpOptions): Promise<SendResult> {
  const body = {
    alert_uid: send.dedupKey ?? send.rowId,
    title: send.title,
    state: send.action === 'resolve' ? 'ok' : 'alerting',
    link_to_upstream_details: send.link,
    message: send.text,
  };
  const answer = await request(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, http);
  if (!answer.ok) return answer.failure;
  if (isSuccess(answer.status)) return { ok: true, detail: `HTTP ${answer.status}${answer.body.trim() ? `: ${excerpt(answer.body)}` : ''}`, remoteId: body.alert_uid };
  return httpFailure('Grafana OnCall', answer.status, answer.body, answer.status === 404 ? 'check the integration URL (it names the integration)' : undefined);
}

/** HMAC-SHA256 of `body` under `secret`, as the generic webhook signs (and the inbound webhook checks). */
export const webhookSignature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

/** A generic paging webhook: JSON signed in X-Holdfast-Signature, with an Idempotency-Key. */
async function pageWebhook(target: ConfigOf<'page-webhook'>, send: OutgoingSend, http: HttpOptions): Promise<SendResult> {
  const body = JSON.stringify({
    type: send.action === 'resolve' ? 'resolve' : 'page',
    incidentId: send.incidentId,
    incidentTitle: send.incidentTitle,
    team: send.teamName,
    dedupKey: send.dedupKey,
    title: send.title,
    text: send.text,
    link: send.link,
    severity: send.severity,
    requestedBy: send.requestedBy,
  });
  const headers = { 'content-type': 'application/json', 'idempotency-key': send.rowId, 'x-holdfast-signature': webhookSignature(target.secret, body) };
  const answer = await request(target.url, { method: 'POST', headers, body }, http);
  if (!answer.ok) return answer.failure;
  if (isSuccess(answer.status)) return { ok: true, detail: `HTTP ${answer.status}${answer.body.trim() ? `: ${excerpt(answer.body)}` : ''}` };
  return httpFailure(`The webhook at ${new URL(target.url).host}`, answer.status, answer.body);
}

// ─── Chat ─────────────────────────────────────────────────────────────────────────────────────────

const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack incoming webhook: { text, blocks }; Slack answers "ok". */
async function slack(target: ConfigOf<'slack'>, send: OutgoingSend, http: HttpOptions): Promise<SendResult> {
  const text = `*${slackEscape(send.title)}*\n${slackEscape(send.text)}`;
  const body = {
    text: `${send.title}: ${send.text}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: clip(text, 3000) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `<${send.link}|Open ${slackEscape(send.incidentTitle)} in Holdfast>` }] },
    ],
  };
  const answer = await request(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, http);
  if (!answer.ok) return answer.failure;
  const said = answer.body.trim();
  if (isSuccess(answer.status) && said === 'ok') return { ok: true, detail: `HTTP ${answer.status} ok` };
  if (isSuccess(answer.status))
    return { ok: false, retryable: false, error: `Slack answered HTTP ${answer.status} but not "ok": ${excerpt(answer.body)}; check the webhook URL` };
  return httpFailure('Slack', answer.status, answer.body, 'check the webhook URL, and that its app and channel still exist');
}

/** Microsoft Teams workflow webhook ("When a Teams webhook request is received"): a message with an Adaptive Card. */
async function teams(target: ConfigOf<'teams'>, send: OutgoingSend, http: HttpOptions): Promise<SendResult> {
  const body = {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: send.title, weight: 'Bolder', size: 'Medium', wrap: true },
            { type: 'TextBlock', text: send.text, wrap: true },
          ],
          actions: [{ type: 'Action.OpenUrl', title: 'Open in Holdfast', url: send.link }],
        },
      },
    ],
  };
  const answer = await request(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, http);
  if (!answer.ok) return answer.failure;
  if (isSuccess(answer.status)) return { ok: true, detail: `HTTP ${answer.status}` };
  return httpFailure('Microsoft Teams', answer.status, answer.body, 'check the workflow URL (and that the workflow is on)');
}

/** Mattermost incoming webhook: { text } in Markdown, optionally to a channel. */
async function mattermost(target: ConfigOf<'mattermost'>, send: OutgoingSend, http: HttpOptions): Promise<SendResult> {
  const body = {
    text: `**${send.title}**\n${send.text}\n[Open ${send.incidentTitle} in Holdfast](${send.link})`,
    username: 'Holdfast',
    ...(target.channel ? { channel: target.channel } : {}),
  };
  const answer = await request(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, http);
  if (!answer.ok) return answer.failure;
  if (isSuccess(answer.status)) return { ok: true, detail: `HTTP ${answer.status}${answer.body.trim() ? `: ${excerpt(answer.body)}` : ''}` };
  return httpFailure('Mattermost', answer.status, answer.body, 'check the webhook URL');
}

export const kindName = (config: TargetConfig) => targetKindNames[config.kind];
