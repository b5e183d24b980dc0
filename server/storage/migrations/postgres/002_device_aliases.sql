-- The name a replica wrote under before it was connected to this service (for example the
-- computer's login name), claimed for one device by the user who connected it. Ops from that
-- device under that name are then that user's.
CREATE TABLE device_aliases (
  device_id  text COLLATE "C" NOT NULL,
  alias      text COLLATE "C" NOT NULL,
  user_name  text COLLATE "C" NOT NULL,
  claimed_at bigint NOT NULL,
  PRIMARY KEY (device_id, alias)
);
