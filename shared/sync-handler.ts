// The /v1 sync protocol as one transport-free request handler. The central service and the
// war-room hub mount it on their HTTP servers, so both answer every request the same way: the
// same authentication, validation and `{error: {code, message}}` bodies with fitting statuses.
import type { z } from 'zod';
import {
  describeEventIssues,
  eventRoles,
  freezeQuery,
  idempotencyKeyPattern,
  pipelineEvent,
  type EventTarget,
  type FreezeStatus,
  type PipelineEvent,
} from './domain/pipeline';
import { scopeOfQuery, scopeQuery, type ScopeSettings } from './replica-scope';
import { readRefusal, writeRefusal, type Role } from './roles';
import { certRequest, type CertRequest, type TrustRootResponse } from './trust/protocol';
import {
  claimRequest,
  joinRequest,
  pullQuery,
  pushRequest,
  settleRequest,
  type ClaimRequest,
  type ClaimResponse,
  type HubChallenge,
  type JoinRefusal,
  type JoinRequest,
  type JoinResponse,
  type PullResponse,
  type PushResult,
  type SettleRequest,
  type SettleResponse,
  type StreamHead,
  type WhoAmI,
} from './sync';

export interface Principal {
  name: string;
  role: Role;
}

export interface SyncBackend {
  readonly node: WhoAmI['node'];
  /** This node's clock (sent with every reply, so replicas measure their offset); Date.now when absent. */
  now?(): number;
  authenticate(token: string): Promise<Principal | null>;
  push(principal: Principal, ops: unknown[]): Promise<PushResult[]>;
  pull(principal: Principal, streamId: string, after: number, limit: number, skipDevice?: string): Promise<PullResponse>;
  /**
   * The streams the principal may read; with `scope`, only the incident streams of a laptop's replica
   * scope (shared/replica-scope). Any readable stream may still be pulled and pushed.
   */
  streams(principal: Principal, scope?: ScopeSettings | null): Promise<StreamHead[]>;
  ready(): Promise<boolean>;
  /** Hubs only: a fresh nonce to sign for a join (GET /v1/hub/challenge). */
  challenge?(): Promise<HubChallenge>;
  /** Hubs only: trade the room's join code and a proof of the device key for a token, or say why not. */
  join?(request: JoinRequest): Promise<JoinResponse | JoinRefusal>;
  /**
   * Why this node does not serve `streamId` to the principal although the role may read it (a
   * war-room hub keeps delivery channels to the service), or null. Consulted with the role rules.
   */
  streamRefusal?(principal: Principal, streamId: string): string | null;
  /**
   * Delivery coordination: one compare-and-set on the delivery's key. Present on the service, and on
   * a hub that was given a coordinator; without it the routes answer 404.
   */
  claimDelivery?(principal: Principal, request: ClaimRequest): Promise<ClaimResponse>;
  settleDelivery?(principal: Principal, request: SettleRequest): Promise<SettleResponse>;
  /** The service only (pipelineRoutes): the active deployment freezes covering `scopes` (null: any). */
  freezes?(principal: Principal, scopes: string[] | null): Promise<FreezeStatus>;
  /** The service only (pipelineRoutes): writes an event to its incidents' timelines; the reply to send. */
  postEvent?(principal: Principal, target: EventTarget, event: PipelineEvent, idempotencyKey: string | null): Promise<SyncReply>;
  /** The service with an org key only: the org keys clients pin (GET /v1/trust/root); else 404. */
  trustRoot?(): Promise<TrustRootResponse>;
  /** The service with an org key only: certifies the requesting device (POST /v1/certs); the reply to send. */
  issueCertificate?(principal: Principal, request: CertRequest): Promise<SyncReply>;
}

/** Who may claim and settle deliveries: the people who publish stakeholder updates. */
export const deliveryRoles: readonly Role[] = ['admin', 'commander', 'comms'];

/** Why `principal` may not read `streamId` from `backend`: its role's rules first, then the node's. */
export function pullRefusal(backend: SyncBackend, principal: Principal, streamId: string): string | null {
  return readRefusal(principal.role, streamId) ?? backend.streamRefusal?.(principal, streamId) ?? null;
}

