// The organisation's delivery channels as people configure them (the comms stream): listed with
// their secrets redacted, saved back without losing a secret that was shown redacted, removed. The
// secrets never go into an op: the channel op carries the redacted configuration and a secretId,
// this laptop keeps the values (channel-secrets.ts) and says it holds them (comms_channel_holder).
import type { ParsedRequest } from '@shared/contract';
import { channelConfig, channelConfigProblems, redactConfig, redacted, type ChannelConfig } from '@shared/domain/channels';
import type { ChannelView } from '@shared/domain/comms-api';
import { runbookSlug } from '@shared/domain/runbook-format';
import { ApiError } from '@shared/errors';
import type { OpDraft } from '@shared/ops';
import { isDeepStrictEqual } from 'node:util';
import type { Replica } from '../core/replica';
import { channelHolderRowId } from './channel-holders';
import { newSecretId, sameValues, shownDigest, splitSecrets, type ChannelSecrets, type HeldSecret } from './channel-secrets';
import type { CommsStore, StoredChannel } from './comms-store';

type ChannelDeps = { replica: Replica; comms: CommsStore };

/** Channels that exist and whose configuration has arrived (whether or not this laptop holds the secret). */
export const usableChannels = (comms: CommsStore): StoredChannel[] => comms.channels().filter((c) => !c.deleted && c.shownConfig !== null);

export const channelViews = (channels: StoredChannel[], comms?: CommsStore, deviceId?: string): ChannelView[] =>
  channels.map((c) => channelView(c, comms, deviceId)).filter((v): v is ChannelView => v !== null);

/** Channel names for ids, the id itself where a channel is gone. */
export function channelNames(comms: CommsStore, ids: string[]): string[] {
  const byId = new Map(usableChannels(comms).map((c) => [c.id, c.name]));
  return ids.map((id) => byId.get(id) ?? id);
}

/** The op saying whether this laptop holds a channel's secret (`secretId`), as only it may write. */
export const holderOp = (replica: Replica, channelId: string, held: boolean, secretId: string): OpDraft => ({
  entity: 'comms_channel_holder',
  rowId: channelHolderRowId(channelId, replica.deviceId),
  fields: { channelId, deviceId: replica.deviceId, held, secretId },
});

export function saveChannel({ replica, comms }: ChannelDeps, request: ParsedRequest<'comms.saveChannel'>): ChannelView {
  const stored = request.id ? comms.channel(request.id) : null;
  if (request.id && (!stored || stored.deleted)) throw new ApiError('not_found', `No delivery channel ${request.id}; it may have been removed.`);
  const shown = stored?.shownConfig ?? null;
  const isSameKind = shown !== null && (request.config as { kind?: unknown } | null)?.kind === shown.kind;
  // Held here: secrets left as shown come back from this laptop's store. Not held: they stay as
  // shown, and the laptops holding the secret keep delivering (they fill the same places in).
  const full = stored?.config ?? null;
  const input = isSameKind && full ? restoreSecrets(request.config, redactConfig(full), full) : request.config;
  const left = redactedLeft(input);
  const keepsHeldElsewhere = isSameKind && !full && left.length > 0;
  if (left.length > 0 && !keepsHeldElsewhere) {
    throw new ApiError(
      'bad_request',
      `The channel cannot be saved: ${left.join(', ')} still ${left.length === 1 ? 'holds' : 'hold'} "${redacted}" where a secret was hidden; type the secret (or the whole address) again, or leave the field exactly as shown to keep it.`,
    );
  }
  const parsed = channelConfig.safeParse(input);
  if (!parsed.success) throw new ApiError('bad_request', `The channel cannot be saved: ${channelConfigProblems(parsed.error).join('; ')}.`);
  const { shown: nextShown, values } = splitSecrets(parsed.data);
  if (keepsHeldElsewhere) {
    if (!stored?.secretId)
      throw new ApiError('conflict', `The channel ${stored?.name ?? ''} has no secret Holdfast can keep: type its secrets (${left.join(', ')}) again.`);
    const changed = left.filter((path) => !isDeepStrictEqual(valueAt(parsed.data, path), valueAt(shown, path)));
    const typed = Object.keys(values);
    if (changed.length > 0 || typed.length > 0) {
      throw new ApiError(
        'bad_request',
        `The channel cannot be saved: this laptop does not hold the channel's secret, so ${[...changed, ...typed].join(', ')} cannot change alone; type every secret (${secretPaths(shown).join(', ')}) to set a new one from here, or leave them all exactly as shown to keep the one other laptops hold.`,
      );
    }
  }
  let id = request.id;
  if (!id) {
    const base = runbookSlug(request.name) || parsed.data.kind;
    id = base;
    for (let n = 2; comms.channel(id); n += 1) id = `${base}-${n}`;
  }
  const held = comms.secrets?.held(id) ?? null;
  const current = stored?.secretId ?? null;
  // A channel with nothing secret in it keeps its secretId whoever saves it: there is nothing to differ.
  const isSecretless = current !== null && isSameKind && Object.keys(values).length === 0 && secretPaths(shown).length === 0;
  const keepsSecret = current !== null && (keepsHeldElsewhere || isSecretless || (full !== null && held !== null && sameValues(held.values, values)));
  const secretId = keepsSecret ? current : newSecretId();
  const drafts: OpDraft[] = [
    {
      entity: 'comms_channel',
      rowId: id,
      fields: {
        name: request.name,
        config: nextShown as unknown as OpDraft['fields'][string],
        secretId,
        audiences: [...new Set(request.audiences)],
        isEnabled: request.isEnabled,
        deleted: false,
        updatedBy: replica.actorId,
      },
    },
  ];
  const holdsNow = !keepsHeldElsewhere && (!keepsSecret || held?.secretId !== secretId);
  if (holdsNow) drafts.push(holderOp(replica, id, true, secretId));
  // Kept again whenever this laptop has the full config: the secret is bound to the config as saved.
  const secrets = holdsNow || !keepsHeldElsewhere ? mustHaveStore(comms) : null;
  replica.commitLocal(drafts);
  if (secrets) keepOrRetract(replica, secrets, id, { secretId, values, configHash: shownDigest(nextShown) });
  return channelView(comms.channel(id)!, comms, replica.deviceId)!;
}

