-- Legacy seals (issue 17): the full hashes of unsigned ops (written before signing existed) that
-- the service vouches for in `legacy_seal` records of the trust stream. An unsigned op is valid on
-- a judging replica only when its hash is here. One row per hash whatever order the seals arrive in.
CREATE TABLE trust_legacy (
  hash      TEXT PRIMARY KEY,
  stream_id TEXT NOT NULL
) STRICT;
