// Inbound webhooks (docs/integrations.md): paging vendors tell the central service that a page was
// acknowledged or resolved, and it lands on the incident's timeline as an automatic entry, written
// and signed by the service as pipeline events are. Each request is checked first: PagerDuty's
// X-PagerDuty-Signature (HMAC-SHA256, v1=…) or the generic webhook's X-Holdfast-Signature
// (sha256=…) over the raw body, or the shared token (Authorization: Bearer … or X-Holdfast-Token)
// that Opsgenie and Grafana OnCall send as a custom header. The incident and the team come from the
// dedup key Holdfast paged with (holdfast:<incidentId>:<teamId>); a vendor's retry of the same event
// is recorded once.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Json } from '@shared/canonical';
import { parsePageDedupKey } from '@shared/domain/integrations';
import { directoryStream, entitySpecs, incidentStream } from '@shared/entities';
import { uuidv7 } from '@shared/ids';
import { installJsonErrors, mountRateLimit } from '@shared/node/http-errors';
import type { SyncStore } from './storage/sync-store';
import type { TrustIssuer } from './trust/issue';

export const inboundVendors = ['pagerduty', 'opsgenie', 'grafana-oncall', 'webhook'] as const;
export type InboundVendor = (typeof inboundVendors)[number];
const vendorNames: Record<InboundVendor, string> = { pagerduty: 'PagerDuty', opsgenie: 'Opsgenie', 'grafana-oncall': 'Grafana OnCall', webhook: 'The paging webhook' };

export interface InboundOptions {
  store: SyncStore;
  trust?: TrustIssuer;
  now?: () => number;
  /** The shared secret (HMAC key or token); default HOLDFAST_INBOUND_WEBHOOK_SECRET. Without one the routes answer 404. */
  secret?: string;
  onAdvanced?: (streamIds: string[]) => void;
  rateLimitPerMinute?: number;
  rateLimitKey?: (request: FastifyRequest) => Promise<string>;
}

type Reply = { status: number; body: Json };
const fail = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

/** What an inbound event says: acknowledged or resolved, by whom, under which dedup key; or why it is ignored. */
export type InboundEvent = { action: 'acknowledged' | 'resolved'; by: string | null; dedupKey: string | null; eventId: string | null } | { ignored: string };

const str = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const obj = (value: unknown): Record<string, unknown> => (typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {});

/** The first string anywhere in `value` that is one of Holdfast's page dedup keys. */
function findDedupKey(value: unknown, depth = 0): string | null {
  if (depth > 8) return null;
  if (typeof value === 'string') return parsePageDedupKey(value) ? value : null;
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = findDedupKey(item, depth + 1);
      if (found) return found;
    }
    return null;
  }
  if (typeof value === 'object' && value !== null)
    for (const item of Object.values(value)) {
      const found = findDedupKey(item, depth + 1);
      if (found) return found;
    }
  return null;
}

/** Reads each vendor's documented webhook payload. */
export function readInboundEvent(vendor: InboundVendor, body: unknown): InboundEvent {
  const root = obj(body);
  switch (vendor) {
    case 'pagerduty': {
      // Webhooks v3: { event: { id, event_type: "incident.acknowledged" | "incident.resolved", agent, data } }.
      const event = obj(root.event);
      const type = str(event.event_type);
      const action = type === 'incident.acknowledged' ? 'acknowledged' : type === 'incident.resolved' ? 'resolved' : null;
      if (!action) return { ignored: `event_type ${type ?? '(none)'} is not an acknowledgement or a resolution` };
      const data = obj(event.data);
      return { action, by: str(obj(event.agent).summary), dedupKey: str(data.incident_key) ?? findDedupKey(data), eventId: str(event.id) };
    }
    case 'opsgenie': {
      // Webhook integration: { action: "Acknowledge" | "Close" | …, alert: { alertId, alias, username } }.
      const type = str(root.action);
      const action = type === 'Acknowledge' ? 'acknowledged' : type === 'Close' ? 'resolved' : null;
      if (!action) return { ignored: `action ${type ?? '(none)'} is not Acknowledge or Close` };
      const alert = obj(root.alert);
      return { action, by: str(alert.username), dedupKey: str(alert.alias) ?? findDedupKey(alert), eventId: null };
    }
    case 'grafana-oncall': {
      // Outgoing webhook: { event: { type: "acknowledge" | "resolve" }, user: { username }, alert_group, alert_payload }.
      const type = str(obj(root.event).type);
      const action = type === 'acknowledge' ? 'acknowledged' : type === 'resolve' ? 'resolved' : null;
      if (!action) return { ignored: `event type ${type ?? '(none)'} is not acknowledge or resolve` };
      return { action, by: str(obj(root.user).username), dedupKey: str(obj(root.alert_payload).alert_uid) ?? findDedupKey(root), eventId: null };
    }
    case 'webhook': {
      // Generic: { action: "acknowledged" | "resolved", dedupKey, by?, eventId? }.
      const type = str(root.action);
      if (type !== 'acknowledged' && type !== 'resolved') return { ignored: `action ${type ?? '(none)'} is not acknowledged or resolved` };
      return { action: type, by: str(root.by), dedupKey: str(root.dedupKey), eventId: str(root.eventId) };
    }
  }
}