/**
 * Keeps a channel's secret on this laptop too: the configuration must be the channel's as shown,
 * with every secret typed in. Holdfast cannot compare it with the copies on other laptops (they
 * never leave them): a wrong one shows as a failed delivery from here.
 */
export function setChannelSecret({ replica, comms }: ChannelDeps, request: ParsedRequest<'comms.setChannelSecret'>): ChannelView {
  const stored = comms.channel(request.id);
  if (!stored || stored.deleted || !stored.shownConfig) throw new ApiError('not_found', `No delivery channel ${request.id}; it may have been removed.`);
  if (!stored.secretId || stored.isPlaintext) {
    throw new ApiError(
      'conflict',
      `The channel ${stored.name} still has its secret in the old synced form; open Holdfast on a laptop that configured it, or save the channel again with its secret.`,
    );
  }
  const left = redactedLeft(request.config);
  if (left.length > 0)
    throw new ApiError('bad_request', `The secret cannot be set: ${left.join(', ')} still ${left.length === 1 ? 'holds' : 'hold'} "${redacted}"; type the secret there.`);
  const parsed = channelConfig.safeParse(request.config);
  if (!parsed.success) throw new ApiError('bad_request', `The secret cannot be set: ${channelConfigProblems(parsed.error).join('; ')}.`);
  const { shown, values } = splitSecrets(parsed.data);
  if (!isDeepStrictEqual(shown, stored.shownConfig)) {
    throw new ApiError(
      'bad_request',
      `The secret cannot be set: the configuration differs from the channel's (${differingPaths(shown, stored.shownConfig).join(', ')}); to change the channel, edit it instead.`,
    );
  }
  const secrets = mustHaveStore(comms);
  replica.commitLocal([holderOp(replica, stored.id, true, stored.secretId)]);
  keepOrRetract(replica, secrets, stored.id, { secretId: stored.secretId, values, configHash: shownDigest(shown) });
  return channelView(comms.channel(stored.id)!, comms, replica.deviceId)!;
}

