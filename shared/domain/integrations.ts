// Integration targets: where the war room pages a team (PagerDuty, Opsgenie, Grafana OnCall, a
// generic webhook), mirrors its timeline (Slack, Microsoft Teams, Mattermost) and files action items
// (Jira, Linear, GitHub Issues). A target's configuration names its secrets by field; the synced form
// shows them as '••••' and the values stay on the laptops that set them, as channel secrets do.
import { z } from 'zod';
import { forbiddenHostReason } from './url-safety';

export const pagingKinds = ['pagerduty', 'opsgenie', 'grafana-oncall', 'page-webhook'] as const;
export const chatKinds = ['slack', 'teams', 'mattermost'] as const;
export const trackerKinds = ['jira', 'linear', 'github'] as const;
export const targetKinds = [...pagingKinds, ...chatKinds, ...trackerKinds] as const;
export type TargetKind = (typeof targetKinds)[number];

/** What a target is for: paging a team, mirroring an incident to chat, filing action items. */
export const targetPurposes = ['page', 'mirror', 'track'] as const;
export type TargetPurpose = (typeof targetPurposes)[number];

export const purposeOf = (kind: TargetKind): TargetPurpose =>
  (pagingKinds as readonly string[]).includes(kind) ? 'page' : (chatKinds as readonly string[]).includes(kind) ? 'mirror' : 'track';

export const targetKindNames: Record<TargetKind, string> = {
  pagerduty: 'PagerDuty (Events API v2)',
  opsgenie: 'Opsgenie (Alert API)',
  'grafana-oncall': 'Grafana IRM / OnCall (formatted webhook)',
  'page-webhook': 'Generic paging webhook',
  slack: 'Slack (incoming webhook)',
  teams: 'Microsoft Teams (workflow webhook)',
  mattermost: 'Mattermost (incoming webhook)',
  jira: 'Jira Cloud (REST v3)',
  linear: 'Linear (GraphQL)',
  github: 'GitHub Issues',
};

const httpUrl = z
  .string()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === 'https:' || url.protocol === 'http:';
    } catch {
      return false;
    }
  }, 'must be an http(s) address')
  .superRefine((value, ctx) => {
    const reason = forbiddenHostReason(value);
    if (reason) ctx.addIssue({ code: 'custom', message: `must not point at ${reason}: give the service's own address` });
  });
const secret = z.string().min(1).max(500);
const name = z.string().min(1).max(200);

export const pagerdutyTarget = z.object({ kind: z.literal('pagerduty'), routingKey: secret, url: httpUrl.optional() }).strict();
export const opsgenieTarget = z.object({ kind: z.literal('opsgenie'), apiKey: secret, baseUrl: httpUrl.optional(), team: name.optional() }).strict();
export const grafanaTarget = z.object({ kind: z.literal('grafana-oncall'), url: httpUrl }).strict();
export const pageWebhookTarget = z.object({ kind: z.literal('page-webhook'), url: httpUrl, secret }).strict();
export const slackTarget = z.object({ kind: z.literal('slack'), url: httpUrl }).strict();
export const teamsTarget = z.object({ kind: z.literal('teams'), url: httpUrl }).strict();
export const mattermostTarget = z.object({ kind: z.literal('mattermost'), url: httpUrl, channel: name.optional() }).strict();
export const jiraTarget = z
  .object({ kind: z.literal('jira'), baseUrl: httpUrl, email: name, apiToken: secret, projectKey: z.string().min(1).max(40), issueType: name.optional() })
  .strict();
export const linearTarget = z.object({ kind: z.literal('linear'), apiKey: secret, teamId: z.string().min(1).max(100), url: httpUrl.optional() }).strict();
export const githubTarget = z
  .object({ kind: z.literal('github'), owner: z.string().min(1).max(100), repo: z.string().min(1).max(100), token: secret, apiUrl: httpUrl.optional() })
  .strict();

export const targetConfig = z.discriminatedUnion('kind', [
  pagerdutyTarget,
  opsgenieTarget,
  grafanaTarget,
  pageWebhookTarget,
  slackTarget,
  teamsTarget,
  mattermostTarget,
  jiraTarget,
  linearTarget,
  githubTarget,
]);
export type TargetConfig = z.infer<typeof targetConfig>;
export type ConfigOf<K extends TargetKind> = Extract<TargetConfig, { kind: K }>;

/** The fields of each kind that hold a secret: a key, a token, or an address that is itself the credential. */
export const secretFields: Record<TargetKind, readonly string[]> = {
  pagerduty: ['routingKey'],
  opsgenie: ['apiKey'],
  'grafana-oncall': ['url'],
  'page-webhook': ['url', 'secret'],
  slack: ['url'],
  teams: ['url'],
  mattermost: ['url'],
  jira: ['apiToken'],
  linear: ['apiKey'],
  github: ['token'],
};