export interface SyncRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  query: Record<string, unknown>;
  authorization: string | undefined;
  body: unknown;
}

/**
 * One page of a stream for a pull: `rows` were read with `limit + 1` to learn whether more follow.
 * A stored refusal stays behind: every receiver judges each op for itself.
 */
export function pageOf<T extends { seq: number; deviceId: string; refusal?: string | null }>(rows: T[], after: number, limit: number, skipDevice?: string): PullResponse {
  const page = rows.slice(0, limit);
  return {
    ops: page.filter((op) => op.deviceId !== skipDevice).map(({ seq: _seq, refusal: _refusal, ...op }) => op as unknown as PullResponse['ops'][number]),
    cursor: page.length > 0 ? page[page.length - 1].seq : after,
    hasMore: rows.length > limit,
  };
}

export interface SyncReply {
  status: number;
  body: unknown;
}

const fail = (status: number, code: string, message: string): SyncReply => ({ status, body: { error: { code, message } } });

function issues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
}

export function bearerToken(authorization: string | undefined): string | null {
  const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
  return match ? match[1] : null;
}

/** Every route of the protocol, for hosts to mount: [method, path]. */
export const syncRoutes = [
  ['GET', '/healthz'],
  ['GET', '/readyz'],
  ['GET', '/v1/hub/challenge'],
  ['POST', '/v1/hub/join'],
  ['GET', '/v1/trust/root'],
  ['GET', '/v1/me'],
  ['POST', '/v1/certs'],
  ['GET', '/v1/sync/streams'],
  ['GET', '/v1/sync/pull'],
  ['POST', '/v1/sync/push'],
  ['POST', '/v1/outbox/claim'],
  ['POST', '/v1/outbox/settle'],
] as const;

/** The routes anyone may call: health, joining a hub, and the org keys (checked before a token is sent). */
const publicRoutes = new Set(['GET /healthz', 'GET /readyz', 'GET /v1/hub/challenge', 'POST /v1/hub/join', 'GET /v1/trust/root']);
/** The routes that need a token (all the others). */
const authenticatedRoutes = new Set(syncRoutes.map(([method, path]) => `${method} ${path}`).filter((route) => !publicRoutes.has(route)));

