-- Incident streams purged under the retention setting. When a push brings a purge record, the
-- stream's ops and its head are deleted in the same transaction and the stream is recorded here:
-- later ops of it are refused as gone, pulls of it return nothing, and it is not listed. A push
-- holds a transaction-level advisory lock per stream it writes (shared) or purges (exclusive), so
-- an op committed while its stream is being purged is deleted with it, never left behind.
CREATE TABLE purged_streams (
  stream_id    text COLLATE "C" PRIMARY KEY,
  incident_id  text COLLATE "C" NOT NULL,
  purge_op_id  text COLLATE "C" NOT NULL,  -- the first purge record accepted for it
  purged_at    bigint NOT NULL,            -- the record's purgedAt
  recorded_at  bigint NOT NULL,            -- when this service accepted it
  deleted_ops  bigint NOT NULL             -- how many ops were deleted then
);
