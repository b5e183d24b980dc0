// The organisation's delivery channels as people configure them (the comms stream): listed with
// their secrets redacted, saved back without losing a secret that was shown redacted, removed.
import type { ParsedRequest } from '@shared/contract';
import { channelConfig, channelConfigProblems, redactConfig, redacted } from '@shared/domain/channels';
import type { ChannelView } from '@shared/domain/comms-api';
import { runbookSlug } from '@shared/domain/runbook-format';
import { ApiError } from '@shared/errors';
import type { Replica } from '../core/replica';
import type { CommsStore, StoredChannel } from './comms-store';

type ChannelDeps = { replica: Replica; comms: CommsStore };

/** Channels that exist and hold a configuration this replica can read. */
export const usableChannels = (comms: CommsStore): StoredChannel[] => comms.channels().filter((c) => !c.deleted && c.config !== null);

export const channelViews = (channels: StoredChannel[]): ChannelView[] => channels.map(channelView).filter((v): v is ChannelView => v !== null);

/** Channel names for ids, the id itself where a channel is gone. */
export function channelNames(comms: CommsStore, ids: string[]): string[] {
  const byId = new Map(usableChannels(comms).map((c) => [c.id, c.name]));
  return ids.map((id) => byId.get(id) ?? id);
}

export function saveChannel({ replica, comms }: ChannelDeps, request: ParsedRequest<'comms.saveChannel'>): ChannelView {
  const stored = request.id ? comms.channel(request.id) : null;
  if (request.id && (!stored || stored.deleted)) throw new ApiError('not_found', `No delivery channel ${request.id}; it may have been removed.`);
  const storedConfig = stored?.config ?? null;
  const isSameKind = storedConfig !== null && (request.config as { kind?: unknown } | null)?.kind === storedConfig.kind;
  const input = isSameKind ? restoreSecrets(request.config, redactConfig(storedConfig), storedConfig) : request.config;
  const left = redactedLeft(input);
  if (left.length > 0) {
    throw new ApiError(
      'bad_request',
      `The channel cannot be saved: ${left.join(', ')} still ${left.length === 1 ? 'holds' : 'hold'} "${redacted}" where a secret was hidden; type the secret (or the whole address) again, or leave the field exactly as shown to keep it.`,
    );
  }
  const parsed = channelConfig.safeParse(input);
  if (!parsed.success) throw new ApiError('bad_request', `The channel cannot be saved: ${channelConfigProblems(parsed.error).join('; ')}.`);
  let id = request.id;
  if (!id) {
    const base = runbookSlug(request.name) || parsed.data.kind;
    id = base;
    for (let n = 2; comms.channel(id); n += 1) id = `${base}-${n}`;
  }
  replica.commitLocal([
    {
      entity: 'comms_channel',
      rowId: id,
      fields: {
        name: request.name,
        config: parsed.data,
        audiences: [...new Set(request.audiences)],
        isEnabled: request.isEnabled,
        deleted: false,
        updatedBy: replica.actorId,
      },
    },
  ]);
  return channelView(comms.channel(id)!)!;
}

export function removeChannel({ replica, comms }: ChannelDeps, request: ParsedRequest<'comms.removeChannel'>): ChannelView[] {
  const stored = comms.channel(request.id);
  if (!stored || stored.deleted) throw new ApiError('not_found', `No delivery channel ${request.id}.`);
  replica.commitLocal([{ entity: 'comms_channel', rowId: request.id, fields: { deleted: true, updatedBy: replica.actorId } }]);
  return channelViews(usableChannels(comms));
}

function channelView(channel: StoredChannel): ChannelView | null {
  if (!channel.config || !channel.kind) return null;
  return {
    id: channel.id,
    name: channel.name,
    kind: channel.kind,
    audiences: channel.audiences,
    isEnabled: channel.isEnabled,
    config: redactConfig(channel.config),
    updatedBy: channel.updatedBy,
  };
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