export async function handleSync(backend: SyncBackend, request: SyncRequest): Promise<SyncReply> {
  const { method, path } = request;
  if (method === 'GET' && path === '/healthz') return { status: 200, body: { ok: true, node: backend.node } };
  if (method === 'GET' && path === '/readyz') {
    const isReady = await backend.ready().catch(() => false);
    return isReady ? { status: 200, body: { ok: true } } : fail(503, 'unavailable', 'storage is not reachable');
  }
  if (method === 'POST' && path === '/v1/hub/join') {
    if (!backend.join) return fail(404, 'not_found', 'this node is not a war-room hub');
    const parsed = joinRequest.safeParse(request.body);
    if (!parsed.success) return fail(400, 'bad_request', issues(parsed.error));
    const joined = await backend.join(parsed.data);
    if ('token' in joined) return { status: 200, body: joined };
    return fail(joined.status, ({ 401: 'unauthorized', 403: 'forbidden', 409: 'conflict', 429: 'rate_limited' } as const)[joined.status], joined.message);
  }
  if (method === 'GET' && path === '/v1/hub/challenge') {
    return backend.challenge ? { status: 200, body: await backend.challenge() } : fail(404, 'not_found', 'this node is not a war-room hub');
  }

  if (method === 'GET' && path === '/v1/trust/root') {
    return backend.trustRoot
      ? { status: 200, body: await backend.trustRoot() }
      : fail(404, 'not_found', 'this node does not issue certificates; ask the central service');
  }

  if (!authenticatedRoutes.has(`${method} ${path}`)) return fail(404, 'not_found', `no route ${method} ${path}`);

  const token = bearerToken(request.authorization);
  const principal = token ? await backend.authenticate(token) : null;
  if (!principal) return fail(401, 'unauthorized', 'missing, unknown or revoked token: send Authorization: Bearer <token>');

  if (path === '/v1/me') {
    const orgKeyId = (await backend.trustRoot?.())?.orgKeyId;
    return { status: 200, body: { name: principal.name, role: principal.role, node: backend.node, ...(orgKeyId && { orgKeyId }) } satisfies WhoAmI };
  }
  // Pipeline tokens never sync: every sync route refuses them with the role's own reason.
  if (path === '/v1/certs') return certify(backend, principal, request.body);
  if (principal.role === 'pipeline' && path.startsWith('/v1/sync/')) {
    const reason =
      path === '/v1/sync/push'
        ? writeRefusal(principal.role, { entity: 'timeline_entry', streamId: '', fields: {} })
        : readRefusal(principal.role, typeof request.query.stream === 'string' ? request.query.stream : '');
    return fail(403, 'forbidden', `${principal.name} is a pipeline token: ${reason}`);
  }
  if (path === '/v1/sync/streams') {
    const parsed = scopeQuery.safeParse(request.query);
    if (!parsed.success) return fail(400, 'bad_request', issues(parsed.error));
    return { status: 200, body: { streams: await backend.streams(principal, scopeOfQuery(parsed.data)) } };
  }
  if (path === '/v1/sync/pull') {
    const parsed = pullQuery.safeParse(request.query);
    if (!parsed.success) return fail(400, 'bad_request', issues(parsed.error));
    const { stream, after, limit, skipDevice } = parsed.data;
    const refusal = pullRefusal(backend, principal, stream);
    if (refusal) return fail(403, 'forbidden', refusal);
    return { status: 200, body: await backend.pull(principal, stream, after, limit, skipDevice) };
  }
  if (path === '/v1/outbox/claim' || path === '/v1/outbox/settle') return coordinate(backend, principal, path, request.body);
  // POST /v1/sync/push. Any token but a pipeline's may relay ops: each is judged by its own
  // signature and its signer's certificate, never by who pushed it.
  const parsed = pushRequest.safeParse(request.body);
  if (!parsed.success) return fail(400, 'bad_request', issues(parsed.error));
  const results = await backend.push(principal, parsed.data.ops);
  const refusedAll = results.length > 0 && results.every((r) => r.status === 'rejected' && r.reason.startsWith('forbidden:'));
  if (refusedAll) {
    return { status: 403, body: { error: { code: 'forbidden', message: `${principal.name} may not write these ops` }, results } };
  }
  return { status: 200, body: { results } };
}

/** POST /v1/certs, for an authenticated principal. */
async function certify(backend: SyncBackend, principal: Principal, body: unknown): Promise<SyncReply> {
  if (!backend.issueCertificate) return fail(404, 'not_found', 'this node does not issue certificates; ask the central service');
  // A pipeline posts events over HTTP with its token and never holds a device key of its own.
  if (principal.role === 'pipeline') return fail(403, 'forbidden', `${principal.name} is a pipeline token: pipelines get no device certificate`);
  const parsed = certRequest.safeParse(body);
  if (!parsed.success) return fail(400, 'bad_request', issues(parsed.error));
  return backend.issueCertificate(principal, parsed.data);
}

/** POST /v1/outbox/claim and /v1/outbox/settle, for an authenticated principal. */
async function coordinate(backend: SyncBackend, principal: Principal, path: '/v1/outbox/claim' | '/v1/outbox/settle', body: unknown): Promise<SyncReply> {
  if (!backend.claimDelivery || !backend.settleDelivery) return fail(404, 'not_found', 'this node does not coordinate deliveries');
  if (!deliveryRoles.includes(principal.role)) {
    return fail(403, 'forbidden', `${principal.name} is a ${principal.role}; only admins, commanders and comms leads may claim or settle deliveries`);
  }
  if (path === '/v1/outbox/claim') {
    const parsed = claimRequest.safeParse(body);
    if (!parsed.success) return fail(400, 'bad_request', issues(parsed.error));
    return { status: 200, body: await backend.claimDelivery(principal, parsed.data) };
  }
  const parsed = settleRequest.safeParse(body);
  if (!parsed.success) return fail(400, 'bad_request', issues(parsed.error));
  const settled = await backend.settleDelivery(principal, parsed.data);
  return settled.ok ? { status: 200, body: { ok: true } } : fail(409, 'conflict', settled.reason);
}

