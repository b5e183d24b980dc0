// Which laptops hold a channel's secret: those whose comms_channel_holder record says held, for the
// secret the channel's config names now (a laptop holding an older secret no longer counts). The
// same answer on every replica that has the comms stream, as it comes from ops only.
import type { Database } from 'better-sqlite3';
import { channelHolderRowId } from '@shared/trust/channel-holder-rule';

export { channelHolderRowId };

export interface ChannelHolder {
  deviceId: string;
  /** The secret it holds (the channel's current secretId). */
  secretId: string;
  /** Who said so: the writer of the holder record's `held` (the laptop's user). */
  user: string | null;
  /** Clock time (ms) of its newest holder record. */
  updatedAt: number;
}

const cache = new WeakMap<Database, { all: import('better-sqlite3').Statement }>();

/** The laptops that hold channel `channelId`'s current secret, by device id. */
export function channelHolders(db: Database, channelId: string): ChannelHolder[] {
  let statements = cache.get(db);
  if (!statements) {
    statements = {
      all: db.prepare(`SELECT h.device_id AS deviceId, h.secret_id AS secretId, o.actor_id AS user, h.updated_at AS updatedAt
        FROM comms_channel_holders h JOIN comms_channels c ON c.id = h.channel_id
        LEFT JOIN ops o ON o.op_id = json_extract(h.clocks, '$.held.opId')
        WHERE h.channel_id = ? AND h.held = 1 AND c.secret_id IS NOT NULL AND h.secret_id = c.secret_id AND c.deleted = 0
        ORDER BY h.device_id`),
    };
    cache.set(db, statements);
  }
  return statements.all.all(channelId) as ChannelHolder[];
}

/** Whether device `deviceId` holds channel `channelId`'s current secret. */
export const holdsChannel = (db: Database, channelId: string, deviceId: string): boolean => channelHolders(db, channelId).some((holder) => holder.deviceId === deviceId);
