// Read queries over the comms projections: update templates (stored ones over the built-ins), the
// organisation's delivery channels, each incident's updates, what was published and how each
// delivery stands. Writes go through ops (replica.ts).
import type { Database } from 'better-sqlite3';
import type { ChannelConfig, ChannelKind } from '@shared/domain/channels';
import type { Audience } from '@shared/domain/comms';
import type { DeliveryView, PublishedUpdate, UpdateRecord } from '@shared/domain/comms-api';
import { decodeFields, recordDecoder, rowDecoder } from '@shared/entities/rows';
import { incidentStream } from '@shared/entities/streams';
import { redactConfig } from '@shared/domain/channels';
import { channelHolders, type ChannelHolder } from './channel-holders';
import { heldFit, isRedactedForm, joinSecrets, type ChannelSecrets } from './channel-secrets';

export interface StoredTemplate {
  id: string;
  audience: Audience;
  name: string;
  title: string;
  body: string;
  deleted: boolean;
  updatedBy: string | null;
}

export interface StoredChannel {
  id: string;
  name: string;
  /**
   * The configuration this laptop can deliver with, secrets included: null when it does not hold
   * the secret the channel's config names now (or the config op has not arrived).
   */
  config: ChannelConfig | null;
  /** The configuration as synced, secrets shown as '••••'; null only before its config op arrives. */
  shownConfig: ChannelConfig | null;
  /** The secret the config goes with; null for a channel configured before secrets stayed on laptops. */
  secretId: string | null;
  /** The projection still holds secrets in plaintext (a config written before they stayed on laptops). */
  isPlaintext: boolean;
  /** The opId of the op whose config the row holds (names a plaintext secret when it is moved). */
  configOpId: string | null;
  kind: ChannelKind | null;
  audiences: Audience[];
  isEnabled: boolean;
  deleted: boolean;
  updatedBy: string | null;
}

export interface StoredUpdate extends UpdateRecord {
  /** incidentId/updateId */
  rowId: string;
  /** Digest of the text that was approved, if it was. */
  approvedDigest: string | null;
  publishedAt: number | null;
}

/** A published update as recorded, with the channels it was sent to. */
export type StoredPublished = Omit<PublishedUpdate, 'deliveries' | 'markdown' | 'plainText'> & {
  rowId: string;
  channels: { id: string; name: string; kind: string }[];
};

/** A delivery as recorded: what the history view shows, plus where it belongs and who settled it. */
export interface StoredDelivery extends DeliveryView {
  /** incidentId/updateId/channelId */
  rowId: string;
  incidentId: string;
  updateId: string;
  remoteId: string | null;
  by: string;
  /** Clock time (ms) of the newest change to the row. */
  updatedAt: number;
}

export const updateRowId = (incidentId: string, updateId: string) => `${incidentId}/${updateId}`;
export const deliveryRowId = (incidentId: string, updateId: string, channelId: string) => `${incidentId}/${updateId}/${channelId}`;

const toTemplate: (row: unknown) => StoredTemplate = recordDecoder('update_template');
const channelRow = recordDecoder('comms_channel');
const updateRow = recordDecoder('comms_update');
const deliveryRow = rowDecoder('comms_delivery');

/** A channel row as this laptop sees it: `secrets` says what it holds (none: it delivers nothing but plaintext). */
const toChannel = (row: unknown, secrets?: ChannelSecrets): StoredChannel => {
  const { config: stored, secretId, ...channel } = channelRow(row);
  const clocks = JSON.parse((row as { clocks?: string }).clocks ?? '{}') as Record<string, { opId?: string } | undefined>;
  const configOpId = clocks.config?.opId ?? null;
  const base = { ...channel, secretId, configOpId, kind: stored?.kind ?? null };
  if (!stored) return { ...base, config: null, shownConfig: null, isPlaintext: false };
  if (!isRedactedForm(stored)) return { ...base, config: stored, shownConfig: redactConfig(stored), isPlaintext: true };
  const held = secretId === null ? null : secrets?.held(channel.id);
  const config = held && heldFit(held, secretId, stored) === 'fits' ? joinSecrets(stored, held.values) : null;
  return { ...base, config, shownConfig: stored, isPlaintext: false };
};

/**
 * An update row, its author being whoever wrote its first valid op (by clock), never the `author`
 * field a later op could set (`authorOf`; the row's field when the log holds none of its ops).
 */
const toUpdate = (row: unknown, authorOf: (incidentId: string, rowId: string) => string | undefined): StoredUpdate => {
  const { id: rowId, ...update } = updateRow(row);
  return { rowId, id: rowId.slice(update.incidentId.length + 1), ...update, author: authorOf(update.incidentId, rowId) ?? update.author };
};

/** A published record: its declared fields, with the row id and who published it. */
const toPublished = (row: unknown): StoredPublished => {
  const { id: rowId, published_by: publishedBy } = row as { id: string; published_by: string };
  return { rowId, ...decodeFields('comms_published', row as Record<string, unknown>), publishedBy };
};

const toDelivery = (row: unknown): StoredDelivery => {
  const { id: rowId, ...delivery } = deliveryRow(row);
  return { rowId, ...delivery };
};