export const redacted = '••••';

/** A secret address shown as its origin and '/••••'; any other secret as '••••'. */
function redactValue(field: string, value: string): string {
  if (!/url$/i.test(field)) return redacted;
  try {
    return `${new URL(value).origin}/${redacted}`;
  } catch {
    return redacted;
  }
}

/** The configuration as it syncs: every secret field hidden. */
export function redactTarget(config: TargetConfig): TargetConfig {
  const shown: Record<string, unknown> = { ...config };
  for (const field of secretFields[config.kind]) {
    const value = shown[field];
    if (typeof value === 'string') shown[field] = redactValue(field, value);
  }
  return shown as TargetConfig;
}

/** The secret values of a full configuration, by field. */
export function targetSecrets(config: TargetConfig): Record<string, string> {
  const values: Record<string, string> = {};
  for (const field of secretFields[config.kind]) {
    const value = (config as Record<string, unknown>)[field];
    if (typeof value === 'string') values[field] = value;
  }
  return values;
}

/** The full configuration from the shown one and held values; null when they do not fit together. */
export function joinTarget(shown: TargetConfig, values: Record<string, string>): TargetConfig | null {
  const full: Record<string, unknown> = { ...shown };
  for (const field of secretFields[shown.kind]) {
    if (typeof values[field] !== 'string') return null;
    full[field] = values[field];
  }
  const parsed = targetConfig.safeParse(full);
  if (!parsed.success) return null;
  return sameConfig(redactTarget(parsed.data), shown) ? parsed.data : null;
}

/** Whether two configurations are the same, whatever order their fields come in (synced ones come sorted). */
export function sameConfig(a: TargetConfig, b: TargetConfig): boolean {
  const sorted = (config: TargetConfig) => JSON.stringify(Object.fromEntries(Object.entries(config).sort(([x], [y]) => (x < y ? -1 : 1))));
  return sorted(a) === sorted(b);
}

/** Each problem of a configuration, in words that say what to fix. */
export function targetConfigProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.join('.');
    return path ? `${path}: ${issue.message}` : issue.message;
  });
}

/**
 * The vendor dedup key of paging `teamId` for `incidentId`: the same for every page of that team in
 * that incident (PagerDuty dedup_key, Opsgenie alias, Grafana alert_uid), so paging twice updates
 * the one alert; the inbound webhook reads the incident back out of it.
 */
export const pageDedupKey = (incidentId: string, teamId: string) => `holdfast:${incidentId}:${teamId}`;

/** The incident and team a dedup key names, or null when it is not one of ours. */
export function parsePageDedupKey(key: unknown): { incidentId: string; teamId: string } | null {
  if (typeof key !== 'string') return null;
  const match = /^holdfast:([A-Za-z0-9_-]{1,100}):([A-Za-z0-9_.-]{1,100})$/.exec(key);
  return match ? { incidentId: match[1], teamId: match[2] } : null;
}

/** Where an integration send stands, per target; a page the vendor acknowledged or resolved says so (inbound webhook). */
export const sendStates = ['queued', 'sending', 'delivered', 'retrying', 'failed', 'acknowledged', 'resolved'] as const;
/** States in which a send has reached its target. */
export const reachedStates: readonly SendState[] = ['delivered', 'acknowledged', 'resolved'];
export type SendState = (typeof sendStates)[number];

/** A target as people see it: its shown configuration, and whether this laptop holds its secret. */
export interface TargetView {
  id: string;
  name: string;
  kind: TargetKind;
  purpose: TargetPurpose;
  config: TargetConfig;
  isEnabled: boolean;
  /** This laptop holds the secret and can send to it. */
  isHeldHere: boolean;
  /** Set when this laptop holds a secret kept for the target before it changed elsewhere: what to do. */
  secretNote?: string;
}

/** One send to one target as the war room shows it. */
export interface SendView {
  rowId: string;
  sendId: string;
  targetId: string;
  targetName: string;
  kind: TargetKind;
  purpose: TargetPurpose;
  title: string;
  teamId: string | null;
  sourceId: string | null;
  state: SendState;
  attempts: number;
  lastError: string;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  detail: string;
  remoteId: string | null;
  remoteUrl: string | null;
  requestedBy: string;
  requestedAt: number;
}

/** An incident's chat mirror to one target. */
export interface MirrorView {
  targetId: string;
  targetName: string;
  kinds: string[];
  internalUpdates: boolean;
  isEnabled: boolean;
}
