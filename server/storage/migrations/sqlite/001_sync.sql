-- Central op log: every op once, with its position in its stream.
CREATE TABLE ops (
  op_id       TEXT PRIMARY KEY,
  stream_id   TEXT NOT NULL,
  seq         INTEGER NOT NULL,
  hlc         TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  device_id   TEXT NOT NULL,
  entity      TEXT NOT NULL,
  row_id      TEXT NOT NULL,
  kind        TEXT NOT NULL,
  fields      TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  UNIQUE (stream_id, seq)
) STRICT;

-- The newest seq of each stream; bumped in the inserting transaction.
CREATE TABLE stream_heads (
  stream_id TEXT PRIMARY KEY,
  head      INTEGER NOT NULL
) STRICT;

CREATE TABLE users (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'commander', 'comms', 'responder', 'viewer')),
  token_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
) STRICT;
CREATE UNIQUE INDEX users_active_name ON users (name) WHERE revoked_at IS NULL;
