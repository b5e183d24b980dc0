// The comms lead's calls and what they return: update templates, the organisation's comms settings,
// delivery channels, and the updates of an incident from draft to delivered. The rules behind them
// (templates, cadence, lint, approval, copying out) are in ./comms; channel configuration in
// ./channels.
import { z } from 'zod';
import type { ChannelConfig, ChannelKind } from './channels';
import {
  audiences,
  cadenceSetting,
  maxUpdateBodyChars,
  maxUpdateTitleChars,
  type ApprovalSetting,
  type Audience,
  type Cadence,
  type CadenceStatus,
  type DeliveryState,
  type LintFinding,
  type UpdateState,
  type UpdateTemplate,
} from './comms';
import { utcMs } from './common';

const idOf = (what: string) =>
  z
    .string({ error: `must be ${what}` })
    .min(1, { error: `must be ${what}` })
    .max(200, { error: 'must be at most 200 characters' });
const audience = z.enum(audiences, { error: `must be one of ${audiences.join(', ')}` });
const text = (max: number) => z.string({ error: 'must be text' }).max(max, { error: `must be at most ${max} characters` });
const userName = z.string({ error: 'must be a user name' }).trim().min(1, { error: 'must be a user name' }).max(100, { error: 'must be at most 100 characters' });

// ─── Views ────────────────────────────────────────────────────────────────────────────────────────

export interface UpdateTemplateView extends UpdateTemplate {
  isBuiltIn: boolean;
  /** A built-in template this organisation has changed. */
  isCustomised: boolean;
  updatedBy: string | null;
}

export interface CommsSettings {
  cadence: Cadence;
  approval: ApprovalSetting;
  /** People who may approve any update besides the incident commander and deputy. */
  namedApprovers: string[];
  /** Internal DNS domains the lint flags in customer-facing text (e.g. "corp.example.net"). */
  internalDomains: string[];
}

export interface ChannelView {
  id: string;
  name: string;
  kind: ChannelKind;
  audiences: Audience[];
  isEnabled: boolean;
  /** Secrets shown as '••••': send them back unchanged to keep them. */
  config: ChannelConfig;
  updatedBy: string | null;
  /** The channel's secret never syncs: it stays on the laptops that set it, and only they deliver. */
  secret: ChannelSecretView;
}

/** Which laptops hold a channel's secret, and how this one keeps it. */
export interface ChannelSecretView {
  /** This laptop holds the secret the channel's configuration names now: it can deliver. */
  isHeldHere: boolean;
  /** The laptops holding it now, by device. */
  holders: { deviceId: string; user: string | null; isThisLaptop: boolean }[];
  /** How secrets are protected on this computer ("encrypted with the operating system keychain", …). */
  protection: string;
}

/** An update as written and decided, before it is published. */
export interface UpdateRecord {
  id: string;
  incidentId: string;
  audience: Audience;
  templateId: string | null;
  /** Title and body as written, with `{{placeholders}}`. */
  title: string;
  body: string;
  /** What the author filled in: headline, impact, status, actions, eta. */
  values: Record<string, string>;
  nextUpdateAt: number | null;
  channelIds: string[];
  /** Who was asked to approve it, if someone in particular. */
  approver: string | null;
  author: string;
  createdAt: number;
  state: UpdateState;
  requestedAt: number | null;
  decidedBy: string | null;
  decidedAt: number | null;
  decisionComment: string;
}

export interface UpdateDraft extends UpdateRecord {
  /** Identifies the text as it would go out now: an approver sends it back with the decision. */
  digest: string;
  /** The text as it would go out now. */
  rendered: { title: string; body: string; unresolved: string[] };
  /** Lint of the rendered title and body (positions within `${title}\n\n${body}`). */
  findings: LintFinding[];
  needsApproval: boolean;
  /** Approved, and not changed since. */
  isApproved: boolean;
  /** Why publishing is refused now (approval missing, no channel…), or null; lint findings are not refusals. */
  publishRefusal: string | null;
}

export interface DeliveryView {
  channelId: string;
  channelName: string;
  kind: string;
  state: DeliveryState;
  attempts: number;
  lastError: string;
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  detail: string;
}

export interface PublishedUpdate {
  updateId: string;
  incidentId: string;
  audience: Audience;
  title: string;
  body: string;
  nextUpdateAt: number | null;
  approvedBy: string | null;
  lintAcknowledged: string[];
  publishedAt: number;
  publishedBy: string;
  deliveries: DeliveryView[];
  markdown: string;
  plainText: string;
}