const same = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};
const hmac = (secret: string, raw: string) => createHmac('sha256', secret).update(raw).digest('hex');
const header = (request: FastifyRequest, name: string): string => {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : (value ?? '');
};

/** Why the request is not from the vendor (null when its signature or token checks out). */
export function inboundAuthRefusal(vendor: InboundVendor, secret: string, raw: string, headerOf: (name: string) => string): string | null {
  if (vendor === 'pagerduty') {
    const given = headerOf('x-pagerduty-signature');
    if (!given) return 'no X-PagerDuty-Signature header: configure the webhook subscription with the secret the service was given';
    const expected = `v1=${hmac(secret, raw)}`;
    return given.split(',').some((s) => same(s.trim(), expected)) ? null : 'the X-PagerDuty-Signature does not match the body under the configured secret';
  }
  if (vendor === 'webhook') {
    const given = headerOf('x-holdfast-signature');
    if (!given) return 'no X-Holdfast-Signature header: sign the raw body as sha256=HMAC-SHA256(secret, body) in hex';
    return same(given.trim(), `sha256=${hmac(secret, raw)}`) ? null : 'the X-Holdfast-Signature does not match the body under the configured secret';
  }
  const bearer = /^Bearer\s+(.+)$/i.exec(headerOf('authorization'))?.[1]?.trim() ?? '';
  const token = headerOf('x-holdfast-token').trim() || bearer;
  if (!token) return 'no token: add the header "Authorization: Bearer <secret>" (or X-Holdfast-Token) to the outgoing webhook';
  return same(token, secret) ? null : 'the token does not match the configured secret';
}

