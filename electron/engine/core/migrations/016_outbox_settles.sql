-- Not a projection: settles this replica owes the delivery coordinator (it was unreachable when the
-- delivery ended), kept across restarts so a delivered update is never left claimable.
CREATE TABLE outbox_settles (
  key      TEXT PRIMARY KEY,
  holder   TEXT NOT NULL,
  outcome  TEXT NOT NULL CHECK (outcome IN ('delivered', 'released'))
) STRICT;