/** Removes the channel's secret from this laptop (and says so); other holders are not touched. */
export function forgetChannelSecret({ replica, comms }: ChannelDeps, request: ParsedRequest<'comms.forgetChannelSecret'>): ChannelView {
  const stored = comms.channel(request.id);
  if (!stored || stored.deleted || !stored.shownConfig) throw new ApiError('not_found', `No delivery channel ${request.id}; it may have been removed.`);
  const held = comms.secrets?.held(stored.id) ?? null;
  if (!held) throw new ApiError('conflict', `This laptop does not hold the secret of ${stored.name}: there is nothing to forget here.`);
  replica.commitLocal([holderOp(replica, stored.id, false, held.secretId)]);
  comms.secrets?.forget(stored.id);
  return channelView(comms.channel(stored.id)!, comms, replica.deviceId)!;
}

export function removeChannel({ replica, comms }: ChannelDeps, request: ParsedRequest<'comms.removeChannel'>): ChannelView[] {
  const stored = comms.channel(request.id);
  if (!stored || stored.deleted) throw new ApiError('not_found', `No delivery channel ${request.id}.`);
  const held = comms.secrets?.held(request.id) ?? null;
  const drafts: OpDraft[] = [{ entity: 'comms_channel', rowId: request.id, fields: { deleted: true, updatedBy: replica.actorId } }];
  if (held) drafts.push(holderOp(replica, request.id, false, held.secretId));
  replica.commitLocal(drafts);
  comms.secrets?.forget(request.id);
  return channelViews(usableChannels(comms), comms, replica.deviceId);
}

/** Stores the secret; if the store fails, this laptop says it does not hold it after all. */
function keepOrRetract(replica: Replica, secrets: ChannelSecrets, channelId: string, secret: HeldSecret) {
  try {
    secrets.keep(channelId, secret);
  } catch (error) {
    replica.commitLocal([holderOp(replica, channelId, false, secret.secretId)]);
    throw new ApiError('internal', `The channel was saved but its secret could not be kept on this laptop: ${(error as Error).message}. Set the secret here again.`);
  }
}

function mustHaveStore(comms: CommsStore) {
  if (!comms.secrets) throw new ApiError('conflict', 'This Holdfast has nowhere to keep channel secrets: it was opened without a secret store.');
  return comms.secrets;
}

function channelView(channel: StoredChannel, comms?: CommsStore, deviceId?: string): ChannelView | null {
  if (!channel.shownConfig || !channel.kind) return null;
  const holders = comms ? comms.holders(channel.id).map((h) => ({ deviceId: h.deviceId, user: h.user, isThisLaptop: h.deviceId === deviceId })) : [];
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    audiences: channel.audiences,
    isEnabled: channel.isEnabled,
    config: redactConfig(channel.shownConfig),
    updatedBy: channel.updatedBy,
    secret: { isHeldHere: channel.config !== null, holders, protection: comms?.secrets?.protection ?? 'not kept on this computer' },
  };
}

/** The value at a dotted path of a configuration. */
function valueAt(config: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((node, key) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined), config);
}

/** The paths of a shown configuration that hide a secret. */
function secretPaths(shown: ChannelConfig | null): string[] {
  return shown ? redactedLeft(shown) : [];
}

/** Top-level fields where two configurations differ. */
function differingPaths(a: ChannelConfig, b: ChannelConfig): string[] {
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  return keys.filter((key) => !isDeepStrictEqual((a as unknown as Record<string, unknown>)[key], (b as unknown as Record<string, unknown>)[key]));
}

/**
 * A configuration sent back from an edit form: any field exactly as it was shown redacted (also
 * inside an object, such as the secret header's value) is the stored secret, kept; everything else
 * is what the person typed.
 */
function restoreSecrets(next: unknown, shown: unknown, original: unknown): unknown {
  if (JSON.stringify(next) === JSON.stringify(shown) && JSON.stringify(shown) !== JSON.stringify(original)) return original;
  const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(next) || !isObject(shown) || !isObject(original)) return next;
  return Object.fromEntries(Object.entries(next).map(([key, value]) => [key, key in shown ? restoreSecrets(value, shown[key], original[key]) : value]));
}

/** Field paths still holding the redaction mark: a secret that was edited around, not retyped. */
function redactedLeft(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return value.includes(redacted) ? [path || 'config'] : [];
  if (Array.isArray(value)) return value.flatMap((item, index) => redactedLeft(item, `${path}[${index}]`));
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => redactedLeft(item, path ? `${path}.${key}` : key));
  return [];
}
