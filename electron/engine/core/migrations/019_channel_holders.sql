-- Channel secrets stay on the laptops that set them (issue 18): a channel's config op carries the
-- redacted configuration and the id of its secret; each laptop that holds that secret says so in a
-- comms_channel_holder op (row id channelId/deviceId).
ALTER TABLE comms_channels ADD COLUMN secret_id TEXT;

CREATE TABLE comms_channel_holders (
  id          TEXT PRIMARY KEY,              -- channelId/deviceId
  channel_id  TEXT NOT NULL DEFAULT '',
  device_id   TEXT NOT NULL DEFAULT '',
  held        INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1)),
  secret_id   TEXT NOT NULL DEFAULT '',
  clocks      TEXT NOT NULL DEFAULT '{}',
  updated_at  INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX comms_channel_holders_channel ON comms_channel_holders (channel_id);
