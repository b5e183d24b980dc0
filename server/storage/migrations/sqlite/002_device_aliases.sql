-- The name a replica wrote under before it was connected to this service (for example the
-- computer's login name), claimed for one device by the user who connected it. Ops from that
-- device under that name are then that user's.
CREATE TABLE device_aliases (
  device_id  TEXT NOT NULL,
  alias      TEXT NOT NULL,
  user_name  TEXT NOT NULL,
  claimed_at INTEGER NOT NULL,
  PRIMARY KEY (device_id, alias)
) STRICT;
