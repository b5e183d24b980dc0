-- Incident streams purged under the retention setting. When a push brings a purge record, the
-- stream's ops and its head are deleted in the same transaction and the stream is recorded here:
-- later ops of it are refused as gone, pulls of it return nothing, and it is not listed.
CREATE TABLE purged_streams (
  stream_id    TEXT PRIMARY KEY,
  incident_id  TEXT NOT NULL,
  purge_op_id  TEXT NOT NULL,              -- the first purge record accepted for it
  purged_at    INTEGER NOT NULL,           -- the record's purgedAt
  recorded_at  INTEGER NOT NULL,           -- when this service accepted it
  deleted_ops  INTEGER NOT NULL            -- how many ops were deleted then
) STRICT;