// --- pipelines (docs/pipelines.md) ------------------------------------------------------------------

/**
 * The routes for CI/CD pipelines, [method, path] with Fastify's `:param`s. The central service
 * mounts them (server/pipeline-routes.ts); a war-room hub does not.
 */
export const pipelineRoutes = [
  ['GET', '/v1/freeze'],
  ['POST', '/v1/incidents/:incidentId/events'],
  ['POST', '/v1/services/:service/events'],
] as const;

export interface PipelineRequest extends SyncRequest {
  /** The Idempotency-Key header, if sent. */
  idempotencyKey: string | undefined;
}

const eventPath = /^\/v1\/(incidents|services)\/([^/]+)\/events$/;

/** Where an event path points, or null when it is not one (or its name cannot be decoded). */
function eventTarget(path: string): EventTarget | null | 'undecodable' {
  const match = eventPath.exec(path);
  if (!match) return null;
  let name: string;
  try {
    name = decodeURIComponent(match[2]);
  } catch {
    return 'undecodable';
  }
  return match[1] === 'incidents' ? { kind: 'incident', incidentId: name } : { kind: 'service', service: name.trim() };
}

export async function handlePipeline(backend: SyncBackend, request: PipelineRequest): Promise<SyncReply> {
  const { method, path } = request;
  const target = eventTarget(path);
  const isFreeze = method === 'GET' && path === '/v1/freeze';
  if (!isFreeze && !(method === 'POST' && target !== null)) return fail(404, 'not_found', `no route ${method} ${path}`);

  const token = bearerToken(request.authorization);
  const principal = token ? await backend.authenticate(token) : null;
  if (!principal) return fail(401, 'unauthorized', 'missing, unknown or revoked token: send Authorization: Bearer <token>');

  // Every role may ask whether deployments are frozen.
  if (isFreeze) {
    if (!backend.freezes) return fail(404, 'not_found', 'this node does not answer freeze checks; ask the central service');
    const parsed = freezeQuery.safeParse(request.query);
    if (!parsed.success) return fail(400, 'bad_request', issues(parsed.error));
    return { status: 200, body: await backend.freezes(principal, parsed.data.scope ?? null) };
  }

  if (!backend.postEvent) return fail(404, 'not_found', 'this node does not take events; post them to the central service');
  if (!eventRoles.includes(principal.role)) {
    return fail(403, 'forbidden', `${principal.name} is a ${principal.role}; only pipeline tokens, commanders and admins may post events`);
  }
  if (target === 'undecodable' || target === null) return fail(400, 'bad_request', 'path: the incident id or service name is not valid URL encoding');
  if (target.kind === 'service' && (target.service === '' || target.service.length > 100))
    return fail(400, 'bad_request', 'path: the service name must be 1 to 100 characters');
  const parsed = pipelineEvent.safeParse(request.body);
  if (!parsed.success) return fail(400, 'bad_request', describeEventIssues(parsed.error));
  const event = parsed.data;
  const header = request.idempotencyKey;
  if (header !== undefined && !idempotencyKeyPattern.test(header)) {
    return fail(400, 'bad_request', 'Idempotency-Key: must be 1 to 200 visible ASCII characters (no spaces)');
  }
  if (header !== undefined && event.idempotencyKey !== undefined && header !== event.idempotencyKey) {
    return fail(400, 'bad_request', 'idempotencyKey: differs from the Idempotency-Key header; send the key once, or the same in both');
  }
  if (target.kind === 'service' && event.service !== undefined && event.service.toLowerCase() !== target.service.toLowerCase()) {
    return fail(400, 'bad_request', `service: "${event.service}" differs from the service in the path ("${target.service}"); leave it out`);
  }
  return backend.postEvent(principal, target, event, header ?? event.idempotencyKey ?? null);
}