export async function mountInboundWebhooks(app: FastifyInstance, options: InboundOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const secret = options.secret ?? process.env.HOLDFAST_INBOUND_WEBHOOK_SECRET ?? '';
  const { store } = options;
  await app.register(async (scope) => {
    await mountRateLimit(scope, { perMinute: options.rateLimitPerMinute, keyOf: options.rateLimitKey });
    installJsonErrors(scope, { tooLargeMessage: 'request body is larger than 256 KiB: a webhook event is a few fields' });
    // The raw body is what signatures cover: parsed here, after the check.
    scope.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string' }, (_request, body, done) => done(null, body));
    scope.post<{ Params: { vendor: string } }>('/v1/inbound/:vendor', { bodyLimit: 256 * 1024 }, async (request, reply) => {
      const answer = await handle(request.params.vendor, typeof request.body === 'string' ? request.body : '', (name) => header(request, name));
      return reply.code(answer.status).send(answer.body);
    });
  });

  async function handle(vendorName: string, raw: string, headerOf: (name: string) => string): Promise<Reply> {
    if (!secret) return fail(404, 'not_found', 'inbound webhooks are off on this service: start it with HOLDFAST_INBOUND_WEBHOOK_SECRET set');
    if (!(inboundVendors as readonly string[]).includes(vendorName))
      return fail(404, 'not_found', `no inbound webhook for "${vendorName}": use /v1/inbound/${inboundVendors.join(', /v1/inbound/')}`);
    const vendor = vendorName as InboundVendor;
    const refused = inboundAuthRefusal(vendor, secret, raw, headerOf);
    if (refused) return fail(401, 'unauthorized', refused);
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      return fail(400, 'bad_request', 'the body is not JSON');
    }
    const event = readInboundEvent(vendor, body);
    if ('ignored' in event) return { status: 202, body: { ignored: event.ignored } };
    const parsed = parsePageDedupKey(event.dedupKey);
    if (!parsed) return { status: 202, body: { ignored: 'no Holdfast dedup key (holdfast:<incidentId>:<teamId>) in the event: it is not a page Holdfast sent' } };
    const streamId = incidentStream(parsed.incidentId);
    const incidentOps = await store.readOpsByEntity(['incident'], streamId);
    if (incidentOps.length === 0) return fail(404, 'not_found', `no incident ${parsed.incidentId} on this service`);
    const teams = await store.readOpsByEntity(['team'], directoryStream);
    const named = [...teams].reverse().find((op) => op.rowId === parsed.teamId && typeof op.fields.name === 'string')?.fields.name;
    const teamName = typeof named === 'string' ? named : parsed.teamId;
    // Whoever the vendor names goes on one line of the timeline: no control characters, at most 200 characters.
    const by = (event.by ?? '')
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .trim()
      .slice(0, 200);
    const who = by ? ` by ${by}` : '';
    const text = `${vendorNames[vendor]}: the page of ${teamName} was ${event.action}${who}.`;
    const at = now();
    const opId = uuidv7(at);
    const fingerprint = createHash('sha256').update(raw).digest('hex');
    // The sends of that page show it too (acknowledged / resolved, by whom), not only the timeline.
    const sendRows = sendsOfPage(await store.readOpsByEntity(['integration_send'], streamId), event.dedupKey!, event.action);
    const detail = `${event.action === 'acknowledged' ? 'Acknowledged' : 'Resolved'} in ${vendorNames[vendor].replace(/^The /, 'the ')}${who}`.slice(0, 2000);

    const key = event.eventId ?? `${event.action}:${fingerprint}`;
    const drafts = [
      {
        opId,
        streamId,
        actorId: `inbound-${vendor}`,
        entity: 'timeline_entry' as const,
        rowId: opId,
        kind: 'append' as const,
        fields: { incidentId: parsed.incidentId, kind: 'system', text, eventAt: at, source: `integration:${vendor}` },
      },
      ...sendRows.map((rowId, i) => ({
        opId: uuidv7(at + i + 1),
        streamId,
        actorId: `inbound-${vendor}`,
        entity: 'integration_send' as const,
        rowId,
        kind: 'set' as const,
        fields: { incidentId: parsed.incidentId, state: event.action, detail },
      })),
    ];
    // Checked as every laptop checks them: an op they would all refuse is not written.
    for (const draft of drafts) {
      const checked = entitySpecs[draft.entity].fields.safeParse(draft.fields);
      if (!checked.success) {
        const issue = checked.error.issues[0];
        return fail(400, 'bad_request', `the event cannot be recorded: ${draft.entity}.${issue.path.join('.')}: ${issue.message}`);
      }
    }
    const written = await store.writeAsService(
      {
        drafts,
        idempotency: { userName: `inbound-${vendor}`, key: key.slice(0, 200), fingerprint },
        reply: (statuses) => (statuses[0] === 'gone' ? fail(410, 'gone', `incident ${parsed.incidentId} was purged`) : { status: 200, body: { entryId: opId, text } }),
        signer: options.trust ? await options.trust.signer() : undefined,
      },
      at,
    );
    if (written.outcome === 'conflict') return fail(409, 'conflict', 'this event id was recorded before with another body');
    if (written.outcome === 'replayed') return written.reply;
    options.onAdvanced?.([...new Set(written.ops.map((op) => op.streamId))]);
    return written.reply;
  }
}

/** The rows of the sends of one page (by dedup key) an inbound event updates: all of them when it is resolved; when acknowledged, those not resolved already. */
function sendsOfPage(ops: readonly { rowId: string; fields: Record<string, unknown> }[], dedupKey: string, action: 'acknowledged' | 'resolved'): string[] {
  const rows = new Map<string, { isPage: boolean; state: unknown }>();
  for (const op of ops) {
    const row = rows.get(op.rowId) ?? { isPage: false, state: undefined };
    if (op.fields.dedupKey === dedupKey) row.isPage = true;
    if (op.fields.state !== undefined) row.state = op.fields.state;
    rows.set(op.rowId, row);
  }
  return [...rows].filter(([, row]) => row.isPage && (action === 'resolved' || row.state !== 'resolved')).map(([rowId]) => rowId);
}