export interface OutboxStatus {
  /** Who decides which replica sends: "the central service", "the war-room hub" or "this replica". */
  coordinator: string;
  /** Why deliveries wait, when they do (e.g. the coordinator is unreachable). */
  waiting: string | null;
  /** Whether this replica holds the channels' secrets and so can deliver. */
  canDeliver: boolean;
}

export interface CommsRoom {
  incidentId: string;
  /** One per audience, in audience order; none once the incident is resolved. */
  cadence: CadenceStatus[];
  /** Updates not yet published, newest first. */
  drafts: UpdateDraft[];
  /** Published updates, newest first. */
  published: PublishedUpdate[];
  /** Channels an update may go to, without secrets. */
  channels: ChannelView[];
  outbox: OutboxStatus;
}

/** Sent when an audience's next update becomes due soon or overdue (the desktop raises a notification). */
export interface UpdateDue {
  incidentId: string;
  incidentTitle: string;
  audience: Audience;
  level: 'soon' | 'overdue';
  dueAt: number;
}

// ─── Requests ─────────────────────────────────────────────────────────────────────────────────────

export const updateTemplateIdRequest = z.object({ id: idOf('an update template id') }).strict();

export const saveUpdateTemplateRequest = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, { error: 'must be lower-case letters, digits and dashes' })
      .optional(),
    audience,
    name: text(200).trim().min(1, { error: 'name the template' }),
    title: text(maxUpdateTitleChars).trim().min(1, { error: 'give the template a title (placeholders allowed)' }),
    body: text(maxUpdateBodyChars).trim().min(1, { error: 'write the template body' }),
  })
  .strict();

const domain = z
  .string({ error: 'must be a domain name' })
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/, { error: 'must be a domain name like corp.example.net' });

export const saveCommsSettingsRequest = z
  .object({
    cadence: cadenceSetting.optional(),
    approval: z
      .object({ customers: z.boolean({ error: 'must be true or false' }), executives: z.boolean({ error: 'must be true or false' }) })
      .strict()
      .optional(),
    namedApprovers: z.array(userName).max(50, { error: 'at most 50 approvers' }).optional(),
    internalDomains: z.array(domain).max(50, { error: 'at most 50 domains' }).optional(),
  })
  .strict();

export const saveChannelRequest = z
  .object({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,79}$/, { error: 'must be lower-case letters, digits and dashes' })
      .optional(),
    name: text(200).trim().min(1, { error: 'name the channel' }),
    audiences: z.array(audience).min(1, { error: 'pick at least one audience the channel is for' }),
    isEnabled: z.boolean({ error: 'must be true or false' }).default(true),
    /** Checked against the channel schema by the handler, which names every wrong field. */
    config: z.unknown(),
  })
  .strict();

/** The secrets of a channel as configured, typed on a laptop that does not hold them yet. */
export const setChannelSecretRequest = z
  .object({
    id: idOf('a channel id'),
    /** The whole configuration with its secrets typed in; everything else must be as the channel shows it. */
    config: z.unknown(),
  })
  .strict();

export const channelIdRequest = z.object({ id: idOf('a channel id') }).strict();
export const commsRoomRequest = z.object({ incidentId: idOf('an incident id') }).strict();
export const startUpdateRequest = z.object({ incidentId: idOf('an incident id'), audience, templateId: idOf('an update template id').optional() }).strict();
export const updateRefRequest = z.object({ incidentId: idOf('an incident id'), updateId: idOf('an update id') }).strict();

export const saveUpdateRequest = updateRefRequest
  .extend({
    title: text(maxUpdateTitleChars).optional(),
    body: text(maxUpdateBodyChars).optional(),
    values: z.record(z.string().max(100), text(5000), { error: 'must map field names to text' }).optional(),
    nextUpdateAt: utcMs.nullable().optional(),
    channelIds: z.array(idOf('a channel id')).max(50).optional(),
    approver: userName.nullable().optional(),
  })
  .strict();

export const requestApprovalRequest = updateRefRequest.extend({ approver: userName.nullable().default(null) }).strict();

export const decideUpdateRequest = updateRefRequest
  .extend({
    decision: z.enum(['approve', 'reject'], { error: 'must be approve or reject' }),
    /** The draft's digest as the approver read it: a decision on text that changed since is refused. */
    digest: z.string().max(100).optional(),
    comment: text(2000).trim().default(''),
  })
  .strict()
  .refine((r) => r.decision === 'approve' || r.comment !== '', { error: 'say why the update is rejected, so its author can fix it', path: ['comment'] });

export const publishUpdateRequest = updateRefRequest.extend({ acknowledgeLint: z.boolean({ error: 'must be true or false' }).default(false) }).strict();

export const retryDeliveryRequest = updateRefRequest.extend({ channelId: idOf('a channel id') }).strict();
