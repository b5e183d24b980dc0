// Who may say a laptop holds a channel's secret: only that laptop. A comms_channel_holder op names
// the channel and the writer's own device, and its row id is channelId/deviceId, so no replica can
// make another one look like a holder (or stop looking like one).
import type { Json } from '../canonical';

export const channelHolderRowId = (channelId: string, deviceId: string) => `${channelId}/${deviceId}`;

/** Why `op` (a comms_channel_holder op) may not be written by its device, or null when it may. */
export function channelHolderRefusal(op: { rowId: string; deviceId: string; fields: Record<string, Json> }): string | null {
  const { channelId, deviceId } = op.fields;
  if (typeof channelId !== 'string' || typeof deviceId !== 'string') return 'a channel holder record must name its channelId and deviceId';
  if (deviceId !== op.deviceId) return `a laptop may only say whether it holds a channel secret itself (deviceId ${deviceId}, written by device ${op.deviceId})`;
  if (op.rowId !== channelHolderRowId(channelId, deviceId)) return `a channel holder record's row id must be ${channelHolderRowId(channelId, deviceId)}, not ${op.rowId}`;
  return null;
}