export function createCommsStore(db: Database, secrets?: ChannelSecrets) {
  const templates = db.prepare('SELECT * FROM update_templates ORDER BY id');
  const template = db.prepare('SELECT * FROM update_templates WHERE id = ?');
  const channels = db.prepare('SELECT * FROM comms_channels ORDER BY name COLLATE NOCASE, id');
  const channel = db.prepare('SELECT * FROM comms_channels WHERE id = ?');
  const updates = db.prepare('SELECT * FROM comms_updates WHERE incident_id = ? ORDER BY created_at DESC, id DESC');
  const update = db.prepare('SELECT * FROM comms_updates WHERE id = ?');
  const firstWriter = db
    .prepare("SELECT actor_id FROM ops WHERE stream_id = ? AND entity = 'comms_update' AND row_id = ? AND refusal IS NULL ORDER BY hlc, op_id LIMIT 1")
    .pluck();
  const authorOf = (incidentId: string, rowId: string) => firstWriter.get(incidentStream(incidentId), rowId) as string | undefined;
  const published = db.prepare('SELECT * FROM comms_published WHERE incident_id = ? ORDER BY published_at DESC, id DESC');
  const publishedOne = db.prepare('SELECT * FROM comms_published WHERE id = ?');
  const lastPublished = db.prepare('SELECT * FROM comms_published WHERE incident_id = ? AND audience = ? ORDER BY published_at DESC, id DESC LIMIT 1');
  const deliveries = db.prepare('SELECT * FROM comms_deliveries WHERE incident_id = ? ORDER BY update_id, channel_name COLLATE NOCASE, channel_id');
  const delivery = db.prepare('SELECT * FROM comms_deliveries WHERE id = ?');
  // Waiting deliveries whose time has come, and those left `sending` long enough that whoever was
  // sending has stopped (the coordinator's lease decides whether they really may be sent again).
  // Only deliveries this replica can send: it holds the channel's configuration with its secret.
  const due = db.prepare(`SELECT d.* FROM comms_deliveries d JOIN comms_channels c ON c.id = d.channel_id AND c.config IS NOT NULL
    WHERE d.channel_id IN (SELECT value FROM json_each(?)) AND ((d.state IN ('queued', 'retrying') AND coalesce(d.next_attempt_at, 0) <= ?) OR (d.state = 'sending' AND d.updated_at <= ?))
    ORDER BY d.updated_at, d.id LIMIT ?`);
  const nextWake = db.prepare(`SELECT min(next_attempt_at) FROM comms_deliveries WHERE state = 'retrying' AND next_attempt_at > ?`).pluck();

  return {
    /** Where this laptop keeps channel secrets (none: it can deliver nothing but plaintext channels). */
    secrets,
    /** The laptops holding channel `channelId`'s current secret. */
    holders: (channelId: string): ChannelHolder[] => channelHolders(db, channelId),
    templates: (): StoredTemplate[] => templates.all().map(toTemplate),
    template: (id: string): StoredTemplate | null => {
      const row = template.get(id);
      return row ? toTemplate(row) : null;
    },
    channels: (): StoredChannel[] => channels.all().map((row) => toChannel(row, secrets)),
    channel: (id: string): StoredChannel | null => {
      const row = channel.get(id);
      return row ? toChannel(row, secrets) : null;
    },
    updates: (incidentId: string): StoredUpdate[] => updates.all(incidentId).map((row) => toUpdate(row, authorOf)),
    update: (incidentId: string, updateId: string): StoredUpdate | null => {
      const row = update.get(updateRowId(incidentId, updateId));
      return row ? toUpdate(row, authorOf) : null;
    },
    published: (incidentId: string): StoredPublished[] => published.all(incidentId).map(toPublished),
    publishedOne: (incidentId: string, updateId: string): StoredPublished | null => {
      const row = publishedOne.get(updateRowId(incidentId, updateId));
      return row ? toPublished(row) : null;
    },
    lastPublished: (incidentId: string, audience: Audience): StoredPublished | null => {
      const row = lastPublished.get(incidentId, audience);
      return row ? toPublished(row) : null;
    },
    deliveries: (incidentId: string): StoredDelivery[] => deliveries.all(incidentId).map(toDelivery),
    delivery: (rowId: string): StoredDelivery | null => {
      const row = delivery.get(rowId);
      return row ? toDelivery(row) : null;
    },
    /** Deliveries to attempt now; `staleSendingBefore`: a `sending` row older than this is taken as abandoned. */
    dueDeliveries: (now: number, staleSendingBefore: number, limit: number): StoredDelivery[] => {
      const deliverable = channels
        .all()
        .map((row) => toChannel(row, secrets))
        .filter((c) => c.config !== null)
        .map((c) => c.id);
      return due.all(JSON.stringify(deliverable), now, staleSendingBefore, limit).map(toDelivery);
    },
    /** When the earliest retry after `now` falls due, if any. */
    nextRetryAt: (now: number): number | null => (nextWake.get(now) as number | null) ?? null,
  };
}
export type CommsStore = ReturnType<typeof createCommsStore>;
