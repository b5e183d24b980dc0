-- Ops stamped too far ahead of a clock to be taken yet (docs/sync.md, "Clocks"): never dropped.
-- Pulled or pushed to this replica: kept outside the op log until their time is near, then applied.
CREATE TABLE ops_clock_held (
  op_id     TEXT PRIMARY KEY,
  op        TEXT NOT NULL,                -- the op as received (JSON)
  reason    TEXT NOT NULL,
  source    TEXT,
  due_at    INTEGER NOT NULL,             -- from when (corrected time) it is near enough to be taken
  held_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX ops_clock_held_due ON ops_clock_held (due_at);

-- Ops of this replica's log a peer would not take yet (a clock ahead): still queued, sent again each
-- pass (the push mark moves on), with the peer's reason for the status.
CREATE TABLE sync_waiting (
  peer_id TEXT NOT NULL,
  op_id   TEXT NOT NULL,
  reason  TEXT NOT NULL,
  at      INTEGER NOT NULL,
  PRIMARY KEY (peer_id, op_id)
) STRICT;
