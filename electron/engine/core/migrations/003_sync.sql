-- Sync with the central service and war-room hubs.
-- Which peer delivered an op (NULL: written on this replica), so it is not pushed back to it.
ALTER TABLE ops ADD COLUMN source TEXT;
-- Serving pulls by stream (as a hub) and reading stream heads.
CREATE INDEX ops_stream_seq ON ops (stream_id, seq);

CREATE TABLE sync_peers (
  id        TEXT PRIMARY KEY,
  kind      TEXT NOT NULL CHECK (kind IN ('central', 'hub')),
  url       TEXT NOT NULL,
  user_name TEXT NOT NULL,
  added_at  INTEGER NOT NULL
) STRICT;

-- How far each stream has been pulled from each peer (the peer's own cursor values).
CREATE TABLE sync_cursors (
  peer_id   TEXT NOT NULL,
  stream_id TEXT NOT NULL,
  cursor    INTEGER NOT NULL,
  PRIMARY KEY (peer_id, stream_id)
) STRICT;

-- The local op-log position up to which a peer has acknowledged our pushes.
CREATE TABLE sync_pushed (
  peer_id TEXT PRIMARY KEY,
  seq     INTEGER NOT NULL
) STRICT;

-- Ops a peer refused (or we refused from it), with the reason, for the user to see.
CREATE TABLE sync_rejections (
  peer_id   TEXT NOT NULL,
  op_id     TEXT NOT NULL,
  direction TEXT NOT NULL CHECK (direction IN ('push', 'pull')),
  reason    TEXT NOT NULL,
  at        INTEGER NOT NULL,
  PRIMARY KEY (peer_id, op_id, direction)
) STRICT;
