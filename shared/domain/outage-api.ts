// When everything else is down: war rooms found on the local network (DNS-SD over multicast DNS),
// the break-glass kit each laptop keeps, and outage mode (the service and the organisation's own
// health checks all failing). The engine calls are registered in shared/contract.ts.
import { z } from 'zod';
import type { SyncStatus } from './sync-status';

const id = z.string().min(1).max(200);
const noArgs = z.object({}).strict();

/** The DNS-SD service type a hub announces: `_holdfast._tcp`. */
export const discoveryServiceType = 'holdfast';
/** The runbook tag that puts a runbook into the break-glass kit. */
export const breakGlassTag = 'break-glass';
/** org_setting keys: the health-check URLs (one per line) and each template's pre-approved mark. */
export const healthChecksKey = 'outage.healthChecks';
export const holdingMarkKey = (templateId: string) => `kit.holding:${templateId}`;
/** The most health checks an organisation configures. */
export const maxHealthChecks = 10;

/** A war room a hub announces on this network. */
export interface NearbyWarRoom {
  /** The DNS-SD instance name: what joinNearby names. */
  id: string;
  /** The incident the room is for (the host's newest open incident), or "War room". */
  title: string;
  /** Who hosts it (the host's user name) and on which computer. */
  hostedBy: string;
  hostName: string;
  /** The address this laptop would join: https://address:port. */
  url: string;
  addresses: string[];
  port: number;
  /** The SHA-256 fingerprint of the hub's TLS certificate, as announced: the pin a join uses. */
  fingerprint: string;
  seenAt: number;
}

export interface NearbyStatus {
  /** False where multicast cannot run here (then `reason` says why): type the address instead. */
  isAvailable: boolean;
  reason: string | null;
  rooms: NearbyWarRoom[];
  /** What this laptop announces, when it hosts a war room. */
  announcing: { id: string; title: string } | null;
}

export const joinNearbyRequest = z
  .object({
    id,
    code: z.string({ error: 'must be text' }).trim().min(4, { error: 'type the join code the host reads out' }).max(64),
    /** The fingerprint the host reads out, when the person typed it: it must equal the announced one. */
    fingerprint: z.string({ error: 'must be text' }).trim().max(200).optional(),
  })
  .strict();

export const healthCheckUrl = z
  .string({ error: 'must be text' })
  .trim()
  .url({ error: 'must be a URL such as https://sso.example.com/health' })
  .refine((u) => /^https?:\/\//.test(u), { error: 'must start with http:// or https://' });

export const setHealthChecksRequest = z
  .object({
    checks: z
      .array(z.object({ name: z.string().trim().min(1, { error: 'name the check (SSO, chat, status page…)' }).max(60), url: healthCheckUrl }).strict())
      .max(maxHealthChecks, { error: `at most ${maxHealthChecks} health checks` }),
  })
  .strict();
export type HealthCheck = z.output<typeof setHealthChecksRequest>['checks'][number];

export const setHoldingMarkRequest = z.object({ templateId: id, isPreApproved: z.boolean() }).strict();

export interface CheckResult {
  name: string;
  url: string;
  isUp: boolean;
  /** Why it counts as down, in words. */
  detail: string;
  checkedAt: number;
}

export interface OutageStatus {
  /** The service and every configured health check failed on the last probe. */
  isOutage: boolean;
  since: number | null;
  /** The central service as the sync client sees it: null when this laptop has none. */
  service: { url: string; isUp: boolean; detail: string } | null;
  checks: CheckResult[];
  checkedAt: number | null;
}

export interface KitInfo {
  /** When the kit now kept on this laptop was made, and what it holds. */
  generatedAt: number;
  signedBy: string;
  sha256: string;
  counts: { teams: number; bridges: number; people: number; runbooks: number; statements: number };
  /** Where the laptop keeps it. */
  path: string;
}

export interface KitFile {
  fileName: string;
  html: string;
  info: KitInfo;
}

const spec = <S extends z.ZodType, R>(request: S) => ({ request }) as { request: S; readonly response?: R };

export const outageCalls = {
  /** War rooms announced on this network (starts listening on first call). */
  'hub.nearby': spec<typeof noArgs, NearbyStatus>(noArgs),
  /** Joins an announced war room: its code, pinned to the fingerprint it announced. */
  'hub.joinNearby': spec<typeof joinNearbyRequest, SyncStatus>(joinNearbyRequest),
  'outage.status': spec<typeof noArgs, OutageStatus>(noArgs),
  /** Probes the service and the health checks now. */
  'outage.check': spec<typeof noArgs, OutageStatus>(noArgs),
  'outage.healthChecks': spec<typeof noArgs, HealthCheck[]>(noArgs),
  'outage.setHealthChecks': spec<typeof setHealthChecksRequest, HealthCheck[]>(setHealthChecksRequest),
  'kit.info': spec<typeof noArgs, KitInfo>(noArgs),
  /** The kit as one self-contained HTML file, regenerated now. */
  'kit.file': spec<typeof noArgs, KitFile>(noArgs),
  /** Template ids marked as pre-approved holding statements. */
  'kit.holdingTemplates': spec<typeof noArgs, string[]>(noArgs),
  'kit.setHolding': spec<typeof setHoldingMarkRequest, string[]>(setHoldingMarkRequest),
};
